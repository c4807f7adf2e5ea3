/**
 * A provider reads back what it published through the API, public or not yet: `GET /api/v1/providers/{slug}/offers`
 * and `…/offers/{offerSlug}` answer to its token only, say why the public does not see an offer (`listing`), and give
 * the ETag that `If-Match` expects on the next write.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";

const ADMIN = "admin-token-for-tests-0123456789";
const asToken = (env: TestEnv, path: string, token: string) => env.app.request(path, { headers: { authorization: `Bearer ${token}` } });

test("reviewed: the provider reads its waiting offers, writes with their ETag, and sees them public once approved", async () => {
  const env = await testEnv({ env: { LISTING_POLICY: "reviewed", ADMIN_TOKEN: ADMIN } });
  try {
    const p = await registerProvider(env.app, "chatons-du-lot");
    const other = await registerProvider(env.app, "coop-nuage");
    assert.is((await putOffer(env.app, p.slug, p.token, "cloud", sampleOffer())).status, 201);
    assert.is((await putOffer(env.app, p.slug, p.token, "pad", sampleOffer({ service: "pad", software: { name: "HedgeDoc" }, title: { fr: "Pads", en: "Pads" } }))).status, 201);

    // The public sees nothing yet; the provider sees both, each saying why.
    assert.is((await env.app.request("/api/v1/offers/chatons-du-lot~cloud")).status, 404);
    const list = await asToken(env, "/api/v1/providers/chatons-du-lot/offers", p.token);
    assert.is(list.status, 200);
    assert.is(list.headers.get("cache-control"), "no-store");
    const body = await json(list);
    assert.is(body.total, 2);
    assert.equal(body.items.map((o: any) => [o.id, o.listing]), [
      ["chatons-du-lot~cloud", { state: "waiting-for-review" }],
      ["chatons-du-lot~pad", { state: "waiting-for-review" }],
    ]);

    const one = await asToken(env, "/api/v1/providers/chatons-du-lot/offers/cloud", p.token);
    assert.is(one.status, 200);
    const etag = one.headers.get("etag")!;
    assert.match(etag, /^(W\/)?"/);
    assert.equal((await json(one)).listing, { state: "waiting-for-review" });

    // Its ETag is the one If-Match expects: a write with it succeeds, the same ETag again is stale.
    const changed = await putOffer(env.app, p.slug, p.token, "cloud", sampleOffer({ capacity: "full" }), { "if-match": etag });
    assert.is(changed.status, 200);
    assert.is((await putOffer(env.app, p.slug, p.token, "cloud", sampleOffer(), { "if-match": etag })).status, 412);

    // Nobody else reads them: no token, another provider's token, an offer that does not exist.
    assert.is((await env.app.request("/api/v1/providers/chatons-du-lot/offers")).status, 401);
    assert.is((await asToken(env, "/api/v1/providers/chatons-du-lot/offers", other.token)).status, 403);
    assert.is((await asToken(env, "/api/v1/providers/chatons-du-lot/offers/cloud", other.token)).status, 403);
    const missing = await asToken(env, "/api/v1/providers/chatons-du-lot/offers/nothing-here", p.token);
    assert.is(missing.status, 404);
    assert.match(missing.headers.get("content-type")!, /application\/problem\+json/);
    assert.is((await asToken(env, "/api/v1/providers/coop-nuage/offers", other.token)).status, 200);
    assert.is((await json(await asToken(env, "/api/v1/providers/coop-nuage/offers", other.token))).total, 0);

    // Approved: no `listing` any more, and the provider's read is the public one, ETag included.
    const approved = await env.app.request(`/api/v1/admin/providers/${p.slug}/approve`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    assert.is(approved.status, 200);
    const own = await asToken(env, "/api/v1/providers/chatons-du-lot/offers/cloud", p.token);
    const pub = await env.app.request("/api/v1/offers/chatons-du-lot~cloud");
    assert.is(pub.status, 200);
    const ownBody = await json(own);
    assert.is(ownBody.listing, undefined);
    assert.is(ownBody.capacity, "full");
    assert.is(own.headers.get("etag"), pub.headers.get("etag"));
  } finally { await env.close(); }
});

test.run();
