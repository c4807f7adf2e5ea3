/**
 * The request fuzzer shared by test/integration/fuzz.test.ts (npm test) and `npm run bench -- fuzz`: fast-check
 * requests over every route of the OpenAPI document, the HTML pages and forms, and the ActivityPub routes (actors,
 * collections, WebFinger, NodeInfo, inboxes with unsigned, badly signed, deep, huge and non-object bodies), each
 * with valid-looking and hostile path parameters, query strings, headers and bodies. Every answer is checked as it
 * comes: no 5xx, every 4xx of the API and ActivityPub routes is problem+json (HTML routes may answer a page), every
 * HTML answer carries the security headers, and no unsigned inbox delivery makes the server fetch anything.
 */
import fc from "fast-check";
import { operations } from "../../src/http/openapi.ts";
import { PROBLEM_BASE } from "../../src/lib/problem.ts";
import { AUDIENCES, ORG_TYPES, PRICE_MODELS, REGISTRATIONS, SERVICES } from "../../src/domain/vocabulary.ts";
import { FetchRefused, type SafeFetch } from "../../src/delivery/net.ts";
import type { Logger } from "../../src/lib/log.ts";
import { sampleOffer, sampleProvider, testEnv } from "./deps.ts";

export type FuzzRequest = { kind: "api" | "html" | "ap"; route: string; method: string; path: string; headers: Record<string, string>; body?: string };
export type FuzzWorld = {
  providers: Array<{ slug: string; token: string }>;
  offerIds: string[];
  signups: Array<{ id: string; token: string }>;
  adminToken: string;
  publicUrl: string;
};

/** A guarded fetch that never reaches the network: every outbound attempt is counted and refused at once. */
export function offlineHttp(): SafeFetch & { calls: string[] } {
  const calls: string[] = [];
  const http = Object.assign(async (url: string) => {
    calls.push(url);
    throw new FetchRefused("the fuzz environment has no network", "network");
  }, { check: async () => {}, calls });
  return http;
}

// ---- building blocks ----

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** Text that databases and parsers dislike: NUL, lone surrogates, RTL marks, emoji, markup, SQL/FTS syntax, path tricks. */
const nasty = pick([
  "\u0000", "a\u0000b", "\uD800", "x\uDFFF", "\uDBFF\uDBFF", "😀", "\u202E", "<script>alert(1)</script>", "\"'`;--", "' OR 1=1 --",
  "NEAR(a b)", "title:x*", "\"unterminated", "../../etc/passwd", "%00", "%zz", "%", "café", "ÉCOLE", "\r\nx-injected: 1", "{}", "[]", "null",
]);
const text = fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 24 }) }, { weight: 2, arbitrary: nasty }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 3000 }).map((n) => "x".repeat(n)) });
const slugLike = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/);

/** Nested arrays/objects `depth` levels deep, as JSON text (JSON.stringify would overflow on the deepest). */
const deepJson = fc.tuple(fc.integer({ min: 30, max: 12_000 }), fc.boolean()).map(([depth, arrays]) =>
  arrays ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);

/** Replaces, removes or poisons one field of a valid body, or adds one. */
function mutate(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(base) },
    { weight: 3, arbitrary: fc.tuple(pick(keys), fc.jsonValue({ maxDepth: 3 })).map(([k, v]) => ({ ...base, [k]: v })) },
    { weight: 2, arbitrary: fc.tuple(pick(keys), text).map(([k, v]) => ({ ...base, [k]: v })) },
    { weight: 1, arbitrary: pick(keys).map((k) => { const { [k]: _drop, ...rest } = base; return rest; }) },
    { weight: 1, arbitrary: fc.tuple(text, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ ...base, [k]: v })) },
    { weight: 1, arbitrary: fc.constant({ ...base, __proto__: { polluted: true } }) },
  );
}

/** A JSON body: usually a (mutated) valid document, otherwise anything a client could send. */
function jsonBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: valid.chain(mutate).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: pick(['"X#"', '"https://evil.example/x"', "1e999", "{", "", "nul", "[1,2", "\u0000", '{"a":"\\ud800"}', '{"\\u0000":1}']) },
    { weight: 1, arbitrary: fc.integer({ min: 257, max: 400 }).map((kb) => JSON.stringify({ blob: "y".repeat(kb * 1024) })) },
  );
}

