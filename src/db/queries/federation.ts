/** Federation state: actor keys, followers, follows, domain blocks, federated providers and offers. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { FedFollowersTable, FedFollowingTable, ProviderRow } from "../database.ts";
import type { Insertable } from "kysely";

export async function getActorKeys(db: Db, actor: string) {
  return db.selectFrom("fed_keys").selectAll().where("actor", "=", actor).orderBy("algorithm", "desc").execute();
}

export async function insertActorKeys(db: Db, rows: Array<{ actor: string; algorithm: string; private_jwk: string; public_jwk: string; created_at: string }>) {
  await db.insertInto("fed_keys").values(rows).onConflict((oc) => oc.doNothing()).execute();
}

export async function upsertFollower(db: Db, row: Insertable<FedFollowersTable>) {
  await db.insertInto("fed_followers").values(row)
    .onConflict((oc) => oc.columns(["actor", "follower_id"]).doUpdateSet({ inbox: row.inbox, shared_inbox: row.shared_inbox, follow_id: row.follow_id, status: row.status }))
    .execute();
}

export async function removeFollower(db: Db, actor: string, followerId: string): Promise<number> {
  const r = await db.deleteFrom("fed_followers").where("actor", "=", actor).where("follower_id", "=", followerId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listFollowers(db: Db, actor: string) {
  return db.selectFrom("fed_followers").selectAll().where("actor", "=", actor).where("status", "=", "accepted").orderBy("created_at").orderBy("follower_id").execute();
}

export async function countFollowers(db: Db, actor: string): Promise<number> {
  const r = await db.selectFrom("fed_followers").select((eb) => eb.fn.countAll<number>().as("n")).where("actor", "=", actor).where("status", "=", "accepted").executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function upsertFollowing(db: Db, row: Insertable<FedFollowingTable>) {
  await db.insertInto("fed_following").values(row)
    .onConflict((oc) => oc.column("actor_id").doUpdateSet({ handle: row.handle, inbox: row.inbox, outbox: row.outbox, follow_id: row.follow_id, status: row.status, created_at: row.created_at, accepted_at: null, name: row.name ?? null }))
    .execute();
}

export async function findFollowing(db: Db, actorId: string) {
  return db.selectFrom("fed_following").selectAll().where("actor_id", "=", actorId).executeTakeFirst();
}

export async function listFollowing(db: Db) {
  return db.selectFrom("fed_following").selectAll().orderBy("created_at").orderBy("actor_id").execute();
}

export async function markFollowingAccepted(db: Db, actorId: string, followId: string, now: string): Promise<boolean> {
  const r = await db.updateTable("fed_following").set({ status: "accepted", accepted_at: now }).where("actor_id", "=", actorId).where("follow_id", "=", followId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteFollowing(db: Db, actorId: string): Promise<number> {
  const r = await db.deleteFrom("fed_following").where("actor_id", "=", actorId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Whether this directory federates with the actor `actorId`: it follows our directory actor (accepted), or our
 * directory follows it (accepted). Hand-overs are taken only from such directories.
 */
export async function federatesWith(db: Db, directoryIdentifier: string, actorId: string): Promise<boolean> {
  const follower = await db.selectFrom("fed_followers").select("status").where("actor", "=", directoryIdentifier).where("follower_id", "=", actorId).where("status", "=", "accepted").executeTakeFirst();
  if (follower) return true;
  return (await db.selectFrom("fed_following").select("status").where("actor_id", "=", actorId).where("status", "=", "accepted").executeTakeFirst()) !== undefined;
}

/** The display name of a followed directory, when known. */
export async function followedName(db: Db, actorId: string): Promise<string | null> {
  return (await db.selectFrom("fed_following").select("name").where("actor_id", "=", actorId).executeTakeFirst())?.name ?? null;
}

export async function listBlocks(db: Db) {
  return db.selectFrom("fed_blocks").selectAll().orderBy("domain").execute();
}

export async function isBlockedHost(db: Db, host: string): Promise<boolean> {
  const h = host.toLowerCase();
  const parts = h.split(".");
  const candidates = parts.map((_, i) => parts.slice(i).join("."));
  const r = await db.selectFrom("fed_blocks").select("domain").where("domain", "in", [...new Set([h, ...candidates])]).executeTakeFirst();
  return r !== undefined;
}

export async function insertBlock(db: Db, domain: string, now: string): Promise<boolean> {
  const r = await db.insertInto("fed_blocks").values({ domain, created_at: now }).onConflict((oc) => oc.doNothing()).returning("domain").executeTakeFirst();
  return r !== undefined;
}

