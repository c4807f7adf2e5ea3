/**
 * `npm run bench -- signup`: the real server (HTTP, libSQL file, in-process delivery worker) and a local webhook
 * receiver. 2,000 signups at a bounded rate over ~10 s; the receiver is stopped from 4 s to 7 s, then restarted on
 * the same port. Reports accepted/s, p99 accept latency, p99 accept→delivered latency for signups accepted while the
 * receiver was up, and checks that every signup was acknowledged exactly once by webhook-id (none lost).
 */
import { serve } from "@hono/node-server";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { applyListingPolicy } from "../src/domain/catalog/offers.ts";
import { migrateToLatest } from "../src/db/migrator.ts";
import { createSafeFetch } from "../src/delivery/net.ts";
import { catalogSearch, type Deps } from "../src/deps.ts";
import { consoleLogger, systemClock } from "../src/lib/log.ts";
import { startSignupWorker } from "../src/domain/signups/jobs.ts";
import { openDatabase } from "../src/runtime/shared.ts";

const TOTAL = Number(process.env.BENCH_SIGNUPS ?? 2000);
const DURATION_MS = 10_000;
const DOWN_FROM_MS = 4_000;
const DOWN_UNTIL_MS = 7_000;
const CONCURRENCY = 32;
const DRAIN_LIMIT_MS = 60_000;

