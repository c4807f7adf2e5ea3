/**
 * `npm run bench -- search`: 10,000 providers and 100,000 offers (deterministic) in a temp database, the real server
 * as a child process, autocannon on 127.0.0.1 with 10 connections. Env: BENCH_SECONDS (per case, default 10),
 * BENCH_OFFERS (default 100000), BENCH_PROVIDERS (default 10000).
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateQueries, prng } from "./_search-data.ts";
import { buildSearchCatalog } from "./_catalog.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OFFERS = Number(process.env.BENCH_OFFERS ?? 100_000);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 10_000);
const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "chatons-bench-search-"));
/** BENCH_DB=<path> keeps the generated database there and reuses it on the next run (profiling). */
const keptDb = process.env.BENCH_DB;
const url = `file:${keptDb ?? join(dir, "bench.db")}`;

/** The 100k-offer catalog (bench/_catalog.ts, shared with `bench -- backup`). */
const load = () => buildSearchCatalog(url, { offers: OFFERS, providers: PROVIDERS });

async function freePort(): Promise<number> {
  return new Promise((res) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); }); });
}

type Row = { name: string; rps: number; p50: number; p99: number };

async function run(base: string, name: string, opts: { path?: string; paths?: () => string; cold?: boolean; connections?: number }): Promise<Row> {
  const headers: Record<string, string> = opts.cold ? { "x-search-cache": "off" } : {};
  const requests = opts.paths ? [{ method: "GET" as const, setupRequest: (req: Record<string, unknown>) => ({ ...req, path: opts.paths!() }) }] : undefined;
  const result = await autocannon({ url: base + (opts.path ?? "/"), connections: opts.connections ?? 10, duration: SECONDS, headers, ...(requests ? { requests } : {}) });
  if (result.non2xx > 0 || result.errors > 0) console.warn(`  ${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

let loadMs = 0;
try {
  if (!(keptDb && existsSync(keptDb))) loadMs = await load();
} catch (e) {
  rmSync(dir, { recursive: true, force: true });
  throw e;
}
console.log(loadMs ? `loaded ${PROVIDERS} providers and ${OFFERS} offers (with FTS, tags, counts) in ${(loadMs / 1000).toFixed(1)} s` : `reusing ${keptDb}`);

const port = await freePort();
const child = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
  cwd: root, env: { ...process.env, DATABASE_URL: url, SEED: "none", PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SEARCH_CACHE_BYPASS: "1" },
  stdio: ["ignore", "pipe", "inherit"],
});
try {
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error("server did not start in 60 s")), 60_000);
    child.stdout!.on("data", (d: Buffer) => { if (d.toString().includes("listening")) { clearTimeout(t); res(); } });
    child.on("exit", (code) => rej(new Error(`server exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  // The first filtered search waits for the in-memory facet index (loaded once per catalog version).
  const w0 = performance.now();
  await (await fetch(`${base}/api/v1/offers?q=warmup&service=pad`, { headers: { "x-search-cache": "off" } })).text();
  console.log(`facet index ready ${((performance.now() - w0) / 1000).toFixed(1)} s after the server started listening`);
  const queries = generateQueries(1000);
  const r = prng(99);
  const zipfOrder = Array.from({ length: 20_000 }, () => `/api/v1/offers?${r.zipf(queries, 1)}`);
  let zi = 0;
  const cases: Array<[string, Parameters<typeof run>[2]]> = [
    ["static /api/v1/ping", { path: "/api/v1/ping" }],
    ["offers, no filters (cold)", { path: "/api/v1/offers", cold: true }],
    ["offers, no filters (warm)", { path: "/api/v1/offers" }],
    ["q=nextcloud, broad (cold)", { path: "/api/v1/offers?q=nextcloud", cold: true }],
    ["q=nextcloud (cold, 1 conn)", { path: "/api/v1/offers?q=nextcloud", cold: true, connections: 1 }],
    ["q=association, 75% (cold)", { path: "/api/v1/offers?q=association", cold: true }],
    ["q=nextcloud, broad (warm)", { path: "/api/v1/offers?q=nextcloud" }],
    ["2 words + 2 filters (cold)", { path: "/api/v1/offers?q=stockage%20association&country=FR&price=free", cold: true }],
    ["2 words + 2 filters (warm)", { path: "/api/v1/offers?q=stockage%20association&country=FR&price=free" }],
    ["prefix q=visioc (cold)", { path: "/api/v1/offers?q=visioc", cold: true }],
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
    console.log(`  done: ${name}`);
  }
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  const ceiling = rows[0].rps;
  console.log(`\n${"case".padEnd(30)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"vs static".padStart(9)}`);
  for (const x of rows) {
    console.log(`${x.name.padEnd(30)} ${x.rps.toFixed(0).padStart(8)} ${String(x.p50).padStart(7)} ${String(x.p99).padStart(7)} ${((100 * x.rps) / ceiling).toFixed(1).padStart(8)}%`);
  }
  console.log(`\nserver peak RSS: ${peak.toFixed(0)} MB; load time: ${loadMs ? `${(loadMs / 1000).toFixed(1)} s` : "(reused database)"}; ${SECONDS} s per case, 10 connections`);
} finally {
  child.kill("SIGTERM");
  await new Promise((res) => { child.once("exit", res); setTimeout(res, 5000); });
  rmSync(dir, { recursive: true, force: true });
}
