/**
 * `npm run bench -- federated-signup`: two directories on 127.0.0.1 (B follows A) with their delivery workers, and a
 * provider's webhook receiver. 500 signups are made on B for offers published on A, over ~10 s; A is stopped from 3 s
 * to 6 s (connections refused), then listens again on the same port. Reports the hand-over latency (B accepted → A has
 * it) while A was up, the end-to-end time to the provider, and checks that every signup reached the provider exactly
 * once (by email and webhook-id) and that the "delivered" step came back to B.
 */
import "../src/federation/shim.ts";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startInstance, type Instance } from "../test/federation/instances.ts";
import { json, putOffer, registerProvider, sampleOffer } from "../test/helpers/deps.ts";
import { setWebhook } from "../test/helpers/signups.ts";

const TOTAL = Number(process.env.BENCH_SIGNUPS ?? 500);
const DURATION_MS = 10_000;
const DOWN_FROM_MS = 3_000;
const DOWN_UNTIL_MS = 6_000;
const CONCURRENCY = 16;
const DRAIN_LIMIT_MS = 90_000;
const OFFERS = 5;

const ENV = {
  WEBHOOK_RETRY_SCHEDULE: "250ms,500ms,1s,1s…", SIGNUP_RATE_LIMIT_IP: "1000000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000000/1h",
  HANDOVER_RATE_LIMIT: "1000000/1h", LOG_LEVEL: "error",
};
const realClock = (i: Instance) => { i.env.deps.clock.now = () => Date.now(); };

// ---- the provider's receiver: first arrival of each email and each webhook-id ----
const firstAt = new Map<string, number>();
const hooksByEmail = new Map<string, Set<string>>();
let requests = 0;
const receiver: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    requests++;
    const email = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { account: { email: string } } }).data.account.email;
    if (!firstAt.has(email)) firstAt.set(email, performance.now());
    const ids = hooksByEmail.get(email) ?? new Set<string>();
    ids.add(String(req.headers["webhook-id"]));
    hooksByEmail.set(email, ids);
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const A = await startInstance("localhost", ENV, { workers: 4 }, { signupWorker: true });
const B = await startInstance("127.0.0.1", ENV, { workers: 4 }, { signupWorker: true });
realClock(A);
realClock(B);
try {
  const p = await registerProvider(A.env.app, "bench-a");
  await setWebhook(A.env, p.slug, p.token, receiverUrl);
  for (let i = 0; i < OFFERS; i++) await putOffer(A.env.app, p.slug, p.token, `offer-${i}`, sampleOffer({ title: { fr: `Offre ${i}` } }));
  await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) });
  const offerIds = await (async () => {
    const until = Date.now() + 60_000;
    for (;;) {
      const items = (await json(await B.env.app.request("/api/v1/offers?limit=100"))).items as Array<{ id: string; acceptsSignups: boolean }>;
      const open = items.filter((o) => o.acceptsSignups).map((o) => o.id);
      if (open.length === OFFERS) return open;
      if (Date.now() > until) throw new Error(`B has ${open.length} of A's ${OFFERS} offers`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  // A records when each hand-over reaches it (B's signup id = the Idempotency-Key).
  const handedAt = new Map<string, number>();
  A.intercept(async (req, next) => {
    const key = new URL(req.url).pathname === "/api/v1/federation/signups" ? req.headers.get("idempotency-key") : null;
    const res = await next(req);
    if (key && res.status === 202 && !handedAt.has(key)) handedAt.set(key, performance.now());
    return res;
  });

  // ---- load on B: one signup every DURATION/TOTAL ms, at most CONCURRENCY in flight; A down for a while ----
  const accepted = new Map<string, { at: number; email: string }>();
  let refused = 0;
  const t0 = performance.now();
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, DOWN_FROM_MS));
    await A.down();
    await new Promise((r) => setTimeout(r, DOWN_UNTIL_MS - DOWN_FROM_MS));
    await A.up();
  })();
  let next = 0;
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= TOTAL) return;
      const wait = t0 + (i * DURATION_MS) / TOTAL - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const email = `p${i}@example.org`;
      const res = await fetch(`${B.url}/api/v1/signups`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ offerId: offerIds[i % OFFERS], email, name: `Person ${i}`, locale: "fr", consent: true }),
      });
      if (res.status !== 202) { refused++; continue; }
      accepted.set((await res.json() as { id: string }).id, { at: performance.now(), email });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const loadMs = performance.now() - t0;
  await outage;

  // ---- drain: every accepted signup at the provider, and "delivered" back on B (bounded) ----
  const delivered = async () => Number((await B.env.deps.db.selectFrom("signups").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "delivered").executeTakeFirstOrThrow()).n);
  const drainStart = performance.now();
  while ((firstAt.size < accepted.size || (await delivered()) < accepted.size) && performance.now() - drainStart < DRAIN_LIMIT_MS) await new Promise((r) => setTimeout(r, 200));
  const totalMs = performance.now() - t0;

  const pct = (xs: number[], q: number) => {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)];
  };
  const upHandover: number[] = [];
  const upEndToEnd: number[] = [];
  const caught: number[] = [];
  for (const [id, { at, email }] of accepted) {
    const rel = at - t0;
    const up = rel < DOWN_FROM_MS - 500 || rel > DOWN_UNTIL_MS;
    const handed = handedAt.get(id);
    const reached = firstAt.get(email);
    if (up && handed !== undefined) upHandover.push(handed - at);
    if (up && reached !== undefined) upEndToEnd.push(reached - at);
    if (!up && reached !== undefined) caught.push(reached - at);
  }
  const lost = [...accepted.values()].filter((a) => !firstAt.has(a.email)).length;
  const twice = [...hooksByEmail.values()].filter((ids) => ids.size > 1).length;
  const onA = Number((await A.env.deps.db.selectFrom("signups").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const f = (x: number) => x.toFixed(1);
  console.log(`federated signup bench: ${TOTAL} signups on B for A's offers over ${f(loadMs / 1000)} s, A down ${DOWN_FROM_MS / 1000}–${DOWN_UNTIL_MS / 1000} s`);
  console.log(`  accepted on B: ${accepted.size} (${refused} refused)`);
  console.log(`  hand-over (B accepted → A has it) while A was up (${upHandover.length}): p50 ${f(pct(upHandover, 50))} ms, p99 ${f(pct(upHandover, 99))} ms`);
  console.log(`  end to end (B accepted → provider's webhook) while A was up (${upEndToEnd.length}): p50 ${f(pct(upEndToEnd, 50))} ms, p99 ${f(pct(upEndToEnd, 99))} ms`);
  console.log(`  caught by A's outage (${caught.length}): reached the provider at most ${f(Math.max(0, ...caught))} ms after being accepted`);
  console.log(`  at the provider: ${firstAt.size}/${accepted.size} people, each by exactly one webhook-id: ${twice === 0 ? "yes" : `no (${twice} twice)`}, lost: ${lost}; webhook requests ${requests}; signups on A: ${onA}`);
  console.log(`  "delivered" back on B: ${await delivered()}/${accepted.size}; drained ${f(totalMs / 1000)} s after start`);
  process.exitCode = lost === 0 && twice === 0 && refused === 0 && onA === accepted.size ? 0 : 1;
} finally {
  A.intercept(undefined);
  await B.close();
  await A.close();
  receiver.closeAllConnections();
  receiver.close();
}
