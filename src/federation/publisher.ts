/**
 * Background publisher: turns `offer_changes` rows (written in the same transaction as each local offer write)
 * into Create / Update / Delete(Tombstone) activities from the provider actor to its followers, and an
 * Announce of each from the directory actor to the directory's followers. Runs outside the request that changed
 * the offer; `published_at` is set once the activities are enqueued (Fedify's queue does the delivery).
 */
import { yieldToEventLoop } from "../lib/yield.ts";
import { Announce, Create, Delete, Tombstone, Update, PUBLIC_COLLECTION, type Activity, type Note } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { countFollowers, latestLocalProviderUpdate, localProfilesChangedSince, markChangesPublished, markUnheardChangesPublished, pendingChanges, pruneDeliveryRefusals, publishedVersionTimes } from "../db/queries/federation.ts";
import { findOfferById } from "../db/queries/offers.ts";
import { getMeta, setMeta } from "../db/queries/meta.ts";
import { randomHex } from "../lib/ids.ts";
import { DAY_MS, iso } from "../lib/time.ts";
import { activityId } from "./activities.ts";
import { DIRECTORY, type DirectoryFederation, type FederationDeps } from "./types.ts";
import { offerToProposal } from "./vocab.ts";
import { noteUri, offerNote } from "./notes.ts";
import type { LoopHandle } from "../lib/loops.ts";

/** How many of an offer's posts (one per published version, newest first) are deleted when it goes: bounded work per deletion. */
const MAX_NOTES_DELETED = 20;

type Deps = FederationDeps;

/**
 * Publishes up to `limit` pending changes; returns how many were handled. Changes of one offer in the batch are
 * coalesced into one activity (its latest state: Delete if it was deleted last, Create if it was created in the batch,
 * else Update). Nothing is built, signed or queued for an audience that does not exist: a provider without followers
 * sends nothing itself, a directory without followers announces nothing, and a change nobody would receive is only
 * marked published (docs/decisions/0029). Between offers the loop yields to requests.
 */
export async function publishPendingChanges(fed: DirectoryFederation, deps: Deps, limit = 500): Promise<number> {
  // With no directory follower, a backlog of changes nobody follows (a bulk load) is cleared a few thousand at a time
  // in one statement each, instead of change by change.
  const unheard = (await countFollowers(deps.db, DIRECTORY)) === 0 ? await markUnheardChangesPublished(deps.db, iso(deps.clock.now()), limit * 10) : 0;
  const changes = await pendingChanges(deps.db, limit);
  if (changes.length === 0) return unheard;
  const groups = new Map<string, typeof changes>();
  for (const c of changes) {
    const list = groups.get(c.offer_id);
    if (list) list.push(c); else groups.set(c.offer_id, [c]);
  }
  const followers = new Map<string, number>();
  const audience = async (identifier: string) => {
    let n = followers.get(identifier);
    if (n === undefined) followers.set(identifier, (n = await countFollowers(deps.db, identifier)));
    return n;
  };
  const directoryAudience = await audience(DIRECTORY);
  const ctx = fed.context();
  const urls = fed.urls(ctx);
  const directory = ctx.getActorUri(DIRECTORY);
  const now = () => iso(deps.clock.now());
  const skipped: number[] = [];
  for (const group of groups.values()) {
    const change = group[group.length - 1];
    const ids = group.map((c) => c.id);
    const providerAudience = await audience(change.provider_slug);
    if (providerAudience === 0 && directoryAudience === 0) {
      skipped.push(...ids);
      continue;
    }
    const kind = change.kind === "deleted" ? "deleted" : group.some((c) => c.kind === "created") ? "created" : "updated";
    const actor = urls.actorUri(change.provider_slug);
    const objectUri = urls.offerUri(change.offer_id);
    // Unique even if the database is recreated (receivers remember activity ids for a while); retries are harmless
    // because receivers apply an offer only when it is newer.
    const stamp = `${kind}-${change.id}-${randomHex("", 4)}`;
    let activity: Activity | undefined;
    let note: Note | undefined;
    if (kind === "deleted") {
      activity = new Delete({
        id: new URL(`${objectUri.href}#${stamp}`), actor, to: PUBLIC_COLLECTION, cc: urls.followersUri(change.provider_slug),
        object: new Tombstone({ id: objectUri, deleted: Temporal.Instant.from(change.at) }),
      });
    } else {
      const row = await findOfferById(deps.db, change.offer_id);
      // Gone since (a later "deleted" change follows) or no longer local: nothing to say for this change.
      if (row && row.source !== "federated") {
        const Kind = kind === "created" ? Create : Update;
        activity = new Kind({
          id: new URL(`${objectUri.href}#${stamp}`), actor, object: offerToProposal(row, urls), to: PUBLIC_COLLECTION, cc: urls.followersUri(row.p_slug),
          published: Temporal.Instant.from(row.updated_at),
        });
        // For people: the same change as a post (docs/decisions/0014). Skipped when the offer changed again since:
        // that later change has its own post.
        if (Date.parse(row.updated_at) <= Date.parse(change.at)) note = offerNote(row, urls);
      }
    }
    if (activity) {
      if (providerAudience > 0) await ctx.sendActivity({ identifier: change.provider_slug }, "followers", activity, { preferSharedInbox: true });
      if (directoryAudience > 0) {
        await ctx.sendActivity({ identifier: DIRECTORY }, "followers", new Announce({
          id: new URL(`${directory.href}#announce-${stamp}`), actor: directory, object: activity, to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(DIRECTORY),
        }), { preferSharedInbox: true });
      }
    }
    if (kind === "deleted" && providerAudience > 0) {
      // Mastodon deletes a status (and its boosts) by the status' own id: the offer's Tombstone above does not reach the
      // posts that announced its versions. Each version that was published had one (notes.ts: its id is the version's time).
      for (const at of await publishedVersionTimes(deps.db, change.offer_id, MAX_NOTES_DELETED)) {
        const noteId = noteUri(urls, { id: change.offer_id, updated_at: at });
        await ctx.sendActivity({ identifier: change.provider_slug }, "followers", new Delete({
          id: new URL(`${noteId.href}#${stamp}`), actor, to: PUBLIC_COLLECTION, cc: urls.followersUri(change.provider_slug),
          object: new Tombstone({ id: noteId, deleted: Temporal.Instant.from(change.at) }),
        }), { preferSharedInbox: true });
      }
    }
    if (note?.id) {
      // The provider posts it; the directory boosts it (an Announce of the Note, which Mastodon fetches and shows).
      if (providerAudience > 0) {
        await ctx.sendActivity({ identifier: change.provider_slug }, "followers", new Create({
          id: new URL(`${note.id.href}#create`), actor, object: note, to: PUBLIC_COLLECTION, cc: urls.followersUri(change.provider_slug), published: note.published,
        }), { preferSharedInbox: true });
      }
      if (directoryAudience > 0) {
        await ctx.sendActivity({ identifier: DIRECTORY }, "followers", new Announce({
          id: new URL(`${directory.href}#boost-${stamp}`), actor: directory, object: note, to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(DIRECTORY), published: note.published,
        }), { preferSharedInbox: true });
      }
    }
    await markChangesPublished(deps.db, ids, now());
    // Building, signing and queueing take CPU: let waiting requests in between offers.
    await yieldToEventLoop();
  }
  await markChangesPublished(deps.db, skipped, now());
  return unheard + changes.length;
}

