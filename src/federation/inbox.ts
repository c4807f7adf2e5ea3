/** Inbox listeners: follows of our actors, answers to our follows, and offer activities from directories we follow. */
import { Accept, Announce, Create, Delete, Follow, Reject, Undo, Update, type Activity } from "@fedify/vocab";
import type { InboxContext } from "@fedify/fedify";
import { deleteFollowing, findFollowing, isBlockedHost, markFollowingAccepted, removeFollower, removeFollowerByFollow, upsertFollower } from "../db/queries/federation.ts";
import { iso } from "../lib/time.ts";
import { sendAccept } from "./activities.ts";
import { backfill } from "./backfill.ts";
import { expandOne } from "./expand.ts";
import { ingestActivity, isFollowed } from "./ingest.ts";
import type { DirectoryFederation, FederationDeps } from "./types.ts";

export function registerInbox(fed: DirectoryFederation, deps: FederationDeps): void {
  const now = () => iso(deps.clock.now());
  const blocked = async (url: URL | null) => !url || (await isBlockedHost(deps.db, url.hostname));

  const onOffer = async (ctx: InboxContext<void>, activity: Activity) => {
    const sender = activity.actorId;
    if (!sender || (await blocked(sender))) return;
    if (!(await isFollowed(deps, sender.href))) {
      deps.log.info("federation: dropped activity from an actor we do not follow", { actor: sender.href, activity: activity.id?.href });
      return;
    }
    const node = await expandOne(await activity.toJsonLd(), ctx.contextLoader);
    if (!node) return;
    const outcome = await ingestActivity({ deps, contextLoader: ctx.contextLoader, sender: sender.href, directory: sender.href }, node);
    if (!outcome.ok) deps.log.warn("federation: rejected activity", { actor: sender.href, activity: activity.id?.href, reason: outcome.reason });
  };

  fed.federation.setInboxListeners("/ap/providers/{identifier}/inbox", "/ap/inbox")
    .on(Follow, async (ctx, follow) => {
      if (!follow.id || !follow.actorId || !follow.objectId || (await blocked(follow.actorId))) return;
      const target = ctx.parseUri(follow.objectId);
      if (target?.type !== "actor") return;
      const follower = await follow.getActor(ctx);
      if (!follower?.id || !follower.inboxId) return;
      // An actor naming an inbox the outbound policy refuses (loopback, private, metadata…) is never followed back.
      const shared = follower.endpoints?.sharedInbox?.href;
      if (!(await fed.inboxAllowed(follower.inboxId.href)) || (shared && !(await fed.inboxAllowed(shared)))) {
        deps.log.warn("federation: follow ignored: the follower's inbox is not a public address", { follower: follower.id.href, inbox: follower.inboxId.href, sharedInbox: shared });
        return;
      }
      const status = fed.settings.autoAcceptFollows ? "accepted" : "pending";
      await upsertFollower(deps.db, {
        actor: target.identifier, follower_id: follower.id.href, inbox: follower.inboxId.href, shared_inbox: follower.endpoints?.sharedInbox?.href ?? null,
        follow_id: follow.id.href, status, created_at: now(),
      });
      if (status === "accepted") await sendAccept(ctx, target.identifier, follow, follower);
    })
    .on(Undo, async (ctx, undo) => {
      if (!undo.actorId || !undo.objectId) return;
      const object = await undo.getObject({ crossOrigin: "ignore" }).catch(() => null);
      if (object instanceof Follow && object.objectId) {
        const target = ctx.parseUri(object.objectId);
        if (target?.type === "actor") await removeFollower(deps.db, target.identifier, undo.actorId.href);
        return;
      }
      await removeFollowerByFollow(deps.db, undo.actorId.href, undo.objectId.href);
    })
    .on(Accept, async (ctx, accept) => {
      if (!accept.actorId || !accept.objectId) return;
      const row = await findFollowing(deps.db, accept.actorId.href);
      if (!row || row.follow_id !== accept.objectId.href) return;
      if (await markFollowingAccepted(deps.db, row.actor_id, row.follow_id, now())) {
        const r = await backfill(deps, ctx.contextLoader, row.actor_id, row.outbox);
        deps.log.info("federation: follow accepted; backfilled offers", { actor: row.actor_id, ...r });
      }
    })
    .on(Reject, async (_ctx, rej) => {
      if (!rej.actorId || !rej.objectId) return;
      const row = await findFollowing(deps.db, rej.actorId.href);
      if (row && row.follow_id === rej.objectId.href) await deleteFollowing(deps.db, row.actor_id);
    })
    .on(Create, onOffer)
    .on(Update, onOffer)
    .on(Delete, onOffer)
    .on(Announce, onOffer)
    .onError((_ctx, error) => deps.log.warn("federation: inbox listener failed", { error: String(error) }));
}
