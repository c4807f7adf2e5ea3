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
import { asWebFetch, type SafeFetch } from "../delivery/net.ts";

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

/** Runs `fn` (Fedify's work) with every global `fetch` it makes going through `http`. */
export function withOutboundPolicy<T>(http: SafeFetch, fn: () => Promise<T>): Promise<T> {
  install();
  // Answers to deliveries and lookups: Fedify reads at most 1 KiB of an error page; JSON documents are small.
  return scope.run(asWebFetch(http, { maxBytes: 512 * 1024, timeoutMs: 10_000 }), fn);
}
