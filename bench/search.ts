/**
 * `npm run bench -- search`: what `npm start` runs (the built server, scripts/build.mjs) against 10,000 providers and
 * 100,000 offers (deterministic) in a temp database, autocannon on 127.0.0.1 with 10 connections; then the scale of
 * today's CHATONS: 3,000 offers from 30 providers published through the API while a half-unique mix of searches runs,
 * and again once the burst is over. Every case prints its ratio to `/api/v1/ping` (to `/healthz` for the burst) and to a
 * bare Hono route served by another process in the same run, plus peak RSS, load and start-up times.
 * Env: BENCH_SECONDS (per case, default 10), BENCH_OFFERS (default 100000), BENCH_PROVIDERS (default 10000),
 * BENCH_DB (keep the generated database there and reuse it), BENCH_PART (`100k`, `burst` or both by default),
 * BENCH_WORKERS (SEARCH_WORKERS of the server, default its own default), BENCH_NODE_ARGS (e.g. `--cpu-prof`).
 */
import autocannon from "autocannon";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generateOffer, generateProviders, generateQueries, prng } from "./_search-data.ts";
import { buildSearchCatalog } from "./_catalog.ts";
import { buildServer, serverArgs as builtServerArgs, startServer as start, type Server } from "./_server.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OFFERS = Number(process.env.BENCH_OFFERS ?? 100_000);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 10_000);
const PART = process.env.BENCH_PART ?? "all";
const dir = mkdtempSync(join(tmpdir(), "chatons-bench-search-"));
/** BENCH_DB=<path> keeps the generated database there and reuses it on the next run (profiling). */
const keptDb = process.env.BENCH_DB;
const url = `file:${keptDb ?? join(dir, "bench.db")}`;

/** The 100k-offer catalog (bench/_catalog.ts, shared with `bench -- backup`). */
const load = () => buildSearchCatalog(url, { offers: OFFERS, providers: PROVIDERS });

type Row = { name: string; rps: number; p50: number; p99: number; max: number; note?: string };
type Case = { path?: string; paths?: () => string; cold?: boolean; connections?: number; seconds?: number };

function request(base: string, opts: Case) {
  const headers: Record<string, string> = opts.cold ? { "x-search-cache": "off" } : {};
  const requests = opts.paths ? [{ method: "GET" as const, setupRequest: (req: Record<string, unknown>) => ({ ...req, path: opts.paths!() }) }] : undefined;
  return autocannon({ url: base + (opts.path ?? "/"), connections: opts.connections ?? 10, duration: opts.seconds ?? SECONDS, headers, ...(requests ? { requests } : {}) });
}

async function run(base: string, name: string, opts: Case): Promise<Row> {
  const result = await request(base, opts);
  if (result.non2xx > 0 || result.errors > 0) console.warn(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  console.log(`  done: ${name}`);
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max };
}

function table(rows: Row[], ceiling: { name: string; rps: number }, bare: number) {
  console.log(`\n${"case".padEnd(34)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)} ${`vs ${ceiling.name}`.padStart(13)} ${"vs bare Hono".padStart(12)}`);
  for (const x of rows) {
    console.log(`${x.name.padEnd(34)} ${x.rps.toFixed(0).padStart(8)} ${String(x.p50).padStart(7)} ${String(x.p99).padStart(7)} ${String(x.max).padStart(7)} ${`${((100 * x.rps) / ceiling.rps).toFixed(1)}%`.padStart(13)} ${`${((100 * x.rps) / bare).toFixed(1)}%`.padStart(12)}`);
  }
}

const load1 = () => loadavg()[0].toFixed(2);
const serverArgs = builtServerArgs();
const serverEnv = { SEED: "none", LOG_LEVEL: "warn", SEARCH_CACHE_BYPASS: "1", ...(process.env.BENCH_WORKERS ? { SEARCH_WORKERS: process.env.BENCH_WORKERS } : {}) };

