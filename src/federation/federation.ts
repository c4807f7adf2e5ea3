/**
 * Fedify setup for this directory, by concern: actors and keys (actors.ts), what others read — offers, outboxes,
 * followers (collections.ts), NodeInfo (nodeinfo.ts), the inbox (inbox.ts). Storage is libSQL (kv.ts, mq.ts);
 * outgoing offer changes are publisher.ts's, admin follows and blocks following.ts's.
 */
import "./shim.ts";
import { createFederation, type Context } from "@fedify/fedify";
import { Proposal } from "@fedify/vocab";
import { insertDeliveryRefusal, isBlockedHost, removeFollowersByInbox } from "../db/queries/federation.ts";
import { FetchRefused, type SafeFetch } from "../delivery/net.ts";
import { iso } from "../lib/time.ts";
import { generateActorKeyPair, registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import { registerInbox } from "./inbox.ts";
import { LibsqlKvStore } from "./kv.ts";
import { createLoaders } from "./loaders.ts";
import { withOutboundPolicy } from "./outbound.ts";
import { LibsqlMessageQueue } from "./mq.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { createSignedPost, memoryKeyCache, verifySigner } from "./handover.ts";
import { CHATONS_CONTEXT } from "./vocab.ts";
import { DIRECTORY, type DirectoryFederation, type FederationDeps, type FederationSettings, type Urls } from "./types.ts";

export { DIRECTORY, DIRECTORY_USERNAME, type DirectoryFederation, type FederationDeps, type FederationSettings } from "./types.ts";

/** Builds the Fedify federation for this directory; nothing runs until `startFederation` (runtime) is called. */
export function createDirectoryFederation(deps: FederationDeps, settings: FederationSettings = {}): DirectoryFederation {
  const kv = new LibsqlKvStore(deps.db);
  const s: Required<FederationSettings> = {
    autoAcceptFollows: settings.autoAcceptFollows ?? deps.config.federationFollows !== "manual", workers: settings.workers ?? 4, pollMs: settings.pollMs ?? 250,
    generateKeyPair: settings.generateKeyPair ?? generateActorKeyPair,
  };
  // Reads deps.http at each call, so a runtime (or a test) may swap the guarded fetch after the federation is built.
  const http: SafeFetch = Object.assign((url: string, opts?: Parameters<SafeFetch>[1]) => deps.http(url, opts), { check: (url: string) => deps.http.check(url) });
  const userAgent = `chatons-directory/0.1 (+${deps.config.publicUrl})`;
  const loaders = createLoaders({ http, kv, publicUrl: deps.config.publicUrl, userAgent, ownContext: { "@context": CHATONS_CONTEXT } });
  const queue = new LibsqlMessageQueue(deps.db, {
    workers: s.workers, pollMs: s.pollMs, onError: (e) => deps.log.warn("federation queue: message failed", { error: String(e) }),
    // Every queued task (deliveries, inbox listeners, fan-outs) runs under the outbound policy; a delivery to an
    // inbox the policy refuses is recorded as failed and never attempted.
    around: async (message, run) => {
      if (await refusedDelivery(deps, http, message)) return;
      await withOutboundPolicy(http, run);
    },
  });
  const federation = createFederation<void>({
    kv,
    queue,
    manuallyStartQueue: true,
    origin: deps.config.publicUrl,
    // Every document, context and signed GET goes through the guarded fetch (loaders.ts); ALLOW_PRIVATE_NETWORK is
    // the guarded fetch's setting, so Fedify's own `allowPrivateAddress` option (which excludes custom loaders) is unset.
    documentLoaderFactory: loaders.documentLoaderFactory,
    contextLoaderFactory: loaders.contextLoaderFactory,
    authenticatedDocumentLoaderFactory: loaders.authenticatedDocumentLoaderFactory,
    // Mastodon-era peers (and activitypub-express) only know draft-cavage: knock with it first.
    firstKnock: "draft-cavage-http-signatures-12",
    onOutboxError: (error, activity) => {
      const target = (error as { url?: URL | string; inbox?: URL }).inbox ?? (error as { url?: URL | string }).url;
      deps.log.warn("federation: delivery failed", { error: String(error), inbox: target ? String(target) : undefined, activity: activity?.id?.href });
    },
  });
  // WebFinger lookups (admin follows by handle) read this property rather than the loaders; they also run under the
  // outbound policy (following.ts), so this only keeps Fedify's own second check in line with ALLOW_PRIVATE_NETWORK.
  (federation as unknown as { allowPrivateAddress: boolean }).allowPrivateAddress = deps.config.allowPrivateNetwork;

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
    federation, kv, queue, settings: s, loaders,
    outbound: (fn) => withOutboundPolicy(http, fn),
    inboxAllowed: async (url) => {
      try { await http.check(url); return true; } catch (e) { return !(e instanceof FetchRefused && (e.reason === "address" || e.reason === "scheme")); }
    },
    isBlocked: (host) => isBlockedHost(deps.db, host),
    context,
    actorObject: (identifier) => federation.createContext(new Request(new URL("/", deps.config.publicUrl)), undefined).getActor(identifier),
    urls,
    directoryActor: () => context().getActorUri(DIRECTORY).href,
    directoryIdentifier: DIRECTORY,
    signedPost: createSignedPost({ context }, deps),
    verifySigner: (request) => verifySigner({ context }, request, keyCache),
  };
  registerInbox(fed, deps);
  return fed;
}

/**
 * True (and recorded, and the followers reached through that inbox forgotten) when `message` is a delivery to an
 * inbox the outbound policy refuses: a loopback, private, link-local or metadata address, or not http(s). A name
 * that does not resolve now is left to Fedify's retries (the guarded fetch refuses it the same way meanwhile).
 */
async function refusedDelivery(deps: FederationDeps, http: SafeFetch, message: unknown): Promise<boolean> {
  const m = message as { type?: unknown; inbox?: unknown; activityId?: unknown; activityType?: unknown };
  if (m?.type !== "outbox" || typeof m.inbox !== "string") return false;
  try {
    await http.check(m.inbox);
    return false;
  } catch (e) {
    if (!(e instanceof FetchRefused) || (e.reason !== "address" && e.reason !== "scheme")) return false;
    const activityType = typeof m.activityType === "string" ? m.activityType.replace("https://www.w3.org/ns/activitystreams#", "") : null;
    await insertDeliveryRefusal(deps.db, {
      inbox: m.inbox, activity_id: typeof m.activityId === "string" ? m.activityId : null, activity_type: activityType, reason: e.message, at: iso(deps.clock.now()),
    });
    const removed = await removeFollowersByInbox(deps.db, m.inbox);
    deps.log.warn("federation: delivery refused by the outbound policy; not attempted", { inbox: m.inbox, reason: e.message, followersRemoved: removed });
    return true;
  }
}
