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

test("nextcloud mode: the request matches what preferred_providers checks; the account is active with the instance as login URL", async () => {
  const env = await testEnv({ env: ENV });
  const nc = await startFakeNextcloud(NC_TOKEN, { prefix: "/nextcloud" });
  try {
    const p = await nextcloudProvider(env, "chaton-nc", nc.url);
    const accepted = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    assert.equal(await runDeliveryRound(env.deps, { random: () => 0.5 }), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    assert.is(nc.calls.length, 1);
    const call = nc.calls[0];
    assert.is(call.method, "POST");
    assert.is(call.path, `/nextcloud/ocs/v2.php/account/request/${NC_TOKEN}`);
    assert.is(call.headers["ocs-apirequest"], "true");
    assert.is(call.headers.accept, "application/json");
    assert.is(call.headers["content-type"], "application/x-www-form-urlencoded");
    assert.is(call.body, "email=camille%40example.org");
    assert.equal([...nc.users], ["camille@example.org"]);
    const status = await json(await env.app.request(`/api/v1/signups/${accepted.id}?token=${tokenOf(accepted.statusUrl)}`));
    assert.is(status.status, "active");
    assert.is(status.loginUrl, nc.url);
    assert.equal(status.events.map((e: any) => e.status), ["pending", "delivered", "active"]);

    // The same email again: Nextcloud says the user exists (400) → rejected, not retried.
    const again = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    assert.equal(await runDeliveryRound(env.deps), { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
    const row = await env.deps.db.selectFrom("outbox").selectAll().where("signup_id", "=", again.id).executeTakeFirstOrThrow();
    assert.equal([row.status, row.last_status, row.last_error], ["rejected", 400, "HTTP 400: user already exists"]);
  } finally { await nc.close(); await env.close(); }
});

test("nextcloud mode: a wrong token is rejected (401), maintenance (503) is retried", async () => {
  const env = await testEnv({ env: ENV });
  const nc = await startFakeNextcloud(NC_TOKEN);
  try {
    const bad = await nextcloudProvider(env, "chaton-bad", nc.url, "WrongToken123");
    const s1 = await json(await postSignup(env, { offerId: bad.offerId, ...person({ email: "one@example.org" }) }));
    assert.is((await runDeliveryRound(env.deps)).rejected, 1);
    const r1 = await env.deps.db.selectFrom("signups").select("status").where("id", "=", s1.id).executeTakeFirstOrThrow();
    assert.is(r1.status, "rejected");

    const good = await nextcloudProvider(env, "chaton-good", nc.url);
    nc.state.down = true;
    const s2 = await json(await postSignup(env, { offerId: good.offerId, ...person({ email: "two@example.org" }) }));
    assert.is((await runDeliveryRound(env.deps, { random: () => 0.5 })).retried, 1);
    nc.state.down = false;
    env.deps.clock.advance(1000);
    assert.is((await runDeliveryRound(env.deps)).delivered, 1);
    const r2 = await env.deps.db.selectFrom("signups").select("status").where("id", "=", s2.id).executeTakeFirstOrThrow();
    assert.is(r2.status, "active");
    assert.is((await env.app.request(`/api/v1/providers/chaton-good/nextcloud`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${good.token}` }, body: JSON.stringify({ url: nc.url, token: "short" }) })).status, 400);
  } finally { await nc.close(); await env.close(); }
});

test.run();
