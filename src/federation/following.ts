/** Admin operations on federation: follow / unfollow other directories, block / unblock domains, backfill. */
import type { DocumentLoader } from "@fedify/fedify";
import { Follow, Undo, isActor } from "@fedify/vocab";
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