function validBodies(world: FuzzWorld): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  return {
    ProviderInput: slugLike.map((s) => sampleProvider(`fz-${s}`.slice(0, 60))),
    OfferInput: fc.tuple(pick(SERVICES), pick(PRICE_MODELS), pick(REGISTRATIONS), pick(AUDIENCES)).map(([service, model, registration, audience]) =>
      sampleOffer({ service, price: { model }, registration, audience: [audience] })),
    SignupInput: fc.tuple(pick(world.offerIds), fc.nat(1_000_000)).map(([offerId, n]) => ({ offerId, email: `p${n}@example.org`, name: "Camille", consent: true, locale: "fr" })),
    SignupEventInput: pick(["provisioning", "active", "rejected"]).map((status) => ({ status, message: "ok" })),
    WebhookInput: fc.constant({ url: "https://hooks.example/chatons" }),
    NextcloudInput: fc.constant({ url: "https://cloud.example/", token: "Xk3pQ9vLm2Rt7Wz5" }),
    SourceInput: pick(["json", "statoolinfos"]).map((format) => ({ url: "https://source.example/offers.json", format })),
    FollowInput: pick(["https://peer.example/ap/directory", "@directory@peer.example"]).map((actor) => ({ actor })),
    BlockInput: pick(["spam.example", "peer.example", "Bad Domain"]).map((domain) => ({ domain })),
    FollowerDecision: fc.constant({ actor: "directory", follower: "https://peer.example/ap/directory" }),
    // Federated signups: unsigned in the fuzz (the signature check comes first), so these reach the 401 path mostly.
    HandoverRequest: fc.tuple(pick(world.offerIds), fc.nat(1_000_000)).map(([id, n]) => ({
      offer: `http://127.0.0.1/ap/offers/${id}`, account: { email: `p${n}@example.org`, name: "Camille", locale: "fr" }, consent: true,
      callbackUrl: "https://peer.example/api/v1/federation/signups/su_x/status",
    })),
    HandoverStatus: pick(["pending", "delivered", "active", "rejected"]).map((status) => ({ id: "su_remote", status, events: [{ status, at: "2026-11-25T12:00:00.000Z" }] })),
    ReportInput: fc.tuple(pick(["misleading", "unavailable", "not-ethical", "spam", "illegal", "other"]), text).map(([reason, message]) => ({ reason, message })),
    HideInput: fc.tuple(text, pick(["Camille", "ops"])).map(([reason, by]) => ({ reason: reason || "spam", by })),
    ModerationInput: fc.oneof(fc.constant({ by: "ops" }), text.map((reason) => ({ reason }))),
    CloseReportInput: fc.oneof(fc.constant({ by: "ops" }), text.map((note) => ({ note }))),
    MergePatch: fc.oneof(fc.record({ capacity: pick(["available", "full", 3]) }), fc.record({ title: fc.record({ fr: text }) }), fc.constant({ quota: null })),
  };
}

/** Values for a path parameter by its name: known ones (so handlers run deep), look-alikes and junk. */
function param(name: string, world: FuzzWorld): fc.Arbitrary<string> {
  if (name === "slug") {
    return fc.oneof({ weight: 8, arbitrary: pick(world.providers.map((p) => p.slug)) }, { weight: 1, arbitrary: pick(["directory", "_directory", "chatons-demo"]) },
      { weight: 1, arbitrary: slugLike }, { weight: 1, arbitrary: text });
  }
  const known: string[] = name === "offerSlug" ? ["cloud", "pad", "missing"]
    : name === "id" ? [...world.offerIds.slice(0, 20), ...world.signups.map((s) => s.id), "msg_nothing"]
    : name === "sid" ? world.signups.map((x) => x.id)
    : name === "domain" ? ["spam.example", "peer.example"] : [];
  return fc.oneof({ weight: 6, arbitrary: known.length ? pick(known) : slugLike }, { weight: 2, arbitrary: slugLike }, { weight: 2, arbitrary: text });
}

