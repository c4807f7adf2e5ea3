import { test } from "uvu";
import * as assert from "uvu/assert";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer, tokenOf } from "../helpers/signups.ts";

const HOOK = "http://127.0.0.1:9/hook"; // never called here: no delivery round runs in these tests

async function withEnv(fn: (env: TestEnv) => Promise<void>, env?: Record<string, string>) {
  const e = await testEnv({ env });
  try { await fn(e); } finally { await e.close(); }
}

test("POST /signups by offerId: 202 shape, signup row + first event + outbox event written together", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-a", { webhookUrl: HOOK });
  const res = await postSignup(env, { offerId: p.offerId, ...person({ username: "camille", message: "Pour notre asso" }) });
  assert.is(res.status, 202);
  const body = await json(res);
  assert.equal(Object.keys(body).sort(), ["id", "offerId", "provider", "status", "statusUrl"]);
  assert.match(body.id, /^su_[A-Za-z0-9_-]{16}$/);
  assert.is(body.status, "pending");
  assert.is(body.provider, "chaton-a");
  assert.is(body.offerId, "chaton-a~cloud");
  assert.match(body.statusUrl, new RegExp(`^http://127.0.0.1:3000/signups/${body.id}\\?token=st_[A-Za-z0-9_-]{43}$`));
  assert.is(res.headers.get("cache-control"), "no-store");
  const row = await env.deps.db.selectFrom("signups").selectAll().where("id", "=", body.id).executeTakeFirstOrThrow();
  assert.equal([row.email, row.name, row.username, row.message, row.status, row.mode, row.service], ["camille@example.org", "Camille Martin", "camille", "Pour notre asso", "pending", "webhook", "storage"]);
  const outbox = await env.deps.db.selectFrom("outbox").selectAll().execute();
  assert.equal(outbox.map((o) => [o.type, o.signup_id, o.status, o.attempts]), [["signup.requested", body.id, "pending", 0]]);
  const tokens = await env.deps.db.selectFrom("signup_tokens").select("token_hash").execute();
  assert.is(tokens.length, 1);
  assert.not.ok(tokens[0].token_hash.includes(tokenOf(body.statusUrl)), "the token is stored hashed");

  const status = await env.app.request(`/api/v1/signups/${body.id}?token=${tokenOf(body.statusUrl)}`);
  assert.is(status.status, 200);
  // While not final, `delivery` says where the hand-over stands: no attempt yet, retried until 3 days after.
  assert.equal(await json(status), {
    id: body.id, status: "pending", offerId: "chaton-a~cloud", provider: "chaton-a", events: [{ status: "pending", at: "2026-11-25T12:00:00.000Z" }],
    delivery: { attempts: 0, givesUpAt: "2026-11-28T12:00:00.000Z" },
  });
  assert.is((await env.app.request(`/api/v1/signups/${body.id}?token=st_wrong`)).status, 404);
  assert.is((await env.app.request(`/api/v1/signups/${body.id}`)).status, 404);
}));

test("validation: consent, email syntax, offerId xor service, no 500 for junk", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-b", { webhookUrl: HOOK });
  const noConsent = await postSignup(env, { offerId: p.offerId, ...person({ consent: false }) });
  assert.is(noConsent.status, 400);
  assert.equal((await json(noConsent)).errors.map((e: any) => e.path), ["consent"]);
  const missingConsent = await postSignup(env, { offerId: p.offerId, email: "a@b.org", name: "A" });
  assert.equal((await json(missingConsent)).errors.map((e: any) => e.path), ["consent"]);
  const badEmail = await postSignup(env, { offerId: p.offerId, ...person({ email: "not an email" }) });
  assert.equal((await json(badEmail)).errors, [{ path: "email", message: "must be an email address" }]);
  const both = await postSignup(env, { offerId: p.offerId, service: "storage", ...person() });
  assert.is(both.status, 400);
  assert.equal((await json(both)).errors, [{ path: "(body)", message: "give either offerId or service (not both)" }]);
  const password = await postSignup(env, { offerId: p.offerId, ...person({ password: "hunter2" }) });
  assert.is(password.status, 202, "unknown fields are dropped, never stored");
  const row = await env.deps.db.selectFrom("signups").selectAll().executeTakeFirstOrThrow();
  assert.not.ok(JSON.stringify(row).includes("hunter2"));
  assert.is((await env.app.request("/api/v1/signups", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })).status, 415);
  assert.is((await postSignup(env, { offerId: "nobody~nothing", ...person() })).status, 404);
}));

