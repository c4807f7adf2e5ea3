import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewProviderRow, ProviderRow, ProviderUpdate } from "../database.ts";
import { bumpCatalogVersion } from "./meta.ts";

export async function findProviderBySlug(db: Db, slug: string): Promise<ProviderRow | undefined> {
  return db.selectFrom("providers").selectAll().where("slug", "=", slug).executeTakeFirst();
}

export async function findProviderById(db: Db, id: number): Promise<ProviderRow | undefined> {
  return db.selectFrom("providers").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Slugs of the providers with these ids. */
export async function providerSlugs(db: Db, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const rows = unique.length ? await db.selectFrom("providers").select(["id", "slug"]).where("id", "in", unique).execute() : [];
  return new Map(rows.map((p) => [p.id, p.slug]));
}

/** True when the catalog has no provider at all (seeds load only into an empty catalog). */
export async function catalogIsEmpty(db: Db): Promise<boolean> {
  return (await db.selectFrom("providers").select("id").limit(1).executeTakeFirst()) === undefined;
}

export async function insertProvider(trx: Db, row: NewProviderRow): Promise<ProviderRow> {
  const p = await trx.insertInto("providers").values(row).returningAll().executeTakeFirstOrThrow();
  await bumpCatalogVersion(trx);
  return p;
}

/** Updates a provider row and bumps the catalog version; reindexing its offers is the caller's (domain) job. */
export async function updateProviderRow(trx: Db, id: number, patch: ProviderUpdate): Promise<ProviderRow> {
  const p = await trx.updateTable("providers").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  await bumpCatalogVersion(trx);
  return p;
}

export type ProviderListRow = ProviderRow & { offer_count: number };

export type ProviderFilter = { q?: string; country?: string[]; orgType?: string[]; member?: boolean; limit: number; after?: { name: string; id: number } };

/** Lists providers by name (keyset on lower(name), id), with their offer counts. */
export async function listProviders(db: Db, f: ProviderFilter): Promise<{ rows: ProviderListRow[]; total: number }> {
  let base = db.selectFrom("providers as p").where("p.source", "!=", "federated").where("p.listed", "=", 1);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    base = base.where((eb) => eb.or([sql<boolean>`p.name like ${like} escape '\\'`, sql<boolean>`p.slug like ${like} escape '\\'`]));
  }
  if (f.country?.length) base = base.where("p.country", "in", f.country);
  if (f.orgType?.length) base = base.where("p.org_type", "in", f.orgType);
  if (f.member !== undefined) base = base.where("p.chatons_member", "=", f.member ? 1 : 0);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  let page = base.selectAll("p")
    .select(sql<number>`(select count(*) from offers o where o.provider_id = p.id and o.listed = 1)`.as("offer_count"))
    .orderBy(sql`lower(p.name)`).orderBy("p.id").limit(f.limit + 1);
  if (f.after) page = page.where(sql<boolean>`(lower(p.name), p.id) > (${f.after.name}, ${f.after.id})`);
  const rows = await page.execute();
  return { rows, total: Number(total) };
}

/** The countries of the providers this directory lists (for the providers page's country filter). */
export async function providerCountries(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("providers").select("country").distinct().where("source", "!=", "federated").where("listed", "=", 1).orderBy("country").execute();
  return rows.map((r) => r.country);
}

export async function insertToken(trx: Db, providerId: number, tokenHash: string, now: string): Promise<void> {
  await trx.insertInto("provider_tokens").values({ provider_id: providerId, token_hash: tokenHash, created_at: now }).execute();
}

export async function findActiveToken(db: Db, tokenHash: string) {
  return db.selectFrom("provider_tokens").selectAll().where("token_hash", "=", tokenHash).where("revoked_at", "is", null).executeTakeFirst();
}

export async function revokeTokens(trx: Db, providerId: number, now: string): Promise<number> {
  const r = await trx.updateTable("provider_tokens").set({ revoked_at: now }).where("provider_id", "=", providerId).where("revoked_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Sets whether a provider is public; the first time it becomes public is kept in `listed_at` (the "new" badge). */
export async function setProviderListed(trx: Db, id: number, listed: boolean, now: string): Promise<ProviderRow> {
  const p = await trx.updateTable("providers")
    .set({ listed: listed ? 1 : 0, listed_at: listed ? sql<string>`coalesce(listed_at, ${now})` : sql<string | null>`listed_at` })
    .where("id", "=", id).returningAll().executeTakeFirstOrThrow();
  await bumpCatalogVersion(trx);
  return p;
}

/** Local providers never made public, neither hidden nor gone: the review queue, oldest first. */
export async function providersWaitingForReview(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().where("listed", "=", 0).where("listed_at", "is", null).where("hidden_at", "is", null)
    .where("deleted_at", "is", null).where("source", "!=", "federated").orderBy("created_at").orderBy("id").execute();
}

/** Every provider, by id (maintenance passes such as a reindex). */
export async function listAllProviders(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().orderBy("id").execute();
}

/** The demo catalog's providers (`demo = 1`). */
export async function listDemoProviders(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().where("demo", "=", 1).orderBy("id").execute();
}