/** Query values by parameter name. */
function queryValue(name: string, world: FuzzWorld): fc.Arbitrary<string> {
  const good: Record<string, fc.Arbitrary<string>> = {
    q: pick(["nextcloud", "école", "pad gratuit", "visio belgique", "stockage", "cloud*", ""]),
    service: pick(SERVICES), price: pick(PRICE_MODELS), registration: pick(REGISTRATIONS), audience: pick(AUDIENCES), orgType: pick(ORG_TYPES),
    country: pick(["FR", "BE", "CH", "fr"]), dataLocation: pick(["FR", "DE"]), lang: pick(["fr", "en", "fr-BE"]), software: pick(["Nextcloud", "etherpad"]),
    available: pick(["true", "false", "1"]), member: pick(["true", "false"]), verified: pick(["true", "false"]),
    sort: pick(["relevance", "price", "updated", "name", "fair"]), limit: fc.integer({ min: 0, max: 150 }).map(String), locale: pick(["fr", "en"]),
    ids: fc.subarray(world.offerIds.slice(0, 12), { minLength: 0, maxLength: Math.min(6, world.offerIds.slice(0, 12).length) }).map((xs) => xs.join(",")),
    status: pick(["pending", "delivered", "dead", "rejected", "accepted"]), cursor: fc.base64String({ maxLength: 80 }),
    actor: pick(["https://peer.example/ap/directory", "directory"]), token: pick(world.signups.map((s) => s.token).concat(["st_nope"])),
    resource: pick(["acct:directory@localhost:3000", "acct:chatons-demo@localhost", "https://localhost:3000/ap/directory", "acct:", "mailto:x"]),
  };
  return fc.oneof({ weight: 5, arbitrary: Object.hasOwn(good, name) ? good[name] : text }, { weight: 2, arbitrary: text });
}

function query(names: string[], world: FuzzWorld): fc.Arbitrary<string> {
  const entries = fc.array(fc.tuple(names.length ? fc.oneof({ weight: 5, arbitrary: pick(names) }, { weight: 1, arbitrary: text }) : text, fc.constant(0)), { maxLength: 5 })
    .chain((pairs) => fc.tuple(...pairs.map(([k]) => fc.tuple(fc.constant(k), queryValue(k, world)))));
  return fc.oneof(
    { weight: 8, arbitrary: entries.map((kv) => { const q = new URLSearchParams(kv as Array<[string, string]>).toString(); return q ? `?${q}` : ""; }) },
    { weight: 1, arbitrary: pick(["?%zz=1", "?a=%00", "?&&=&", "?q=%ED%A0%80", "?limit=1&limit=2&limit=abc"]) },
  );
}

const contentTypes = pick(["application/json", "application/json", "application/json; charset=utf-8", "application/activity+json", "text/plain", "application/x-www-form-urlencoded", ""]);

