import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";

test("search finds an offer written with accents from an accent-free query, with exact shape", async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-a");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    assert.is((await putOffer(env.app, slug, token, "pad", sampleOffer({ service: "pad", software: { name: "HedgeDoc" }, title: { fr: "Bloc-notes" }, description: { fr: "Notes" } }))).status, 201);
    const res = await env.app.request("/api/v1/offers?q=ecole");
    assert.is(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = await json(res);
    assert.is(body.total, 1);
    assert.equal(body.items.map((o: any) => o.id), ["chaton-a~cloud"]);
    const o = body.items[0];
    assert.equal(o.provider, {
      slug: "chaton-a", name: "Hébergeur chaton-a", country: "FR", orgType: "association", chatonsMember: false, chatonsMembership: "none", verified: false,
      reviewed: false, newlyListed: true,
    });
    assert.equal(o.price, { model: "free" });
    assert.is(o.source, "local");
    assert.is(o.stale, false);
    assert.is(o.updatedAt, "2026-11-25T12:00:00.000Z");
    assert.is(body.nextCursor, null);
    assert.equal(body.facets.service, [{ value: "storage", count: 1 }]);
  } finally { await env.close(); }
});

test("GET /api/v1/offers/{id}: 200 with ETag, 304 on If-None-Match, 404 problem for unknown", async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-b");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    const res = await env.app.request("/api/v1/offers/chaton-b~cloud");
    assert.is(res.status, 200);
    const etag = res.headers.get("etag")!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.match(res.headers.get("cache-control") ?? "", /stale-while-revalidate/);
    const again = await env.app.request("/api/v1/offers/chaton-b~cloud", { headers: { "if-none-match": etag } });
    assert.is(again.status, 304);
    const nf = await env.app.request("/api/v1/offers/nobody~nothing");
    assert.is(nf.status, 404);
    assert.is(nf.headers.get("content-type"), "application/problem+json; charset=utf-8");
    const p = await json(nf);
    assert.is(p.type, "https://chatons-directory.org/problems/not-found");
    assert.is(p.status, 404);
  } finally { await env.close(); }
});

test("offer writes: PUT 201 then 200, If-Match 412, PATCH merges, DELETE removes from search", async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-c");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    const get = await env.app.request("/api/v1/offers/chaton-c~cloud");
    const etag = get.headers.get("etag")!;
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer({ registration: "approval" }), { "if-match": '"stale"' })).status, 412);
    const ok = await putOffer(env.app, slug, token, "cloud", sampleOffer({ registration: "approval" }), { "if-match": etag });
    assert.is(ok.status, 200);
    assert.is((await json(ok)).registration, "approval");
    const patch = await env.app.request(`/api/v1/providers/${slug}/offers/cloud`, {
      method: "PATCH", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ capacity: "full", quota: { storageGB: 50 } }),
    });
    assert.is(patch.status, 200);
    const patched = await json(patch);
    assert.is(patched.capacity, "full");
    assert.equal(patched.quota, { storageGB: 50, users: 5 });
    const del = await env.app.request(`/api/v1/providers/${slug}/offers/cloud`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    assert.is(del.status, 204);
    assert.is((await json(await env.app.request("/api/v1/offers?q=nextcloud"))).total, 0);
    const changes = await env.deps.db.selectFrom("offer_changes").select(["offer_id", "kind"]).orderBy("id").execute();
    assert.equal(changes.map((c) => c.kind), ["created", "updated", "updated", "deleted"]);
  } finally { await env.close(); }
});

test("provider tokens: 401 without, 403 with another provider's token, rotation revokes the old one", async () => {
  const env = await testEnv();
  try {
    const a = await registerProvider(env.app, "chaton-d");
    const b = await registerProvider(env.app, "chaton-e");
    assert.is((await putOffer(env.app, a.slug, "", "cloud", sampleOffer())).status, 401);
    assert.is((await putOffer(env.app, a.slug, b.token, "cloud", sampleOffer())).status, 403);
    assert.is((await putOffer(env.app, a.slug, b.token, "cloud", { service: "nope" })).status, 403, "authentication comes before validation");
    const rot = await env.app.request(`/api/v1/providers/${a.slug}/token/rotate`, { method: "POST", headers: { authorization: `Bearer ${a.token}` } });
    assert.is(rot.status, 200);
    const { token } = await json(rot);
    assert.is((await putOffer(env.app, a.slug, a.token, "cloud", sampleOffer())).status, 401);
    assert.is((await putOffer(env.app, a.slug, token, "cloud", sampleOffer())).status, 201);
    const stored = await env.deps.db.selectFrom("provider_tokens").select("token_hash").execute();
    assert.ok(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && r.token_hash !== token));
  } finally { await env.close(); }
});

test.run();
