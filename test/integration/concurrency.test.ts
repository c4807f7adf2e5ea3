import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, sampleProvider, silentLogger, testEnv } from "../helpers/deps.ts";

test("concurrent registrations and offer writes on an embedded database all succeed (no busy deadlock)", async () => {
  // With no busy timeout, a writer that would wait on SQLite's lock fails at once with SQLITE_BUSY (a 500 below):
  // every 201 proves no writer waited on the lock, whatever the machine's speed.
  const env = await testEnv({ busyTimeoutMs: 0 });
  try {
    const regs = await Promise.all(Array.from({ length: 12 }, (_, i) => env.app.request("/api/v1/providers", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider(`conc-${i}`)),
    })));
    assert.equal(regs.map((r) => r.status), Array(12).fill(201));
    const { slug, token } = await registerProvider(env.app, "conc-writer");
    const writes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 2 ? putOffer(env.app, slug, token, `offer-${i}`, sampleOffer()) : env.app.request("/api/v1/offers?q=nextcloud")));
    assert.equal(writes.map((r) => r.status), Array.from({ length: 20 }, (_, i) => (i % 2 ? 201 : 200)));
    assert.is((await json(await env.app.request("/api/v1/offers?q=nextcloud"))).total, 10);
    assert.equal(silentLogger.errors.filter((e) => /SQLITE_BUSY/.test(e)), [], "no write met a busy lock");
  } finally { await env.close(); }
});

test.run();
