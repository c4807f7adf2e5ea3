/**
 * Hono glue for Fedify (no @fedify/hono on our registry): hands the request to `federation.fetch`, and falls
 * through to Hono's own routes when Fedify has no route for it or cannot answer the `Accept` asked for.
 *
 * Inbox POSTs are checked here first, in this order (docs/decisions/0017-inbox-order-of-work.md): the body is read
 * while it streams, up to MAX_JSON_BODY_BYTES (413); it must be one JSON object nested at most MAX_JSON_DEPTH deep
 * (400); it must carry an HTTP signature (draft-cavage or RFC 9421) that verifies against the signer's key (401) —
 * fetching that key is the only request made for an unverified delivery, and its document may use known contexts
 * only. Only then does Fedify see it and process its JSON-LD (remote contexts through the guarded, budgeted
 * loaders). Every error Fedify answers becomes problem+json.
 */
import { verifyRequestDetailed } from "@fedify/fedify";
import { Hono, type MiddlewareHandler } from "hono";
import { MAX_JSON_BODY_BYTES } from "../lib/body-limits.ts";
import { readRequestBody } from "../lib/bytes.ts";
import { jsonTooDeep, MAX_JSON_DEPTH } from "../lib/json-limits.ts";
import type { Logger } from "../lib/log.ts";
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

/** The shared inbox and each actor's inbox. */
const INBOX_PATH = /^\/ap\/(?:inbox|providers\/[^/]+\/inbox)\/?$/;

/** The host of the key that signed a request (draft-cavage `Signature` or RFC 9421 `Signature-Input`), if any. */
export function signerHost(headers: Headers): string | undefined {
  const m = /keyId="([^"]+)"/i.exec(`${headers.get("signature") ?? ""} ${headers.get("signature-input") ?? ""}`);
  try { return m ? new URL(m[1]).hostname : undefined; } catch { return undefined; }
}

const SIGN_PLEASE = 'Sign the request with an HTTP signature (draft-cavage "Signature" or RFC 9421 "Signature-Input") of a key your actor publishes.';

/**
 * Checks an inbox POST before Fedify reads it: size, JSON shape and depth, then the HTTP signature. Returns the
 * request to hand to Fedify (its body already read, at most MAX_JSON_BODY_BYTES) or the problem to answer.
 */
export async function checkInboxPost(fed: DirectoryFederation, req: Request, log: Logger): Promise<Request | Response> {
  const tooLarge = () => problemResponse(413, "payload-too-large", `An activity must be at most ${MAX_JSON_BODY_BYTES} bytes.`);
  if (Number(req.headers.get("content-length") ?? "0") > MAX_JSON_BODY_BYTES) return tooLarge();
  const bytes = await readRequestBody(req.body, MAX_JSON_BODY_BYTES);
  if (!bytes) return tooLarge();
  let activity: unknown;
  try {
    activity = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return problemResponse(400, "validation", "The body is not valid JSON.", { errors: [{ path: "(body)", message: "is not valid JSON" }] });
  }
  if (activity === null || typeof activity !== "object" || Array.isArray(activity)) {
    return problemResponse(400, "validation", "The body must be one ActivityStreams activity (a JSON object).", { errors: [{ path: "(body)", message: "must be a JSON object" }] });
  }
  if (jsonTooDeep(activity)) {
    return problemResponse(400, "validation", `The activity is nested more than ${MAX_JSON_DEPTH} levels deep.`, { errors: [{ path: "(body)", message: `must not nest more than ${MAX_JSON_DEPTH} levels` }] });
  }
  const signed = req.headers.has("signature") || req.headers.has("signature-input");
  const unauthorized = (detail: string) => problemResponse(401, "unauthorized", detail);
  if (!signed) return unauthorized(`This inbox only takes signed deliveries. ${SIGN_PLEASE}`);
  const copy = new Request(req.url, { method: "POST", headers: req.headers, body: bytes as Uint8Array<ArrayBuffer> });
  const { documentLoader, contextLoader } = fed.loaders.keyLoaders();
  let verified;
  try {
    verified = await verifyRequestDetailed(copy, { documentLoader, contextLoader });
  } catch (e) {
    log.debug("federation: signature check failed", { error: String(e) });
    return unauthorized(`The request's signature could not be checked. ${SIGN_PLEASE}`);
  }
  if (!verified.verified) {
    log.debug("federation: unsigned or badly signed delivery refused", { reason: verified.reason.type });
    return unauthorized(`The request's signature does not verify (${verified.reason.type}). ${SIGN_PLEASE}`);
  }
  return new Request(req.url, { method: "POST", headers: req.headers, body: bytes as Uint8Array<ArrayBuffer> });
}