test("external, full, closed and unconfigured offers answer 409 problems; external carries the provider's URL", () => withEnv(async (env) => {
  const ext = await providerWithOffer(env, "chaton-ext", { offer: { signup: { mode: "external", url: "https://chaton-ext.example/inscription" } } });
  const res = await postSignup(env, { offerId: ext.offerId, ...person() });
  assert.is(res.status, 409);
  assert.is(res.headers.get("content-type"), "application/problem+json; charset=utf-8");
  const p = await json(res);
  assert.is(p.url, "https://chaton-ext.example/inscription");
  assert.is(p.mode, "external");
  const full = await providerWithOffer(env, "chaton-full", { offer: { capacity: "full" }, webhookUrl: HOOK });
  assert.is((await postSignup(env, { offerId: full.offerId, ...person() })).status, 409);
  const closed = await providerWithOffer(env, "chaton-closed", { offer: { registration: "closed" }, webhookUrl: HOOK });
  assert.is((await postSignup(env, { offerId: closed.offerId, ...person() })).status, 409);
  const nohook = await providerWithOffer(env, "chaton-nohook");
  const r = await postSignup(env, { offerId: nohook.offerId, ...person() });
  assert.is(r.status, 409);
  assert.match((await json(r)).detail, /not set up signups/);
  assert.is(await env.deps.db.selectFrom("signups").select("id").execute().then((r) => r.length), 0);
}));

test("by service: picks only an open, available, reachable offer; honours software and language; 409 when none", () => withEnv(async (env) => {
  await providerWithOffer(env, "chaton-full", { offer: { capacity: "full" }, webhookUrl: HOOK });
  await providerWithOffer(env, "chaton-closed", { offer: { registration: "closed" }, webhookUrl: HOOK });
  await providerWithOffer(env, "chaton-nohook");
  await providerWithOffer(env, "chaton-pad", { offer: { service: "pad", software: { name: "HedgeDoc" } }, webhookUrl: HOOK });
  await providerWithOffer(env, "chaton-ok", { offer: { languages: ["fr"] }, webhookUrl: HOOK });
  await providerWithOffer(env, "chaton-en", { offer: { languages: ["en"], dataLocation: "BE" }, webhookUrl: HOOK });
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const res = await postSignup(env, { service: "storage", software: "nextcloud", language: "fr", ...person({ email: `p${i}@example.org` }) });
    assert.is(res.status, 202);
    seen.add((await json(res)).provider);
  }
  assert.equal([...seen], ["chaton-ok"]);
  const en = await json(await postSignup(env, { service: "storage", language: "en", country: "BE", ...person({ email: "en@example.org" }) }));
  assert.is(en.offerId, "chaton-en~cloud");
  const none = await postSignup(env, { service: "chat", ...person({ email: "chat@example.org" }) });
  assert.is(none.status, 409);
}, { SIGNUP_RATE_LIMIT_IP: "100/1h" }));

