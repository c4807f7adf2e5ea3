import { test } from "uvu";
import * as assert from "uvu/assert";
import { Webhook } from "standardwebhooks";
import { claimDue } from "../../src/delivery/outbox.ts";
import { finishAttempt } from "../../src/db/queries/outbox.ts";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer, startReceiver, type Received } from "../helpers/signups.ts";

const ENV = { WEBHOOK_RETRY_SCHEDULE: "1s,1s,2s", SIGNUP_RATE_LIMIT_IP: "1000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000/1h", ADMIN_TOKEN: "admin-token-0123456789" };
const half = () => 0.5; // no jitter: exact due times
const round = (env: TestEnv, opts: Parameters<typeof runDeliveryRound>[1] = {}) => runDeliveryRound(env.deps, { random: half, timeoutMs: 300, ...opts });

async function signup(env: TestEnv, offerId: string, email = "camille@example.org") {
  const res = await postSignup(env, { offerId, ...person({ email }) });
  assert.is(res.status, 202);
  return json(res);
}

const outboxOf = (env: TestEnv) => env.deps.db.selectFrom("outbox").selectAll().orderBy("id").execute();
const statusOf = async (env: TestEnv, id: string) => (await env.deps.db.selectFrom("signups").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

test("delivery: Standard Webhooks headers verified by the standardwebhooks package, body per api.md, signup delivered", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-a", { webhookUrl: rx.url });
    const s = await signup(env, p.offerId);
    assert.equal(await round(env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    assert.is(rx.received.length, 1);
    const r = rx.received[0];
    const [o] = await outboxOf(env);
    assert.is(r.headers["webhook-id"], o.webhook_id);
    assert.match(o.webhook_id, /^msg_[0-9a-f]{32}$/);
    assert.is(r.headers["webhook-timestamp"], String(Date.parse("2026-11-25T12:00:00Z") / 1000));
    assert.is(r.headers["content-type"], "application/json");
    // The package refuses timestamps more than 5 minutes from its own clock; the test clock is fixed, so check at that time.
    const realNow = Date.now;
    Date.now = () => Date.parse("2026-11-25T12:00:30Z");
    try {
      const payload = new Webhook(p.secret!).verify(r.body, r.headers);
      assert.equal(payload, {
        type: "signup.requested", timestamp: "2026-11-25T12:00:00.000Z",
        data: {
          signupId: s.id, offerId: "chaton-a~cloud", service: "storage",
          account: { email: "camille@example.org", name: "Camille Martin", username: null, locale: "fr" }, message: null,
          callbackUrl: `http://127.0.0.1:3000/api/v1/signups/${s.id}/events`,
        },
      });
    } finally { Date.now = realNow; }
    assert.is(await statusOf(env, s.id), "delivered");
    assert.equal((await outboxOf(env)).map((x) => [x.status, x.attempts, x.lease_token]), [["delivered", 1, null]]);
    assert.equal(await round(env), { claimed: 0, delivered: 0, retried: 0, rejected: 0, dead: 0 });
  } finally { await rx.close(); await env.close(); }
});

test("retries on 500, timeout and connection refused, then success — same webhook-id, due times from the schedule", async () => {
  const env = await testEnv({ env: ENV });
  let rx = await startReceiver((_r, res) => { res.writeHead(500).end("boom"); });
  const port = rx.port;
  try {
    const p = await providerWithOffer(env, "chaton-r", { webhookUrl: rx.url });
    const s = await signup(env, p.offerId);
    const t0 = env.deps.clock.now();
    assert.equal(await round(env), { claimed: 1, delivered: 0, retried: 1, rejected: 0, dead: 0 });
    assert.is((await outboxOf(env))[0].next_attempt_at, t0 + 1000);
    assert.is((await round(env)).claimed, 0, "not due yet");

    rx.state.behaviour = () => { /* never answers: the 300 ms test timeout fires */ };
    env.deps.clock.advance(1000);
    assert.equal(await round(env), { claimed: 1, delivered: 0, retried: 1, rejected: 0, dead: 0 });

    await rx.close(); // connection refused
    env.deps.clock.advance(1000);
    assert.equal(await round(env), { claimed: 1, delivered: 0, retried: 1, rejected: 0, dead: 0 });
    assert.is((await outboxOf(env))[0].next_attempt_at, t0 + 4000);

    const seen = rx.received;
    rx = await startReceiver(undefined, port);
    env.deps.clock.advance(2000);
    assert.equal(await round(env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });

    const ids = [...seen, ...rx.received].map((r: Received) => r.headers["webhook-id"]);
    assert.is(ids.length, 3);
    assert.is(new Set(ids).size, 1);
    const attempts = await env.deps.db.selectFrom("delivery_attempts").select(["attempt", "outcome", "http_status"]).orderBy("id").execute();
    assert.equal(attempts.map((a) => [a.attempt, a.outcome, a.http_status]), [[1, "retry", 500], [2, "retry", null], [3, "retry", null], [4, "delivered", 204]]);
    assert.is(await statusOf(env, s.id), "delivered");
  } finally { await rx.close(); await env.close(); }
});

test("a 4xx answer rejects the signup for good; the provider sees the delivery as rejected", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver((_r, res) => { res.writeHead(422, { "content-type": "text/plain" }).end("unknown offer"); });
  try {
    const p = await providerWithOffer(env, "chaton-x", { webhookUrl: rx.url });
    const s = await signup(env, p.offerId);
    assert.equal(await round(env), { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
    env.deps.clock.advance(60_000);
    assert.is((await round(env)).claimed, 0);
    assert.is(await statusOf(env, s.id), "rejected");
    const list = await json(await env.app.request(`/api/v1/providers/${p.slug}/deliveries?status=rejected`, { headers: { authorization: `Bearer ${p.token}` } }));
    assert.equal(list.items.map((d: any) => [d.signupId, d.status, d.attempts, d.lastStatus, d.lastError]), [[s.id, "rejected", 1, 422, "HTTP 422: unknown offer"]]);
  } finally { await rx.close(); await env.close(); }
});

test("410 disables the endpoint: queued events die, their signups fail, new signups are refused until the URL is set again", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver((_r, res) => { res.writeHead(410).end(); });
  try {
    const p = await providerWithOffer(env, "chaton-g", { webhookUrl: rx.url });
    const a = await signup(env, p.offerId, "a@example.org");
    const b = await signup(env, p.offerId, "b@example.org");
    const stats = await round(env, { limit: 1 });
    assert.equal(stats, { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
    assert.equal([await statusOf(env, a.id), await statusOf(env, b.id)], ["failed", "failed"]);
    assert.equal((await outboxOf(env)).map((o) => o.status), ["rejected", "dead"]);
    assert.is(rx.received.length, 1);
    const wh = await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { headers: { authorization: `Bearer ${p.token}` } }));
    assert.equal([wh.url, wh.enabled, wh.disabledReason], [rx.url, false, "HTTP 410"]);
    assert.is((await postSignup(env, { offerId: p.offerId, ...person({ email: "c@example.org" }) })).status, 409);
    await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ url: rx.url }) });
    assert.is((await postSignup(env, { offerId: p.offerId, ...person({ email: "c@example.org" }) })).status, 202);
  } finally { await rx.close(); await env.close(); }
});

