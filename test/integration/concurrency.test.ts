import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, sampleProvider, testEnv } from "../helpers/deps.ts";

test("concurrent registrations and offer writes on an embedded database all succeed (no busy deadlock)", async () => {
  const env = await testEnv();
  try {
    const started = Date.now();
    const regs = await Promise.all(Array.from({ length: 12 }, (_, i) => env.app.request("/api/v1/providers", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider(`conc-${i}`)),
    })));
    assert.equal(regs.map((r) => r.status), Array(12).fill(201));
    const { slug, token } = await registerProvider(env.app, "conc-writer");
    const writes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 2 ? putOffer(env.app, slug, token, `offer-${i}`, sampleOffer()) : env.app.request("/api/v1/offers?q=nextcloud")));
    assert.equal(writes.map((r) => r.status), Array.from({ length: 20 }, (_, i) => (i % 2 ? 201 : 200)));
    assert.is((await json(await env.app.request("/api/v1/offers?q=nextcloud"))).total, 10);
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms: writers waited on the busy timeout`);
  } finally { await env.close(); }
});

test.run();
