/**
 * `npm run bench -- crawl [sources]`: N JSON pull sources (default 1,000, two offers each) served by a local
 * HTTP server with ETags. Times a first crawl (everything new) and a second one where every source answers 304.
 * Target: the all-304 crawl of 1,000 sources in ≤ 5 s.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateToLatest } from "../src/db/migrator.ts";
import { insertProvider } from "../src/db/queries/providers.ts";
import { setSource } from "../src/db/queries/sources.ts";
import { createSafeFetch } from "../src/delivery/net.ts";
import { createPinnedFetch } from "../src/delivery/pinned-fetch.ts";
import { resolveHost } from "../src/runtime/shared.ts";
import { crawlRound, DEFAULT_CONCURRENCY } from "../src/domain/sources/crawler.ts";
import { openDatabase } from "../src/runtime/shared.ts";

const N = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.env.CRAWL_CONCURRENCY ?? DEFAULT_CONCURRENCY);

const docFor = (i: number) => JSON.stringify({
  offers: ["cloud", "pad"].map((slug) => ({
    slug, service: slug === "cloud" ? "storage" : "pad", software: { name: slug === "cloud" ? "Nextcloud" : "HedgeDoc" },
    title: { fr: `${slug} du chaton ${i}` }, description: { fr: `Service ${slug} hébergé par le chaton numéro ${i}.` },
    price: { model: "free" }, registration: "open", dataLocation: "FR", languages: ["fr"],
    signup: { mode: "external", url: `https://chaton-${i}.example/inscription` },
  })),
});
const docs = Array.from({ length: N }, (_, i) => docFor(i));
let served = 0;
let notModified = 0;
const server = createServer((req, res) => {
  const i = Number(/^\/p\/(\d+)\.json$/.exec(req.url ?? "")?.[1] ?? -1);
  if (!(i >= 0 && i < N)) { res.statusCode = 404; res.end(); return; }
  const etag = `"v1-${i}"`;
  if (req.headers["if-none-match"] === etag) { notModified++; res.statusCode = 304; res.setHeader("etag", etag); res.end(); return; }
  served++;
  res.setHeader("content-type", "application/json");
  res.setHeader("etag", etag);
  res.end(docs[i]);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const dir = mkdtempSync(join(tmpdir(), "chatons-bench-crawl-"));
const { client, db } = await openDatabase(`file:${join(dir, "bench.db")}`);
try {
  await migrateToLatest(db);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < N; i++) {
      const p = await insertProvider(trx, { slug: `chaton-${i}`, name: `Chaton ${i}`, website: `https://chaton-${i}.example/`, country: "FR", org_type: "association", created_at: now, updated_at: now, listed: 1, listed_at: now });
      await setSource(trx, p.id, `${base}/p/${i}.json`, "json", now);
    }
  });
  const silent = { debug() {}, info() {}, warn() {}, error(m: string, e?: unknown) { console.error(m, e); } };
  // The Node runtime's outbound stack (pinned fetch under the SSRF guard); CRAWL_FETCH=global uses Node's fetch instead.
  const inner = process.env.CRAWL_FETCH === "global" ? globalThis.fetch : createPinnedFetch({ allowPrivate: true, resolve: resolveHost });
  const deps = { db, http: createSafeFetch({ fetch: inner, allowPrivate: true, resolve: resolveHost }), clock: { now: () => Date.now() }, log: silent, intervalMs: 6 * 3_600_000 };

  const first = await crawlRound(deps, { force: true, concurrency });
  const offers = Number((await db.selectFrom("offers").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const second = await crawlRound(deps, { force: true, concurrency });
  const events = Number((await db.selectFrom("offer_changes").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  console.log(`crawl bench: ${N} JSON sources (2 offers each) on ${base}, fetch concurrency ${concurrency}, ${process.env.CRAWL_FETCH === "global" ? "Node fetch" : "pinned node:http fetch"}`);
  console.log(`first crawl : ${(first.ms / 1000).toFixed(2)} s  (${first.updated} updated, ${first.failed} failed; ${offers} offers, ${first.created} created)`);
  console.log(`second crawl: ${(second.ms / 1000).toFixed(2)} s  (${second.notModified} not modified, ${second.updated} updated, ${second.failed} failed) — target ≤ 5 s: ${second.ms <= 5000 ? "met" : "MISSED"}`);
  console.log(`ratio first/second: ${(first.ms / Math.max(1, second.ms)).toFixed(1)}×; server sent ${served} bodies and ${notModified} 304s; change events ${events} (all from the first crawl)`);
} finally {
  client.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
