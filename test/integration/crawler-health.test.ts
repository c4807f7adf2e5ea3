import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SafeFetch } from "../../src/delivery/net.ts";
import { crawlRound } from "../../src/domain/sources/crawler.ts";
import { crawlDeps } from "../../src/domain/sources/manage.ts";
import { json, registerProvider, sampleOffer, testEnv, T0, type TestEnv } from "../helpers/deps.ts";
import { startServer } from "../helpers/server.ts";

const H = 3_600_000;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const doc = JSON.stringify({ offers: [{ slug: "cloud", ...sampleOffer() }] });

async function addSource(env: TestEnv, slug: string, url: string) {
  const { token } = await registerProvider(env.app, slug);
  const res = await env.app.request(`/api/v1/providers/${slug}/source`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url, format: "json" }),
  });
  return json(res);
}
const source = (env: TestEnv) => env.deps.db.selectFrom("provider_sources").select(["health", "state", "failures", "next_crawl_at"]).executeTakeFirstOrThrow();

test("health and staleness: backoff 6h/12h/24h, dormant after 4 failures (weekly, offers stale), hidden 30 days after the last confirmation, back on recovery", async () => {
  const env = await testEnv();
  let up = true;
  const server = await startServer((_req, res) => { if (up) res.end(doc); else { res.statusCode = 500; res.end(); } });
  try {
    const first = await addSource(env, "chaton-h", `${server.url}/doc`);
    assert.equal([first.lastPull.created, first.health, first.state], [1, 100, "healthy"]);
    const crawl = () => crawlRound(crawlDeps(env.deps));
    const offer = async () => { const r = await env.app.request("/api/v1/offers/chaton-h~cloud"); return r.status === 200 ? json(r) : r.status; };

    up = false;
    const expected: Array<[number, string, number, number]> = [
      // [hours after T0 of the attempt, state, health, hours until the next attempt]
      [6, "healthy", 75, 6], [12, "unhealthy", 50, 12], [24, "unhealthy", 25, 24], [48, "dormant", 0, 7 * 24],
    ];
    for (const [at, state, health, next] of expected) {
      env.deps.clock.set(T0 + at * H - 1);
      assert.is((await crawl()).total, 0, `not due just before ${at}h`);
      env.deps.clock.set(T0 + at * H);
      assert.is((await crawl()).failed, 1);
      assert.equal(await source(env), { health, state, failures: expected.indexOf(expected.find((e) => e[0] === at)!) + 1, next_crawl_at: iso(T0 + (at + next) * H) });
      assert.is((await offer()).stale, state === "dormant", `stale at ${at}h`);
    }

    // Dormant: weekly attempts only; after 30 days without confirmation the offer is hidden (deleted, one event).
    env.deps.clock.set(T0 + 30 * D - 1);
    let s = await crawl(); // the weekly attempt due since day 9 fails again
    assert.equal([s.total, s.failed, s.hidden], [1, 1, 0]);
    assert.is((await offer()).stale, true);
    env.deps.clock.set(T0 + 30 * D + 1);
    s = await crawl();
    assert.equal([s.total, s.hidden], [0, 1]);
    assert.is(await offer(), 404);
    assert.is((await json(await env.app.request("/api/v1/offers"))).total, 0);
    const events = await env.deps.db.selectFrom("offer_changes").select(["offer_id", "kind", "at"]).orderBy("id").execute();
    assert.equal(events, [{ offer_id: "chaton-h~cloud", kind: "created", at: iso(T0) }, { offer_id: "chaton-h~cloud", kind: "deleted", at: iso(T0 + 30 * D + 1) }]);

    // The source answers again at its next weekly attempt: the offer is back, fresh; the source resumes its interval.
    up = true;
    const row = await env.deps.db.selectFrom("provider_sources").select("next_crawl_at").executeTakeFirstOrThrow();
    env.deps.clock.set(Date.parse(row.next_crawl_at));
    s = await crawl();
    assert.equal([s.updated, s.created], [1, 1]);
    const back = await offer();
    assert.equal([back.stale, back.source], [false, "crawled"]);
    assert.equal(await source(env), { health: 10, state: "unhealthy", failures: 0, next_crawl_at: iso(Date.parse(row.next_crawl_at) + 6 * H) });
  } finally { await server.close(); await env.close(); }
});

test("one broken source never stops the others; other sources of a failing host wait (no penalty)", async () => {
  const env = await testEnv();
  const good = await startServer((_req, res) => res.end(doc));
  const bad = await startServer((_req, res) => { res.statusCode = 503; res.end(); });
  try {
    await addSource(env, "bad-one", `${bad.url}/a`);
    await addSource(env, "good-one", `${good.url}/doc`);
    await addSource(env, "bad-two", `${bad.url}/b`);
    const base = env.deps.http;
    env.deps.http = ((url, opts) => (url.includes("/explode") ? Promise.reject(new TypeError("boom")) : base(url, opts))) as SafeFetch;
    await addSource(env, "exploding", `${good.url}/explode`);
    env.deps.clock.advance(6 * H);
    const progress: string[] = [];
    const s = await crawlRound(crawlDeps(env.deps), { concurrency: 1, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.slug} failed=${p.failed}`) });
    assert.equal([s.total, s.updated, s.failed, s.deferred], [4, 1, 2, 1]);
    assert.equal(progress, ["1/4 bad-one failed=1", "2/4 good-one failed=1", "3/4 bad-two failed=1", "4/4 exploding failed=2"]);
    assert.equal(s.failures.map((f) => f.provider), ["bad-one", "exploding"]);
    assert.match(s.failures[1].error, /boom/);
    const rows = await env.deps.db.selectFrom("provider_sources as s").innerJoin("providers as p", "p.id", "s.provider_id")
      .select(["p.slug", "s.health", "s.next_crawl_at"]).orderBy("s.id").execute();
    assert.equal(rows, [
      { slug: "bad-one", health: 50, next_crawl_at: iso(T0 + 18 * H) },
      { slug: "good-one", health: 100, next_crawl_at: iso(T0 + 12 * H) },
      { slug: "bad-two", health: 75, next_crawl_at: iso(T0 + 7 * H) },
      { slug: "exploding", health: 50, next_crawl_at: iso(T0 + 18 * H) },
    ]);
  } finally { await good.close(); await bad.close(); await env.close(); }
});

test.run();