const PROFILE_MARK = "federation_profiles_published_at";

/**
 * Sends an `Update` of each local provider actor whose profile changed since the last run (and the directory's
 * `Announce` of it), so followers re-read name, country, organisation type. The first run only sets the mark; a
 * provider that only registered (never updated since) is new, not changed, and is not announced.
 */
export async function publishProfileUpdates(fed: DirectoryFederation, deps: Deps, limit = 50): Promise<number> {
  const mark = await getMeta(deps.db, PROFILE_MARK);
  if (mark === undefined) { await setMeta(deps.db, PROFILE_MARK, (await latestLocalProviderUpdate(deps.db)) ?? ""); return 0; }
  const changed = await localProfilesChangedSince(deps.db, mark, limit);
  if (changed.length === 0) return 0;
  const ctx = fed.context();
  const directory = ctx.getActorUri(DIRECTORY);
  const directoryAudience = await countFollowers(deps.db, DIRECTORY);
  for (const p of changed) {
    // As for offers: nothing is built or signed for an audience that does not exist.
    const providerAudience = await countFollowers(deps.db, p.slug);
    if (providerAudience > 0 || directoryAudience > 0) {
      const actor = ctx.getActorUri(p.slug);
      // The actor itself, embedded: Mastodon updates a profile only from an embedded object of an actor type
      // (activity/update.rb); a bare URI is read as a status it never saw, and dropped.
      const update = new Update({ id: activityId(actor, "update"), actor, object: (await fed.actorObject(p.slug)) ?? actor, to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(p.slug) });
      if (providerAudience > 0) await ctx.sendActivity({ identifier: p.slug }, "followers", update, { preferSharedInbox: true });
      if (directoryAudience > 0) {
        await ctx.sendActivity({ identifier: DIRECTORY }, "followers", new Announce({
          id: activityId(directory, "announce"), actor: directory, object: update, to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(DIRECTORY),
        }), { preferSharedInbox: true });
      }
    }
    await setMeta(deps.db, PROFILE_MARK, p.updated_at);
  }
  return changed.length;
}

/** How long refused deliveries stay recorded (fed_delivery_refusals, ADR 0015). */
export const REFUSALS_KEPT_MS = 30 * DAY_MS;

/** Housekeeping: expired KV entries, and refused deliveries older than REFUSALS_KEPT_MS. */
export async function purgeFederationRecords(fed: DirectoryFederation, deps: Deps): Promise<void> {
  await fed.kv.purgeExpired();
  await pruneDeliveryRefusals(deps.db, iso(deps.clock.now() - REFUSALS_KEPT_MS));
}

export type FederationRunner = { stop(): Promise<void> };

/**
 * Starts the background work of a long-running process (Node): Fedify's queue listener (deliveries, inbox)
 * and the publisher loop. `stop()` aborts both and waits for them.
 */
export function startFederation(fed: DirectoryFederation, deps: Deps, opts: { publishEveryMs?: number; monitor?: LoopHandle } = {}): FederationRunner {
  const controller = new AbortController();
  const queue = fed.federation.startQueue(undefined, { signal: controller.signal }).catch((e) => deps.log.error("federation queue stopped", { error: String(e) }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let purgedAt = -Infinity;
  const tick = () => {
    opts.monitor?.started();
    running = publishPendingChanges(fed, deps)
      .then(() => publishProfileUpdates(fed, deps))
      .then(() => {
        // Housekeeping once a minute, not on every tick.
        if (performance.now() - purgedAt < 60_000) return;
        purgedAt = performance.now();
        return purgeFederationRecords(fed, deps);
      })
      .then(() => opts.monitor?.finished(), (e) => { opts.monitor?.finished(e); deps.log.warn("federation publisher failed", { error: String(e) }); })
      .finally(() => { if (!controller.signal.aborted) timer = setTimeout(tick, opts.publishEveryMs ?? 1000); });
  };
  tick();
  return {
    async stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
      await running;
      await queue;
    },
  };
}
