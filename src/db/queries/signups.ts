/** Signups, their tokens and events, signup candidates (offers a person can join), the privacy purge. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { SignupRow } from "../database.ts";
import { REACHABLE } from "./destinations.ts";

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

/** Records the offer's directory's id for a signup handed over to it. */
export async function setSignupRemoteId(trx: Db, id: string, remoteId: string): Promise<void> {
  await trx.updateTable("signups").set({ remote_id: remoteId }).where("id", "=", id).execute();
}

/** A failed or rejected signup goes back to unfinished (redelivery): it is no longer final. */
export async function reopenSignup(trx: Db, id: string): Promise<void> {
  await trx.updateTable("signups").set({ final_at: null }).where("id", "=", id).where("status", "in", ["failed", "rejected"]).execute();
}

export async function listProviderSignups(db: Db, providerId: number, statuses: string[], limit: number, beforeCreated?: { at: string; id: string }) {
  let q = db.selectFrom("signups").selectAll().where("provider_id", "=", providerId).where("status", "in", statuses)
    .orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (beforeCreated) q = q.where(sql<boolean>`(created_at, id) < (${beforeCreated.at}, ${beforeCreated.id})`);
  return q.execute();
}

// ---- candidates ----

export type Candidate = {
  id: string; provider_id: number; provider_slug: string; service: string; software_name: string; registration: string; capacity: string;
  signup_mode: string; signup_url: string | null; quota_users: number | null; languages_json: string; data_location: string; provider_country: string;
  source: string;
  /** 1 when the provider has an enabled destination for the offer's signup mode (federated: its directory takes hand-overs). */
  reachable: number; open_signups: number;
  /** Federated offers: where their directory takes hand-overs, and their origin (`{id, actor, directory}` JSON). */
  handover_url: string | null; origin_json: string | null;
};

/** Which offers take a signup: the domain's rule (signups/eligibility.ts) as value lists, turned into SQL here. */
export type SignupRule = { sources: readonly string[]; registrations: readonly string[]; capacities: readonly string[]; modes: readonly string[] };

/** One offer with what the signup flow needs, whether or not it takes signups (the caller says why not). */
export async function findCandidate(db: Db, offerId: string, since: string): Promise<Candidate | undefined> {
  const r = await sql<Candidate>`select ${candidateColumns(since)}
    from offers o join providers p on p.id = o.provider_id where o.id = ${offerId} and o.listed = 1`.execute(db);
  return r.rows[0];
}

/** The SQL form of a SignupRule over `o` (offers). */
export function rulePredicate(rule: SignupRule) {
  const list = (values: readonly string[]) => (values.length ? sql.join(values) : sql`null`);
  return sql`(o.source in (${list(rule.sources)}) and o.registration in (${list(rule.registrations)})
    and o.capacity in (${list(rule.capacities)}) and o.signup_mode in (${list(rule.modes)}) and ${REACHABLE} = 1)`;
}

/** Offers taking signups under `rule`, of a service (packs included) and optionally a software, by id. */
export async function findCandidates(db: Db, rule: SignupRule, f: { service?: string; software?: string }, since: string): Promise<Candidate[]> {
  const filters = [rulePredicate(rule), sql`o.listed = 1`];
  if (f.service) filters.push(sql`exists (select 1 from offer_tags t where t.offer_seq = o.seq and t.field = 'service' and t.value = ${f.service})`);
  if (f.software) filters.push(sql`exists (select 1 from offer_tags t where t.offer_seq = o.seq and t.field = 'software' and t.value = ${f.software})`);
  const r = await sql<Candidate>`select ${candidateColumns(since)} from offers o join providers p on p.id = o.provider_id
    where ${sql.join(filters, sql` and `)} order by o.id`.execute(db);
  return r.rows;
}

function candidateColumns(since: string) {
  return sql`o.id, o.provider_id, p.slug as provider_slug, o.service, o.software_name, o.registration, o.capacity,
  o.signup_mode, o.signup_url, o.quota_users, o.languages_json, o.data_location, p.country as provider_country, o.source,
  o.handover_url, o.origin_json,
  ${REACHABLE} as reachable,
  (select count(*) from signups s where s.offer_id = o.id and s.final_at is null and s.created_at >= ${since}) as open_signups`;
}

// ---- privacy ----

/** Erases personal data of signups final since before `cutoff`; returns how many were purged. */
export async function purgeFinalSignups(trx: Db, cutoff: string, now: string): Promise<number> {
  const ids = (await trx.selectFrom("signups").select("id").where("purged_at", "is", null).where("final_at", "<=", cutoff).execute()).map((r) => r.id);
  return erasePersonalData(trx, ids, now);
}

/** Signups that never finished and have not moved since `cutoff` (a provider that took one and never reported back). */
export async function purgeStuckSignups(trx: Db, cutoff: string, now: string): Promise<number> {
  const ids = (await trx.selectFrom("signups").select("id").where("purged_at", "is", null).where("final_at", "is", null).where("updated_at", "<=", cutoff).execute()).map((r) => r.id);
  return erasePersonalData(trx, ids, now);
}

/** Erases the personal data of `ids` (name, email, username, message, login link, idempotency data, step messages). */
export async function erasePersonalData(trx: Db, ids: string[], now: string): Promise<number> {
  if (ids.length === 0) return 0;
  await trx.updateTable("signups").set({
    email: null, name: null, username: null, message: null, login_url: null, idempotency_key: null, request_hash: null, purged_at: now,
  }).where("id", "in", ids).where("purged_at", "is", null).execute();
  await trx.updateTable("signup_events").set({ message: null }).where("signup_id", "in", ids).execute();
  return ids.length;
}

/** The latest outbox event of one of `types` for a signup (its hand-over to the provider), if any. */
export async function signupDelivery(db: Db, signupId: string, types: readonly string[]) {
  return db.selectFrom("outbox").selectAll().where("signup_id", "=", signupId).where("type", "in", [...types]).orderBy("id", "desc").executeTakeFirst();
}