const dir = mkdtempSync(join(tmpdir(), "chatons-bench-signup-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true })); // also when a step throws
const config = parseConfig({
  DATABASE_URL: `file:${join(dir, "bench.db")}`, SEED: "none", ALLOW_PRIVATE_NETWORK: "1", LOG_LEVEL: "warn", LISTING_POLICY: "open",
  WEBHOOK_RETRY_SCHEDULE: "250ms,500ms,1s,1s…", SIGNUP_RATE_LIMIT_IP: "1000000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000000/1h",
});
const { client, db } = await openDatabase(config.databaseUrl);
await migrateToLatest(db);
await applyListingPolicy(db, config.listingPolicy, Date.now());
const http = createSafeFetch({ fetch: globalThis.fetch, allowPrivate: true });
const deps: Deps = { db, config, clock: systemClock, http, log: consoleLogger("warn"), search: catalogSearch(db, config) };
const worker = startSignupWorker(deps, { idleMs: 250 });
deps.wakeSignupWorker = worker.wake;
const api = serve({ fetch: createApp(deps).fetch, hostname: "127.0.0.1", port: 0 });
await new Promise((r) => api.once("listening", r));
const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
config.publicUrl = base;

// ---- receiver: acknowledges with 204 and records the first acknowledged time of each webhook-id ----
const acked = new Map<string, { signupId: string; at: number }>();
let ackCount = 0;
let receivedCount = 0;
let receiver: Server | undefined;
let receiverPort = 0;
async function startReceiver() {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      receivedCount++;
      const id = String(req.headers["webhook-id"]);
      const signupId = JSON.parse(Buffer.concat(chunks).toString()).data.signupId as string;
      res.on("finish", () => {
        ackCount++;
        if (!acked.has(id)) acked.set(id, { signupId, at: performance.now() });
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(receiverPort, "127.0.0.1", r));
  receiverPort = (server.address() as AddressInfo).port;
  receiver = server;
}
async function stopReceiver() {
  const s = receiver!;
  receiver = undefined;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
}
await startReceiver();

// ---- a provider with one offer and its webhook, through the public API ----
const post = (path: string, body: unknown, headers: Record<string, string> = {}, method = "POST") =>
  fetch(`${base}${path}`, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
async function must(res: Promise<Response>, what: string): Promise<any> {
  const r = await res;
  if (!r.ok) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r.json();
}
const reg = await must(post("/api/v1/providers", { slug: "bench", name: "Bench", website: "https://bench.example", email: "b@bench.example", country: "FR", orgType: "association", description: { fr: "Banc d'essai" } }), "register") as { token: string };
const auth = { authorization: `Bearer ${reg.token}` };
await must(post("/api/v1/providers/bench/offers/cloud", {
  service: "storage", software: { name: "Nextcloud" }, title: { fr: "Bench" }, description: { fr: "Bench" }, price: { model: "free" },
  registration: "open", capacity: "available", dataLocation: "FR", signup: { mode: "webhook" },
}, auth, "PUT"), "offer");
await must(post("/api/v1/providers/bench/webhook", { url: `http://127.0.0.1:${receiverPort}/hook` }, auth, "PUT"), "webhook");

// ---- load: open-loop schedule (one request every DURATION/TOTAL ms), at most CONCURRENCY in flight ----
const acceptedAt = new Map<string, number>();
const acceptLatency: number[] = [];
let failures = 0;
const t0 = performance.now();
const outage = (async () => {
  await new Promise((r) => setTimeout(r, DOWN_FROM_MS));
  await stopReceiver();
  await new Promise((r) => setTimeout(r, DOWN_UNTIL_MS - DOWN_FROM_MS));
  await startReceiver();
})();
let next = 0;
async function lane() {
  for (;;) {
    const i = next++;
    if (i >= TOTAL) return;
    const due = t0 + (i * DURATION_MS) / TOTAL;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const start = performance.now();
    const res = await post("/api/v1/signups", { offerId: "bench~cloud", email: `p${i}@example.org`, name: `Person ${i}`, locale: "fr", consent: true });
    const end = performance.now();
    if (res.status !== 202) { failures++; const text = await res.text(); if (failures <= 3) console.error(`refused: ${res.status} ${text}`); continue; }
    const body = await res.json() as { id: string };
    acceptedAt.set(body.id, end);
    acceptLatency.push(end - start);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, lane));
const loadMs = performance.now() - t0;
await outage;

// ---- drain: wait until every accepted signup was acknowledged (bounded) ----
const drainStart = performance.now();
while (acked.size < acceptedAt.size && performance.now() - drainStart < DRAIN_LIMIT_MS) await new Promise((r) => setTimeout(r, 100));
const totalMs = performance.now() - t0;

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const bySignup = new Map<string, number>();
const firstAck = new Map<string, number>();
for (const { signupId, at } of acked.values()) {
  bySignup.set(signupId, (bySignup.get(signupId) ?? 0) + 1);
  firstAck.set(signupId, Math.min(at, firstAck.get(signupId) ?? Infinity));
}
const upLatency: number[] = [];
const outageLatency: number[] = [];
for (const [id, accepted] of acceptedAt) {
  const deliveredAt = firstAck.get(id);
  if (deliveredAt === undefined) continue;
  const rel = accepted - t0;
  // "While the receiver is up": accepted before the outage (with a margin for retries in flight) or after it.
  (rel < DOWN_FROM_MS - 500 || rel > DOWN_UNTIL_MS ? upLatency : outageLatency).push(deliveredAt - accepted);
}
const outboxRows = await db.selectFrom("outbox").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
const lost = [...acceptedAt.keys()].filter((id) => !bySignup.has(id)).length;
const twice = [...bySignup.values()].filter((n) => n > 1).length;
const f = (x: number) => x.toFixed(1);
console.log(`signup bench: ${TOTAL} signups over ${f(loadMs / 1000)} s (target ${DURATION_MS / 1000} s), receiver down ${DOWN_FROM_MS / 1000}–${DOWN_UNTIL_MS / 1000} s`);
console.log(`  accepted: ${acceptedAt.size} (${failures} refused), ${f(acceptedAt.size / (loadMs / 1000))} accepted/s`);
console.log(`  accept latency: p50 ${f(pct(acceptLatency, 50))} ms, p99 ${f(pct(acceptLatency, 99))} ms`);
console.log(`  accept→delivered while the receiver was up (${upLatency.length} signups): p50 ${f(pct(upLatency, 50))} ms, p99 ${f(pct(upLatency, 99))} ms`);
console.log(`  accept→delivered for signups caught by the outage (${outageLatency.length}): max ${f(Math.max(...outageLatency, 0))} ms`);
console.log(`  delivered at the end: ${bySignup.size}/${acceptedAt.size} signups, each once by webhook-id: ${twice === 0 ? "yes" : `no (${twice} twice)`}, lost: ${lost}; requests received ${receivedCount}, acknowledged ${ackCount}; drained ${f(totalMs / 1000)} s after start`);
console.log(`  outbox: ${outboxRows.map((r) => `${r.status}=${r.n}`).join(" ")}`);

await worker.stop();
if (receiver) await stopReceiver();
api.close();
await db.destroy();
client.close();
rmSync(dir, { recursive: true, force: true });
process.exit(lost === 0 && twice === 0 && failures === 0 ? 0 : 1);
