/**
 * Listings people can trust (docs/decisions/0030): LISTING_POLICY=reviewed keeps a new provider out of every public
 * read until an operator approves it; hiding takes a provider or an offer out again; people's reports reach the
 * operator; every action is in the append-only audit log.
 */
import { sql } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { client, tokenIn } from "../helpers/space.ts";

const ADMIN = "admin-token-for-tests-0123456789";
const admin = (env: TestEnv, path: string, body?: unknown, method = "POST") => env.app.request(`/api/v1/admin${path}`, {
  method: body === undefined && method === "POST" ? "POST" : method,
  headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

/** Everything the public can reach about one offer and its provider, as status codes and counts. */
async function publicView(env: TestEnv, slug: string, offerId: string) {
  const get = (path: string, init?: RequestInit) => env.app.request(path, init);
  const search = await json(await get("/api/v1/offers?q=ecoles"));
  const listing = await json(await get("/api/v1/offers?limit=100"));
  const providers = await json(await get("/api/v1/providers?limit=100"));
  return {
    search: search.items.filter((o: any) => o.id === offerId).length,
    listing: listing.items.filter((o: any) => o.id === offerId).length,
    facetTotal: listing.total,
    offer: (await get(`/api/v1/offers/${offerId}`)).status,
    provider: (await get(`/api/v1/providers/${slug}`)).status,
    providers: providers.items.filter((p: any) => p.slug === slug).length,
    page: (await get(`/offers/${offerId}`, { headers: { accept: "text/html" } })).status,
    providerPage: (await get(`/providers/${slug}`, { headers: { accept: "text/html" } })).status,
    compare: (await get(`/api/v1/compare?ids=${offerId},${offerId.replace("~cloud", "~pad")}`)).status,
    statoolinfos: (await (await get("/.well-known/chatonsinfos/federation.properties")).text()).includes(slug),
    report: (await get(`/offers/${offerId}/report`, { headers: { accept: "text/html" } })).status,
  };
}

test("reviewed: a new provider is out of search, pages, API, compare and exports until approved; hiding takes it out again, unhiding brings it back", async () => {
  const env = await testEnv({ env: { LISTING_POLICY: "reviewed", ADMIN_TOKEN: ADMIN } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-new");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    const own = await json(await putOffer(env.app, slug, token, "pad", sampleOffer({ service: "pad", software: { name: "Etherpad" } })));
    assert.equal(own.listing, { state: "waiting-for-review" });
    const account = await json(await env.app.request(`/api/v1/providers/${slug}/account`, { headers: { authorization: `Bearer ${token}` } }));
    assert.equal(account.provider.listing, { state: "waiting-for-review" });
    const hidden = { search: 0, listing: 0, facetTotal: 0, offer: 404, provider: 404, providers: 0, page: 404, providerPage: 404, compare: 404, statoolinfos: false, report: 404 };
    assert.equal(await publicView(env, slug, `${slug}~cloud`), hidden);
    // Signups cannot reach an offer nobody can see.
    const signup = await env.app.request("/api/v1/signups", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ offerId: `${slug}~cloud`, email: "a@example.org", name: "A", consent: true }) });
    assert.is(signup.status, 404);

    const queue = await json(await admin(env, "/review", undefined, "GET"));
    assert.equal(queue.items.map((q: any) => [q.slug, q.offerCount, q.verified]), [[slug, 2, false]]);
    const approved = await admin(env, `/providers/${slug}/approve`, { reason: "site and offers checked", by: "Camille" });
    assert.is(approved.status, 200);
    assert.equal(await json(approved), { slug, listing: "listed", reviewedAt: "2026-11-25T12:00:00.000Z", hiddenAt: null, hiddenReason: null });
    const shown = await publicView(env, slug, `${slug}~cloud`);
    assert.equal(shown, { search: 1, listing: 1, facetTotal: 2, offer: 200, provider: 200, providers: 1, page: 200, providerPage: 200, compare: 200, statoolinfos: true, report: 200 });
    const offer = await json(await env.app.request(`/api/v1/offers/${slug}~cloud`));
    assert.equal([offer.provider.reviewed, offer.provider.newlyListed, offer.listing], [true, true, undefined]);

    // Hiding one offer: only that one goes.
    assert.is((await admin(env, `/offers/${slug}~pad/hide`, { reason: "duplicate of the cloud offer" })).status, 200);
    assert.equal((await json(await env.app.request("/api/v1/offers?limit=100"))).items.map((o: any) => o.id), [`${slug}~cloud`]);
    const mine = await json(await env.app.request(`/api/v1/providers/${slug}/account`, { headers: { authorization: `Bearer ${token}` } }));
    assert.equal(mine.provider.listing, { state: "listed" });
    // Hiding the provider: everything goes, and its owner sees why.
    assert.is((await admin(env, `/providers/${slug}/hide`, { reason: "not a CHATONS-like host" })).status, 200);
    assert.equal(await publicView(env, slug, `${slug}~cloud`), hidden);
    const again = await json(await putOffer(env.app, slug, token, "cloud", sampleOffer({ capacity: "full" })));
    assert.equal(again.listing, { state: "provider-hidden", reason: "not a CHATONS-like host" });
    assert.equal(await publicView(env, slug, `${slug}~cloud`), hidden, "an edit while hidden publishes nothing");
    // Unhiding: it was listed before, so it is listed again at once (the hidden offer stays hidden).
    assert.is((await admin(env, `/providers/${slug}/unhide`)).status, 200);
    assert.equal((await json(await env.app.request("/api/v1/offers?limit=100"))).items.map((o: any) => [o.id, o.capacity]), [[`${slug}~cloud`, "full"]]);
    assert.is((await admin(env, `/offers/${slug}~pad/unhide`, { reason: "fixed" })).status, 200);
    assert.is((await json(await env.app.request("/api/v1/offers?limit=100"))).total, 2);
    // Mistakes are problems, not 500s.
    assert.is((await admin(env, `/providers/${slug}/hide`, {})).status, 400);
    assert.is((await admin(env, `/providers/nobody/approve`)).status, 404);
    assert.is((await admin(env, `/offers/${slug}~pad/unhide`)).status, 409);
  } finally { await env.close(); }
});

test("open: a new provider is listed at once; switching to reviewed hides nobody already listed", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-open");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 1);
    const { applyListingPolicy } = await import("../../src/domain/catalog/offers.ts");
    await applyListingPolicy(env.deps.db, "reviewed", env.deps.clock.now());
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 1);
    const late = await registerProvider(env.app, "chaton-late");
    await putOffer(env.app, late.slug, late.token, "cloud", sampleOffer());
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 1);
    assert.equal((await json(await admin(env, "/review", undefined, "GET"))).items.map((q: any) => q.slug), ["chaton-late"]);
    // Back to open: whoever waited is listed.
    await applyListingPolicy(env.deps.db, "open", env.deps.clock.now());
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 2);
  } finally { await env.close(); }
});

test.run();
