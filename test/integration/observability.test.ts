/**
 * What an operator watches (docs/decisions/0033): /metrics in the Prometheus text exposition format, read back with
 * an independent parser (parse-prometheus-text-format, a port of the Prometheus Python client's parser) and checked
 * line by line against the format's reference (https://prometheus.io/docs/instrumenting/exposition_formats/
 * #text-format-details); request ids and the JSON request log; /healthz and its background loops.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LoopMonitor } from "../../src/lib/loops.ts";
import type { Logger } from "../../src/lib/log.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";
import { freePort, startServer } from "../helpers/process.ts";
import { person, postSignup, providerWithOffer } from "../helpers/signups.ts";

const METRICS = "metrics-token-0123456789abcdef";

type Parsed = Array<{ name: string; help: string; type: string; metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }> }>;

/**
 * The reference grammar of the text format: `# HELP name text`, `# TYPE name type` (once per name, before its samples),
 * samples `name{label="value",…} value` with names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*`,
 * label values escaping `\`, `"` and newline, values Go floats or NaN/+Inf/-Inf; histograms as `_bucket` lines with
 * an increasing `le` ending at "+Inf", then `_sum` and `_count` (= the "+Inf" bucket).
 */
function checkFormat(text: string): string[] {
  const problems: string[] = [];
  const typed = new Map<string, string>();
  const seenSamples = new Set<string>();
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
  const sample = new RegExp(`^(${NAME})(\\{(?:${LABEL})(?:,${LABEL})*,?\\})? ([-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?$`);
  if (!text.endsWith("\n")) problems.push("the last line must end with a line feed");
  const buckets = new Map<string, number[]>();
  for (const line of text.split("\n").slice(0, -1)) {
    if (line === "") continue;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^# HELP (${NAME}) .*$`).exec(line))) continue;
    if ((m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line))) {
      if (typed.has(m[1])) problems.push(`second TYPE line for ${m[1]}`);
      if (seenSamples.has(m[1])) problems.push(`TYPE of ${m[1]} after its samples`);
      typed.set(m[1], m[2]);
      continue;
    }
    if (line.startsWith("#")) continue; // other comments are allowed
    if (!(m = sample.exec(line))) { problems.push(`not a sample line: ${line}`); continue; }
    const name = m[1];
    const base = name.replace(/_(bucket|sum|count)$/, "");
    const family = typed.has(name) ? name : base;
    seenSamples.add(family);
    if (!typed.has(family)) problems.push(`sample before any TYPE: ${line}`);
    if (typed.get(family) === "histogram" && name.endsWith("_bucket")) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const series = line.replace(/,?le="[^"]+"/, "").replace(/ [^ ]+$/, "");
      const bound = le === "+Inf" ? Infinity : Number(le);
      const list = buckets.get(series) ?? [];
      if (list.length && bound <= list[list.length - 1]) problems.push(`le not increasing in ${series}`);
      list.push(bound);
      buckets.set(series, list);
    }
  }
  for (const [series, list] of buckets) if (list[list.length - 1] !== Infinity) problems.push(`${series} has no le="+Inf" bucket`);
  return problems;
}