function headers(world: FuzzWorld, slug: string | undefined, withBody: boolean, kind: FuzzRequest["kind"]): fc.Arbitrary<Record<string, string>> {
  const own = world.providers.find((p) => p.slug === slug)?.token;
  const auth = fc.oneof(
    { weight: 4, arbitrary: fc.constant(own ? `Bearer ${own}` : `Bearer ${world.adminToken}`) },
    { weight: 1, arbitrary: pick(world.providers.map((p) => `Bearer ${p.token}`)) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${world.adminToken}`) },
    { weight: 1, arbitrary: pick(["Bearer nope", "Basic YTpi", "Bearer", "", "Bearer \u00e9"]) },
    { weight: 2, arbitrary: fc.constant(undefined) },
  );
  const accept = kind === "html" ? pick(["text/html", "*/*", "application/json"]) : kind === "ap" ? pick(["application/activity+json", 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "text/html", "application/json", "*/*"]) : pick(["application/json", "*/*"]);
  return fc.record({
    authorization: auth, accept, "content-type": withBody ? contentTypes : fc.constant(undefined),
    "if-match": fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(["*", '"nope"', 'W/"x"', ""]) }),
    "idempotency-key": fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(["k1", "k2", "é", "x".repeat(300)]) }),
    "accept-language": pick(["fr", "en-GB,en;q=0.8", "de", "*", ";q=x"]),
    "if-none-match": fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pick(["*", '"abc"']) }),
  }, { requiredKeys: [] }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as the bytes ED A0 80. */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encode = (s: string) => s.split(LONE).map(encodeURIComponent).join("%ED%A0%80");

/** A route template filled with generated parameters. */
function fill(template: string, world: FuzzWorld): fc.Arbitrary<{ path: string; slug?: string }> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (!names.length) return fc.constant({ path: template });
  return fc.tuple(...names.map((n) => param(n, world))).map((values) => {
    let path = template;
    names.forEach((n, i) => { path = path.replace(`{${n}}`, encode(values[i])); });
    const slugAt = names.indexOf("slug");
    return { path, slug: slugAt >= 0 ? values[slugAt] : undefined };
  });
}

const HTML_ROUTES = [
  { method: "GET", path: "/", query: ["q", "service", "price", "registration", "audience", "country", "language", "available", "sort", "limit", "cursor", "compare", "lang"] },
  { method: "GET", path: "/offers/{id}", query: ["lang", "from"] },
  { method: "GET", path: "/providers/{slug}", query: ["lang"] },
  { method: "GET", path: "/compare", query: ["ids", "lang"] },
  { method: "GET", path: "/signup/{id}", query: ["lang"] },
  { method: "POST", path: "/signup/{id}", query: ["lang"], form: true },
  { method: "GET", path: "/signups/{id}", query: ["token", "lang"] },
  { method: "GET", path: "/docs", query: ["lang"] },
  { method: "GET", path: "/offers/{id}/report", query: ["lang"] },
  { method: "POST", path: "/offers/{id}/report", query: ["lang"], form: true },
  { method: "GET", path: "/admin", query: ["lang", "done", "problem"] },
  { method: "GET", path: "/admin/signin", query: ["lang"] },
  { method: "POST", path: "/admin/signin", query: ["lang"], form: true },
  { method: "GET", path: "/admin/reports", query: ["show", "cursor", "lang"] },
  { method: "POST", path: "/admin/providers/{slug}/hide", query: ["lang"], form: true },
];
const AP_ROUTES = [
  { method: "GET", path: "/ap/directory", query: [] }, { method: "GET", path: "/ap/providers/{slug}", query: [] }, { method: "GET", path: "/ap/offers/{id}", query: [] },
  { method: "GET", path: "/ap/providers/{slug}/outbox", query: ["cursor"] }, { method: "GET", path: "/ap/providers/{slug}/followers", query: ["cursor"] },
  { method: "GET", path: "/ap/context.jsonld", query: [] }, { method: "GET", path: "/.well-known/webfinger", query: ["resource"] },
  { method: "GET", path: "/.well-known/nodeinfo", query: [] }, { method: "GET", path: "/nodeinfo/2.1", query: [] },
  { method: "POST", path: "/ap/inbox", query: [], inbox: true }, { method: "POST", path: "/ap/providers/{slug}/inbox", query: [], inbox: true },
  { method: "GET", path: "/ap/inbox", query: [] },
];

/** An activity body for an inbox: plausible activities (remote contexts included), or hostile JSON. */
function activityBody(world: FuzzWorld): fc.Arbitrary<string> {
  const ctx = pick([
    "https://www.w3.org/ns/activitystreams", ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    ["https://www.w3.org/ns/activitystreams", "https://evil.example/ctx.jsonld"], ["https://evil.example/a", "https://evil.example/b"],
    { "@context": { "@context": "https://evil.example/cycle" } }, `${world.publicUrl}/ap/context.jsonld`,
  ]);
  const activity = fc.record({
    "@context": ctx, id: pick(["https://peer.example/a/1", "https://evil.example/x"]), type: pick(["Follow", "Create", "Update", "Delete", "Announce", "Undo", "Accept", "Like"]),
    actor: pick(["https://peer.example/ap/directory", `${world.publicUrl}/ap/directory`, "https://evil.example/u"]),
    object: fc.oneof(pick([`${world.publicUrl}/ap/directory`, "https://evil.example/o", "https://peer.example/ap/offers/1"]), fc.jsonValue({ maxDepth: 3 })),
  });
  return fc.oneof({ weight: 5, arbitrary: activity.chain(mutate).map((v) => JSON.stringify(v)) }, { weight: 3, arbitrary: jsonBody(activity) });
}

/** Signature headers: none, or plausible draft-cavage / RFC 9421 ones naming a key somewhere (never valid). */
const signature = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.tuple(pick(["https://peer.example/ap/directory#main-key", "http://127.0.0.1:1/k", "https://evil.example/k", "not a url"]), fc.boolean()).map(([keyId, dated]) => ({
    signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAAA"`,
    ...(dated ? { date: new Date().toUTCString() } : {}),
  })) },
  { weight: 1, arbitrary: fc.constant({ "signature-input": 'sig1=("@method");keyid="https://evil.example/k";created=1', signature: "sig1=:AAAA:" }) },
);

