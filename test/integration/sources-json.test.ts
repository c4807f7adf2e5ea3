import { test } from "uvu";
import * as assert from "uvu/assert";
import { createSafeFetch, type SafeFetch } from "../../src/delivery/net.ts";
import { crawlRound } from "../../src/domain/sources/crawler.ts";
import { crawlDeps, setProviderSource } from "../../src/domain/sources/manage.ts";
import { findProviderBySlug } from "../../src/db/queries/providers.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";

const entry = (slug: string, over: Record<string, unknown> = {}) => ({ slug, ...sampleOffer(over) });
const doc = (...offers: unknown[]) => JSON.stringify({ offers });

async function setSource(env: TestEnv, slug: string, token: string, url: string, format = "json") {
  return env.app.request(`/api/v1/providers/${slug}/source`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url, format }),
  });
}
const changes = (env: TestEnv) => env.deps.db.selectFrom("offer_changes").select(["offer_id", "kind"]).orderBy("id").execute();
const sourceRow = (env: TestEnv) => env.deps.db.selectFrom("provider_sources").selectAll().executeTakeFirstOrThrow();

test("JSON pull: first pull at once, 304 re-pull records nothing, changes and removals go through the write path", async () => {
  const env = await testEnv();
  const files = new Map([["/offers.json", doc(entry("cloud"), entry("pad", { service: "pad", software: { name: "HedgeDoc" }, title: { fr: "Pads" } }))]]);
  const server = await startServer(staticFiles(files, "application/json"));
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-json");
    const res = await setSource(env, slug, token, `${server.url}/offers.json`);
    assert.is(res.status, 200);
    const body = await json(res);
    assert.is(body.url, `${server.url}/offers.json`);
    assert.is(body.format, "json");
    assert.is(body.health, 100);
    assert.is(body.state, "healthy");
    assert.equal({ ...body.lastPull, at: undefined }, { status: "updated", at: undefined, created: 2, updated: 0, unchanged: 0, deleted: 0, skipped: [], issues: [] });
    assert.is(body.nextPullAt, "2026-11-25T18:00:00.000Z"); // CRAWL_INTERVAL 6h after the test clock's noon
    const search = await json(await env.app.request("/api/v1/offers?sort=name"));
    assert.equal(search.items.map((o: any) => [o.id, o.source, o.stale]), [["chaton-json~cloud", "crawled", false], ["chaton-json~pad", "crawled", false]]);
    assert.equal(await changes(env), [{ offer_id: "chaton-json~cloud", kind: "created" }, { offer_id: "chaton-json~pad", kind: "created" }]);

    // Second crawl: the server answers 304 to our If-None-Match: nothing written but the confirmation.
    env.deps.clock.advance(7 * 3_600_000);
    const s2 = await crawlRound(crawlDeps(env.deps));
    assert.equal([s2.total, s2.notModified, s2.updated, s2.failed], [1, 1, 0, 0]);
    assert.is(server.requests.length, 2);
    assert.match(String(server.requests[1].headers["if-none-match"]), /^"\d+-[a-z0-9]+"$/);
    assert.is((await changes(env)).length, 2);
    const confirmed = await env.deps.db.selectFrom("offers").select("confirmed_at").execute();
    assert.equal(confirmed.map((r) => r.confirmed_at), ["2026-11-25T19:00:00.000Z", "2026-11-25T19:00:00.000Z"]);

    // The document changes: one offer edited, one removed.
    files.set("/offers.json", doc(entry("cloud", { capacity: "full" })));
    env.deps.clock.advance(7 * 3_600_000);
    const s3 = await crawlRound(crawlDeps(env.deps));
    assert.equal([s3.updated, s3.changed, s3.deleted], [1, 1, 1]);
    assert.equal((await changes(env)).slice(2), [{ offer_id: "chaton-json~cloud", kind: "updated" }, { offer_id: "chaton-json~pad", kind: "deleted" }]);
    assert.is((await json(await env.app.request("/api/v1/offers/chaton-json~cloud"))).capacity, "full");
    assert.is((await env.app.request("/api/v1/offers/chaton-json~pad")).status, 404);

    // Nothing due yet: a round before next_crawl_at pulls nothing.
    assert.is((await crawlRound(crawlDeps(env.deps))).total, 0);
  } finally { await server.close(); await env.close(); }
});

