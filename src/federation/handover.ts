/**
 * HTTP Signatures for signups handed over between directories (docs/federated-signups.md): requests we send are
 * signed as our directory actor (draft-cavage, like our ActivityPub deliveries); requests we receive are verified
 * against the signer's published key, and we learn which actor signed.
 */
import { signRequest, verifyRequest, type KeyCache } from "@fedify/fedify";
import type { SignedPost } from "../delivery/handover.ts";
import { DIRECTORY, type DirectoryFederation, type FederationDeps } from "./types.ts";

/** POSTs JSON signed with our directory actor's RSA key, through the guarded fetch (no redirects, 64 KB answers). */
export function createSignedPost(fed: Pick<DirectoryFederation, "context">, deps: Pick<FederationDeps, "http">): SignedPost {
  return async (url, body, opts = {}) => {
    const ctx = fed.context();
    const [pair] = await ctx.getActorKeyPairs(DIRECTORY);
    if (!pair) throw new Error("the directory actor has no key");
    const request = new Request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...opts.headers }, body });
    const signed = await signRequest(request, pair.privateKey, pair.keyId);
    const headers: Record<string, string> = {};
    signed.headers.forEach((value, name) => { headers[name] = value; });
    return deps.http(url, { method: "POST", headers, body, timeoutMs: opts.timeoutMs, maxBytes: 64 * 1024, maxRedirects: 0 });
  };
}

/**
 * Public keys of other directories, kept in memory so a busy peer's hand-overs and reports cost no key fetch each:
 * an hour for a key, a minute for a key that could not be fetched. A cached key that no longer verifies is fetched
 * again by Fedify (rotation), so the cache never makes a valid signature fail.
 */
export function memoryKeyCache(opts: { max?: number; ttlMs?: number; missTtlMs?: number; now?: () => number } = {}): KeyCache {
  const max = opts.max ?? 1000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { key: Awaited<ReturnType<KeyCache["get"]>>; until: number }>();
  return {
    async get(keyId) {
      const e = entries.get(keyId.href);
      if (!e) return undefined;
      if (e.until <= now()) { entries.delete(keyId.href); return undefined; }
      return e.key;
    },
    async set(keyId, key) {
      entries.delete(keyId.href);
      entries.set(keyId.href, { key, until: now() + (key === null ? opts.missTtlMs ?? 60_000 : opts.ttlMs ?? 3_600_000) });
      while (entries.size > max) entries.delete(entries.keys().next().value!);
    },
  };
}

/**
 * The actor whose key signed `request` (draft-cavage or RFC 9421, within an hour of its date), or undefined when it
 * is unsigned, badly signed, or signed with a key that lives on another origin than its owner.
 */
export async function verifySigner(fed: Pick<DirectoryFederation, "context">, request: Request, keyCache?: KeyCache): Promise<string | undefined> {
  const ctx = fed.context();
  const spec = request.headers.has("signature-input") ? "rfc9421" : "draft-cavage-http-signatures-12";
  if (!request.headers.has("signature")) return undefined; // unsigned: nothing is fetched
  const key = await verifyRequest(request, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, spec, keyCache }).catch(() => null);
  return key?.ownerId && key.id && key.id.origin === key.ownerId.origin ? key.ownerId.href : undefined;
}
