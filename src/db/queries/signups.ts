/** Signups, their tokens and events, provider endpoints, signup candidates, rate-limit counters, purge. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { SignupRow } from "../database.ts";

export async function findSignup(db: Db, id: string): Promise<SignupRow | undefined> {
  return db.selectFrom("signups").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findSignupByIdempotencyKey(db: Db, key: string): Promise<SignupRow | undefined> {
  return db.selectFrom("signups").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
}

export async function insertSignup(trx: Db, row: SignupRow): Promise<void> {
  await trx.insertInto("signups").values(row).execute();
}

export async function addSignupToken(trx: Db, signupId: string, tokenHash: string): Promise<void> {
  await trx.insertInto("signup_tokens").values({ signup_id: signupId, token_hash: tokenHash }).execute();
}

export async function signupTokenHashes(db: Db, signupId: string): Promise<string[]> {
  return (await db.selectFrom("signup_tokens").select("token_hash").where("signup_id", "=", signupId).execute()).map((r) => r.token_hash);
}

export async function addSignupEvent(trx: Db, signupId: string, status: string, at: string, message?: string | null): Promise<void> {
  await trx.insertInto("signup_events").values({ signup_id: signupId, status, at, message: message ?? null }).execute();
}

export async function signupEvents(db: Db, signupId: string) {
  return db.selectFrom("signup_events").select(["status", "at", "message"]).where("signup_id", "=", signupId).orderBy("id").execute();
}

/** Sets the status (and final time) of a signup; `onlyFrom` guards against moving backwards after a race. */
export async function setSignupStatus(trx: Db, id: string, status: string, at: string, opts: { final?: boolean; onlyFrom?: string[]; loginUrl?: string } = {}): Promise<boolean> {
  let q = trx.updateTable("signups").set({
    status, updated_at: at, ...(opts.final ? { final_at: at } : {}), ...(opts.loginUrl !== undefined ? { login_url: opts.loginUrl } : {}),
  }).where("id", "=", id);
  if (opts.onlyFrom) q = q.where("status", "in", opts.onlyFrom);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listProviderSignups(db: Db, providerId: number, statuses: string[], limit: number, beforeCreated?: { at: string; id: string }) {
  let q = db.selectFrom("signups").selectAll().where("provider_id", "=", providerId).where("status", "in", statuses)
    .orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (beforeCreated) q = q.where(sql<boolean>`(created_at, id) < (${beforeCreated.at}, ${beforeCreated.id})`);
  return q.execute();
}

// ---- provider endpoints ----

export async function findWebhook(db: Db, providerId: number) {
  return db.selectFrom("provider_webhooks").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

export async function upsertWebhook(db: Db, providerId: number, url: string, secret: string, now: string): Promise<void> {
  await db.insertInto("provider_webhooks").values({ provider_id: providerId, url, secret, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column("provider_id").doUpdateSet({ url, secret, disabled_at: null, disabled_reason: null, updated_at: now })).execute();
}

export async function setWebhookSecret(db: Db, providerId: number, secret: string, now: string): Promise<boolean> {
  const r = await db.updateTable("provider_webhooks").set({ secret, updated_at: now }).where("provider_id", "=", providerId).executeTakeFirst();
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

// ---- candidates ----

export type Candidate = {
  id: string; provider_id: number; provider_slug: string; service: string; software_name: string; registration: string; capacity: string;
  signup_mode: string; signup_url: string | null; quota_users: number | null; languages_json: string; data_location: string; provider_country: string;
  /** 1 when the provider has an enabled endpoint for the offer's signup mode. */
  reachable: number; open_signups: number;
};

/** One offer with what the signup flow needs. */
export async function findCandidate(db: Db, offerId: string, since: string): Promise<Candidate | undefined> {
  const r = await sql<Candidate>`select ${withSince(since)}
    from offers o join providers p on p.id = o.provider_id where o.id = ${offerId} and o.source != 'federated'`.execute(db);
  return r.rows[0];
}

/** Local offers of a service (packs included; software optional) with open registration and capacity, reachable. */
export async function findCandidates(db: Db, f: { service?: string; software?: string }, since: string): Promise<Candidate[]> {
  const filters = [sql`o.source != 'federated'`, sql`o.registration = 'open'`, sql`o.capacity = 'available'`, sql`o.signup_mode in ('webhook', 'nextcloud')`];
  if (f.service) filters.push(sql`exists (select 1 from offer_tags t where t.offer_seq = o.seq and t.field = 'service' and t.value = ${f.service})`);
  if (f.software) filters.push(sql`exists (select 1 from offer_tags t where t.offer_seq = o.seq and t.field = 'software' and t.value = ${f.software})`);
  const r = await sql<Candidate>`select ${withSince(since)} from offers o join providers p on p.id = o.provider_id
    where ${sql.join(filters, sql` and `)} order by o.id`.execute(db);
  return r.rows.filter((c) => Number(c.reachable) === 1);
}

function withSince(since: string) {
  return sql`o.id, o.provider_id, p.slug as provider_slug, o.service, o.software_name, o.registration, o.capacity,
  o.signup_mode, o.signup_url, o.quota_users, o.languages_json, o.data_location, p.country as provider_country,
  case o.signup_mode
    when 'webhook' then exists (select 1 from provider_webhooks w where w.provider_id = o.provider_id and w.disabled_at is null)
    when 'nextcloud' then exists (select 1 from provider_nextcloud n where n.provider_id = o.provider_id and n.disabled_at is null)
    else 0 end as reachable,
  (select count(*) from signups s where s.offer_id = o.id and s.final_at is null and s.created_at >= ${since}) as open_signups`;
}

// ---- rate limits (fixed windows, shared by every instance through the database) ----

/** Counts one hit on each key in its current window (one statement); returns each count and when its window ends. */
export async function hitRateLimits(db: Db, hits: Array<{ key: string; windowMs: number }>, nowMs: number): Promise<Array<{ count: number; resetAt: number }>> {
  const rows = hits.map((h) => sql`(${h.key}, ${Math.floor(nowMs / h.windowMs) * h.windowMs}, ${h.windowMs}, 1)`);
  const r = await sql<{ key: string; count: number; window_start: number; window_ms: number }>`
    insert into rate_limits (key, window_start, window_ms, count) values ${sql.join(rows)}
    on conflict (key) do update set
      count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end,
      window_start = excluded.window_start, window_ms = excluded.window_ms
    returning key, count, window_start, window_ms`.execute(db);
  const byKey = new Map(r.rows.map((row) => [row.key, row]));
  return hits.map((h) => {
    const row = byKey.get(h.key)!;
    return { count: Number(row.count), resetAt: Number(row.window_start) + Number(row.window_ms) };
  });
}

// ---- privacy ----

/** Erases personal data of signups final since before `cutoff`; returns how many were purged. */
export async function purgeFinalSignups(trx: Db, cutoff: string, now: string): Promise<number> {
  const ids = (await trx.selectFrom("signups").select("id").where("purged_at", "is", null).where("final_at", "<=", cutoff).execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  await trx.updateTable("signups").set({
    email: null, name: null, username: null, message: null, login_url: null, idempotency_key: null, request_hash: null, purged_at: now,
  }).where("id", "in", ids).execute();
  await trx.updateTable("signup_events").set({ message: null }).where("signup_id", "in", ids).execute();
  return ids.length;
}

export async function deleteExpiredRateLimits(db: Db, nowMs: number): Promise<void> {
  await db.deleteFrom("rate_limits").where(sql<boolean>`window_start + window_ms <= ${nowMs}`).execute();
}