test("JSON pull: pushed offers are never touched; an unchanged 200 re-pull records no change event", async () => {
  const env = await testEnv();
  // No ETag/Last-Modified: every pull is a full 200.
  let body = doc(entry("cloud"), entry("mail", { service: "mail", software: { name: "Roundcube" } }));
  const server = await startServer((_req, res) => { res.setHeader("content-type", "application/json"); res.end(body); });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-mixed");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer({ title: { fr: "Poussé" } }))).status, 201);
    const first = await json(await setSource(env, slug, token, `${server.url}/doc`));
    assert.equal([first.lastPull.created, first.lastPull.skipped], [1, [{ slug: "cloud", reason: 'offer "cloud" is published through the API (source local); the pull leaves it alone' }]]);
    const local = await json(await env.app.request("/api/v1/offers/chaton-mixed~cloud"));
    assert.equal([local.title, local.source], [{ fr: "Poussé" }, "local"]);
    const before = (await changes(env)).length;
    assert.is(before, 2); // the push, then the pulled mail offer

    env.deps.clock.advance(7 * 3_600_000);
    const again = await crawlRound(crawlDeps(env.deps));
    assert.equal([again.updated, again.created, again.changed, again.deleted], [1, 0, 0, 0]);
    assert.is((await changes(env)).length, before);

    // Removing the mail offer from the document deletes it; the pushed one stays even though the document no longer lists it.
    body = doc();
    env.deps.clock.advance(7 * 3_600_000);
    await crawlRound(crawlDeps(env.deps));
    const ids = (await env.deps.db.selectFrom("offers").select(["id", "source"]).execute()).map((r) => `${r.id}:${r.source}`);
    assert.equal(ids, ["chaton-mixed~cloud:local"]);
    assert.equal((await changes(env)).slice(before), [{ offer_id: "chaton-mixed~mail", kind: "deleted" }]);

    // A push onto a crawled offer takes it over: one event, then the pull skips it.
    body = doc(entry("mail", { service: "mail", software: { name: "Roundcube" } }));
    env.deps.clock.advance(7 * 3_600_000);
    await crawlRound(crawlDeps(env.deps));
    assert.is((await putOffer(env.app, slug, token, "mail", sampleOffer({ service: "mail", software: { name: "Roundcube" } }))).status, 200);
    assert.is((await json(await env.app.request("/api/v1/offers/chaton-mixed~mail"))).source, "local");
    assert.equal((await changes(env)).slice(before + 1).map((c) => c.kind), ["created", "updated"]);
  } finally { await server.close(); await env.close(); }
});

test("JSON pull: invalid entries are reported per field and keep the offer they described; duplicates reported", async () => {
  const env = await testEnv();
  let body = doc(entry("cloud"), entry("pad", { service: "pad", software: { name: "Etherpad" } }));
  const server = await startServer((_req, res) => res.end(body));
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-bad");
    await setSource(env, slug, token, `${server.url}/doc`);
    // Written as people write it (indented): each problem names its line.
    body = JSON.stringify({ offers: [entry("cloud", { capacity: "full" }), { ...entry("pad"), price: { model: "gratis" } }, entry("cloud")] }, null, 2);
    const lineOf = (needle: string, nth = 1) => { let seen = 0; return body.split("\n").findIndex((l) => l.includes(needle) && ++seen === nth) + 1; };
    env.deps.clock.advance(7 * 3_600_000);
    await crawlRound(crawlDeps(env.deps));
    const source = await json(await env.app.request(`/api/v1/providers/${slug}/source`, { headers: { authorization: `Bearer ${token}` } }));
    assert.is(source.lastPull.status, "updated");
    assert.equal(source.lastPull.issues, [
      { file: `${server.url}/doc`, line: lineOf('"gratis"'), message: 'offers[1].price.model: Invalid type: Expected ("free" | "pay-what-you-want" | "fixed" | "membership") but received "gratis"' },
      { file: `${server.url}/doc`, line: lineOf('"slug": "cloud"', 2), message: 'offers[2].slug: "cloud" is listed twice; the first entry wins' },
    ]);
    assert.equal((await env.deps.db.selectFrom("offers").select("id").orderBy("id").execute()).map((r) => r.id), ["chaton-bad~cloud", "chaton-bad~pad"]);
  } finally { await server.close(); await env.close(); }
});

test("pull failures: 404, malformed, oversized, timeout — offers kept, health drops, error reported; 10 s / 1 MB asked", async () => {
  const env = await testEnv();
  let mode = "ok";
  const server = await startServer(async (_req, res) => {
    if (mode === "404") { res.statusCode = 404; res.end("nope"); return; }
    if (mode === "malformed") { res.end("{\"offers\": [ oops"); return; }
    if (mode === "big") { res.end(JSON.stringify({ offers: [], pad: "x".repeat(1_100_000) })); return; }
    if (mode === "slow") { await new Promise((r) => setTimeout(r, 2000)); res.end(doc()); return; }
    res.end(doc(entry("cloud")));
  });
  const asked: Array<{ timeoutMs?: number; maxBytes?: number }> = [];
  const base = env.deps.http;
  // Production asks for 10 s; the test clamps it to 1 s (a 1.1 MB answer on a loaded machine can take more than 200 ms) so the timeout path runs quickly.
  env.deps.http = ((url, opts = {}) => { asked.push({ timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes }); return base(url, { ...opts, timeoutMs: Math.min(opts.timeoutMs ?? 10_000, 1000) }); }) as SafeFetch;
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-flaky");
    assert.is((await json(await setSource(env, slug, token, `${server.url}/doc`))).lastPull.created, 1);
    assert.equal(asked[0], { timeoutMs: 10_000, maxBytes: 1_000_000 });
    const expectations: Array<[string, RegExp, number]> = [
      ["404", /HTTP 404$/, 75], ["malformed", /not valid JSON/, 50], ["big", /larger than 1000000 bytes/, 25], ["slow", /timed out after 1000 ms/, 0],
    ];
    for (const [m, error, health] of expectations) {
      mode = m;
      env.deps.clock.advance(3 * 86_400_000);
      const s = await crawlRound(crawlDeps(env.deps));
      assert.is(s.failed, 1, m);
      assert.match(s.failures[0].error, error);
      const row = await sourceRow(env);
      assert.is(row.health, health, m);
      assert.is(row.last_status, "failed");
    }
    assert.is((await sourceRow(env)).state, "dormant");
    // The offer is still there (stale now: the source went dormant), and no change event was recorded for failures.
    const offer = await json(await env.app.request("/api/v1/offers/chaton-flaky~cloud"));
    assert.is(offer.stale, true);
    assert.is((await changes(env)).length, 1);
  } finally { await server.close(); await env.close(); }
});