test("dead letter after the schedule; visible to provider and operator; manual redelivery keeps the webhook-id", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver((_r, res) => { res.writeHead(503).end(); });
  try {
    const p = await providerWithOffer(env, "chaton-d", { webhookUrl: rx.url });
    const other = await providerWithOffer(env, "chaton-o", { webhookUrl: rx.url });
    const s = await signup(env, p.offerId);
    for (const step of [0, 1000, 1000, 2000]) { env.deps.clock.advance(step); await round(env); }
    assert.is(rx.received.length, 4);
    const [o] = await outboxOf(env);
    assert.equal([o.status, o.attempts], ["dead", 4]);
    assert.is(await statusOf(env, s.id), "failed");
    env.deps.clock.advance(60_000);
    assert.is((await round(env)).claimed, 0);

    const auth = { authorization: `Bearer ${p.token}` };
    const mine = await json(await env.app.request(`/api/v1/providers/${p.slug}/deliveries?status=dead`, { headers: auth }));
    assert.equal(mine.items.map((d: any) => [d.id, d.status, d.attempts, d.lastStatus]), [[o.webhook_id, "dead", 4, 503]]);
    assert.is((await json(await env.app.request(`/api/v1/providers/${other.slug}/deliveries?status=dead`, { headers: { authorization: `Bearer ${other.token}` } }))).items.length, 0);
    assert.is((await env.app.request(`/api/v1/providers/${other.slug}/deliveries/${o.webhook_id}/redeliver`, { method: "POST", headers: { authorization: `Bearer ${other.token}` } })).status, 404);

    assert.is((await env.app.request("/api/v1/admin/deliveries?status=dead")).status, 401);
    const admin = await env.app.request("/api/v1/admin/deliveries?status=dead", { headers: { authorization: `Bearer ${ENV.ADMIN_TOKEN}` } });
    assert.is(admin.status, 200);
    assert.equal((await json(admin)).items.map((d: any) => [d.id, d.provider, d.signupId]), [[o.webhook_id, "chaton-d", s.id]]);

    rx.state.behaviour = (_r, res) => { res.writeHead(200).end(); };
    const re = await env.app.request(`/api/v1/providers/${p.slug}/deliveries/${o.webhook_id}/redeliver`, { method: "POST", headers: auth });
    assert.is(re.status, 202);
    assert.equal(((await json(re)) as any).status, "pending");
    assert.is(await statusOf(env, s.id), "pending");
    assert.is((await env.app.request(`/api/v1/admin/deliveries/${o.webhook_id}/redeliver`, { method: "POST", headers: { authorization: `Bearer ${ENV.ADMIN_TOKEN}` } })).status, 409);
    assert.is((await round(env)).delivered, 1);
    assert.is(rx.received[4].headers["webhook-id"], o.webhook_id);
    assert.is(await statusOf(env, s.id), "delivered");
  } finally { await rx.close(); await env.close(); }
});

