import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { json, registerProvider, putOffer, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { startFakeNextcloud } from "../fixtures/fake-nextcloud.ts";
import { person, postSignup, tokenOf } from "../helpers/signups.ts";

const ENV = { WEBHOOK_RETRY_SCHEDULE: "1s,1s,2s", SIGNUP_RATE_LIMIT_EMAIL: "100/1h" };
const NC_TOKEN = "Xk3pQ9vLm2Rt7Wz5";

async function nextcloudProvider(env: TestEnv, slug: string, instanceUrl: string, token = NC_TOKEN) {
  const p = await registerProvider(env.app, slug);
  assert.is((await putOffer(env.app, slug, p.token, "cloud", sampleOffer({ signup: { mode: "nextcloud" } }))).status, 201);
  const put = await env.app.request(`/api/v1/providers/${slug}/nextcloud`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ url: `${instanceUrl}/`, token }),
  });
  assert.is(put.status, 200);
  assert.equal(await json(put), { url: instanceUrl });
  return { ...p, offerId: `${slug}~cloud` };
}

test("nextcloud mode: the request preferred_providers expects; statuses and texts follow the real flow (confirm mail now, password mail later, disabled after 6 h unconfirmed)", async () => {
  const env = await testEnv({ env: ENV });
  const nc = await startFakeNextcloud(NC_TOKEN, { prefix: "/nextcloud", now: () => env.deps.clock.now() });
  try {
    const p = await nextcloudProvider(env, "chaton-nc", nc.url);
    const accepted = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    assert.equal(await runDeliveryRound(env.deps, { random: () => 0.5 }), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    assert.is(nc.calls.length, 1);
    const call = nc.calls[0];
    assert.is(call.method, "POST");
    assert.is(call.path, `/nextcloud/ocs/v2.php/account/request/${NC_TOKEN}`);
    assert.is(call.headers["content-type"], "application/x-www-form-urlencoded");
    assert.is(call.body, "email=camille%40example.org");
    assert.equal([...nc.users.keys()], ["camille@example.org"]);
    // Nextcloud mailed the confirmation link at once; the password link waits for its 5-minute background job.
    assert.equal(nc.mails.map((m) => m.kind), ["verify"]);
    const status = await json(await env.app.request(`/api/v1/signups/${accepted.id}?token=${tokenOf(accepted.statusUrl)}`));
    assert.equal([status.status, status.loginUrl], ["active", nc.url]);
    assert.equal(status.events.map((e: any) => [e.status, e.message]), [["pending", undefined], ["delivered", "Nextcloud a créé le compte et envoyé un lien pour confirmer l’adresse. Sans confirmation dans les 6 heures, le compte est désactivé."], ["active", "Nextcloud envoie le lien pour choisir un mot de passe quelques minutes après la création du compte."]]);
    const en = await (await env.app.request(`${new URL(accepted.statusUrl).pathname}${new URL(accepted.statusUrl).search}&lang=en`)).text();
    assert.match(en, /Account created — check your email/);
    assert.match(en, /confirm it before 25 November 2026 at 18:00 UTC, or the account is disabled/);
    assert.not.match(en, /Your account is ready/);
    const fr = await (await env.app.request(`${new URL(accepted.statusUrl).pathname}${new URL(accepted.statusUrl).search}&lang=fr`)).text();
    assert.match(fr, /Compte créé — regardez vos courriels/);
    assert.match(fr, /confirmez-la avant le 25 novembre 2026 à 18:00 UTC/);

    env.deps.clock.advance(6 * 60_000);
    nc.runBackgroundJobs();
    assert.equal(nc.mails.map((m) => m.kind), ["verify", "set-password"]);
    env.deps.clock.advance(6 * 3_600_000);
    nc.runBackgroundJobs();
    assert.equal([nc.mails.map((m) => m.kind), nc.users.get("camille@example.org")?.enabled], [["verify", "set-password", "disabled"], false]);
  } finally { await nc.close(); await env.close(); }
});

test("nextcloud mode: after a lost 201, the retry's \"user already exists\" means delivered (the account exists); on a first attempt it means the person already has one", async () => {
  const env = await testEnv({ env: ENV });
  const nc = await startFakeNextcloud(NC_TOKEN);
  try {
    const p = await nextcloudProvider(env, "chaton-lost", nc.url);
    nc.state.loseAnswers = 1; // Nextcloud creates the account, the answer never arrives
    const s1 = await json(await postSignup(env, { offerId: p.offerId, ...person({ email: "lost@example.org" }) }));
    assert.equal(await runDeliveryRound(env.deps, { random: () => 0.5 }), { claimed: 1, delivered: 0, retried: 1, rejected: 0, dead: 0 });
    assert.ok(nc.users.has("lost@example.org"));
    env.deps.clock.advance(1100);
    assert.equal(await runDeliveryRound(env.deps, { random: () => 0.5 }), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    const st1 = await json(await env.app.request(`/api/v1/signups/${s1.id}?token=${tokenOf(s1.statusUrl)}`));
    assert.equal(st1.status, "active");
    assert.equal(st1.events.find((e: any) => e.status === "delivered").message, "Le compte existait déjà\u202f: un essai précédent de cette même demande l’avait créé (sa réponse s’était perdue en route).");
    const attempts = await env.deps.db.selectFrom("delivery_attempts").select(["outcome", "http_status"]).orderBy("id").execute();
    assert.equal(attempts.map((a) => [a.outcome, a.http_status]), [["retry", null], ["delivered", 400]]);

    // Another signup with that address, first attempt: the account belongs to someone already — refused, and said so.
    const s2 = await json(await postSignup(env, { offerId: p.offerId, ...person({ email: "lost@example.org" }) }));
    assert.equal(await runDeliveryRound(env.deps), { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
    const row = await env.deps.db.selectFrom("outbox").selectAll().where("signup_id", "=", s2.id).executeTakeFirstOrThrow();
    assert.equal([row.status, row.last_status, row.last_error], ["rejected", 400, "HTTP 400: user already exists"]);
    const page = await (await env.app.request(`${new URL(s2.statusUrl).pathname}${new URL(s2.statusUrl).search}&lang=en`)).text();
    assert.match(page, /An account with this email address already exists at <span translate="no">Hébergeur chaton-lost<\/span>\. Log in there, or ask for a new password from its login page\./);
  } finally { await nc.close(); await env.close(); }
});

test("nextcloud mode: a wrong token is rejected (401), maintenance (503, OCS envelope) is retried", async () => {
  const env = await testEnv({ env: ENV });
  const nc = await startFakeNextcloud(NC_TOKEN);
  try {
    const bad = await nextcloudProvider(env, "chaton-bad", nc.url, "WrongToken123");
    const s1 = await json(await postSignup(env, { offerId: bad.offerId, ...person({ email: "one@example.org" }) }));
    assert.is((await runDeliveryRound(env.deps)).rejected, 1);
    const r1 = await env.deps.db.selectFrom("signups").select("status").where("id", "=", s1.id).executeTakeFirstOrThrow();
    assert.is(r1.status, "rejected");
    const o1 = await env.deps.db.selectFrom("outbox").selectAll().where("signup_id", "=", s1.id).executeTakeFirstOrThrow();
    assert.is(o1.last_error, "HTTP 401: invalid token");

    const good = await nextcloudProvider(env, "chaton-good", nc.url);
    nc.state.down = true;
    const s2 = await json(await postSignup(env, { offerId: good.offerId, ...person({ email: "two@example.org" }) }));
    assert.is((await runDeliveryRound(env.deps, { random: () => 0.5 })).retried, 1);
    const down = await env.deps.db.selectFrom("outbox").selectAll().where("signup_id", "=", s2.id).executeTakeFirstOrThrow();
    assert.equal([down.last_status, down.last_error], [503, "HTTP 503: Service unavailable"]);
    nc.state.down = false;
    env.deps.clock.advance(1000);
    assert.is((await runDeliveryRound(env.deps)).delivered, 1);
    const r2 = await env.deps.db.selectFrom("signups").select("status").where("id", "=", s2.id).executeTakeFirstOrThrow();
    assert.is(r2.status, "active");
    assert.is((await env.app.request(`/api/v1/providers/chaton-good/nextcloud`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${good.token}` }, body: JSON.stringify({ url: nc.url, token: "short" }) })).status, 400);
  } finally { await nc.close(); await env.close(); }
});

test.run();
