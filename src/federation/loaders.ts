/**
 * The JSON-LD document and context loaders Fedify uses (createFederation's documentLoaderFactory,
 * contextLoaderFactory and authenticatedDocumentLoaderFactory), all over the guarded fetch: the address rules after
 * DNS and on each redirect, 512 KB and 8 s per document, nesting bounded. Known contexts — Fedify's preloaded set
 * (ActivityStreams, security, data integrity, multikey, DID, Mastodon, GoToSocial, Lemmy…) and our own
 * /ap/context.jsonld — are answered from memory, so common activities need no fetch. A loader instance (one per
 * Fedify context, i.e. per request or queue message) fetches at most MAX_REMOTE_CONTEXTS unknown contexts.
 */
import { getAuthenticatedDocumentLoader, kvCache, type KvStore } from "@fedify/fedify";
import {
  FetchError, getRemoteDocument, preloadedContexts, type AuthenticatedDocumentLoaderFactory, type DocumentLoader, type DocumentLoaderFactory, type RemoteDocument,
} from "@fedify/vocab-runtime";
import { FetchRefused, type SafeFetch } from "../delivery/net.ts";
import { jsonTooDeep } from "../lib/json-limits.ts";
import { withOutboundPolicy } from "./outbound.ts";

export const DOCUMENT_MAX_BYTES = 512 * 1024;
export const DOCUMENT_TIMEOUT_MS = 8_000;
/** Unknown remote contexts one loader may fetch (jsonld.js itself stops a chain of more than 10). */
export const MAX_REMOTE_CONTEXTS = 6;
const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", application/json;q=0.9';
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Our own context document's URL (served at /ap/context.jsonld; the same terms are embedded in what we serve). */
export const ownContextUrl = (publicUrl: string) => new URL("/ap/context.jsonld", publicUrl).href;

/** Contexts answered from memory: Fedify's preloaded set and ours (`ownContext`: the document at /ap/context.jsonld). */
export function knownContexts(publicUrl: string, ownContext: unknown): Record<string, unknown> {
  return { ...preloadedContexts, [ownContextUrl(publicUrl)]: ownContext };
}

const known = (contexts: Record<string, unknown>, url: string): RemoteDocument | undefined =>
  Object.hasOwn(contexts, url) ? { contextUrl: null, documentUrl: url, document: contexts[url] } : undefined;

/** One GET of a JSON-LD document through the guarded fetch (Fedify's own reading of the answer: Link headers, alternates). */
async function load(http: SafeFetch, url: string, signal?: AbortSignal, hop = 0): Promise<RemoteDocument> {
  let res;
  try {
    res = await http(url, { headers: { accept: ACCEPT }, maxBytes: DOCUMENT_MAX_BYTES, timeoutMs: DOCUMENT_TIMEOUT_MS, signal });
  } catch (e) {
    throw new FetchError(url, e instanceof FetchRefused ? e.message : String(e));
  }
  const response = new Response(NULL_BODY.has(res.status) ? null : (res.body as Uint8Array<ArrayBuffer>), { status: res.status, headers: res.headers });
  Object.defineProperty(response, "url", { value: res.url });
  // An HTML page may name its JSON-LD alternate: follow one such link, not a chain of them.
  const doc = await getRemoteDocument(url, response, (alternate) =>
    hop === 0 ? load(http, alternate, signal, 1) : Promise.reject(new FetchError(alternate, "an alternate of an alternate is not followed")));
  if (jsonTooDeep(doc.document)) throw new FetchError(url, "the document is nested too deeply");
  return doc;
}

export type LoaderDeps = { http: SafeFetch; kv: KvStore; publicUrl: string; userAgent: string; ownContext: unknown };

export type Loaders = {
  documentLoaderFactory: DocumentLoaderFactory;
  contextLoaderFactory: DocumentLoaderFactory;
  authenticatedDocumentLoaderFactory: AuthenticatedDocumentLoaderFactory;
  /**
   * For a request whose signature is not verified yet: loads the signing key's document (guarded, cached) and
   * answers known contexts only, so nothing the body names is ever fetched before the signature holds.
   */
  keyLoaders(): { documentLoader: DocumentLoader; contextLoader: DocumentLoader };
};

export function createLoaders(deps: LoaderDeps): Loaders {
  const contexts = knownContexts(deps.publicUrl, deps.ownContext);
  // Remote documents are cached 5 minutes in Fedify's KV store (libSQL here), as Fedify's built-in loader does.
  const cached = kvCache({ loader: (url, options) => load(deps.http, url, options?.signal), kv: deps.kv, prefix: ["_fedify", "remoteDocument"] });
  const documentLoader: DocumentLoader = (url, options) => Promise.resolve(known(contexts, url) ?? cached(url, options));
  const budgeted = (): DocumentLoader => {
    let remote = 0;
    return (url, options) => {
      const k = known(contexts, url);
      if (k) return Promise.resolve(k);
      if (++remote > MAX_REMOTE_CONTEXTS) return Promise.reject(new FetchError(url, `more than ${MAX_REMOTE_CONTEXTS} remote JSON-LD contexts`));
      return cached(url, options);
    };
  };
  const knownOnly: DocumentLoader = (url) => {
    const k = known(contexts, url);
    return k ? Promise.resolve(k) : Promise.reject(new FetchError(url, "an unknown JSON-LD context is not fetched before the request's signature is verified"));
  };
  return {
    documentLoaderFactory: () => documentLoader,
    contextLoaderFactory: () => budgeted(),
    authenticatedDocumentLoaderFactory: (identity) => {
      // Fedify signs these GETs itself (double-knocking over the global fetch): run it under the policy.
      const inner = getAuthenticatedDocumentLoader(identity, { allowPrivateAddress: true, userAgent: deps.userAgent });
      return async (url, options) => {
        const k = known(contexts, url);
        if (k) return k;
        const doc = await withOutboundPolicy(deps.http, () => inner(url, options));
        if (jsonTooDeep(doc.document)) throw new FetchError(url, "the document is nested too deeply");
        return doc;
      };
    },
    keyLoaders: () => ({ documentLoader, contextLoader: knownOnly }),
  };
}
