import { test } from "uvu";
import * as assert from "uvu/assert";
import { recheckVerifications } from "../../src/domain/providers/verification.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";
import { startServer } from "../helpers/server.ts";

test("verification: 409 while the proof is missing or wrong, then 200 and verified=true in search and provider pages", async () => {
  const env = await testEnv();
  let proof: string | undefined;
  const server = await startServer((req, res) => {
    if (req.url === "/.well-known/chatons-directory.txt" && proof !== undefined) { res.end(proof); return; }
    res.statusCode = 404; res.end();
  });
  try {
    const { slug, token, body } = await registerProvider(env.app, "chaton-v", { website: `${server.url}/` });
    assert.is(body.verification.url, `${server.url}/.well-known/chatons-directory.txt`);
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    const verify = () => env.app.request(`/api/v1/providers/${slug}/verification`, { method: "POST", headers: { authorization: `Bearer ${token}` } });

    const missing = await verify();
    assert.is(missing.status, 409);
    const p1 = await json(missing);
    assert.is(p1.detail, `Domain proof failed: ${server.url}/.well-known/chatons-directory.txt answered HTTP 404.`);
    assert.is(p1.verificationUrl, `${server.url}/.well-known/chatons-directory.txt`);

    proof = "chatons-directory-verification=somebody-else\n";
    const wrong = await json(await verify());
    assert.is(wrong.detail, `Domain proof failed: ${server.url}/.well-known/chatons-directory.txt does not contain the verification token on a line of its own.`);
    assert.is((await json(await env.app.request("/api/v1/offers?verified=true"))).total, 0);

    proof = `# chatons-directory\r\n  ${body.verification.token}  \r\n`;
    const good = await verify();
    assert.is(good.status, 200);
    assert.equal(await json(good), { verified: true, verifiedAt: "2026-11-25T12:00:00.000Z", url: `${server.url}/.well-known/chatons-directory.txt` });
    const search = await json(await env.app.request("/api/v1/offers?verified=true"));
    assert.equal([search.total, search.items[0].provider.verified], [1, true]);
    assert.is((await json(await env.app.request(`/api/v1/providers/${slug}`))).verified, true);
  } finally { await server.close(); await env.close(); }
});

test("re-check: daily while fine, hourly retries after a failure, cleared on the third failure in a row", async () => {
  const env = await testEnv();
  let up = true;
  let token = "";
  const server = await startServer((_req, res) => { if (up) res.end(token); else { res.statusCode = 503; res.end(); } });
  try {
    const r = await registerProvider(env.app, "chaton-w", { website: `${server.url}/` });
    token = r.body.verification.token;
    await putOffer(env.app, r.slug, r.token, "cloud", sampleOffer());
    assert.is((await env.app.request(`/api/v1/providers/${r.slug}/verification`, { method: "POST", headers: { authorization: `Bearer ${r.token}` } })).status, 200);
    const recheck = () => recheckVerifications(env.deps);
    const hour = 3_600_000;

    assert.equal(await recheck(), { checked: 0, failed: 0, cleared: [] }); // just verified
    env.deps.clock.advance(24 * hour);
    assert.equal(await recheck(), { checked: 1, failed: 0, cleared: [] });
    up = false;
    env.deps.clock.advance(24 * hour);
    assert.equal(await recheck(), { checked: 1, failed: 1, cleared: [] });
    assert.equal(await recheck(), { checked: 0, failed: 0, cleared: [] }); // retry not due yet
    env.deps.clock.advance(hour);
    assert.equal(await recheck(), { checked: 1, failed: 1, cleared: [] });
    assert.is((await json(await env.app.request("/api/v1/offers?verified=true"))).total, 1);
    env.deps.clock.advance(hour);
    assert.equal(await recheck(), { checked: 1, failed: 1, cleared: ["chaton-w"] });
    assert.is((await json(await env.app.request("/api/v1/offers?verified=true"))).total, 0);
    assert.is((await json(await env.app.request(`/api/v1/providers/${r.slug}`))).verified, false);

    // A failure between successes does not accumulate: fail, succeed, fail, fail keeps it.
    up = true;
    assert.is((await env.app.request(`/api/v1/providers/${r.slug}/verification`, { method: "POST", headers: { authorization: `Bearer ${r.token}` } })).status, 200);
    const steps: Array<[boolean, number]> = [[false, 24], [true, 1], [false, 24], [false, 1]];
    for (const [ok, h] of steps) { up = ok; env.deps.clock.advance(h * hour); await recheck(); }
    assert.is((await json(await env.app.request(`/api/v1/providers/${r.slug}`))).verified, true);
  } finally { await server.close(); await env.close(); }
});

test("domain verified needs an https website: an http one is refused without fetching anything (unless ALLOW_PRIVATE_NETWORK=1)", async () => {
  const env = await testEnv({ env: { ALLOW_PRIVATE_NETWORK: "0" } });
  const fetched: string[] = [];
  env.deps.http = Object.assign(async (url: string) => { fetched.push(url); throw new Error("no network in this test"); }, { check: async () => {} }) as never;
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-http", { website: "http://chaton-http.example/" });
    const r = await env.app.request(`/api/v1/providers/${slug}/verification`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    assert.is(r.status, 409);
    assert.is((await json(r)).detail, "Domain proof failed: http://chaton-http.example/ is not an https address: domain verification needs https.");
    assert.equal(fetched, []);
    assert.is((await json(await env.app.request(`/api/v1/providers/${slug}/account`, { headers: { authorization: `Bearer ${token}` } }))).verification.verified, false);
  } finally { await env.close(); }
});

test.run();
