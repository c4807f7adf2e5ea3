/** Where providers receive signups: a webhook (URL + signing secret) or a Nextcloud instance. */
import { sql } from "kysely";
import type { Db } from "../client.ts";

/**
 * 1 when the provider of offer `o` has an enabled destination for the offer's signup mode, else 0: the one SQL
 * definition of "reachable", used wherever offers are read with their signup availability. A federated offer is
 * reachable through its own directory: when that directory gave a hand-over endpoint and said it takes signups.
 */
export const REACHABLE = sql<number>`(case when o.source = 'federated' then (o.handover_url is not null and o.remote_accepts = 1)
    else (case o.signup_mode
    when 'webhook' then exists (select 1 from provider_webhooks w where w.provider_id = o.provider_id and w.disabled_at is null)
    when 'nextcloud' then exists (select 1 from provider_nextcloud n where n.provider_id = o.provider_id and n.disabled_at is null)
    else 0 end) end)`;

export async function findWebhook(db: Db, providerId: number) {
  return db.selectFrom("provider_webhooks").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

export async function upsertWebhook(db: Db, providerId: number, url: string, secret: string, now: string): Promise<void> {
  await db.insertInto("provider_webhooks").values({ provider_id: providerId, url, secret, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column("provider_id").doUpdateSet({ url, secret, previous_secret: null, previous_secret_until: null, disabled_at: null, disabled_reason: null, updated_at: now })).execute();
}

/** Replaces the secret; `previous` keeps the old one signing until its time (epoch ms) — the rotation's overlap. */
export async function setWebhookSecret(db: Db, providerId: number, secret: string, now: string, previous?: { secret: string; until: number }): Promise<boolean> {
  const r = await db.updateTable("provider_webhooks")
    .set({ secret, previous_secret: previous?.secret ?? null, previous_secret_until: previous?.until ?? null, updated_at: now })
    .where("provider_id", "=", providerId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function disableWebhook(trx: Db, providerId: number, reason: string, now: string): Promise<void> {
  await trx.updateTable("provider_webhooks").set({ disabled_at: now, disabled_reason: reason, updated_at: now }).where("provider_id", "=", providerId).execute();
}

export async function findNextcloud(db: Db, providerId: number) {
  return db.selectFrom("provider_nextcloud").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

export async function upsertNextcloud(db: Db, providerId: number, url: string, token: string, now: string): Promise<void> {
  await db.insertInto("provider_nextcloud").values({ provider_id: providerId, url, token, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column("provider_id").doUpdateSet({ url, token, disabled_at: null, updated_at: now })).execute();
}

export async function deleteNextcloud(db: Db, providerId: number): Promise<boolean> {
  const r = await db.deleteFrom("provider_nextcloud").where("provider_id", "=", providerId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Which enabled destinations a provider has (they decide whether its offers take signups). */
export type Reach = { webhook: boolean; nextcloud: boolean };

/** `providerReach` of many providers in two statements (bulk loads). */
export async function providersReach(db: Db, providerIds: number[]): Promise<Map<number, Reach>> {
  const out = new Map<number, Reach>(providerIds.map((id) => [id, { webhook: false, nextcloud: false }]));
  for (let i = 0; i < providerIds.length; i += 5_000) {
    const ids = providerIds.slice(i, i + 5_000);
    for (const w of await db.selectFrom("provider_webhooks").select("provider_id").where("provider_id", "in", ids).where("disabled_at", "is", null).execute()) out.get(w.provider_id)!.webhook = true;
    for (const n of await db.selectFrom("provider_nextcloud").select("provider_id").where("provider_id", "in", ids).where("disabled_at", "is", null).execute()) out.get(n.provider_id)!.nextcloud = true;
  }
  return out;
}

export async function providerReach(db: Db, providerId: number): Promise<Reach> {
  const w = await findWebhook(db, providerId); // one after the other: `db` may be a transaction's single connection
  const n = await findNextcloud(db, providerId);
  return { webhook: !!w && w.disabled_at === null, nextcloud: !!n && n.disabled_at === null };
}
