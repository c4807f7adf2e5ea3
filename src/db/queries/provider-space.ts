/** What the provider space reads beyond the catalog: view counts, monthly signup counts, delivery health, suggestions. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { ProviderRow } from "../database.ts";
import { bumpCatalogVersion } from "./meta.ts";

/** Counts one view of an offer's page in `month` ('YYYY-MM'). */
export async function countOfferView(db: Db, offerId: string, month: string): Promise<void> {
  await db.insertInto("offer_views").values({ offer_id: offerId, month, n: 1 })
    .onConflict((oc) => oc.columns(["offer_id", "month"]).doUpdateSet({ n: sql`offer_views.n + 1` })).execute();
}

/** Views of each offer of a provider in `month`, by offer id. */
export async function offerViewsOfProvider(db: Db, providerId: number, month: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom("offer_views as v").innerJoin("offers as o", "o.id", "v.offer_id")
    .select(["v.offer_id", "v.n"]).where("o.provider_id", "=", providerId).where("v.month", "=", month).execute();
  return new Map(rows.map((r) => [r.offer_id, Number(r.n)]));
}

/** Signups a provider received since `since` (ISO), by offer id. */
export async function signupCountsSince(db: Db, providerId: number, since: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom("signups").select(["offer_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("provider_id", "=", providerId).where("created_at", ">=", since).groupBy("offer_id").execute();
  return new Map(rows.map((r) => [r.offer_id, Number(r.n)]));
}

/** How many of a provider's signups are in each status. */
export async function signupStatusCounts(db: Db, providerId: number): Promise<Record<string, number>> {
  const rows = await db.selectFrom("signups").select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("provider_id", "=", providerId).groupBy("status").execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Deliveries of `types` to a provider that failed for good since `sinceMs`, and those waiting for a retry. */
export async function deliveryTrouble(db: Db, providerId: number, types: readonly string[], sinceMs: number): Promise<{ dead: number; retrying: number; lastError: string | null }> {
  const r = await db.selectFrom("outbox")
    .select([
      sql<number>`sum(case when status in ('dead', 'rejected') and updated_at >= ${sinceMs} then 1 else 0 end)`.as("dead"),
      sql<number>`sum(case when status = 'pending' and attempts > 0 and last_error is not null then 1 else 0 end)`.as("retrying"),
    ])
    .where("provider_id", "=", providerId).where("type", "in", [...types]).executeTakeFirstOrThrow();
  const last = await db.selectFrom("outbox").select("last_error").where("provider_id", "=", providerId).where("type", "in", [...types])
    .where("last_error", "is not", null).orderBy("updated_at", "desc").limit(1).executeTakeFirst();
  return { dead: Number(r.dead ?? 0), retrying: Number(r.retrying ?? 0), lastError: last?.last_error ?? null };
}

/** Every attempt of the given outbox events, oldest first. */
export async function attemptsOf(db: Db, outboxIds: number[]) {
  if (outboxIds.length === 0) return [];
  return db.selectFrom("delivery_attempts").selectAll().where("outbox_id", "in", outboxIds).orderBy("outbox_id").orderBy("id").execute();
}

export async function outboxIdsByWebhookId(db: Db, webhookIds: string[]): Promise<Map<string, number>> {
  if (webhookIds.length === 0) return new Map();
  const rows = await db.selectFrom("outbox").select(["id", "webhook_id"]).where("webhook_id", "in", webhookIds).execute();
  return new Map(rows.map((r) => [r.webhook_id, r.id]));
}

/** The provider confirms its pushed offers are still current: they are fresh again (no content change). */
export async function confirmLocalOffers(db: Db, providerId: number, now: string): Promise<number> {
  const r = await db.updateTable("offers").set({ confirmed_at: now })
    .where("provider_id", "=", providerId).where("source", "=", "local").executeTakeFirst();
  // Staleness ranks offers: searches and the in-memory index must see the change.
  if (Number(r.numUpdatedRows)) await bumpCatalogVersion(db);
  return Number(r.numUpdatedRows);
}

/** Local, not deleted providers whose contact email is `email` (case-insensitive). */
export async function providersByEmail(db: Db, email: string): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().where(sql<boolean>`lower(email) = lower(${email})`)
    .where("source", "!=", "federated").where("deleted_at", "is", null).orderBy("id").execute();
}

/** Software names the public catalog uses, most used first (suggestions in the offer editor; unlisted offers' names
 * are nobody else's business, and could be spam). */
export async function catalogSoftwareNames(db: Db, limit = 200): Promise<string[]> {
  const rows = await db.selectFrom("offers").select(["software_name", (eb) => eb.fn.countAll<number>().as("n")]).where("listed", "=", 1)
    .groupBy(sql`lower(software_name)`).orderBy("n", "desc").orderBy("software_name").limit(limit).execute();
  return rows.map((r) => r.software_name);
}

/** Offer slugs a provider already uses (a new offer's slug must differ). */
export async function offerSlugsOf(db: Db, providerId: number): Promise<string[]> {
  return (await db.selectFrom("offers").select("slug").where("provider_id", "=", providerId).execute()).map((r) => r.slug);
}

/** Forgets a deleted provider's signup destinations and pull source (its offers go through the write path). */
export async function deleteProviderSetup(trx: Db, providerId: number): Promise<void> {
  await trx.deleteFrom("provider_webhooks").where("provider_id", "=", providerId).execute();
  await trx.deleteFrom("provider_nextcloud").where("provider_id", "=", providerId).execute();
  await trx.deleteFrom("provider_sources").where("provider_id", "=", providerId).execute();
}

/** Live (unfinished) signups of a provider. */
export async function liveSignupIds(trx: Db, providerId: number, statuses: readonly string[]): Promise<string[]> {
  return (await trx.selectFrom("signups").select("id").where("provider_id", "=", providerId).where("status", "in", [...statuses]).execute()).map((r) => r.id);
}