export async function deleteBlock(db: Db, domain: string): Promise<boolean> {
  const r = await db.deleteFrom("fed_blocks").where("domain", "=", domain).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Followers and follows whose actor URL is on `domain` (or a subdomain). */
export async function removeActorsOfDomain(db: Db, domain: string): Promise<void> {
  const like = (col: string) => sql<boolean>`(${sql.ref(col)} like ${`%://${domain}/%`} or ${sql.ref(col)} like ${`%://${domain}:%`} or ${sql.ref(col)} like ${`%.${domain}/%`} or ${sql.ref(col)} like ${`%.${domain}:%`})`;
  await db.deleteFrom("fed_followers").where(like("follower_id")).execute();
  await db.deleteFrom("fed_following").where(like("actor_id")).execute();
}

/** Removes one follow of `followerId` (an Undo naming the Follow's id). */
export async function removeFollowerByFollow(db: Db, followerId: string, followId: string): Promise<void> {
  await db.deleteFrom("fed_followers").where("follower_id", "=", followerId).where("follow_id", "=", followId).execute();
}

/** Forgets every follower delivered through `inbox` (it answered 404/410); returns how many. */
export async function removeFollowersByInbox(db: Db, inbox: string): Promise<number> {
  const r = await db.deleteFrom("fed_followers").where((eb) => eb.or([eb("inbox", "=", inbox), eb("shared_inbox", "=", inbox)])).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function findFollower(db: Db, actor: string, followerId: string) {
  return db.selectFrom("fed_followers").selectAll().where("actor", "=", actor).where("follower_id", "=", followerId).executeTakeFirst();
}

export async function acceptFollower(db: Db, actor: string, followerId: string): Promise<void> {
  await db.updateTable("fed_followers").set({ status: "accepted" }).where("actor", "=", actor).where("follower_id", "=", followerId).execute();
}

/** Every follower of every local actor, optionally by status, oldest first. */
export async function listAllFollowers(db: Db, status?: "pending" | "accepted") {
  let q = db.selectFrom("fed_followers").selectAll().orderBy("created_at").orderBy("follower_id");
  if (status) q = q.where("status", "=", status);
  return q.execute();
}

/** Ids of the federated offers that came through the followed directory `actorId`. */
export async function federatedOfferIdsOfDirectory(db: Db, actorId: string): Promise<string[]> {
  const rows = await db.selectFrom("offers").select("id").where("source", "=", "federated").where(sql<string>`json_extract(origin_json, '$.directory')`, "=", actorId).execute();
  return rows.map((r) => r.id);
}

/** Ids of the federated offers whose ActivityPub object or provider actor is `uri` (a Delete names either). */
export async function federatedOfferIdsByOrigin(db: Db, uri: string): Promise<string[]> {
  const rows = await db.selectFrom("offers").select("id").where("source", "=", "federated")
    .where((eb) => eb.or([eb(sql<string>`json_extract(origin_json, '$.id')`, "=", uri), eb(sql<string>`json_extract(origin_json, '$.actor')`, "=", uri)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Every federated offer with its origin (to purge a blocked domain). */
export async function federatedOfferOrigins(db: Db): Promise<Array<{ id: string; origin_json: string | null }>> {
  return db.selectFrom("offers").select(["id", "origin_json"]).where("source", "=", "federated").execute();
}

/** Every federated provider row with its origin. */
export async function federatedProviderOrigins(db: Db): Promise<Array<{ id: number; origin_json: string | null }>> {
  return db.selectFrom("providers").select(["id", "origin_json"]).where("source", "=", "federated").execute();
}

export async function deleteProviders(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom("providers").where("id", "in", ids).execute();
}

/** The latest `updated_at` of a local provider, if any. */
export async function latestLocalProviderUpdate(db: Db): Promise<string | undefined> {
  const r = await db.selectFrom("providers").select((eb) => eb.fn.max("updated_at").as("at")).where("source", "!=", "federated").executeTakeFirst();
  return (r?.at as string | null | undefined) ?? undefined;
}

/**
 * Local providers whose profile changed after `mark` (oldest first): public ones, and hidden ones that were public
 * (their followers learn that the profile now shows only a name). A provider never updated since it registered
 * (updated_at = created_at) has nothing to announce: it is new, not changed.
 */
export async function localProfilesChangedSince(db: Db, mark: string, limit: number): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom("providers").select(["slug", "updated_at"]).where("source", "!=", "federated")
    .where((eb) => eb.or([eb("listed", "=", 1), eb.and([eb("hidden_at", "is not", null), eb("listed_at", "is not", null), eb("deleted_at", "is", null)])]))
    .where("updated_at", ">", mark)
    .where(sql<boolean>`updated_at > created_at`).orderBy("updated_at").limit(limit).execute();
}

export async function findFederatedProviderByActor(db: Db, actorId: string): Promise<ProviderRow | undefined> {
  return db.selectFrom("providers").selectAll().where("source", "=", "federated").where(sql<string>`json_extract(origin_json, '$.actor')`, "=", actorId).executeTakeFirst();
}

export async function countLocal(db: Db): Promise<{ offers: number; providers: number }> {
  const o = await db.selectFrom("offers").select((eb) => eb.fn.countAll<number>().as("n")).where("source", "!=", "federated").where("listed", "=", 1).executeTakeFirstOrThrow();
  const p = await db.selectFrom("providers").select((eb) => eb.fn.countAll<number>().as("n")).where("source", "!=", "federated").where("listed", "=", 1).executeTakeFirstOrThrow();
  return { offers: Number(o.n), providers: Number(p.n) };
}

/** Local offers' seqs in order, for outbox pages (keyset on seq). */
export async function localOfferSeqs(db: Db, opts: { providerId?: number; afterSeq: number; limit: number }): Promise<number[]> {
  let q = db.selectFrom("offers").select("seq").where("source", "!=", "federated").where("listed", "=", 1).where("seq", ">", opts.afterSeq);
  if (opts.providerId !== undefined) q = q.where("provider_id", "=", opts.providerId);
  return (await q.orderBy("seq").limit(opts.limit).execute()).map((r) => r.seq);
}

export async function countLocalOffers(db: Db, providerId?: number): Promise<number> {
  let q = db.selectFrom("offers").select((eb) => eb.fn.countAll<number>().as("n")).where("source", "!=", "federated").where("listed", "=", 1);
  if (providerId !== undefined) q = q.where("provider_id", "=", providerId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function pendingChanges(db: Db, limit: number) {
  return db.selectFrom("offer_changes as c").innerJoin("providers as p", "p.id", "c.provider_id")
    .select(["c.id", "c.offer_id", "c.kind", "c.at", "p.slug as provider_slug"])
    .where("c.published_at", "is", null).orderBy("c.id").limit(limit).execute();
}

/**
 * Marks published, in one statement, up to `limit` pending changes of providers that no accepted follower follows
 * (for when the directory itself has no follower either: nobody would receive them). Returns how many.
 */
export async function markUnheardChangesPublished(db: Db, now: string, limit: number): Promise<number> {
  const r = await sql`update offer_changes set published_at = ${now} where id in (
      select c.id from offer_changes c join providers p on p.id = c.provider_id
      where c.published_at is null and not exists (select 1 from fed_followers f where f.actor = p.slug and f.status = 'accepted')
      order by c.id limit ${limit})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** When each version of an offer that was published as created or updated was made (its posts' ids), newest first. */
export async function publishedVersionTimes(db: Db, offerId: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom("offer_changes").select("at").distinct().where("offer_id", "=", offerId).where("kind", "in", ["created", "updated"])
    .where("published_at", "is not", null).orderBy("at", "desc").limit(limit).execute();
  return rows.map((r) => r.at);
}

export async function markChangesPublished(db: Db, ids: number[], now: string) {
  if (ids.length) await db.updateTable("offer_changes").set({ published_at: now }).where("id", "in", ids).execute();
}

/** Forgets every recorded offer change (the seeded starting state is not news). */
export async function clearOfferChanges(trx: Db): Promise<void> {
  await trx.deleteFrom("offer_changes").execute();
}

/** Records a delivery the outbound policy refused (never attempted). */
export async function insertDeliveryRefusal(db: Db, row: { inbox: string; activity_id: string | null; activity_type: string | null; reason: string; at: string }): Promise<void> {
  await db.insertInto("fed_delivery_refusals").values(row).execute();
}

/** The refused deliveries, newest first. */
export async function listDeliveryRefusals(db: Db, limit = 100) {
  return db.selectFrom("fed_delivery_refusals").selectAll().orderBy("id", "desc").limit(limit).execute();
}

/** Forgets refusals recorded before `before` (ISO time). */
export async function pruneDeliveryRefusals(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom("fed_delivery_refusals").where("at", "<", before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
