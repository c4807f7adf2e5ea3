/**
 * Fedify's own HTTP requests under the one outbound policy (delivery/net.ts). Fedify 2.3.6 lets us supply its
 * document and context loaders (loaders.ts), but it delivers activities (and runs WebFinger lookups) with the global
 * `fetch`: `sendActivityInternal` → `doubleKnock` → `fetch(request, { redirect: "manual" })`, following each
 * redirect itself. So while Fedify works for us — queue messages (deliveries, inbox listeners), requests to its
 * routes, admin lookups — the global `fetch` is routed to the guarded fetch of that federation through an
 * AsyncLocalStorage scope: every hop of every request is checked after DNS (and pinned on Node), bounded in size
 * and time. Outside a scope the global `fetch` is untouched. docs/decisions/0015-one-outbound-policy.md.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { SafeFetch } from "../delivery/net.ts";

/** Bodies of answers to deliveries and lookups: Fedify reads at most 1 KiB of an error page; JSON documents are small. */
export const OUTBOUND_MAX_BYTES = 512 * 1024;
export const OUTBOUND_TIMEOUT_MS = 10_000;
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const scope = new AsyncLocalStorage<typeof fetch>();
let installed = false;

/** Replaces the global fetch, once, with one that uses the current scope's guarded fetch when there is one. */
function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  const routed = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const guarded = scope.getStore();
    // Leave the scope while the guarded fetch runs, so its own transport (which may be the original global fetch)
    // never loops back here.
    return guarded ? scope.exit(() => guarded(input, init)) : original(input, init);
  };
  globalThis.fetch = routed as typeof fetch;
}

/** The Web `fetch` signature over a SafeFetch: redirects are handed back to the caller (each hop is checked again). */
export function asWebFetch(http: SafeFetch, opts: { maxBytes?: number; timeoutMs?: number } = {}): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const headers: Record<string, string> = {};
    // The guarded transport does not decode compressed bodies: ask for none.
    req.headers.forEach((value, key) => { if (key !== "accept-encoding") headers[key] = value; });
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await req.arrayBuffer());
    const res = await http(req.url, {
      method: req.method, headers, body, redirect: "manual", maxRedirects: 0, signal: init?.signal ?? undefined,
      maxBytes: opts.maxBytes ?? OUTBOUND_MAX_BYTES, timeoutMs: opts.timeoutMs ?? OUTBOUND_TIMEOUT_MS,
    });
    const response = new Response(NULL_BODY.has(res.status) || req.method === "HEAD" ? null : (res.body as Uint8Array<ArrayBuffer>), { status: res.status, headers: res.headers });
    Object.defineProperty(response, "url", { value: res.url });
    return response;
  }) as typeof fetch;
}

/** Runs `fn` (Fedify's work) with every global `fetch` it makes going through `http`. */
export function withOutboundPolicy<T>(http: SafeFetch, fn: () => Promise<T>): Promise<T> {
  install();
  return scope.run(asWebFetch(http), fn);
}
