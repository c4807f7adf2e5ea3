/**
 * Hono glue for Fedify (no @fedify/hono on our registry): hands the raw request to `federation.fetch`, and
 * falls through to Hono's own routes when Fedify has no route for it or cannot answer the `Accept` asked for.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { problemResponse } from "../lib/problem.ts";
import type { DirectoryFederation } from "./types.ts";
import { CHATONS_CONTEXT } from "./vocab.ts";

/** The HTML page of an ActivityPub resource, for browsers that follow an actor or offer URL. */
function htmlPage(path: string): string | undefined {
  if (path === "/ap/directory") return "/";
  const m = /^\/ap\/(providers|offers)\/([^/]+)$/.exec(path);
  return m ? `/${m[1]}/${m[2]}` : undefined;
}

/** The host of the key that signed a request (draft-cavage `Signature` or RFC 9421 `Signature-Input`), if any. */
export function signerHost(headers: Headers): string | undefined {
  const m = /keyId="([^"]+)"/i.exec(`${headers.get("signature") ?? ""} ${headers.get("signature-input") ?? ""}`);
  try { return m ? new URL(m[1]).hostname : undefined; } catch { return undefined; }
}

/**
 * Deliveries signed by a blocked domain are dropped before Fedify verifies them (which would fetch the signer's key
 * from that domain).
 */
export function fedifyMiddleware(fed: DirectoryFederation): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "POST") {
      const host = signerHost(c.req.raw.headers);
      if (host && (await fed.isBlocked(host))) return problemResponse(403, "forbidden", "This server does not federate with your domain.");
    }
    let fallThrough = false;
    let notAcceptable = false;
    const res = await fed.federation.fetch(c.req.raw, {
      contextData: undefined,
      onNotFound: () => { fallThrough = true; return new Response(null, { status: 404 }); },
      onNotAcceptable: () => { fallThrough = notAcceptable = true; return new Response(null, { status: 406 }); },
    });
    const page = notAcceptable ? htmlPage(new URL(c.req.url).pathname) : undefined;
    if (page) return c.redirect(page, 303);
    if (fallThrough) return next();
    return res;
  };
}

/** Our JSON-LD context document (the same terms are embedded in every document we serve). */
export function federationRoutes() {
  const r = new Hono();
  r.get("/ap/context.jsonld", (c) => c.json({ "@context": CHATONS_CONTEXT }, 200, { "content-type": "application/ld+json", "cache-control": "public, max-age=86400", "access-control-allow-origin": "*" }));
  return r;
}
