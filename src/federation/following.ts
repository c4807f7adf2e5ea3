/** Admin operations on federation: follow / unfollow other directories, block / unblock domains, backfill. */
import type { DocumentLoader } from "@fedify/fedify";
import { Follow, Reject, Undo, isActor } from "@fedify/vocab";
import { sendAccept } from "./inbox.ts";
import type { Deps } from "../deps.ts";
import { deleteBlock, deleteFollowing, findFollowing, insertBlock, isBlockedHost, removeActorsOfDomain, upsertFollowing } from "../db/queries/federation.ts";
import { fail, ok, type Result } from "../domain/errors.ts";
import { DIRECTORY, type DirectoryFederation } from "./federation.ts";
import { AS, expand, fetchDocument, idOf, ingestActivity, purgeDomain, type Node } from "./ingest.ts";
import { sql } from "kysely";
import { deleteOffer } from "../db/queries/offers.ts";

export type FollowView = { actor: string; handle: string | null; status: "pending" | "accepted"; createdAt: string; acceptedAt: string | null };

/** Sends a Follow from the directory actor to `target` (an actor URL or `@user@host`). */
export async function followActor(fed: DirectoryFederation, deps: Deps, target: string): Promise<Result<FollowView>> {
  const ctx = fed.context();
  let actor;
  try {
    actor = await ctx.lookupObject(target.trim());
  } catch (e) {
    return fail({ kind: "unavailable", detail: `Could not look up ${target}: ${(e as Error).message}` });
  }
  if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) return fail({ kind: "not-found", detail: `No ActivityPub actor found at ${target}.` });
  if (await isBlockedHost(deps.db, actor.id.hostname)) return fail({ kind: "forbidden", detail: `${actor.id.hostname} is blocked.` });
  if (actor.id.href === ctx.getActorUri(DIRECTORY).href) return fail({ kind: "conflict", detail: "A directory cannot follow itself." });
  const me = ctx.getActorUri(DIRECTORY);
  const followId = new URL(`${me.href}#follow-${crypto.randomUUID()}`);
  const now = new Date(deps.clock.now()).toISOString();
  const handle = target.startsWith("@") || target.startsWith("acct:") ? target.replace(/^acct:/, "") : null;
  await upsertFollowing(deps.db, { actor_id: actor.id.href, handle, inbox: actor.inboxId.href, outbox: actor.outboxId?.href ?? null, follow_id: followId.href, status: "pending", created_at: now, accepted_at: null });
  await ctx.sendActivity({ identifier: DIRECTORY }, actor, new Follow({ id: followId, actor: me, object: actor.id }));
  return ok({ actor: actor.id.href, handle, status: "pending", createdAt: now, acceptedAt: null });
}

/** Undoes a follow and forgets the offers that came through it. */
export async function unfollowActor(fed: DirectoryFederation, deps: Deps, actorId: string): Promise<Result<{ purged: number }>> {
  const row = await findFollowing(deps.db, actorId);
  if (!row) return fail({ kind: "not-found", detail: `This directory does not follow ${actorId}.` });
  const ctx = fed.context();
  const me = ctx.getActorUri(DIRECTORY);
  await ctx.sendActivity({ identifier: DIRECTORY }, { id: new URL(row.actor_id), inboxId: new URL(row.inbox) }, new Undo({
    id: new URL(`${me.href}#undo-${crypto.randomUUID()}`), actor: me, object: new Follow({ id: new URL(row.follow_id), actor: me, object: new URL(row.actor_id) }),
  }));
  await deleteFollowing(deps.db, actorId);
  const rows = await deps.db.selectFrom("offers").select("id").where("source", "=", "federated").where(sql<string>`json_extract(origin_json, '$.directory')`, "=", actorId).execute();
  const now = new Date(deps.clock.now()).toISOString();
  for (const r of rows) await deps.db.transaction().execute((trx) => deleteOffer(trx, r.id, now));
  return ok({ purged: rows.length });
}

export function followView(r: { actor_id: string; handle: string | null; status: "pending" | "accepted"; created_at: string; accepted_at: string | null }): FollowView {
  return { actor: r.actor_id, handle: r.handle, status: r.status, createdAt: r.created_at, acceptedAt: r.accepted_at };
}