const SLUGS: Record<number, string> = {
  400: "validation", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 406: "not-acceptable",
  410: "gone", 413: "payload-too-large", 415: "unsupported-media-type", 429: "rate-limited",
};

/** Fedify answers its errors in text/plain: the same status as problem+json, its text as the detail. */
async function asProblem(res: Response): Promise<Response> {
  if (res.status < 400 || /^application\/problem\+json/i.test(res.headers.get("content-type") ?? "")) return res;
  const text = (await res.text().catch(() => "")).trim().slice(0, 500);
  const keep: Record<string, string> = {};
  for (const h of ["www-authenticate", "accept-signature", "allow", "retry-after"]) {
    const value = res.headers.get(h);
    if (value) keep[h] = value;
  }
  return problemResponse(res.status, SLUGS[res.status] ?? (res.status >= 500 ? "internal" : "validation"), text || undefined, undefined, keep);
}

/** Errors Fedify throws on input it cannot read (JSON-LD, vocabulary parsing, remote documents it could not load). */
function isInputError(e: unknown): boolean {
  const name = (e as { name?: unknown })?.name;
  return e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError || e instanceof URIError || (typeof name === "string" && (name.startsWith("jsonld.") || name === "FetchError" || name === "UrlError"));
}

/**
 * Deliveries signed by a blocked domain are dropped before anything else (verifying would fetch the signer's key
 * from that domain); inbox POSTs are checked (checkInboxPost); Fedify runs under the outbound policy.
 */
export function fedifyMiddleware(fed: DirectoryFederation, log: Logger): MiddlewareHandler {
  return async (c, next) => {
    let request = c.req.raw;
    const path = new URL(c.req.url).pathname;
    if (c.req.method === "POST") {
      const host = signerHost(c.req.raw.headers);
      if (host && (await fed.isBlocked(host))) return problemResponse(403, "forbidden", "This server does not federate with your domain.");
      if (INBOX_PATH.test(path)) {
        const checked = await checkInboxPost(fed, c.req.raw, log);
        if (checked instanceof Response) return checked;
        request = checked;
      }
    }
    let fallThrough = false;
    let notAcceptable = false;
    let res: Response;
    try {
      res = await fed.outbound(() => fed.federation.fetch(request, {
        contextData: undefined,
        onNotFound: () => { fallThrough = true; return new Response(null, { status: 404 }); },
        onNotAcceptable: () => { fallThrough = notAcceptable = true; return new Response(null, { status: 406 }); },
      }));
    } catch (e) {
      if (!isInputError(e)) throw e;
      log.info("federation: request refused", { method: c.req.method, path, error: String(e) });
      return problemResponse(400, "validation", c.req.method === "POST" ? "The activity could not be read." : "The request could not be read.");
    }
    const page = notAcceptable ? htmlPage(path) : undefined;
    if (page) return c.redirect(page, 303);
    if (fallThrough) return next();
    if (new URL(c.req.url).pathname.startsWith("/nodeinfo/") && res.ok) return withoutSchemaKey(res);
    return asProblem(res);
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
