/** Our actors: the directory (`Service` at /ap/directory) and each local provider (`Organization`), their keys and handles. */
import { exportJwk, generateCryptoKeyPair, importJwk, type Federation } from "@fedify/fedify";
import { Endpoints, Image, Organization, PropertyValue, Service } from "@fedify/vocab";
import { providerFields } from "../domain/catalog/posts.ts";
import { getActorKeys, insertActorKeys } from "../db/queries/federation.ts";
import { findProviderBySlug } from "../db/queries/providers.ts";
import { iso } from "../lib/time.ts";
import { DIRECTORY, DIRECTORY_USERNAME, type FederationDeps, type FederationSettings } from "./types.ts";
import { providerActorDocument } from "./vocab.ts";

const KEY_ORDER = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;

/**
 * A local (not federated) provider by slug that has an actor: one that was public at some time. A provider never
 * listed (waiting for review) has none; one hidden by an operator or gone keeps its actor, which signs the `Delete`
 * of its offers (docs/decisions/0022, 0030), with no profile beyond its name.
 */
export async function localProvider(deps: FederationDeps, slug: string) {
  const p = await findProviderBySlug(deps.db, slug);
  return p && p.source !== "federated" && (p.listed === 1 || p.listed_at !== null) ? p : undefined;
}

/**
 * RSA keys for HTTP signatures: 2048 bits, as Mastodon makes its own (Fedify's default, 4096, costs 1–1.5 s of CPU per
 * actor against 0.1 s). WebCrypto generates them in libuv's thread pool, off the event loop. docs/decisions/0029.
 */
export function generateActorKeyPair(algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519"): Promise<CryptoKeyPair> {
  if (algorithm === "Ed25519") return generateCryptoKeyPair("Ed25519");
  return crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

/** Key generations under way, per database and actor: concurrent first uses share one. */
const making = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * The actor's key pairs (RSA for draft-cavage signatures, Ed25519 for proofs), made once on first use — when someone
 * fetches the actor or it has someone to deliver to, never for an actor nobody reads — and stored.
 */
async function keyPairs(deps: FederationDeps, generate: Required<FederationSettings>["generateKeyPair"], identifier: string): Promise<CryptoKeyPair[]> {
  let rows = await getActorKeys(deps.db, identifier);
  if (rows.length < 2) {
    let mine = making.get(deps.db);
    if (!mine) making.set(deps.db, (mine = new Map()));
    let pending = mine.get(identifier);
    if (!pending) {
      const own = mine;
      pending = makeKeys(deps, generate, identifier).finally(() => own.delete(identifier));
      mine.set(identifier, pending);
    }
    await pending;
    rows = await getActorKeys(deps.db, identifier);
  }
  rows.sort((a, b) => KEY_ORDER.indexOf(a.algorithm as never) - KEY_ORDER.indexOf(b.algorithm as never));
  return Promise.all(rows.map(async (r) => ({ privateKey: await importJwk(JSON.parse(r.private_jwk), "private"), publicKey: await importJwk(JSON.parse(r.public_jwk), "public") })));
}

async function makeKeys(deps: FederationDeps, generate: Required<FederationSettings>["generateKeyPair"], identifier: string): Promise<void> {
  const now = iso(deps.clock.now());
  const fresh = [];
  for (const algorithm of KEY_ORDER) {
    const pair = await generate(algorithm);
    fresh.push({ actor: identifier, algorithm, private_jwk: JSON.stringify(await exportJwk(pair.privateKey)), public_jwk: JSON.stringify(await exportJwk(pair.publicKey)), created_at: now });
  }
  await insertActorKeys(deps.db, fresh); // another process may have won: callers read back whatever is stored
}

export function registerActors(federation: Federation<void>, deps: FederationDeps, settings: Required<FederationSettings>): void {
  federation
    .setActorDispatcher("/ap/providers/{identifier}", async (ctx, identifier) => {
      const common = async () => {
        const keys = await ctx.getActorKeyPairs(identifier);
        return {
          id: ctx.getActorUri(identifier), inbox: ctx.getInboxUri(identifier), outbox: ctx.getOutboxUri(identifier),
          followers: ctx.getFollowersUri(identifier), endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
          publicKey: keys[0]?.cryptographicKey, assertionMethods: keys.map((k) => k.multikey),
          manuallyApprovesFollowers: !settings.autoAcceptFollows,
          // What Mastodon shows and uses (process_account_service.rb): avatar, pinned posts, listed in its directory.
          icon: new Image({ url: new URL(`/ap/providers/${identifier}/icon.png`, deps.config.publicUrl), mediaType: "image/png" }),
          featured: ctx.getFeaturedUri(identifier), discoverable: true,
        };
      };
      if (identifier === DIRECTORY) {
        const host = new URL(deps.config.publicUrl).host;
        return new Service({
          ...(await common()), preferredUsername: DIRECTORY_USERNAME, name: `CHATONS directory (${host})`,
          summary: "A directory of ethical hosting offers. Follow it to receive its providers' offers.", url: new URL("/", deps.config.publicUrl),
        });
      }
      const p = await localProvider(deps, identifier);
      if (!p) return null;
      const description = JSON.parse(p.description_json) as Record<string, string>;
      const listed = p.listed === 1;
      const actor = new Organization({
        ...(await common()), preferredUsername: p.slug, name: p.name,
        summary: listed ? description.fr ?? description.en ?? Object.values(description)[0] ?? null : null,
        url: new URL(`/providers/${p.slug}`, deps.config.publicUrl),
        // Profile fields as Mastodon reads them: `attachment` entries of type PropertyValue with `name` and `value`.
        attachments: listed ? providerFields(p, deps.config.publicUrl, "fr").map((f) => new PropertyValue(f)) : [],
      });
      return providerActorDocument(actor, p, ctx.contextLoader);
    })
    .mapActorAlias("/ap/directory", DIRECTORY)
    .mapHandle(async (_ctx, username) => (username === DIRECTORY_USERNAME ? DIRECTORY : (await localProvider(deps, username)) ? username : null))
    .setKeyPairsDispatcher(async (_ctx, identifier) =>
      (identifier === DIRECTORY || (await localProvider(deps, identifier)) ? keyPairs(deps, settings.generateKeyPair ?? generateActorKeyPair, identifier) : []));
}
