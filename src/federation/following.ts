/** The admin side of federation: follow and unfollow other directories, decide on followers, block and unblock domains. */
import { Follow, Reject, Undo, isActor } from "@fedify/vocab";
import {
  acceptFollower, deleteBlock, deleteFollowing, federatedOfferIdsOfDirectory, findFollower, findFollowing, insertBlock, isBlockedHost,
  listAllFollowers, listBlocks, listFollowing, removeActorsOfDomain, removeFollower, upsertFollowing,
} from "../db/queries/federation.ts";
import { deleteOffer } from "../domain/catalog/offers.ts";
import { fail, ok, type Result } from "../domain/errors.ts";
import { iso } from "../lib/time.ts";
import { activityId, sendAccept } from "./activities.ts";
import { purgeDomain } from "./ingest.ts";
import { DIRECTORY, type DirectoryFederation, type FederationDeps } from "./types.ts";

export type FollowView = { actor: string; handle: string | null; status: "pending" | "accepted"; createdAt: string; acceptedAt: string | null };

/**
 * The actor URL a handle (`@user@host`, `acct:user@host`) names, by WebFinger. Fedify's own lookup speaks https only;
 * directories on a local network (development, tests: ALLOW_PRIVATE_NETWORK=1) may serve plain http, so we ask
 * WebFinger ourselves, https first, through the guarded fetch.
 */
