import { test } from "uvu";
import * as assert from "uvu/assert";
import { purgeSignups } from "../../src/domain/signups/jobs.ts";
import { json, testEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer } from "../helpers/signups.ts";

const DAY = 86_400_000;

test("purge: personal data erased 7 days after a final state, not before, never for unfinished signups; counts remain", async () => {
  const env = await testEnv({ env: { SIGNUP_RATE_LIMIT_EMAIL: "100/1h" } });
  try {
    const p = await providerWithOffer(env, "chaton-p", { webhookUrl: "http://127.0.0.1:9/hook" });
    const done = await json(await postSignup(env, { offerId: p.offerId, ...person({ username: "camille", message: "Bonjour" }) }, { "idempotency-key": "k-1" }));
    const open = await json(await postSignup(env, { offerId: p.offerId, ...person({ email: "open@example.org" }) }));
    env.deps.clock.advance(DAY);
    const res = await env.app.request(`/api/v1/signups/${done.id}/events`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ status: "active", message: "Compte camille créé", loginUrl: "https://cloud.example/login?user=camille" }),
    });
    assert.is(res.status, 200);
    const finalAt = env.deps.clock.now();

    env.deps.clock.set(finalAt + 7 * DAY - 1);
    assert.is(await purgeSignups(env.deps.db, env.deps.clock.now(), env.deps.config.signupRetentionMs), 0);
    env.deps.clock.set(finalAt + 7 * DAY);
    assert.is(await purgeSignups(env.deps.db, env.deps.clock.now(), env.deps.config.signupRetentionMs), 1);
    assert.is(await purgeSignups(env.deps.db, env.deps.clock.now(), env.deps.config.signupRetentionMs), 0, "idempotent");

    const rows = await env.deps.db.selectFrom("signups").selectAll().orderBy("created_at").orderBy("id").execute();
    const purged = rows.find((r) => r.id === done.id)!;
    assert.equal(
      [purged.email, purged.name, purged.username, purged.message, purged.login_url, purged.idempotency_key, purged.request_hash, purged.purged_at],
      [null, null, null, null, null, null, null, "2026-12-03T12:00:00.000Z"],
    );
    assert.equal([purged.status, purged.offer_id, purged.provider_id, purged.final_at], ["active", "chaton-p~cloud", purged.provider_id, "2026-11-26T12:00:00.000Z"]);
    const events = await env.deps.db.selectFrom("signup_events").select(["status", "message"]).where("signup_id", "=", done.id).orderBy("id").execute();
    assert.equal(events, [{ status: "pending", message: null }, { status: "active", message: null }]);
    const kept = rows.find((r) => r.id === open.id)!;
    assert.equal([kept.email, kept.purged_at], ["open@example.org", null]);
    // Non-personal counts survive.
    const counts = await env.deps.db.selectFrom("signups").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").orderBy("status").execute();
    assert.equal(counts.map((c) => [c.status, Number(c.n)]), [["active", 1], ["pending", 1]]);
    // Expired rate-limit counters (which hold email hashes) are gone too.
    assert.is((await env.deps.db.selectFrom("rate_limits").select("key").execute()).length, 0);
    // No text of the purged signup remains anywhere in its row or events.
    assert.not.ok(JSON.stringify([purged, events]).includes("camille"));
  } finally { await env.close(); }
});

test("purge honours SIGNUP_RETENTION", async () => {
  const env = await testEnv({ env: { SIGNUP_RETENTION: "1d" } });
  try {
    assert.is(env.deps.config.signupRetentionMs, DAY);
    const p = await providerWithOffer(env, "chaton-q", { webhookUrl: "http://127.0.0.1:9/hook" });
    const s = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    await env.app.request(`/api/v1/signups/${s.id}/events`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ status: "rejected" }) });
    env.deps.clock.advance(DAY);
    assert.is(await purgeSignups(env.deps.db, env.deps.clock.now(), env.deps.config.signupRetentionMs), 1);
  } finally { await env.close(); }
});

test.run();