/** One request of any route. */
export function requestArbitrary(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const bodies = validBodies(world);
  const api = fc.constantFrom(...operations).chain((op) => {
    const method = op.method.toUpperCase();
    const bodySchema = op.body ?? (op.method === "patch" ? "MergePatch" : undefined);
    return fc.tuple(
      fill(op.path, world), query(Object.keys(op.query?.entries ?? {}).concat(op.path.includes("signups/{id}") ? ["token"] : []), world),
      fc.oneof({ weight: 12, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]) }),
      bodySchema ? jsonBody(bodies[bodySchema]) : fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: jsonBody(fc.constant({ x: 1 })) }),
    ).chain(([{ path, slug }, q, m, body]) => headers(world, slug, body !== undefined, "api").map((h): FuzzRequest => ({
      kind: "api", route: `${op.method.toUpperCase()} ${op.path}`, method: m, path: path + q, headers: h, body: m === "GET" || m === "HEAD" ? undefined : body,
    })));
  });
  const form = fc.record({ email: fc.oneof(fc.constant("camille@example.org"), text), name: fc.oneof(fc.constant("Camille"), text), consent: pick(["on", "", "yes"]), message: text, username: text })
    .map((f) => new URLSearchParams(f).toString());
  const html = fc.constantFrom(...HTML_ROUTES).chain((r) => fc.tuple(fill(r.path.replace("{id}", r.path.startsWith("/signups") ? "{sid}" : "{id}"), world), query(r.query, world),
    r.form ? fc.oneof({ weight: 6, arbitrary: form }, { weight: 1, arbitrary: fc.integer({ min: 65, max: 200 }).map((kb) => `email=${"a".repeat(kb * 1024)}`) }) : fc.constant(undefined)).chain(([{ path }, q, body]) =>
    headers(world, undefined, body !== undefined, "html").map((h): FuzzRequest => ({
      kind: "html", route: `${r.method} ${r.path}`, method: r.method, path: path + q, body,
      headers: body !== undefined ? { ...h, "content-type": "application/x-www-form-urlencoded" } : h,
    }))));
  const ap = fc.constantFrom(...AP_ROUTES).chain((r) => fc.tuple(fill(r.path, world), query(r.query, world), r.inbox ? activityBody(world) : fc.constant(undefined), signature).chain(([{ path, slug }, q, body, sig]) =>
    headers(world, slug, body !== undefined, "ap").map((h): FuzzRequest => ({
      kind: "ap", route: `${r.method} ${r.path}`, method: r.method, path: path + q, body,
      headers: body !== undefined ? { ...h, "content-type": "application/activity+json", ...sig } : h,
    }))));
  return fc.oneof({ weight: 6, arbitrary: api }, { weight: 2, arbitrary: html }, { weight: 2, arbitrary: ap });
}

/** The rules every answer must follow; returns what was broken, or undefined. */
export async function violation(req: FuzzRequest, res: Response, outboundDuring: number): Promise<string | undefined> {
  // Headers first: @hono/node-server's Response (the global one once a server started in this process) may not
  // show headers set after construction once its body was read.
  const type = res.headers.get("content-type") ?? "";
  const security = ["content-security-policy", "x-frame-options", "x-content-type-options"].filter((h) => !res.headers.get(h));
  const text = await res.text();
  if (res.status >= 500) return `${res.status} ${text.slice(0, 300)}`;
  if (/^text\/html/i.test(type) && security.length) return `HTML answer without ${security.join(", ")}`;
  if (res.status >= 400 && !(req.kind === "html" && /^text\/html/i.test(type))) {
    if (!/^application\/problem\+json/i.test(type)) return `${res.status} answered as ${type || "(no content-type)"}: ${text.slice(0, 200)}`;
    if (req.method === "HEAD") return text === "" ? undefined : "a HEAD answer with a body";
    let p: { type?: unknown; title?: unknown; status?: unknown };
    try { p = JSON.parse(text); } catch { return `${res.status} problem body is not JSON`; }
    if (typeof p.type !== "string" || !p.type.startsWith(PROBLEM_BASE) || typeof p.title !== "string" || p.status !== res.status) return `bad problem body ${text.slice(0, 200)}`;
  }
  const signed = "signature" in req.headers || "signature-input" in req.headers;
  if (req.kind === "ap" && req.method === "POST" && !signed && outboundDuring > 0) return `an unsigned inbox delivery made ${outboundDuring} outbound request(s)`;
  return undefined;
}

export const FUZZ_SEED = 20261207;
const FUZZ_ADMIN = "admin-token-for-fuzzing-0123456789";

/** The fuzzed app: the demo catalog, an admin token, no private network, no outbound request (recorded instead), and
 * every error the app logs collected in `errors`; `world` holds the ids and tokens the requests use. */
