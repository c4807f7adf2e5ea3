/**
 * Fedify setup: the directory actor (`Service` at /ap/directory) and each local provider (`Organization` at
 * /ap/providers/{slug}), their keys, WebFinger, NodeInfo, outbox and followers collections, offers as
 * `Proposal` objects, the shared inbox. Storage is libSQL (kv.ts, mq.ts); inbox logic lives in inbox.ts,
 * outgoing offer changes in publisher.ts, admin follows and blocks in following.ts.
 */
import "./shim.ts";
import { createFederation, exportJwk, generateCryptoKeyPair, importJwk, type Context, type Federation } from "@fedify/fedify";
import { Announce, Create, Endpoints, Organization, Proposal, Service, type Recipient } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Deps } from "../deps.ts";
import { findOfferById, loadOffersBySeq } from "../db/queries/offers.ts";
import { findProviderBySlug } from "../db/queries/providers.ts";
import { countFollowers, countLocal, countLocalOffers, getActorKeys, insertActorKeys, listFollowers, localOfferSeqs } from "../db/queries/federation.ts";
import { LibsqlKvStore } from "./kv.ts";
import { LibsqlMessageQueue } from "./mq.ts";
import { offerDocument, offerToProposal, providerActorDocument, type Urls } from "./vocab.ts";
import { registerInbox } from "./inbox.ts";

/** Fedify identifier of the directory actor; not a valid provider slug, so it never collides with one. */
export const DIRECTORY = "_directory";
export const DIRECTORY_USERNAME = "directory";
const PAGE = 50;

