/**
 * Fedify setup for this directory, by concern: actors and keys (actors.ts), what others read — offers, outboxes,
 * followers (collections.ts), NodeInfo (nodeinfo.ts), the inbox (inbox.ts). Storage is libSQL (kv.ts, mq.ts);
 * outgoing offer changes are publisher.ts's, admin follows and blocks following.ts's.
 */
import "./shim.ts";
import { createFederation, generateCryptoKeyPair, type Context } from "@fedify/fedify";
import { Proposal } from "@fedify/vocab";
import { isBlockedHost } from "../db/queries/federation.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import { registerInbox } from "./inbox.ts";
import { LibsqlKvStore } from "./kv.ts";
import { LibsqlMessageQueue } from "./mq.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { createSignedPost, memoryKeyCache, verifySigner } from "./handover.ts";
import { DIRECTORY, type DirectoryFederation, type FederationDeps, type FederationSettings, type Urls } from "./types.ts";

export { DIRECTORY, DIRECTORY_USERNAME, type DirectoryFederation, type FederationDeps, type FederationSettings } from "./types.ts";

/** Builds the Fedify federation for this directory; nothing runs until `startFederation` (runtime) is called. */
export function createDirectoryFederation(deps: FederationDeps, settings: FederationSettings = {}): DirectoryFederation {
  const kv = new LibsqlKvStore(deps.db);
  const s: Required<FederationSettings> = {
    autoAcceptFollows: settings.autoAcceptFollows ?? deps.config.federationFollows !== "manual", workers: settings.workers ?? 4, pollMs: settings.pollMs ?? 250,
    generateKeyPair: settings.generateKeyPair ?? generateCryptoKeyPair,
  };
  const queue = new LibsqlMessageQueue(deps.db, {
    workers: s.workers, pollMs: s.pollMs, onError: (e) => deps.log.warn("federation queue: message failed", { error: String(e) }),
  });
  const federation = createFederation<void>({
    kv,
    queue,
    manuallyStartQueue: true,
    origin: deps.config.publicUrl,
    // Loopback peers (tests, local dev) only when the operator allows private networks; never in production.
    allowPrivateAddress: deps.config.allowPrivateNetwork,
    // Mastodon-era peers (and activitypub-express) only know draft-cavage: knock with it first.
    firstKnock: "draft-cavage-http-signatures-12",
    userAgent: `chatons-directory/0.1 (+${deps.config.publicUrl})`,
    onOutboxError: (error, activity) => deps.log.warn("federation: delivery failed", { error: String(error), activity: activity?.id?.href }),
  });

  const urls = (ctx: Context<void> = federation.createContext(new URL(deps.config.publicUrl))): Urls => ({
    publicUrl: deps.config.publicUrl,
    offerUri: (id) => ctx.getObjectUri(Proposal, { id }),
    actorUri: (slug) => ctx.getActorUri(slug),
    followersUri: (slug) => ctx.getFollowersUri(slug),
  });

  registerActors(federation, deps, s);
  registerCollections(federation, deps, urls);
  registerNodeInfo(federation, deps);
  const context = () => federation.createContext(new URL(deps.config.publicUrl));
  const keyCache = memoryKeyCache();
  const fed: DirectoryFederation = {
    federation, kv, queue, settings: s,
    isBlocked: (host) => isBlockedHost(deps.db, host),
    context,
    urls,
    directoryActor: () => context().getActorUri(DIRECTORY).href,
    directoryIdentifier: DIRECTORY,
    signedPost: createSignedPost({ context }, deps),
    verifySigner: (request) => verifySigner({ context }, request, keyCache),
  };
  registerInbox(fed, deps);
  return fed;
}