test("Idempotency-Key: same key and body → same signup (new working token); different body → 422; one outbox event", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-i", { webhookUrl: HOOK });
  const key = "3f1c1d1e-7a0b-4c55-9a7e-0d6c8d1b2a11";
  const first = await postSignup(env, { offerId: p.offerId, ...person() }, { "idempotency-key": key });
  assert.is(first.status, 202);
  const a = await json(first);
  const again = await postSignup(env, { ...person(), offerId: p.offerId }, { "idempotency-key": key });
  assert.is(again.status, 202);
  assert.is(again.headers.get("idempotent-replayed"), "true");
  const b = await json(again);
  assert.is(b.id, a.id);
  assert.is(b.offerId, a.offerId);
  assert.is.not(b.statusUrl, a.statusUrl);
  for (const url of [a.statusUrl, b.statusUrl]) assert.is((await env.app.request(`/api/v1/signups/${a.id}?token=${tokenOf(url)}`)).status, 200);
  const other = await postSignup(env, { offerId: p.offerId, ...person({ name: "Someone Else" }) }, { "idempotency-key": key });
  assert.is(other.status, 422);
  assert.is((await json(other)).type, "https://chatons-directory.org/problems/idempotency-key-reused");
  assert.is((await env.deps.db.selectFrom("outbox").select("id").execute()).length, 1);
  assert.is((await env.deps.db.selectFrom("signups").select("id").execute()).length, 1);
  assert.is((await postSignup(env, { offerId: p.offerId, ...person() }, { "idempotency-key": "" })).status, 400);
}));

test("rate limits: per IP (from the configured header) and per email, 429 problem with Retry-After", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-r", { webhookUrl: HOOK });
  const ip = (addr: string) => ({ "x-forwarded-for": `203.0.113.9, ${addr}` });
  for (let i = 0; i < 3; i++) assert.is((await postSignup(env, { offerId: p.offerId, ...person({ email: `u${i}@example.org` }) }, ip("198.51.100.1"))).status, 202);
  env.deps.clock.advance(20 * 60_000);
  const limited = await postSignup(env, { offerId: p.offerId, ...person({ email: "u9@example.org" }) }, ip("198.51.100.1"));
  assert.is(limited.status, 429);
  assert.is(limited.headers.get("retry-after"), "2400");
  const prob = await json(limited);
  assert.equal([prob.type, prob.status, prob.retryAfter], ["https://chatons-directory.org/problems/rate-limited", 429, 2400]);
  assert.is((await postSignup(env, { offerId: p.offerId, ...person({ email: "u9@example.org" }) }, ip("198.51.100.2"))).status, 202, "another address is not limited");
  // per email: 2 a day, whatever the address (the refused attempt above counted too)
  const byEmail = await postSignup(env, { offerId: p.offerId, ...person({ email: "U9@example.org" }) }, ip("198.51.100.4"));
  assert.is(byEmail.status, 429);
  assert.match((await json(byEmail)).detail, /email/);
  env.deps.clock.advance(3_600_000);
  assert.is((await postSignup(env, { offerId: p.offerId, ...person({ email: "u10@example.org" }) }, ip("198.51.100.1"))).status, 202, "the window has passed");
}, { CLIENT_IP_HEADER: "X-Forwarded-For", SIGNUP_RATE_LIMIT_IP: "3/1h", SIGNUP_RATE_LIMIT_EMAIL: "2/1d" }));