const scrape = async (app: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }) => {
  const r = await app.request("/metrics", { headers: { authorization: `Bearer ${METRICS}` } });
  assert.is(r.status, 200);
  assert.is(r.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await r.text();
  assert.equal(checkFormat(text), [], "the exposition follows the reference format");
  return parsePrometheusTextFormat(text) as Parsed;
};
const family = (p: Parsed, name: string) => p.find((f) => f.name === name);
const value = (p: Parsed, name: string, labels: Record<string, string> = {}) => {
  const f = family(p, name);
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m ? Number(m.value ?? m.count) : 0;
};

test("/metrics parses with a Prometheus text parser, follows the reference format, and its counters move as requests are made", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const env = await testEnv({ env: { METRICS_TOKEN: METRICS, WEBHOOK_RETRY_SCHEDULE: "1s" } });
  const log: Logger = { debug() {}, info: (msg, extra) => lines.push({ msg, ...extra }), warn() {}, error() {} };
  env.deps.log = log;
  try {
    assert.is((await env.app.request("/metrics")).status, 401);
    assert.is((await env.app.request("/metrics", { headers: { authorization: "Bearer wrong-token-0000000000" } })).status, 401);
    const { slug, token } = await registerProvider(env.app, "chaton-m");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());

    const before = await scrape(env.app);
    assert.equal(family(before, "chatons_http_requests_total")?.type, "COUNTER");
    assert.equal(family(before, "chatons_http_request_duration_seconds")?.type, "HISTOGRAM");
    const searches = () => value(before, "chatons_http_requests_total", { method: "GET", route: "/api/v1/offers", status: "200" });
    assert.is(searches(), 0);
    assert.is(value(before, "chatons_http_requests_total", { method: "PUT", route: "/api/v1/providers/:slug/offers/:offerSlug", status: "201" }), 1);

    for (const q of ["ecole", "nextcloud", "ecole"]) assert.is((await env.app.request(`/api/v1/offers?q=${q}`)).status, 200);
    assert.is((await env.app.request("/nothing/here")).status, 404);
    const p = await providerWithOffer(env, "chaton-sign", { webhookUrl: "http://127.0.0.1:9/hook" });
    await postSignup(env, { offerId: p.offerId, ...person({ email: "m@example.org" }) });
    env.deps.clock.advance(90_000);

    const afterText = await (await env.app.request("/metrics", { headers: { authorization: `Bearer ${METRICS}` } })).text();
    const after = await scrape(env.app);
    assert.is(value(after, "chatons_http_requests_total", { method: "GET", route: "/api/v1/offers", status: "200" }), 3);
    assert.is(value(after, "chatons_http_requests_total", { route: "(unmatched)", status: "404" }), 1);
    assert.is(value(after, "chatons_http_requests_total", { route: "/metrics", status: "200" }), 2, "earlier scrapes are counted in later ones");
    // parse-prometheus-text-format merges every series of a histogram family into one (its flattenMetrics drops the
    // labels), so the per-route histogram is read from the lines the reference check above already validated.
    const series = (suffix: string) => [...afterText.matchAll(new RegExp(`^chatons_http_request_duration_seconds_${suffix}\\{route="/api/v1/offers"(?:,le="([^"]+)")?\\} (\\S+)$`, "gm"))];
    const buckets = series("bucket").map((m) => [m[1], Number(m[2])] as const);
    assert.is(buckets[buckets.length - 1][0], "+Inf");
    assert.is(buckets[buckets.length - 1][1], 3);
    assert.ok(buckets.every(([, n], i) => i === 0 || n >= buckets[i - 1][1]), "cumulative buckets");
    assert.is(Number(series("count")[0][2]), 3);
    assert.ok(Number(series("sum")[0][2]) > 0);
    // Database families: the queued signup, its outbox event and its age.
    assert.is(value(after, "chatons_signups", { status: "pending" }), 1);
    assert.is(value(after, "chatons_outbox_depth", { type: "signup.requested" }), 1);
    assert.is(value(after, "chatons_outbox_oldest_age_seconds", { type: "signup.requested" }), 90);
    assert.is(value(after, "chatons_offers", { listed: "true" }), 2);
    assert.is(value(after, "chatons_providers", { state: "listed" }), 2);
    for (const name of ["chatons_federation_queue_depth", "chatons_federation_unpublished_changes", "chatons_reports_open", "chatons_sources", "chatons_delivery_attempts_total"]) {
      assert.ok(family(after, name), name);
    }

    // Request ids: a sane one is echoed, anything else replaced; each answer is one JSON log line with its id.
    const mine = await env.app.request("/api/v1/ping", { headers: { "x-request-id": "trace-42" } });
    assert.is(mine.headers.get("x-request-id"), "trace-42");
    const odd = await env.app.request("/api/v1/ping", { headers: { "x-request-id": "no spaces <please>" } });
    assert.match(odd.headers.get("x-request-id") ?? "", /^req_[0-9a-f]{16}$/);
    const logged = lines.filter((l) => l.msg === "request" && l.route === "/api/v1/ping");
    assert.equal(logged.map((l) => [l.requestId, l.method, l.status]), [["trace-42", "GET", 200], [odd.headers.get("x-request-id"), "GET", 200]]);
    assert.ok(typeof logged[0].ms === "number");
  } finally { await env.close(); }
});

test("/healthz reports each background loop and answers 503 while one is stuck", async () => {
  const env = await testEnv();
  try {
    const loops = new LoopMonitor(() => env.deps.clock.now());
    env.deps.loops = loops;
    const publisher = loops.register("federation-publisher", 60_000);
    publisher.started();
    publisher.finished();
    const freshness = loops.register("freshness", 30 * 60_000);
    freshness.started();
    freshness.finished(new Error("HTTP 503 from chaton.example"));
    const ok = await env.app.request("/healthz");
    assert.is(ok.status, 200);
    const body = await json(ok);
    assert.equal(body.loops.freshness, { lastStartedAt: "2026-11-25T12:00:00.000Z", lastFinishedAt: "2026-11-25T12:00:00.000Z", lastError: "HTTP 503 from chaton.example", lastErrorAt: "2026-11-25T12:00:00.000Z", running: false, stuck: false });
    // A round that never ends…
    freshness.started();
    env.deps.clock.advance(45_000);
    publisher.started();
    publisher.finished();
    env.deps.clock.advance(31 * 60_000);
    const stuck = await env.app.request("/healthz");
    assert.is(stuck.status, 503);
    const s = await json(stuck);
    assert.equal([s.status, s.loops.freshness.running, s.loops.freshness.stuck, s.loops["federation-publisher"].stuck], ["degraded", true, true, true]);
    // …and a loop that stopped ticking both count; they recover as soon as they run again.
    freshness.finished();
    publisher.started();
    publisher.finished();
    assert.is((await env.app.request("/healthz")).status, 200);
  } finally { await env.close(); }
});

test("the real server: /metrics on METRICS_LISTEN without a token, 403 on the public address without METRICS_TOKEN; /healthz lists its three loops", async () => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "chatons-metrics-"));
  const server = await startServer({ SEED: "none", DATABASE_URL: `file:${join(dir, "d.db")}`, METRICS_LISTEN: `127.0.0.1:${port}` });
  try {
    assert.is((await fetch(`${server.url}/metrics`)).status, 403);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.equal(checkFormat(text), []);
    const parsed = parsePrometheusTextFormat(text) as Parsed;
    assert.ok(value(parsed, "process_resident_memory_bytes") > 10_000_000);
    assert.is((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
    const h = await (await fetch(`${server.url}/healthz`)).json() as { status: string; loops: Record<string, unknown> };
    assert.equal([h.status, Object.keys(h.loops).sort()], ["ok", ["federation-publisher", "freshness", "signup-deliveries"]]);
  } finally { await server.stop(); rmSync(dir, { recursive: true, force: true }); }
});

test.run();
