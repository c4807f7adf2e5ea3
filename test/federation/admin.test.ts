import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, testEnv } from "../helpers/deps.ts";

const TOKEN = "an-admin-token-of-32-characters!";

test("admin API: 403 problem when ADMIN_TOKEN is not configured", async () => {
  const env = await testEnv();
  try {
    const res = await env.app.request("/api/v1/admin/follows", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.is(res.status, 403);
    assert.is(res.headers.get("content-type"), "application/problem+json; charset=utf-8");
    assert.is((await json(res)).type, "https://chatons-directory.org/problems/forbidden");
  } finally { await env.close(); }
});

test("admin API: 401 without or with a wrong token; validation problems list fields; blocks round trip", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: TOKEN } });
  try {
    const none = await env.app.request("/api/v1/admin/blocks");
    assert.is(none.status, 401);
    assert.is(none.headers.get("www-authenticate"), 'Bearer realm="chatons-directory-admin"');
    assert.is((await env.app.request("/api/v1/admin/blocks", { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status, 401);
    const h = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const bad = await env.app.request("/api/v1/admin/follows", { method: "POST", headers: h, body: JSON.stringify({ actor: "not an actor" }) });
    assert.is(bad.status, 400);
    assert.equal((await json(bad)).errors.map((e: any) => e.path), ["actor"]);
    const badDomain = await env.app.request("/api/v1/admin/blocks", { method: "POST", headers: h, body: JSON.stringify({ domain: "http://x/" }) });
    assert.is(badDomain.status, 400);
    const created = await env.app.request("/api/v1/admin/blocks", { method: "POST", headers: h, body: JSON.stringify({ domain: "Spam.Example" }) });
    assert.is(created.status, 201);
    assert.equal(await json(created), { domain: "spam.example", created: true, purgedOffers: 0 });
    assert.is((await env.app.request("/api/v1/admin/blocks", { method: "POST", headers: h, body: JSON.stringify({ domain: "spam.example" }) })).status, 200);
    const list = await json(await env.app.request("/api/v1/admin/blocks", { headers: h }));
    assert.equal(list, { items: [{ domain: "spam.example", createdAt: "2026-11-25T12:00:00.000Z" }], total: 1, nextCursor: null });
    assert.is((await env.app.request("/api/v1/admin/blocks/spam.example", { method: "DELETE", headers: h })).status, 204);
    assert.equal((await json(await env.app.request("/api/v1/admin/follows", { headers: h }))).items, []);
    const unknown = await env.app.request(`/api/v1/admin/follows?actor=${encodeURIComponent("https://nobody.example/ap/directory")}`, { method: "DELETE", headers: h });
    assert.is(unknown.status, 404);
  } finally { await env.close(); }
});

test("ActivityPub documents: our JSON-LD context, offer Proposal, and HTML still served by Hono at unknown AP paths", async () => {
  const env = await testEnv();
  try {
    const ctx = await env.app.request("/ap/context.jsonld");
    assert.is(ctx.status, 200);
    assert.is((await json(ctx))["@context"].chatons, "https://chatons-directory.org/ns#");
    const missing = await env.app.request("/ap/offers/nobody~nothing", { headers: { accept: "application/activity+json" } });
    assert.is(missing.status, 404);
    assert.is(missing.headers.get("content-type"), "application/problem+json; charset=utf-8");
    const actor = await env.app.request("/ap/directory", { headers: { accept: "application/activity+json" } });
    assert.is(actor.status, 200);
    const doc = await json(actor);
    assert.is(doc.type, "Service");
    assert.is(doc.preferredUsername, "directory");
    assert.is(doc.endpoints.sharedInbox, "http://127.0.0.1:3000/ap/inbox");
    assert.match(doc.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
    const page = await env.app.request("/ap/directory", { headers: { accept: "text/html,application/xhtml+xml" } });
    assert.is(page.status, 303);
    assert.is(page.headers.get("location"), "/");
    const keys = await env.deps.db.selectFrom("fed_keys").select(["actor", "algorithm"]).orderBy("algorithm").execute();
    assert.equal(keys, [{ actor: "_directory", algorithm: "Ed25519" }, { actor: "_directory", algorithm: "RSASSA-PKCS1-v1_5" }]);
  } finally { await env.close(); }
});

test.run();