test("provider events: only the signup's provider, valid transitions, final states closed; pending list", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-p", { webhookUrl: HOOK });
  const other = await providerWithOffer(env, "chaton-q", { webhookUrl: HOOK });
  const s = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
  env.deps.clock.advance(1000);
  const s2 = await json(await postSignup(env, { offerId: p.offerId, ...person({ email: "second@example.org" }) }));
  const report = (token: string | undefined, body: unknown, id = s.id) => env.app.request(`/api/v1/signups/${id}/events`, {
    method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });
  assert.is((await report(undefined, { status: "active" })).status, 401);
  assert.is((await report(other.token, { status: "active" })).status, 403);
  assert.is((await report(p.token, { status: "done" })).status, 400);
  assert.is((await report(p.token, { status: "active" }, "su_nothing")).status, 404);
  env.deps.clock.advance(60_000);
  assert.is((await report(p.token, { status: "provisioning", message: "Compte en cours de création" })).status, 200);
  const list = await json(await env.app.request(`/api/v1/providers/${p.slug}/signups`, { headers: { authorization: `Bearer ${p.token}` } }));
  assert.equal(list.items.map((i: any) => [i.id, i.status, i.account.email]), [[s2.id, "pending", "second@example.org"], [s.id, "provisioning", "camille@example.org"]]);
  assert.is((await env.app.request(`/api/v1/providers/${p.slug}/signups`, { headers: { authorization: `Bearer ${other.token}` } })).status, 403);
  env.deps.clock.advance(60_000);
  const active = await report(p.token, { status: "active", loginUrl: "https://cloud.chaton-p.example/login" });
  assert.is(active.status, 200);
  assert.equal(await json(active), {
    id: s.id, status: "active", offerId: p.offerId, provider: "chaton-p", loginUrl: "https://cloud.chaton-p.example/login",
    events: [
      { status: "pending", at: "2026-11-25T12:00:00.000Z" },
      { status: "provisioning", at: "2026-11-25T12:01:01.000Z", message: "Compte en cours de création" },
      { status: "active", at: "2026-11-25T12:02:01.000Z" },
    ],
  });
  const again = await report(p.token, { status: "rejected" });
  assert.is(again.status, 409);
  const pending = await json(await env.app.request(`/api/v1/providers/${p.slug}/signups`, { headers: { authorization: `Bearer ${p.token}` } }));
  assert.equal(pending.items.map((i: any) => i.id), [s2.id]);
  const finished = await json(await env.app.request(`/api/v1/providers/${p.slug}/signups?status=active`, { headers: { authorization: `Bearer ${p.token}` } }));
  assert.equal(finished.items.map((i: any) => i.id), [s.id]);
}));

test("without CLIENT_IP_HEADER the limit applies to the TCP peer, whatever X-Forwarded-For says (real server)", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-peer", { webhookUrl: HOOK });
  const server = serve({ fetch: env.app.fetch, hostname: "127.0.0.1", port: 0 });
  try {
    await new Promise((r) => server.once("listening", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/signups`;
    const send = (email: string, xff: string) => fetch(url, {
      method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": xff }, body: JSON.stringify({ offerId: p.offerId, ...person({ email }) }),
    });
    assert.is((await send("a@example.org", "198.51.100.1")).status, 202);
    const second = await send("b@example.org", "198.51.100.2");
    assert.is(second.status, 429);
    assert.is(second.headers.get("retry-after"), "3600");
    const keys = (await env.deps.db.selectFrom("rate_limits").select("key").execute()).map((r) => r.key).filter((k) => k.startsWith("signup:ip:"));
    assert.equal(keys, ["signup:ip:127.0.0.1"]);
  } finally {
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}, { SIGNUP_RATE_LIMIT_IP: "1/1h" }));

test("webhook and Nextcloud URLs must be public unless ALLOW_PRIVATE_NETWORK=1", () => withEnv(async (env) => {
  const p = await providerWithOffer(env, "chaton-u");
  const put = (path: string, body: unknown) => env.app.request(`/api/v1/providers/${p.slug}/${path}`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify(body),
  });
  for (const url of ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://localhost/hook", "http://[::1]/hook"]) {
    const res = await put("webhook", { url });
    assert.is(res.status, 400, url);
    assert.equal((await json(res)).errors, [{ path: "url", message: "must be a public address" }]);
  }
  assert.is((await put("nextcloud", { url: "http://192.168.1.5/nc", token: "Abcdefgh1234" })).status, 400);
  const ok = await put("webhook", { url: "https://hooks.chaton-u.example/signup" });
  assert.is(ok.status, 200);
  const body = await json(ok);
  assert.is(body.url, "https://hooks.chaton-u.example/signup");
  assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const get = await json(await env.app.request(`/api/v1/providers/${p.slug}/webhook`, { headers: { authorization: `Bearer ${p.token}` } }));
  assert.equal(get, { url: "https://hooks.chaton-u.example/signup", enabled: true, updatedAt: "2026-11-25T12:00:00.000Z" });
}, { ALLOW_PRIVATE_NETWORK: "0" }));

test.run();