export async function resolveHandle(deps: FederationDeps, handle: string): Promise<string | undefined> {
  const m = /^@?([^@\s]+)@([^@\s/]+)$/.exec(handle.trim().replace(/^acct:/, ""));
  if (!m) return undefined;
  const [, user, host] = m;
  for (const scheme of deps.config.allowPrivateNetwork ? ["https", "http"] : ["https"]) {
    try {
      const res = await deps.http(`${scheme}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`, {
        headers: { accept: "application/jrd+json, application/json" }, maxBytes: 64 * 1024, timeoutMs: 10_000,
      });
      if (res.status !== 200) continue;
      const jrd = JSON.parse(res.text()) as { links?: Array<{ rel?: string; type?: string; href?: string }> };
      const self = jrd.links?.find((l) => l.rel === "self" && /activity\+json|ld\+json/.test(l.type ?? ""));
      if (self?.href && /^https?:\/\//.test(self.href)) return self.href;
    } catch { /* try the next scheme */ }
  }
  return undefined;
}

/** Sends a Follow from the directory actor to `target` (an actor URL or `@user@host`). */
export async function followActor(fed: DirectoryFederation, deps: FederationDeps, target: string): Promise<Result<FollowView>> {
  return fed.outbound(() => follow(fed, deps, target));
}

async function follow(fed: DirectoryFederation, deps: FederationDeps, target: string): Promise<Result<FollowView>> {
  const ctx = fed.context();
  let actor;
  const isHandle = !/^https?:\/\//i.test(target.trim());
  const resolved = isHandle ? await resolveHandle(deps, target) : undefined;
  try {
    actor = await ctx.lookupObject(resolved ?? target.trim());
  } catch (e) {
    // The remote side failed or was refused (outbound policy): from the caller's side, no actor is found there (404).
    return fail({ kind: "not-found", detail: `Could not look up ${target}: ${(e as Error).message}` });
  }
  if (!actor || !isActor(actor) || !actor.id || !actor.inboxId) return fail({ kind: "not-found", detail: `No ActivityPub actor found at ${target}.` });
  if (await isBlockedHost(deps.db, actor.id.hostname)) return fail({ kind: "forbidden", detail: `${actor.id.hostname} is blocked.` });
  if (actor.id.href === ctx.getActorUri(DIRECTORY).href) return fail({ kind: "conflict", detail: "A directory cannot follow itself." });
  if (!(await fed.inboxAllowed(actor.inboxId.href))) return fail({ kind: "invalid", detail: `The inbox of ${actor.id.href} is not a public address; nothing was sent.` });
  const me = ctx.getActorUri(DIRECTORY);
  const followId = activityId(me, "follow");
  const now = iso(deps.clock.now());
  const handle = target.startsWith("@") || target.startsWith("acct:") ? target.replace(/^acct:/, "") : null;
  const name = actor.name?.toString().slice(0, 200) ?? null;
  await upsertFollowing(deps.db, { actor_id: actor.id.href, handle, inbox: actor.inboxId.href, outbox: actor.outboxId?.href ?? null, follow_id: followId.href, status: "pending", created_at: now, accepted_at: null, name });
  await ctx.sendActivity({ identifier: DIRECTORY }, actor, new Follow({ id: followId, actor: me, object: actor.id }));
  return ok({ actor: actor.id.href, handle, status: "pending", createdAt: now, acceptedAt: null });
}

/** Undoes a follow and forgets the offers that came through it. */
export async function unfollowActor(fed: DirectoryFederation, deps: FederationDeps, actorId: string): Promise<Result<{ purged: number }>> {
  const row = await findFollowing(deps.db, actorId);
  if (!row) return fail({ kind: "not-found", detail: `This directory does not follow ${actorId}.` });
  const ctx = fed.context();
  const me = ctx.getActorUri(DIRECTORY);
  await ctx.sendActivity({ identifier: DIRECTORY }, { id: new URL(row.actor_id), inboxId: new URL(row.inbox) }, new Undo({
    id: activityId(me, "undo"), actor: me, object: new Follow({ id: new URL(row.follow_id), actor: me, object: new URL(row.actor_id) }),
  }));
  await deleteFollowing(deps.db, actorId);
  const ids = await federatedOfferIdsOfDirectory(deps.db, actorId);
  const now = iso(deps.clock.now());
  for (const id of ids) await deps.db.transaction().execute((trx) => deleteOffer(trx, id, now));
  return ok({ purged: ids.length });
}

/** The directories this one follows, oldest first. */
export async function listFollows(deps: Pick<FederationDeps, "db">): Promise<FollowView[]> {
  return (await listFollowing(deps.db)).map((r) => ({ actor: r.actor_id, handle: r.handle, status: r.status, createdAt: r.created_at, acceptedAt: r.accepted_at }));
}

/** The blocked domains, by name. */
export async function listBlockedDomains(deps: Pick<FederationDeps, "db">): Promise<Array<{ domain: string; createdAt: string }>> {
  return (await listBlocks(deps.db)).map((b) => ({ domain: b.domain, createdAt: b.created_at }));
}

/** Blocks a domain: drops its followers and follows, purges its offers. */
export async function blockDomain(deps: FederationDeps, domain: string): Promise<{ domain: string; created: boolean; purgedOffers: number }> {
  const created = await insertBlock(deps.db, domain, iso(deps.clock.now()));
  await removeActorsOfDomain(deps.db, domain);
  const purgedOffers = await purgeDomain(deps, domain);
  return { domain, created, purgedOffers };
}

export async function unblockDomain(deps: Pick<FederationDeps, "db">, domain: string): Promise<boolean> {
  return deleteBlock(deps.db, domain);
}

export type FollowerView = { actor: string; follower: string; status: "pending" | "accepted"; createdAt: string };

/** Remote followers of our actors (`actor` is "directory" or a provider slug), optionally by status. */
export async function listFollowerViews(deps: Pick<FederationDeps, "db">, status?: "pending" | "accepted"): Promise<FollowerView[]> {
  return (await listAllFollowers(deps.db, status)).map((r) => ({ actor: r.actor === DIRECTORY ? "directory" : r.actor, follower: r.follower_id, status: r.status, createdAt: r.created_at }));
}

/** Approves (sends Accept) or refuses (sends Reject, forgets it) a pending follow when follows are manual. */
export async function decideFollower(fed: DirectoryFederation, deps: FederationDeps, actor: string, follower: string, accept: boolean): Promise<Result<FollowerView | null>> {
  const identifier = actor === "directory" ? DIRECTORY : actor;
  const row = await findFollower(deps.db, identifier, follower);
  if (!row) return fail({ kind: "not-found", detail: `${follower} does not follow ${actor}.` });
  const ctx = fed.context();
  const recipient = { id: new URL(row.follower_id), inboxId: new URL(row.inbox), endpoints: row.shared_inbox ? { sharedInbox: new URL(row.shared_inbox) } : null };
  const follow = new Follow({ id: new URL(row.follow_id), actor: new URL(row.follower_id), object: ctx.getActorUri(identifier) });
  if (accept) {
    await acceptFollower(deps.db, identifier, follower);
    await sendAccept(ctx, identifier, follow, recipient);
    return ok({ actor, follower, status: "accepted", createdAt: row.created_at });
  }
  await removeFollower(deps.db, identifier, follower);
  const me = ctx.getActorUri(identifier);
  await ctx.sendActivity({ identifier }, recipient, new Reject({ id: activityId(me, "reject"), actor: me, object: follow }));
  return ok(null);
}