export type FederationSettings = {
  /** Accept incoming Follows at once (default) or keep them pending for an operator. */
  autoAcceptFollows?: boolean;
  /** Concurrent deliveries per queue listener. */
  workers?: number;
  pollMs?: number;
  /** Key generation (tests reuse one pre-made RSA pair: generating one costs seconds on a loaded machine). */
  generateKeyPair?: (algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519") => Promise<CryptoKeyPair>;
};

export type DirectoryFederation = {
  federation: Federation<void>;
  kv: LibsqlKvStore;
  queue: LibsqlMessageQueue;
  settings: Required<FederationSettings>;
  context(): Context<void>;
  urls(ctx?: Context<void>): Urls;
};

/** Builds the Fedify federation for this directory; nothing runs until `startFederation` (runtime) is called. */
export function createDirectoryFederation(deps: Deps, settings: FederationSettings = {}): DirectoryFederation {
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

  const keyPairs = async (identifier: string): Promise<CryptoKeyPair[]> => {
    let rows = await getActorKeys(deps.db, identifier);
    if (rows.length < 2) {
      const now = new Date().toISOString();
      const fresh = [];
      for (const algorithm of ["RSASSA-PKCS1-v1_5", "Ed25519"] as const) {
        const pair = await s.generateKeyPair(algorithm);
        fresh.push({ actor: identifier, algorithm, private_jwk: JSON.stringify(await exportJwk(pair.privateKey)), public_jwk: JSON.stringify(await exportJwk(pair.publicKey)), created_at: now });
      }
      await insertActorKeys(deps.db, fresh); // a concurrent first call may win: read back whatever is stored
      rows = await getActorKeys(deps.db, identifier);
    }
    const order = ["RSASSA-PKCS1-v1_5", "Ed25519"];
    rows.sort((a, b) => order.indexOf(a.algorithm) - order.indexOf(b.algorithm));
    return Promise.all(rows.map(async (r) => ({ privateKey: await importJwk(JSON.parse(r.private_jwk), "private"), publicKey: await importJwk(JSON.parse(r.public_jwk), "public") })));
  };

  const localProvider = async (slug: string) => {
    const p = await findProviderBySlug(deps.db, slug);
    return p && p.source !== "federated" ? p : undefined;
  };

  federation
    .setActorDispatcher("/ap/providers/{identifier}", async (ctx, identifier) => {
      const common = async () => {
        const keys = await ctx.getActorKeyPairs(identifier);
        return {
          id: ctx.getActorUri(identifier), inbox: ctx.getInboxUri(identifier), outbox: ctx.getOutboxUri(identifier),
          followers: ctx.getFollowersUri(identifier), endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
          publicKey: keys[0]?.cryptographicKey, assertionMethods: keys.map((k) => k.multikey),
          manuallyApprovesFollowers: !s.autoAcceptFollows,
        };
      };
      if (identifier === DIRECTORY) {
        const host = new URL(deps.config.publicUrl).host;
        return new Service({
          ...(await common()), preferredUsername: DIRECTORY_USERNAME, name: `CHATONS directory (${host})`,
          summary: "A directory of ethical hosting offers. Follow it to receive its providers' offers.", url: new URL("/", deps.config.publicUrl),
        });
      }
      const p = await localProvider(identifier);
      if (!p) return null;
      const description = JSON.parse(p.description_json) as Record<string, string>;
      const actor = new Organization({
        ...(await common()), preferredUsername: p.slug, name: p.name, summary: description.fr ?? description.en ?? Object.values(description)[0] ?? null,
        url: new URL(`/providers/${p.slug}`, deps.config.publicUrl),
      });
      return providerActorDocument(actor, p, ctx.contextLoader);
    })
    .mapActorAlias("/ap/directory", DIRECTORY)
    .mapHandle(async (_ctx, username) => (username === DIRECTORY_USERNAME ? DIRECTORY : (await localProvider(username)) ? username : null))
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === DIRECTORY || (await localProvider(identifier)) ? keyPairs(identifier) : []));

  federation.setObjectDispatcher(Proposal, "/ap/offers/{id}", async (ctx, { id }) => {
    const row = await findOfferById(deps.db, id);
    if (!row || row.source === "federated") return null;
    return offerDocument(row, urls(ctx), ctx.contextLoader);
  });

  // Outboxes list the current offers as Create activities (the directory's wrapped in Announce), so a new
  // follower can backfill the catalog from them. Pages are keyed on offers.seq.
  federation
    .setOutboxDispatcher("/ap/providers/{identifier}/outbox", async (ctx, identifier, cursor) => {
      if (cursor === null) return null;
      const providerId = identifier === DIRECTORY ? undefined : (await localProvider(identifier))?.id;
      if (identifier !== DIRECTORY && providerId === undefined) return null;
      const seqs = await localOfferSeqs(deps.db, { providerId, afterSeq: Number(cursor) || 0, limit: PAGE });
      const rows = await loadOffersBySeq(deps.db, seqs);
      const u = urls(ctx);
      const items = rows.map((row) => {
        const create = new Create({
          id: new URL(`${u.offerUri(row.id).href}#create-${Date.parse(row.updated_at)}`), actor: u.actorUri(row.p_slug), object: offerToProposal(row, u),
          published: Temporal.Instant.from(row.updated_at), tos: [new URL("https://www.w3.org/ns/activitystreams#Public")], ccs: [u.followersUri(row.p_slug)],
        });
        return identifier === DIRECTORY
          ? new Announce({ id: new URL(`${ctx.getActorUri(DIRECTORY).href}#announce-${row.seq}-${Date.parse(row.updated_at)}`), actor: ctx.getActorUri(DIRECTORY), object: create, tos: [new URL("https://www.w3.org/ns/activitystreams#Public")] })
          : create;
      });
      const last = seqs[seqs.length - 1];
      return { items, nextCursor: seqs.length === PAGE && last !== undefined ? String(last) : null };
    })
    .setFirstCursor(() => "0")
    .setCounter(async (_ctx, identifier) => {
      if (identifier === DIRECTORY) return countLocalOffers(deps.db);
      const p = await localProvider(identifier);
      return p ? countLocalOffers(deps.db, p.id) : null;
    });

  federation
    .setFollowersDispatcher("/ap/providers/{identifier}/followers", async (_ctx, identifier) => {
      const rows = await listFollowers(deps.db, identifier);
      const items: Recipient[] = rows.map((r) => ({ id: new URL(r.follower_id), inboxId: new URL(r.inbox), endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null }));
      return { items };
    })
    .setCounter(async (_ctx, identifier) => countFollowers(deps.db, identifier));

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => {
    const counts = await countLocal(deps.db);
    return {
      software: { name: "chatons-directory", version: "0.1.0", homepage: new URL("https://chatons-directory.org/") },
      protocols: ["activitypub"],
      openRegistrations: true,
      usage: { users: { total: counts.providers }, localPosts: counts.offers, localComments: 0 },
      metadata: { offers: counts.offers, providers: counts.providers },
    };
  });

  // An inbox that answers 404/410 is gone for good: forget the followers delivered through it.
  federation.setOutboxPermanentFailureHandler(async (_ctx, { inbox, reason }) => {
    if (reason !== "http") return;
    const r = await deps.db.deleteFrom("fed_followers").where((eb) => eb.or([eb("inbox", "=", inbox.href), eb("shared_inbox", "=", inbox.href)])).executeTakeFirst();
    deps.log.info("federation: inbox gone; followers removed", { inbox: inbox.href, removed: Number(r.numDeletedRows) });
  });

  const fed: DirectoryFederation = {
    federation, kv, queue, settings: s,
    context: () => federation.createContext(new URL(deps.config.publicUrl)),
    urls,
  };
  registerInbox(fed, deps);
  return fed;
}
