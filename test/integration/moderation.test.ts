/**
 * Listings people can trust (docs/decisions/0030): LISTING_POLICY=reviewed keeps a new provider out of every public
 * read until an operator approves it; hiding takes a provider or an offer out again; people's reports reach the
 * operator; every action is in the append-only audit log.
 */
import { sql } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import * as v from "valibot";
import { OfferInput } from "../../src/domain/schemas.ts";
import { applyPulledOffers } from "../../src/domain/sources/apply.ts";
import { client, textOf, tokenIn } from "../helpers/space.ts";

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

test("a hidden offer stays hidden when it is deleted and published again: by the API, by a pull that left it out once, in bulk", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-stubborn");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    const id = `${slug}~cloud`;
    assert.is((await admin(env, `/offers/${id}/hide`, { reason: "misleading price" })).status, 200);
    const changesBefore = await env.deps.db.selectFrom("offer_changes").select("kind").where("offer_id", "=", id).execute();

    // The API: delete, then the same PUT again.
    const del = await env.app.request(`/api/v1/providers/${slug}/offers/cloud`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    assert.is(del.status, 204);
    const again = await putOffer(env.app, slug, token, "cloud", sampleOffer());
    assert.is(again.status, 201);
    assert.equal((await json(again)).listing, { state: "hidden", reason: "misleading price" });
    assert.is((await env.app.request(`/api/v1/offers/${id}`)).status, 404);
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 0);
    assert.equal((await json(await admin(env, "/hidden", undefined, "GET"))).offers.map((o: any) => [o.id, o.reason]), [[id, "misleading price"]]);
    // Followers heard of nothing new: no `created` after the hide's `deleted`.
    assert.equal(await env.deps.db.selectFrom("offer_changes").select("kind").where("offer_id", "=", id).execute(), changesBefore);
    assert.equal(await env.deps.db.selectFrom("offer_hide_marks").selectAll().execute(), []);
    // Its provider's editor says so, with the operator's reason, and offers no link to a page nobody can see.
    const space = client(env.app, { lang: "fr" });
    await space.submit("/provider/signin", "/provider/signin", { token });
    const editor = await space.get("/provider/offers/cloud");
    assert.match(editor.html, /id="offer-listing" data-state="hidden">/);
    assert.match(textOf(editor.html), /Masquée par l’annuaire .* Leur raison\s?: misleading price/);
    assert.not.match(editor.html, /Voir la page de l’offre comme le public/);

    // A pull source: the offer left out of one reading (deleted), then back (created in bulk): still hidden.
    const pulled = (slugs: string[]) => ({ offers: slugs.map((s) => ({ slug: s, input: v.parse(OfferInput, sampleOffer()) })), keep: [] });
    const provider = (await env.deps.db.selectFrom("providers").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow());
    await env.app.request(`/api/v1/providers/${slug}/offers/cloud`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
    const now = env.deps.clock.now();
    await env.deps.db.transaction().execute((trx) => applyPulledOffers(trx, provider, pulled(["cloud", "pad"]), now));
    assert.is((await env.app.request(`/api/v1/offers/${id}`)).status, 404);
    assert.is((await env.app.request(`/api/v1/offers/${slug}~pad`)).status, 200);
    await admin(env, `/offers/${slug}~pad/hide`, { reason: "duplicate" });
    await env.deps.db.transaction().execute((trx) => applyPulledOffers(trx, provider, pulled(["cloud"]), now));
    await env.deps.db.transaction().execute((trx) => applyPulledOffers(trx, provider, pulled(["cloud", "pad"]), now));
    assert.is((await env.app.request(`/api/v1/offers/${slug}~pad`)).status, 404);
    assert.is((await env.app.request(`/api/v1/offers/${id}`)).status, 404);

    // Unhiding is the operator's decision, and then it is public again.
    assert.is((await admin(env, `/offers/${slug}~pad/unhide`, { reason: "checked" })).status, 200);
    assert.is((await env.app.request(`/api/v1/offers/${slug}~pad`)).status, 200);
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

test("a report sent from the offer page reaches the operator's queue, is rate limited, and is closed from /admin with what was done", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN, REPORT_RATE_LIMIT_IP: "1/1h" } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-reported");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    const id = `${slug}~cloud`;
    const person = client(env.app, { lang: "fr" });
    const offerPage = await person.get(`/offers/${id}`);
    const link = /href="([^"]+)" id="report-link">Signaler cette offre</.exec(offerPage.html);
    assert.ok(link, "the offer page links to the report form");
    const form = await person.get(link![1].replace(/&amp;/g, "&"));
    assert.is(form.status, 200);
    // No reason: the form says so beside the field, nothing is stored.
    const bad = await person.post(`/offers/${id}/report?lang=fr`, { _csrf: tokenIn(form.html), message: "x" });
    assert.is(bad.status, 400);
    assert.match(bad.html, /Choisissez ce qui ne va pas/);
    // Without the form's token (another site posting): refused.
    assert.is((await client(env.app).post(`/offers/${id}/report`, { reason: "spam" })).status, 403);
    const sent = await person.post(`/offers/${id}/report?lang=fr`, { _csrf: tokenIn(form.html), reason: "unavailable", message: "Le lien d’inscription renvoie une erreur 404." });
    assert.is(sent.status, 201);
    assert.match(sent.html, /Votre signalement a été transmis/);
    const third = await person.post(`/offers/${id}/report?lang=fr`, { _csrf: tokenIn(form.html), reason: "spam" });
    assert.is(third.status, 429, "REPORT_RATE_LIMIT_IP=1/1h: the second report from this address waits");
    assert.ok(third.res.headers.get("retry-after"));

    const open = await json(await admin(env, "/reports", undefined, "GET"));
    assert.equal(open.items.map((r: any) => [r.offerId, r.reason, r.message, r.locale, r.status, r.provider.slug]),
      [[id, "unavailable", "Le lien d’inscription renvoie une erreur 404.", "fr", "open", slug]]);
    const reportId = open.items[0].id;

    // The operator signs in to /admin and closes it there.
    const op = client(env.app, { lang: "en" });
    const signin = await op.get("/admin/signin");
    assert.is((await op.post("/admin/signin", { _csrf: tokenIn(signin.html), token: "wrong-token-0000000000", name: "Dominique" })).status, 401);
    const ok = await op.post("/admin/signin", { _csrf: tokenIn(signin.html), token: ADMIN, name: "Dominique" });
    assert.is(ok.status, 303);
    const reports = await op.get("/admin/reports");
    assert.match(reports.html, /Le lien d’inscription renvoie une erreur 404\./);
    assert.match(reports.html, /The service does not exist or does not work/);
    assert.is((await op.post(`/admin/reports/${reportId}/close`, { note: "no token" })).status, 403, "a form without the session's token changes nothing");
    const closed = await op.post(`/admin/reports/${reportId}/close`, { _csrf: tokenIn(reports.html), back: "/admin/reports", note: "asked the host to fix its link" });
    assert.is(closed.status, 303);
    assert.match((await op.follow(closed)).html, /Report closed\./);
    const after = await json(await admin(env, "/reports?status=closed", undefined, "GET"));
    assert.equal(after.items.map((r: any) => [r.id, r.status, r.closedBy, r.closedNote]), [[reportId, "closed", "Dominique", "asked the host to fix its link"]]);
    assert.equal((await json(await admin(env, "/reports", undefined, "GET"))).items, []);
    // The API takes reports too, and refuses what is not a report.
    assert.is((await env.app.request(`/api/v1/offers/${id}/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason: "nope" }) })).status, 400);
    assert.is((await env.app.request("/api/v1/offers/nobody~nothing/reports", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "10.0.0.9" }, body: JSON.stringify({ reason: "spam" }) })).status, 429);
  } finally { await env.close(); }
});

test("the audit log records each action (who, when, what, why), through the API, the pages and the system; the database refuses to change or remove an entry", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN, LISTING_POLICY: "reviewed" } });
  try {
    const a = await registerProvider(env.app, "chaton-audit");
    await putOffer(env.app, a.slug, a.token, "cloud", sampleOffer());
    await admin(env, `/providers/${a.slug}/approve`, { by: "Camille", reason: "checked its site" });
    env.deps.clock.advance(60_000);
    await admin(env, `/offers/${a.slug}~cloud/hide`, { by: "Camille", reason: "misleading price" });
    env.deps.clock.advance(60_000);
    const op = client(env.app, { lang: "fr" });
    const signin = await op.get("/admin/signin");
    await op.post("/admin/signin", { _csrf: tokenIn(signin.html), token: ADMIN, name: "Dominique" });
    const page = await op.get(`/admin/providers/${a.slug}`);
    assert.is(page.status, 200);
    await op.post(`/admin/offers/${a.slug}~cloud/unhide`, { _csrf: tokenIn(page.html), back: `/admin/providers/${a.slug}`, reason: "price fixed" });
    env.deps.clock.advance(60_000);
    const noReason = await op.post(`/admin/providers/${a.slug}/hide`, { _csrf: tokenIn(page.html), back: `/admin/providers/${a.slug}`, reason: " " });
    assert.match(noReason.location ?? "", /problem=reason/, "hiding without a reason is refused");
    await op.post(`/admin/providers/${a.slug}/hide`, { _csrf: tokenIn(page.html), back: `/admin/providers/${a.slug}`, reason: "left the collective" });

    const log = await json(await admin(env, "/audit", undefined, "GET"));
    assert.equal(log.items.map((e: any) => [e.at, e.actor, e.via, e.action, e.targetType, e.target, e.reason]), [
      ["2026-11-25T12:03:00.000Z", "Dominique", "web", "hide-provider", "provider", a.slug, "left the collective"],
      ["2026-11-25T12:02:00.000Z", "Dominique", "web", "unhide-offer", "offer", `${a.slug}~cloud`, "price fixed"],
      ["2026-11-25T12:01:00.000Z", "Camille", "api", "hide-offer", "offer", `${a.slug}~cloud`, "misleading price"],
      ["2026-11-25T12:00:00.000Z", "Camille", "api", "approve", "provider", a.slug, "checked its site"],
    ]);
    const pageLog = await op.get("/admin/audit");
    assert.match(pageLog.html, /a masqué l’hébergeur/);
    assert.match(pageLog.html, /left the collective/);
    // Append-only, whoever asks.
    for (const q of [sql`update audit_log set reason = 'nothing happened'`, sql`delete from audit_log`]) {
      let refused = "";
      try { await q.execute(env.deps.db); } catch (e) { refused = String(e); }
      assert.match(refused, /audit_log is append-only/);
    }
    assert.is((await json(await admin(env, "/audit", undefined, "GET"))).items.length, 4);
  } finally { await env.close(); }
});

test("reviewed: a provider whose membership the CHATONS list confirms is listed without an operator, and the log says so", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN, LISTING_POLICY: "reviewed" } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-member");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 0);
    const { updateProvider } = await import("../../src/domain/catalog/offers.ts");
    const { membershipColumns } = await import("../../src/domain/sources/membership.ts");
    const p = await env.deps.db.selectFrom("providers").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    // What the crawl does when the collective's list names the provider's organization file (docs/decisions/0011).
    await env.deps.db.transaction().execute((trx) => updateProvider(trx, p.id, { ...membershipColumns("ACTIVE", true), updated_at: "2026-11-25T12:00:00.000Z" }));
    const found = await json(await env.app.request("/api/v1/offers?q=ecoles"));
    assert.equal(found.items.map((o: any) => [o.id, o.provider.chatonsMembership, o.provider.reviewed]), [[`${slug}~cloud`, "member", false]]);
    const log = await json(await admin(env, "/audit", undefined, "GET"));
    assert.equal(log.items.map((e: any) => [e.actor, e.via, e.action, e.target]), [["system", "system", "listed-by-membership", slug]]);
  } finally { await env.close(); }
});

test("operator pages: the disabled space says how to open it; a changed ADMIN_TOKEN signs operators out", async () => {
  const off = await testEnv();
  try {
    const r = await client(off.app, { lang: "en" }).get("/admin");
    assert.is(r.status, 403);
    assert.match(r.html, /Set ADMIN_TOKEN/);
    assert.is((await off.app.request("/api/v1/admin/review")).status, 403);
  } finally { await off.close(); }
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN } });
  try {
    const op = client(env.app, { lang: "en" });
    assert.match((await op.get("/admin/review")).location ?? "", /^\/admin\/signin/);
    const signin = await op.get("/admin/signin");
    await op.post("/admin/signin", { _csrf: tokenIn(signin.html), token: ADMIN, name: "" });
    const overview = await op.get("/admin");
    assert.is(overview.status, 200);
    assert.match(overview.html, /operator/);
    const cookie = [...op.jar.values()].find((c) => c.name === "cd_admin_session")!;
    assert.match(cookie.attrs, /Path=\/admin/);
    assert.match(cookie.attrs, /HttpOnly/);
    assert.match(cookie.attrs, /SameSite=Lax/);
    env.deps.config.adminToken = "another-admin-token-9876543210";
    const out = await op.get("/admin");
    assert.is(out.status, 303);
    assert.match(out.location ?? "", /done=expired/);
  } finally { await env.close(); }
});

test.run();
