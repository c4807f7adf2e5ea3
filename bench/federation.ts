/**
 * `npm run bench -- federation`: one offer update fanned out to 1,000 followers whose inboxes are served
 * locally (127.0.0.1). 30% of the followers share 30 shared inboxes (10 each), so with shared-inbox
 * de-duplication the update makes 700 + 30 = 730 deliveries. Reports the time from the provider's write to the
 * last delivery and deliveries/s. Target: all delivered in ≤ 30 s.
 */
import "../src/federation/shim.ts";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startInstance } from "../test/federation/instances.ts";
import { putOffer, registerProvider, sampleOffer } from "../test/helpers/deps.ts";

const FOLLOWERS = Number(process.env.BENCH_FOLLOWERS ?? 1000);
const SHARED_SHARE = 0.3;
const PER_SHARED = 10;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 8);

let received = 0;
let lastAt = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.method === "POST") { received++; lastAt = performance.now(); }
    res.writeHead(202).end();
  });
});
await new Promise<void>((r) => sink.listen(0, "127.0.0.1", () => r()));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const A = await startInstance("127.0.0.1", {}, { workers: WORKERS });
try {
  const shared = Math.round(FOLLOWERS * SHARED_SHARE);
  const rows = Array.from({ length: FOLLOWERS }, (_, i) => ({
    actor: "_directory", follower_id: `${sinkUrl}/users/${i}`, inbox: `${sinkUrl}/users/${i}/inbox`,
    shared_inbox: i < shared ? `${sinkUrl}/shared/${Math.floor(i / PER_SHARED)}` : null, follow_id: `${sinkUrl}/follows/${i}`,
    status: "accepted" as const, created_at: new Date().toISOString(),
  }));
  for (let i = 0; i < rows.length; i += 200) await A.env.deps.db.insertInto("fed_followers").values(rows.slice(i, i + 200)).execute();
  const expected = FOLLOWERS - shared + Math.ceil(shared / PER_SHARED);

  const { slug, token } = await registerProvider(A.env.app, "bench-chaton");
  await putOffer(A.env.app, slug, token, "cloud", sampleOffer());
  // Let the warm-up fan-outs finish (the offer's Create and the new provider actor's Update), then measure one update.
  const settle = Date.now() + 90_000;
  let quietSince = Date.now();
  let seen = -1;
  while (Date.now() < settle && !(received >= expected && Date.now() - quietSince > 1500)) {
    if (received !== seen) { seen = received; quietSince = Date.now(); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const warm = received;
  received = 0;

  A.env.deps.clock.advance(60_000);
  const t0 = performance.now();
  await putOffer(A.env.app, slug, token, "cloud", sampleOffer({ registration: "approval" }));
  const deadline = Date.now() + 120_000;
  while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const seconds = (lastAt - t0) / 1000;
  console.log(`federation fan-out: ${FOLLOWERS} followers (${shared} behind ${Math.ceil(shared / PER_SHARED)} shared inboxes), ${WORKERS} delivery workers`);
  console.log(`  warm-up (offer created, provider actor updated): ${warm} deliveries`);
  console.log(`  update: ${received}/${expected} deliveries in ${seconds.toFixed(2)} s = ${(received / seconds).toFixed(0)} deliveries/s (target: all within 30 s: ${received === expected && seconds <= 30 ? "met" : "NOT met"})`);
} finally {
  await A.close();
  sink.close();
}
