import "../../src/federation/shim.ts";
import { testMessageQueue } from "@fedify/testing";
import { Temporal } from "@js-temporal/polyfill";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LibsqlKvStore } from "../../src/federation/kv.ts";
import { LibsqlMessageQueue } from "../../src/federation/mq.ts";
import { testEnv } from "../helpers/deps.ts";

test("KvStore: undefined for missing, set/get/delete, TTL expiry, cas, prefix list", async () => {
  const env = await testEnv();
  try {
    let now = 1_000_000;
    const kv = new LibsqlKvStore(env.deps.db, () => now);
    assert.is(await kv.get(["missing"]), undefined);
    await kv.set(["a", "b"], { x: 1 });
    await kv.set(["a", "c"], [1, 2]);
    await kv.set(["ab"], "not under a");
    await kv.set(["t"], 42, { ttl: Temporal.Duration.from({ seconds: 10 }) });
    assert.equal(await kv.get(["a", "b"]), { x: 1 });
    assert.is(await kv.get(["t"]), 42);
    now += 10_001;
    assert.is(await kv.get(["t"]), undefined);
    const listed: unknown[] = [];
    for await (const e of kv.list(["a"])) listed.push([e.key, e.value]);
    assert.equal(listed, [[["a", "b"], { x: 1 }], [["a", "c"], [1, 2]]]);
    assert.is(await kv.cas(["a", "b"], { x: 2 }, "no"), false);
    assert.is(await kv.cas(["a", "b"], { x: 1 }, "yes"), true);
    assert.is(await kv.get(["a", "b"]), "yes");
    assert.is(await kv.cas(["new"], undefined, 1), true);
    assert.is(await kv.get(["new"]), 1);
    await kv.delete(["a", "b"]);
    assert.is(await kv.get(["a", "b"]), undefined);
  } finally { await env.close(); }
});

test("MessageQueue: delays and leases; a claimed message is invisible to a second claimer", async () => {
  const env = await testEnv();
  try {
    let now = 5_000;
    const mq = new LibsqlMessageQueue(env.deps.db, { now: () => now, leaseMs: 1000 });
    await mq.enqueue({ n: 1 }, { delay: Temporal.Duration.from({ seconds: 2 }) });
    assert.equal(await mq.getDepth(), { queued: 1, ready: 0, delayed: 1 });
    assert.is(await mq.claim(), undefined);
    now += 2000;
    const first = await mq.claim();
    assert.equal(JSON.parse(first!.message), { n: 1 });
    assert.is(await mq.claim(), undefined);
    now += 1000;
    assert.is((await mq.claim())?.id, first!.id);
    await mq.enqueue("k1", { orderingKey: "k" });
    await mq.enqueue("k2", { orderingKey: "k" });
    now += 5000;
    const a = await mq.claim();
    const b = await mq.claim();
    assert.equal([a?.message, b?.message], ['{"n":1}', '"k1"']);
    assert.is(await mq.claim(), undefined); // k2 waits for k1
  } finally { await env.close(); }
});

test("MessageQueue passes Fedify's conformance suite (@fedify/testing)", async () => {
  const env = await testEnv();
  try {
    await testMessageQueue(
      () => new LibsqlMessageQueue(env.deps.db, { pollMs: 50 }),
      ({ controller }) => controller.abort(),
      { testOrderingKey: true },
    );
  } finally { await env.close(); }
});

test.run();