/** Blocks a domain: drops its followers and follows, purges its offers. */
export async function blockDomain(deps: Deps, domain: string): Promise<{ domain: string; created: boolean; purgedOffers: number }> {
  const created = await insertBlock(deps.db, domain, new Date(deps.clock.now()).toISOString());
  await removeActorsOfDomain(deps.db, domain);
  const purgedOffers = await purgeDomain(deps, domain);
  return { domain, created, purgedOffers };
}

export async function unblockDomain(deps: Deps, domain: string): Promise<boolean> {
  return deleteBlock(deps.db, domain);
}

const MAX_PAGES = 40;

/** Reads a followed actor's outbox (paged) and takes in the offers it lists, as if they had just been delivered. */
export async function backfill(deps: Deps, contextLoader: DocumentLoader, actorId: string, outbox: string | null): Promise<{ pages: number; stored: number; rejected: number }> {
  const stats = { pages: 0, stored: 0, rejected: 0 };
  if (!outbox) return stats;
  const ic = { deps, contextLoader, sender: actorId, directory: actorId };
  try {
    const collection = await expand(await fetchDocument(deps, outbox), contextLoader);
    if (!collection) return stats;
    let page: Node | undefined = collection;
    let next: string | undefined = idOf((collection[`${AS}first`] as Node[] | undefined)?.[0]);
    const seen = new Set<string>();
    while (page && stats.pages < MAX_PAGES) {
      stats.pages++;
      const items = ((page[`${AS}orderedItems`] ?? page[`${AS}items`]) as Node[] | undefined) ?? [];
      const flat = items.flatMap((i) => (Array.isArray(i["@list"]) ? (i["@list"] as Node[]) : [i]));
      for (const item of flat) {
        const r = await ingestActivity(ic, item).catch((e) => ({ ok: false as const, reason: String(e) }));
        if (r.ok && (r.did === "stored" || r.did === "updated")) stats.stored++;
        else if (!r.ok) stats.rejected++;
      }
      if (page !== collection) next = idOf((page[`${AS}next`] as Node[] | undefined)?.[0]);
      if (!next || seen.has(next)) break;
      seen.add(next);
      page = await expand(await fetchDocument(deps, next), contextLoader);
    }
  } catch (e) {
    deps.log.warn("federation: backfill failed", { actor: actorId, error: String(e) });
  }
  return stats;
}

export type FollowerView = { actor: string; follower: string; status: "pending" | "accepted"; createdAt: string };

/** Remote followers of our actors (`actor` is "directory" or a provider slug), optionally by status. */
export async function listFollowerViews(deps: Deps, status?: "pending" | "accepted"): Promise<FollowerView[]> {
  let q = deps.db.selectFrom("fed_followers").selectAll().orderBy("created_at").orderBy("follower_id");
  if (status) q = q.where("status", "=", status);
  return (await q.execute()).map((r) => ({ actor: r.actor === DIRECTORY ? "directory" : r.actor, follower: r.follower_id, status: r.status, createdAt: r.created_at }));
}

/** Approves (sends Accept) or refuses (sends Reject, forgets it) a pending follow when follows are manual. */
export async function decideFollower(fed: DirectoryFederation, deps: Deps, actor: string, follower: string, accept: boolean): Promise<Result<FollowerView | null>> {
  const identifier = actor === "directory" ? DIRECTORY : actor;
  const row = await deps.db.selectFrom("fed_followers").selectAll().where("actor", "=", identifier).where("follower_id", "=", follower).executeTakeFirst();
  if (!row) return fail({ kind: "not-found", detail: `${follower} does not follow ${actor}.` });
  const ctx = fed.context();
  const recipient = { id: new URL(row.follower_id), inboxId: new URL(row.inbox), endpoints: row.shared_inbox ? { sharedInbox: new URL(row.shared_inbox) } : null };
  const follow = new Follow({ id: new URL(row.follow_id), actor: new URL(row.follower_id), object: ctx.getActorUri(identifier) });
  if (accept) {
    await deps.db.updateTable("fed_followers").set({ status: "accepted" }).where("actor", "=", identifier).where("follower_id", "=", follower).execute();
    await sendAccept(ctx, identifier, follow, recipient);
    return ok({ actor, follower, status: "accepted", createdAt: row.created_at });
  }
  await deps.db.deleteFrom("fed_followers").where("actor", "=", identifier).where("follower_id", "=", follower).execute();
  const me = ctx.getActorUri(identifier);
  await ctx.sendActivity({ identifier }, recipient, new Reject({ id: new URL(`${me.href}#reject-${crypto.randomUUID()}`), actor: me, object: follow }));
  return ok(null);
}
