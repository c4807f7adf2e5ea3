import { test } from "uvu";
import * as assert from "uvu/assert";
import { startSignupWorker } from "../../src/domain/signups/jobs.ts";
import { systemClock } from "../../src/lib/log.ts";
import { json, testEnv } from "../helpers/deps.ts";
import { eventually } from "../helpers/wait.ts";
import { person, postSignup, providerWithOffer, startReceiver } from "../helpers/signups.ts";

test("background worker: a new signup wakes it at once (no idle wait); stop() ends the loop", async () => {
  const env = await testEnv();
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-bg", { webhookUrl: rx.url });
    // Idle for an hour: a delivery within the test's deadline can only come from the wake-up.
    const worker = startSignupWorker({ ...env.deps, clock: systemClock }, { idleMs: 3_600_000 });
    env.deps.wakeSignupWorker = worker.wake;
    env.deps.clock.set(Date.now());
    await new Promise((r) => setTimeout(r, 50)); // let the first (empty) round finish and the loop go idle
    const s = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    await eventually("the woken worker delivers", () => rx.received.length > 0);
    assert.is(rx.received.length, 1);
    assert.ok(rx.received[0].body.includes(s.id));
    await worker.stop();
  } finally { await rx.close(); await env.close(); }
});

test("background worker: a provider that never answers does not hold back deliveries to others", async () => {
  const env = await testEnv();
  const slow = await startReceiver(() => { /* never answers */ });
  const fast = await startReceiver();
  try {
    const a = await providerWithOffer(env, "chaton-slow", { webhookUrl: slow.url });
    const b = await providerWithOffer(env, "chaton-fast", { webhookUrl: fast.url });
    env.deps.clock.set(Date.now());
    await postSignup(env, { offerId: a.offerId, ...person({ email: "a@example.org" }) });
    // The slow request never times out during the test: only closing its server ends it.
    const worker = startSignupWorker({ ...env.deps, clock: systemClock }, { idleMs: 3_600_000, timeoutMs: 600_000 });
    env.deps.wakeSignupWorker = worker.wake;
    await eventually("the slow delivery is in flight", () => slow.received.length > 0);
    assert.is(slow.received.length, 1, "the slow delivery is in flight");
    await postSignup(env, { offerId: b.offerId, ...person({ email: "b@example.org" }) });
    await eventually("the fast provider receives its signup", () => fast.received.length > 0);
    assert.is(fast.received.length, 1);
    const attempts = await env.deps.db.selectFrom("delivery_attempts").select("outbox_id").execute();
    const slowEvent = await env.deps.db.selectFrom("outbox").innerJoin("signups", "signups.id", "outbox.signup_id")
      .select(["outbox.id", "outbox.status", "outbox.lease_until"]).where("signups.offer_id", "=", a.offerId).executeTakeFirstOrThrow();
    assert.ok(slowEvent.status === "pending" && slowEvent.lease_until !== null && !attempts.some((x) => x.outbox_id === slowEvent.id),
      "delivered while the other provider's request was still pending");
    await slow.close(); // the hanging request fails as a network error and is scheduled for a retry
    await worker.stop();
    const rows = await env.deps.db.selectFrom("outbox").select(["provider_id", "status", "attempts"]).orderBy("id").execute();
    assert.equal(rows.map((r) => [r.status, r.attempts]), [["pending", 1], ["delivered", 1]]);
  } finally { await slow.close().catch(() => {}); await fast.close(); await env.close(); }
});

test("concurrent transactions and writes on one database never fail with SQLITE_BUSY (write gate)", async () => {
  const env = await testEnv();
  try {
    const db = env.deps.db;
    const tx = Array.from({ length: 15 }, (_, i) => db.transaction().execute(async (trx) => {
      await trx.insertInto("meta").values({ key: `tx${i}a`, value: "1" }).execute();
      await new Promise((r) => setTimeout(r, 3)); // hold the lock across an await, as real transactions do
      await trx.insertInto("meta").values({ key: `tx${i}b`, value: "1" }).execute();
    }));
    const writes = Array.from({ length: 15 }, (_, i) => db.insertInto("meta").values({ key: `w${i}`, value: "1" }).execute());
    const reads = Array.from({ length: 15 }, () => db.selectFrom("meta").select("key").execute());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("writers deadlocked")), 10_000); });
    await Promise.race([Promise.all([...tx, ...writes, ...reads]), limit]).finally(() => clearTimeout(timer));
    const n = await db.selectFrom("meta").select((eb) => eb.fn.countAll<number>().as("n")).where("key", "like", "tx%").executeTakeFirstOrThrow();
    assert.is(Number(n.n), 30);
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto("meta").values({ key: "rolled-back", value: "1" }).execute();
      throw new Error("boom");
    });
    await failed.then(() => assert.unreachable(), (e: Error) => assert.is(e.message, "boom"));
    await db.insertInto("meta").values({ key: "after", value: "1" }).execute(); // the gate was released
    assert.is((await db.selectFrom("meta").select("key").where("key", "=", "rolled-back").execute()).length, 0);
  } finally { await env.close(); }
});

test.run();
