/**
 * HTTP Signatures for signups handed over between directories (docs/federated-signups.md): requests we send are
 * signed as our directory actor (draft-cavage, like our ActivityPub deliveries); requests we receive are verified
 * against the signer's published key, and we learn which actor signed.
 */
import { signRequest, verifyRequest } from "@fedify/fedify";
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
 * The actor whose key signed `request` (draft-cavage or RFC 9421, within an hour of its date), or undefined when it
 * is unsigned, badly signed, or signed with a key that lives on another origin than its owner.
 */
export async function verifySigner(fed: Pick<DirectoryFederation, "context">, request: Request): Promise<string | undefined> {
  const ctx = fed.context();
  for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"] as const) {
    const key = await verifyRequest(request.clone(), { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, spec }).catch(() => null);
    if (key?.ownerId && key.id && key.id.origin === key.ownerId.origin) return key.ownerId.href;
  }
  return undefined;
}