test("crash recovery: a worker that claims then dies is redelivered after the lease with the same webhook-id; its late result is fenced off", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-c", { webhookUrl: rx.url });
    const s = await signup(env, p.offerId);
    const dead = await claimDue(env.deps.db, env.deps.clock.now(), { leaseMs: 30_000 }); // …and the worker dies here
    assert.is(dead.length, 1);
    env.deps.clock.advance(29_000);
    assert.is((await round(env)).claimed, 0, "the lease still holds: no second delivery of the same attempt");
    assert.is(rx.received.length, 0);
    env.deps.clock.advance(1_000);
    assert.equal(await round(env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    assert.is(rx.received.length, 1);
    assert.is(rx.received[0].headers["webhook-id"], dead[0].webhook_id);
    const late = await finishAttempt(env.deps.db, dead[0], env.deps.clock.now(), "dead", { outcome: "retry", durationMs: 1 });
    assert.is(late, false);
    assert.equal((await outboxOf(env)).map((o) => [o.status, o.attempts]), [["delivered", 2]]);
    assert.is(await statusOf(env, s.id), "delivered");
  } finally { await rx.close(); await env.close(); }
});

test("two workers racing over 30 events deliver each webhook-id exactly once", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver((_r, res) => { setTimeout(() => res.writeHead(204).end(), 5); });
  try {
    const p = await providerWithOffer(env, "chaton-w", { webhookUrl: rx.url });
    for (let i = 0; i < 30; i++) await signup(env, p.offerId, `p${i}@example.org`);
    let delivered = 0;
    for (let i = 0; i < 10 && delivered < 30; i++) {
      const [a, b] = await Promise.all([round(env, { limit: 7 }), round(env, { limit: 7 })]);
      delivered += a.delivered + b.delivered;
    }
    assert.is(delivered, 30);
    const ids = rx.received.map((r) => r.headers["webhook-id"]);
    assert.is(ids.length, 30);
    assert.is(new Set(ids).size, 30);
  } finally { await rx.close(); await env.close(); }
});

/** Verifies a received delivery with `secret` as the standardwebhooks package does, at the time it was signed. */
function verifies(secret: string, r: Received): boolean {
  const realNow = Date.now;
  Date.now = () => Number(r.headers["webhook-timestamp"]) * 1000;
  try { new Webhook(secret).verify(r.body, r.headers); return true; } catch { return false; } finally { Date.now = realNow; }
}

