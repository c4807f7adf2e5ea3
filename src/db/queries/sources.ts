/** Pull sources and the crawler's bookkeeping on offers (confirmation, staleness). Offer content goes through offers.ts. */
import type { Db } from "../client.ts";
import type { ProviderRow, ProviderSourcesTable, SourceRow } from "../database.ts";
import type { Updateable } from "kysely";

export async function findSource(db: Db, providerId: number): Promise<SourceRow | undefined> {
  return db.selectFrom("provider_sources").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

/** Sets a provider's source; a new URL or format starts over (fresh validators, full health, due now). */
export async function setSource(db: Db, providerId: number, url: string, format: SourceRow["format"], now: string): Promise<SourceRow> {
  const existing = await findSource(db, providerId);
  const fresh = { url, format, validators_json: "{}", health: 100, state: "healthy" as const, failures: 0, next_crawl_at: now, last_error: null, updated_at: now };
  if (existing) {
    const same = existing.url === url && existing.format === format;
    return db.updateTable("provider_sources").set(same ? { next_crawl_at: now, updated_at: now } : fresh)
      .where("id", "=", existing.id).returningAll().executeTakeFirstOrThrow();
  }
  return db.insertInto("provider_sources").values({ provider_id: providerId, ...fresh, created_at: now }).returningAll().executeTakeFirstOrThrow();
}

export async function deleteSourceRow(trx: Db, providerId: number): Promise<boolean> {
  const r = await trx.deleteFrom("provider_sources").where("provider_id", "=", providerId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function updateSource(db: Db, id: number, patch: Updateable<ProviderSourcesTable>): Promise<void> {
  await db.updateTable("provider_sources").set(patch).where("id", "=", id).execute();
}

export type DueSource = SourceRow & { provider: ProviderRow };

/** Sources due at `now` (all of them with `force`), oldest due first, with their providers. */
export async function listSources(db: Db, opts: { now?: string; providerSlug?: string; limit?: number }): Promise<DueSource[]> {
  let q = db.selectFrom("provider_sources as s").innerJoin("providers as p", "p.id", "s.provider_id").selectAll("s").select("p.slug as p_slug");
  if (opts.now) q = q.where("s.next_crawl_at", "<=", opts.now);
  if (opts.providerSlug) q = q.where("p.slug", "=", opts.providerSlug);
  q = q.orderBy("s.next_crawl_at").orderBy("s.id");
  if (opts.limit) q = q.limit(opts.limit);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const providers = await db.selectFrom("providers").selectAll().where("id", "in", [...new Set(rows.map((r) => r.provider_id))]).execute();
  const byId = new Map(providers.map((p) => [p.id, p]));
  return rows.map(({ p_slug: _s, ...s }) => ({ ...s, provider: byId.get(s.provider_id)! }));
}

/** A pull (200 or 304) confirmed the provider's crawled offers: they are fresh again. */
export async function confirmCrawledOffers(trx: Db, providerId: number, now: string): Promise<void> {
  await trx.updateTable("offers").set({ confirmed_at: now, stale_since: null }).where("provider_id", "=", providerId).where("source", "=", "crawled").execute();
}

/** The source stopped answering: its offers show `stale: true` until a pull confirms them. */
export async function markCrawledStale(db: Db, providerId: number, now: string): Promise<number> {
  const r = await db.updateTable("offers").set({ stale_since: now })
    .where("provider_id", "=", providerId).where("source", "=", "crawled").where("stale_since", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Ids of crawled offers not confirmed since `cutoff` (ISO): they get hidden. */
export async function unconfirmedCrawledOffers(db: Db, cutoff: string): Promise<string[]> {
  const rows = await db.selectFrom("offers").select("id").where("source", "=", "crawled").where("confirmed_at", "<", cutoff).orderBy("confirmed_at").execute();
  return rows.map((r) => r.id);
}

export async function providerOfferSources(trx: Db, providerId: number): Promise<Array<{ id: string; slug: string; source: string }>> {
  return trx.selectFrom("offers").select(["id", "slug", "source"]).where("provider_id", "=", providerId).execute();
}

export async function clearStale(trx: Db, providerId: number, slugs: string[]): Promise<void> {
  await trx.updateTable("offers").set({ stale_since: null })
    .where("provider_id", "=", providerId).where("source", "=", "crawled").where("slug", "in", slugs).execute();
}