const servers: Server[] = [];
try {
  console.log(`machine: ${load1()} load average (1 min) at the start; ${SECONDS} s per case`);
  buildServer();
  const bare = await start(["--import", "tsx", "bench/_bare-hono.ts"], {}, "bare Hono");
  servers.push(bare);
  const bareRow = await run(bare.base, "bare Hono GET /", { path: "/" });

  if (PART === "all" || PART === "100k") {
    let loadMs = 0;
    if (!(keptDb && existsSync(keptDb))) loadMs = await load();
    console.log(loadMs ? `loaded ${PROVIDERS} providers and ${OFFERS} offers (with FTS, tags, counts) in ${(loadMs / 1000).toFixed(1)} s` : `reusing ${keptDb}`);
    const server = await start(serverArgs, { ...serverEnv, DATABASE_URL: url }, "server");
    servers.push(server);
    const base = server.base;
    // Searches are answered at once (SQL while the search workers load their index): the first one's time is the
    // time to be useful; cold searches then use the index once it is loaded.
    const w0 = performance.now();
    await (await fetch(`${base}/api/v1/offers?q=nextcloud&service=storage`, { headers: { "x-search-cache": "off" } })).text();
    console.log(`listening ${(server.startedMs / 1000).toFixed(2)} s after spawn; first search answered in ${((performance.now() - w0) / 1000).toFixed(2)} s; idle RSS ${server.rssMb().toFixed(0)} MB`);
    // Wait (bounded) for the index: a cold filtered listing is fast only once it is loaded.
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await (await fetch(`${base}/api/v1/offers?service=pad&country=FR`, { headers: { "x-search-cache": "off" } })).text();
      if (performance.now() - t < 25) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const queries = generateQueries(1000);
    const r = prng(99);
    const zipfOrder = Array.from({ length: 20_000 }, () => `/api/v1/offers?${r.zipf(queries, 1)}`);
    let zi = 0;
    const cases: Array<[string, Case]> = [
      ["static /api/v1/ping", { path: "/api/v1/ping" }],
      ["offers, no filters (cold)", { path: "/api/v1/offers", cold: true }],
      ["offers, no filters (cold, 1 conn)", { path: "/api/v1/offers", cold: true, connections: 1 }],
      ["offers, no filters (warm)", { path: "/api/v1/offers" }],
      ["q=nextcloud, broad (cold)", { path: "/api/v1/offers?q=nextcloud", cold: true }],
      ["q=nextcloud (cold, 1 conn)", { path: "/api/v1/offers?q=nextcloud", cold: true, connections: 1 }],
      ["q=association, 75% (cold)", { path: "/api/v1/offers?q=association", cold: true }],
      ["q=association (cold, 1 conn)", { path: "/api/v1/offers?q=association", cold: true, connections: 1 }],
      ["q=nextcloud, broad (warm)", { path: "/api/v1/offers?q=nextcloud" }],
      ["2 words + 2 filters (cold)", { path: "/api/v1/offers?q=stockage%20association&country=FR&price=free", cold: true }],
      ["2 words + 2 filters (cold, 1 conn)", { path: "/api/v1/offers?q=stockage%20association&country=FR&price=free", cold: true, connections: 1 }],
      ["2 words + 2 filters (warm)", { path: "/api/v1/offers?q=stockage%20association&country=FR&price=free" }],
      ["prefix q=visioc (cold)", { path: "/api/v1/offers?q=visioc", cold: true }],
      ["prefix q=visioc (cold, 1 conn)", { path: "/api/v1/offers?q=visioc", cold: true, connections: 1 }],
      ["prefix q=visioc (warm)", { path: "/api/v1/offers?q=visioc" }],
      ["Zipf mix, from empty cache", { paths: () => zipfOrder[zi++ % zipfOrder.length] }],
      // The same draw sequence again: every query has been seen once, as on a server that has run for a while.
      ["Zipf mix, steady state", { paths: () => zipfOrder[zi++ % zipfOrder.length] }],
    ];
    const rows: Row[] = [];
    for (const [name, opts] of cases) {
      if (name === "Zipf mix, steady state") {
        // Every distinct query once (the first pass left the rare ones unseen), 4 at a time.
        const distinct = [...new Set(zipfOrder)];
        const w = performance.now();
        let next = 0;
        await Promise.all(Array.from({ length: 4 }, async () => { while (next < distinct.length) await (await fetch(base + distinct[next++])).text(); }));
        console.log(`  warmed ${distinct.length} distinct queries in ${((performance.now() - w) / 1000).toFixed(1)} s`);
      }
      rows.push(await run(base, name, opts));
    }
    const peak = server.peakMb();
    const stopMs = await server.stop();
    table(rows, { name: "ping", rps: rows[0].rps }, bareRow.rps);
    console.log(`\n100k: server peak RSS ${peak.toFixed(0)} MB; load ${loadMs ? `${(loadMs / 1000).toFixed(1)} s` : "(reused database)"}; listening ${(server.startedMs / 1000).toFixed(2)} s after spawn; SIGTERM to exit ${(stopMs / 1000).toFixed(2)} s; bare Hono ${bareRow.rps.toFixed(0)} req/s; load average now ${load1()}`);
  }

  if (PART === "all" || PART === "burst") await burst(bareRow.rps);
} finally {
  for (const s of servers) if (s.child.exitCode === null) await s.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Today's CHATONS scale: 30 providers register, then publish 3,000 offers through the API (4 at a time) while a mix of
 * searches runs — half of them never seen before, half drawn Zipf-wise — and the same mix once the burst is over.
 */
async function burst(bare: number) {
  const burstDir = mkdtempSync(join(tmpdir(), "chatons-bench-burst-"));
  try {
    const server = await start(serverArgs, { ...serverEnv, DATABASE_URL: `file:${join(burstDir, "b.db")}`, REGISTRATION_RATE_LIMIT_IP: "1000/1h" }, "burst server");
    servers.push(server);
    const base = server.base;
    const providers = generateProviders(30, 3);
    const tokens: string[] = [];
    for (const p of providers) {
      const res = await fetch(`${base}/api/v1/providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, orgType: p.orgType, description: p.description }) });
      if (res.status !== 201) throw new Error(`register ${p.slug}: ${res.status} ${await res.text()}`);
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const gen = prng(11);
    const offers = Array.from({ length: 3000 }, (_, i) => ({ provider: i % 30, offer: generateOffer(gen, i) }));
    const zipfQueries = generateQueries(300, 17);
    const zr = prng(5);
    const words = ["nextcloud", "pad", "visio", "agenda", "sondage", "stockage", "mail", "mastodon", "jitsi", "fichiers", "association", "cloud", "chat", "forge",
      "peertube", "wordpress", "lyon", "paris", "ecole", "formulaire", "hedgedoc", "rocket", "collabora", "bureautique", "calendrier", "reseau", "framadate", "video",
      "site", "seafile", "messagerie", "visioconference", "partage", "sauvegardes", "libre", "logiciel", "hebergement", "donnees", "equipe", "notes"];
    let unique = 0;
    let turn = 0;
    // Half unique (two words and a limit never asked together before), half from a Zipf-drawn set of 300 queries.
    const mix = () => {
      if (turn++ % 2 === 0) return `/api/v1/offers?${zr.zipf(zipfQueries, 1)}`;
      const n = unique++;
      return `/api/v1/offers?q=${words[n % 40]}%20${words[Math.floor(n / 40) % 40]}&limit=${1 + (Math.floor(n / 1600) % 100)}`;
    };
    const healthz = await run(base, "/healthz (idle, empty catalog)", { path: "/healthz" });
    // The burst: every offer published through the API, 4 requests at a time, while the mix runs.
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    const publishing = Promise.all(Array.from({ length: 4 }, async () => {
      while (next < offers.length) {
        const { provider, offer: { slug, ...input } } = offers[next++];
        const res = await fetch(`${base}/api/v1/providers/${providers[provider].slug}/offers/${slug}`, {
          method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${tokens[provider]}` }, body: JSON.stringify(input),
        });
        if (res.status >= 300) failed++;
        await res.arrayBuffer();
      }
    })).then(() => performance.now() - t0);
    const during = request(base, { paths: mix, seconds: 600 });
    const publishMs = await publishing;
    during.stop();
    const d = await during;
    const rows: Row[] = [healthz, { name: "half-unique mix, during the burst", rps: d.requests.average, p50: d.latency.p50, p99: d.latency.p99, max: d.latency.max }];
    console.log(`  published 3,000 offers in ${(publishMs / 1000).toFixed(1)} s (${failed} failed) while the mix ran`);
    rows.push(await run(base, "half-unique mix, after the burst", { paths: mix }));
    rows.push(await run(base, "/healthz (after the burst)", { path: "/healthz" }));
    const peak = server.peakMb();
    await server.stop();
    table(rows, { name: "healthz", rps: healthz.rps }, bare);
    console.log(`\n3,000 offers: server peak RSS ${peak.toFixed(0)} MB; load average now ${load1()}`);
  } finally {
    rmSync(burstDir, { recursive: true, force: true });
  }
}
