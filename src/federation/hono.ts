/**
 * Hono glue for Fedify (no @fedify/hono on our registry): hands the raw request to `federation.fetch`, and
 * falls through to Hono's own routes when Fedify has no route for it or cannot answer the `Accept` asked for.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { problemResponse } from "../lib/problem.ts";
import type { DirectoryFederation, FederationDeps } from "./types.ts";
import { localProvider } from "./actors.ts";
import { findOfferById } from "../db/queries/offers.ts";
import { noteUri } from "./notes.ts";
import { CHATONS_CONTEXT } from "./vocab.ts";
import { colourOf, discPng } from "../lib/png.ts";

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
    if (new URL(c.req.url).pathname.startsWith("/nodeinfo/") && res.ok) return withoutSchemaKey(res);
    return res;
  };
}

/**
 * Fedify adds a top-level `$schema` key to NodeInfo documents, which the official 2.1 schema (jhass/nodeinfo
 * schemas/2.1/schema.json: `additionalProperties: false`) refuses: it is dropped.
 */
async function withoutSchemaKey(res: Response): Promise<Response> {
  const doc = (await res.json()) as Record<string, unknown>;
  delete doc.$schema;
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(doc), { status: res.status, headers });
}

const AP_TYPES = ["application/activity+json", "application/ld+json"];

/** True when the request prefers ActivityPub JSON over HTML (what Mastodon's FetchResourceService sends). */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let best = { ap: 0, html: 0 };
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().split(";");
    const q = Number(params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean) ?? 1);
    const t = type.trim().toLowerCase();
    if (AP_TYPES.includes(t)) best = { ...best, ap: Math.max(best.ap, q) };
    if (t === "text/html" || t === "application/xhtml+xml") best = { ...best, html: Math.max(best.html, q) };
  }
  return best.ap > 0 && best.ap > best.html;
}

/**
 * Content negotiation on the HTML pages of providers and offers: an ActivityPub `Accept` gets the ActivityPub document
 * (the provider's actor; the offer's current post, a Note Mastodon can show), served by Fedify. `resolve` maps a page
 * path to that document's path, or undefined.
 */
export function activityNegotiation(fed: DirectoryFederation, resolve: (path: string) => Promise<string | undefined>): MiddlewareHandler {
  return async (c, next) => {
    if ((c.req.method !== "GET" && c.req.method !== "HEAD") || !wantsActivityJson(c.req.header("accept"))) return next();
    const target = await resolve(new URL(c.req.url).pathname);
    if (!target) return next();
    const res = await fed.federation.fetch(new Request(new URL(target, c.req.url), { headers: c.req.raw.headers }), {
      contextData: undefined, onNotFound: () => new Response(null, { status: 404 }), onNotAcceptable: () => new Response(null, { status: 406 }),
    });
    if (!res.ok) return next();
    const headers = new Headers(res.headers);
    headers.set("vary", "Accept");
    return new Response(res.body, { status: res.status, headers });
  };
}

/** Our JSON-LD context document (the same terms are embedded in every document we serve), and the actors' avatars. */
export function federationRoutes() {
  const r = new Hono();
  r.get("/ap/providers/:identifier/icon.png", (c) => {
    const png = discPng(96, colourOf(c.req.param("identifier")));
    return new Response(png.buffer as ArrayBuffer, { headers: { "content-type": "image/png", "cache-control": "public, max-age=86400" } });
  });
  r.get("/ap/context.jsonld", (c) => c.json({ "@context": CHATONS_CONTEXT }, 200, { "content-type": "application/ld+json", "cache-control": "public, max-age=86400", "access-control-allow-origin": "*" }));
  return r;
}

/** The ActivityPub document of a provider or offer page: the actor, or the offer's current post (local offers only). */
export function pageActivityPath(fed: DirectoryFederation, deps: FederationDeps): (path: string) => Promise<string | undefined> {
  return async (path) => {
    const m = /^\/(providers|offers)\/([^/]+)\/?$/.exec(path);
    if (!m) return undefined;
    const key = decodeURIComponent(m[2]);
    if (m[1] === "providers") return (await localProvider(deps, key)) ? new URL(fed.urls().actorUri(key)).pathname : undefined;
    const row = key.length <= 200 ? await findOfferById(deps.db, key) : undefined;
    return row && row.source !== "federated" ? noteUri(fed.urls(), row).pathname : undefined;
  };
}