test("redirect to a private address is refused (guarded fetch without private networks, fake resolver)", async () => {
  const env = await testEnv();
  const server = await startServer((req, res) => {
    if (req.url === "/doc") { res.statusCode = 302; res.setHeader("location", "http://intranet.test/doc"); res.end(); return; }
    if (req.url === "/loop") { res.statusCode = 301; res.setHeader("location", `${server.url}/secret`); res.end(); return; }
    res.end(doc(entry("cloud")));
  });
  const resolve = async (host: string) => (host === "public.test" ? ["93.184.216.34"] : host === "intranet.test" ? ["10.0.0.7"] : []);
  // Names are "resolved" by the fake resolver, then the connection goes to the local server.
  const toLocal: typeof fetch = (input, init) => {
    const u = new URL(String(input));
    return globalThis.fetch(`${server.url}${u.pathname}`, init);
  };
  env.deps.http = createSafeFetch({ fetch: toLocal, allowPrivate: false, resolve });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-ssrf");
    const a = await json(await setSource(env, slug, token, "http://public.test/doc"));
    assert.is(a.lastPull.status, "failed");
    assert.is(a.lastPull.error, "http://public.test/doc: refusing to fetch intranet.test: it resolves to a private or loopback address");
    const b = await json(await setSource(env, slug, token, "http://public.test/loop"));
    assert.match(b.lastPull.error, /refusing to fetch 127\.0\.0\.1:\d+: private or loopback address|it resolves to a private or loopback address/);
    assert.equal(server.requests.map((r) => r.path), ["/doc", "/loop"]);
    assert.is(await env.deps.db.selectFrom("offers").select("id").executeTakeFirst(), undefined);
  } finally { await server.close(); await env.close(); }
});

test("PUT source validates its body; DELETE removes the source and its crawled offers only", async () => {
  const env = await testEnv();
  const server = await startServer((_req, res) => res.end(doc(entry("cloud"), entry("pad", { service: "pad" }))));
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-del");
    const bad = await env.app.request(`/api/v1/providers/${slug}/source`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url: "ftp://x", format: "xml" }),
    });
    assert.is(bad.status, 400);
    assert.equal((await json(bad)).errors, [{ path: "url", message: "must be an http(s) URL" }, { path: "format", message: "must be json or statoolinfos" }]);
    await putOffer(env.app, slug, token, "own", sampleOffer());
    await setSource(env, slug, token, `${server.url}/doc`);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 3);
    const del = await env.app.request(`/api/v1/providers/${slug}/source`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    assert.is(del.status, 204);
    assert.equal((await env.deps.db.selectFrom("offers").select("id").execute()).map((r) => r.id), ["chaton-del~own"]);
    assert.equal((await changes(env)).map((c) => c.kind), ["created", "created", "created", "deleted", "deleted"]);
    assert.is((await env.app.request(`/api/v1/providers/${slug}/source`, { headers: { authorization: `Bearer ${token}` } })).status, 404);
    assert.is((await env.app.request(`/api/v1/providers/${slug}/source`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } })).status, 404);
  } finally { await server.close(); await env.close(); }
});

test("a first pull slower than the wait answers pending; it finishes in the background", async () => {
  const env = await testEnv();
  const server = await startServer(async (_req, res) => { await new Promise((r) => setTimeout(r, 300)); res.end(doc(entry("cloud"))); });
  try {
    await registerProvider(env.app, "chaton-slow");
    const provider = (await findProviderBySlug(env.deps.db, "chaton-slow"))!;
    let background: Promise<unknown> | undefined;
    const set = await setProviderSource(env.deps, provider, { url: `${server.url}/doc`, format: "json" }, { waitMs: 50, background: (p) => { background = p; } });
    assert.ok(set.ok);
    const r = set.value;
    assert.equal([r.pending, r.source.lastPull?.status, r.source.lastPullAt], [true, "pending", null]);
    assert.ok(background);
    await background;
    const row = await sourceRow(env);
    assert.equal([row.last_status, row.last_crawl_at], ["updated", "2026-11-25T12:00:00.000Z"]);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 1);
  } finally { await server.close(); await env.close(); }
});

test.run();