test("rotation: a receiver holding the old secret verifies deliveries during the overlap (24 h by default) and fails after it", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-t", { webhookUrl: rx.url });
    const auth = { authorization: `Bearer ${p.token}` };
    const rot = await env.app.request(`/api/v1/providers/${p.slug}/webhook/rotate`, { method: "POST", headers: auth });
    assert.is(rot.status, 200);
    const { secret, url, previousSecretValidUntil } = await json(rot);
    assert.equal([url, previousSecretValidUntil], [rx.url, "2026-11-26T12:00:00.000Z"]);
    assert.is.not(secret, p.secret);
    assert.is((await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { headers: auth }))).previousSecretValidUntil, "2026-11-26T12:00:00.000Z");

    // During the overlap: a signup and a ping, each verifiable with the old secret and with the new one.
    const s1 = await signup(env, p.offerId);
    assert.is((await round(env)).delivered, 1);
    const ping = await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook/test`, { method: "POST", headers: auth }));
    assert.equal([ping.delivered, ping.outcome, ping.status], [true, "delivered", 204]);
    assert.equal(rx.received.map((r) => [r.headers["webhook-signature"].split(" ").length, verifies(p.secret!, r), verifies(secret, r)]), [[2, true, true], [2, true, true]]);
    assert.is(JSON.parse(rx.received[0].body).data.signupId, s1.id);

    // Just before the end of the window the old secret still verifies; after it, only the new one does.
    env.deps.clock.advance(24 * 3_600_000 - 1000);
    await env.app.request(`/api/v1/providers/${p.slug}/webhook/test`, { method: "POST", headers: auth });
    env.deps.clock.advance(2000);
    await signup(env, p.offerId, "dominique@example.org");
    assert.is((await round(env)).delivered, 1);
    await env.app.request(`/api/v1/providers/${p.slug}/webhook/test`, { method: "POST", headers: auth });
    assert.equal(rx.received.slice(2).map((r) => [r.headers["webhook-signature"].split(" ").length, verifies(p.secret!, r), verifies(secret, r)]), [[2, true, true], [1, false, true], [1, false, true]]);
    assert.is((await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { headers: auth }))).previousSecretValidUntil, undefined);

    // A new URL (PUT) starts over with a fresh secret and no overlap.
    const put = await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { method: "PUT", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ url: rx.url }) }));
    await env.app.request(`/api/v1/providers/${p.slug}/webhook/test`, { method: "POST", headers: auth });
    const last = rx.received.at(-1)!;
    assert.equal([verifies(put.secret, last), verifies(secret, last)], [true, false]);
    const none = await providerWithOffer(env, "chaton-none");
    assert.is((await env.app.request(`/api/v1/providers/${none.slug}/webhook/test`, { method: "POST", headers: { authorization: `Bearer ${none.token}` } })).status, 404);
    assert.is((await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { method: "PUT", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ url: "ftp://x" }) })).status, 400);
  } finally { await rx.close(); await env.close(); }
});

test("WEBHOOK_SECRET_OVERLAP=1h: the old secret signs for one hour only", async () => {
  const env = await testEnv({ env: { ...ENV, WEBHOOK_SECRET_OVERLAP: "1h" } });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-h", { webhookUrl: rx.url });
    const auth = { authorization: `Bearer ${p.token}` };
    const { secret, previousSecretValidUntil } = await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook/rotate`, { method: "POST", headers: auth }));
    assert.is(previousSecretValidUntil, "2026-11-25T13:00:00.000Z");
    env.deps.clock.advance(3_600_000);
    await env.app.request(`/api/v1/providers/${p.slug}/webhook/test`, { method: "POST", headers: auth });
    assert.equal([verifies(p.secret!, rx.received[0]), verifies(secret, rx.received[0])], [false, true]);
  } finally { await rx.close(); await env.close(); }
});

test("Retry-After on 429 and 503 (seconds or HTTP date) delays the next attempt; ignored on 500; beyond the 3-day horizon the event dies", async () => {
  const env = await testEnv({ env: { ...ENV, WEBHOOK_RETRY_SCHEDULE: "1s,1s,2s,5s" } });
  const answers: Array<[number, Record<string, string>]> = [
    [429, { "retry-after": "7" }], [500, { "retry-after": "60" }], [503, { "retry-after": "Wed, 25 Nov 2026 12:00:30 GMT" }], [503, { "retry-after": String(4 * 86_400) }],
  ];
  const rx = await startReceiver((_r, res) => { const [status, headers] = answers.shift() ?? [204, {}]; res.writeHead(status, headers).end(); });
  try {
    const p = await providerWithOffer(env, "chaton-ra", { webhookUrl: rx.url });
    await signup(env, p.offerId);
    const t0 = env.deps.clock.now();
    const due = async () => (await outboxOf(env))[0].next_attempt_at - t0;
    assert.is((await round(env)).retried, 1);
    // The schedule says 1 s; the receiver said `Retry-After: 7`: the next attempt is due 7 s later, not before.
    assert.is(await due(), 7000);
    env.deps.clock.advance(6999);
    assert.is((await round(env)).claimed, 0);
    env.deps.clock.advance(1);
    assert.is((await round(env)).retried, 1);
    assert.is(await due(), 8000); // a 500's Retry-After is not read: the schedule's 1 s
    env.deps.clock.set(t0 + 8000);
    assert.is((await round(env)).retried, 1);
    assert.is(await due(), 30_000); // the HTTP date, 12:00:30
    env.deps.clock.set(t0 + 30_000);
    // Four days is past the 3-day horizon: not waited for, the event is dead (the schedule had 5 s more to give).
    assert.equal(await round(env), { claimed: 1, delivered: 0, retried: 0, rejected: 0, dead: 1 });
    assert.is(rx.received.length, 4);
  } finally { await rx.close(); await env.close(); }
});

test.run();