export async function fuzzEnv() {
  const env = await testEnv({ seed: true, env: { ADMIN_TOKEN: FUZZ_ADMIN, ALLOW_PRIVATE_NETWORK: "0" } });
  const errors: string[] = [];
  const log: Logger = { debug() {}, info() {}, warn() {}, error: (msg, extra) => errors.push(`${msg} ${JSON.stringify(extra ?? {})}`) };
  env.deps.log = log;
  const http = offlineHttp();
  env.deps.http = http;
  try {
    return { env, errors, http, world: await prepareWorld(env.app, FUZZ_ADMIN, env.deps.config.publicUrl) };
  } catch (e) { await env.close(); throw e; }
}

/** How many answers fell in each class: [2xx, 3xx, 4xx, 5xx]. */
export const statusClasses = (statuses: Map<number, number>): number[] =>
  [2, 3, 4, 5].map((c) => [...statuses].filter(([s]) => Math.floor(s / 100) === c).reduce((a, [, n]) => a + n, 0));

/** Sets up the world the fuzzer aims at: providers with tokens, offers (the demo catalog and theirs), signups. */
export async function prepareWorld(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }, adminToken: string, publicUrl: string): Promise<FuzzWorld> {
  const providers: FuzzWorld["providers"] = [];
  for (const slug of ["fz-alpha", "fz-beta", "fz-gamma"]) {
    const res = await app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider(slug)) });
    if (res.status !== 201) throw new Error(`register ${slug}: ${res.status}`);
    providers.push({ slug, token: (await res.json()).token });
  }
  const auth = (p: { token: string }) => ({ "content-type": "application/json", authorization: `Bearer ${p.token}` });
  for (const [i, p] of providers.entries()) {
    await app.request(`/api/v1/providers/${p.slug}/webhook`, { method: "PUT", headers: auth(p), body: JSON.stringify({ url: "https://hooks.example/chatons" }) });
    for (const offer of ["cloud", "pad"]) {
      const res = await app.request(`/api/v1/providers/${p.slug}/offers/${offer}`, { method: "PUT", headers: auth(p), body: JSON.stringify(sampleOffer({ service: offer === "pad" ? "pad" : "storage", signup: { mode: i === 2 ? "external" : "webhook", ...(i === 2 ? { url: "https://gamma.example/signup" } : {}) } })) });
      if (res.status !== 201) throw new Error(`offer ${p.slug}~${offer}: ${res.status} ${await res.text()}`);
    }
  }
  const list = await (await app.request("/api/v1/offers?limit=100")).json();
  const offerIds = [...providers.flatMap((p) => [`${p.slug}~cloud`, `${p.slug}~pad`]), ...list.items.map((o: { id: string }) => o.id)];
  const signups: FuzzWorld["signups"] = [];
  for (let i = 0; i < 3; i++) {
    const res = await app.request("/api/v1/signups", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ offerId: `${providers[i % 2].slug}~cloud`, email: `setup${i}@example.org`, name: "Setup", consent: true }) });
    if (res.status !== 202) throw new Error(`signup: ${res.status} ${await res.text()}`);
    const b = await res.json();
    signups.push({ id: b.id, token: new URL(b.statusUrl).searchParams.get("token")! });
  }
  return { providers, offerIds: [...new Set(offerIds)], signups, adminToken, publicUrl };
}

/** Sends one generated request to the app (in process). */
export function send(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }, r: FuzzRequest): Promise<Response> {
  return Promise.resolve(app.request(r.path, { method: r.method, headers: r.headers, body: r.body }));
}

/**
 * Sends `runs` generated requests (fixed `seed`) to `app`, counting answers by status; throws on the first request
 * that breaks an invariant (a 5xx, a non-problem error, an outbound call where none may happen).
 */
export async function runFuzz(app: Parameters<typeof send>[0], http: { calls: string[] }, world: FuzzWorld, opts: { seed: number; runs: number; onSent?: (n: number) => void }) {
  const statuses = new Map<number, number>();
  let sent = 0;
  await fc.assert(fc.asyncProperty(requestArbitrary(world), async (req) => {
    const before = http.calls.length;
    const res = await send(app, req);
    sent++;
    opts.onSent?.(sent);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const broken = await violation(req, res, http.calls.length - before);
    if (broken) throw new Error(`${req.method} ${req.path.slice(0, 200)} (${req.route}): ${broken}`);
  }), { seed: opts.seed, numRuns: opts.runs, includeErrorInReport: true });
  return { statuses, sent };
}
