/** /about, /privacy, /badges, /providers, HTML error pages, the language cookie and "erase my data". */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { json, testEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer, startReceiver, tokenOf } from "../helpers/signups.ts";

const get = async (env: Awaited<ReturnType<typeof testEnv>>, path: string, headers: Record<string, string> = {}) => {
  const res = await env.app.request(path, { headers: { accept: "text/html", ...headers } });
  return { res, html: await res.text() };
};

test("/about names the operator from the configuration and counts what is listed; /privacy states the configured durations", async () => {
  const env = await testEnv({ seed: true, env: { OPERATOR_NAME: "Chatons du Lot", OPERATOR_CONTACT: "contact@chatons-lot.example", SIGNUP_RETENTION: "14d", SIGNUP_RATE_LIMIT_IP: "20/2h" } });
  try {
    const about = await get(env, "/about?lang=fr");
    assert.is(about.res.status, 200);
    assert.match(about.html, '<p id="operator">Cet annuaire est tenu par Chatons du Lot. Contact\u202f: <a href="mailto:contact@chatons-lot.example">contact@chatons-lot.example</a></p>');
    assert.match(about.html, '<p id="numbers">Aujourd’hui\u202f: 33 hébergeurs et 139 offres.</p>');
    const privacy = await get(env, "/privacy?lang=en");
    assert.match(privacy.html, '<li id="retention">The directory erases your email, name, username and message 14 days after your signup is finished');
    assert.match(privacy.html, "counts the signups sent from each connection address for 2 hours, then forgets it.");
    assert.match(privacy.html, "This directory sends no email.");
    assert.match(privacy.html, '(<a href="mailto:contact@chatons-lot.example">contact@chatons-lot.example</a>)');
    const unnamed = await testEnv();
    try {
      assert.match((await get(unnamed, "/about?lang=en")).html, '<p id="operator">The people who run this directory have not given their name yet.</p>');
    } finally { await unnamed.close(); }
  } finally { await env.close(); }
});

test("/badges explains each badge as it is shown; the footer links every page", async () => {
  const env = await testEnv();
  try {
    const { html } = await get(env, "/badges?lang=fr");
    assert.match(html, '<div class="badge-row" id="verified"><dt><span class="badge ok">Domaine vérifié</span></dt><dd>L’hébergeur a prouvé qu’il contrôle son site web — une adresse en https');
    assert.match(html, '<div class="badge-row" id="pay-what-you-want"><dt><span class="price">Prix libre</span></dt><dd>Vous choisissez ce que vous payez, même rien');
    for (const link of ["/about?lang=fr", "/providers?lang=fr", "/badges?lang=fr", "/privacy?lang=fr", "/docs?lang=fr"]) assert.match(html, `<a href="${link}">`);
  } finally { await env.close(); }
});

test("/providers lists and filters providers; a bad filter is dropped and said, the others still apply", async () => {
  const env = await testEnv({ seed: true });
  try {
    const all = await get(env, "/providers?lang=fr");
    assert.match(all.html, '<p id="total" class="summary"><strong>33 hébergeurs</strong></p>');
    assert.is((all.html.match(/<li class="card" data-provider=/g) ?? []).length, 20);
    assert.match(all.html, /<a class="btn alt" rel="next" href="\/providers\?cursor=[^"]+&amp;lang=fr">Suivant →<\/a>/);
    const api = await json(await env.app.request("/api/v1/providers?country=BE&orgType=association&limit=100"));
    const be = await get(env, "/providers?country=BE&orgType=association&lang=fr");
    assert.match(be.html, `<strong>${api.total === 1 ? "1 hébergeur" : `${api.total} hébergeurs`}</strong>`);
    assert.equal([...be.html.matchAll(/data-provider="([^"]+)"/g)].map((m) => m[1]), api.items.map((p: { slug: string }) => p.slug));
    assert.ok(api.items.every((p: { country: string; orgType: string }) => p.country === "BE" && p.orgType === "association"));
    const bad = await get(env, "/providers?country=Belgium&orgType=association&lang=en");
    assert.is(bad.res.status, 400);
    assert.match(bad.html, "Some settings were not understood and were ignored.");
    assert.equal([...bad.html.matchAll(/data-provider="([^"]+)"/g)].length, Math.min(20, (await json(await env.app.request("/api/v1/providers?orgType=association&limit=100"))).total));
  } finally { await env.close(); }
});

test("a browser's unknown address gets a page in its language; programs still get problem+json", async () => {
  const env = await testEnv();
  try {
    const page = await get(env, "/nothing/here", { "accept-language": "en-GB,en;q=0.8" });
    assert.is(page.res.status, 404);
    assert.match(page.res.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(page.html, "<h1>Page not found</h1>");
    assert.match(page.html, '<a class="btn" href="/?lang=en">Search the directory</a>');
    const api = await env.app.request("/nothing/here");
    assert.is(api.status, 404);
    assert.is(api.headers.get("content-type"), "application/problem+json; charset=utf-8");
    assert.is((await env.app.request("/api/v1/nope", { headers: { accept: "text/html" } })).headers.get("content-type"), "application/problem+json; charset=utf-8");
  } finally { await env.close(); }
});

test("language: ?lang= wins and is remembered in a cookie, which wins over Accept-Language", async () => {
  const env = await testEnv();
  try {
    const first = await get(env, "/about?lang=en", { "accept-language": "fr" });
    assert.match(first.html, '<html lang="en">');
    const cookie = first.res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^lang=en; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    const next = await get(env, "/privacy", { "accept-language": "fr", cookie: "lang=en" });
    assert.match(next.html, '<html lang="en">');
    assert.is(next.res.headers.get("set-cookie"), null);
    assert.match((await get(env, "/privacy?lang=fr", { cookie: "lang=en" })).html, '<html lang="fr">');
    assert.match((await get(env, "/privacy", { "accept-language": "de, en;q=0.5" })).html, '<html lang="en">');
  } finally { await env.close(); }
});

test("erase my data: refused before the end, done at once after it, the page says when", async () => {
  const env = await testEnv({ env: { SIGNUP_RATE_LIMIT_IP: "100/1h" } });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-a", { webhookUrl: rx.url });
    const body = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    const token = tokenOf(body.statusUrl);
    const erase = (t: string) => env.app.request(`/signups/${body.id}/erase?lang=en`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: t }).toString(),
    });
    const early = await erase(token);
    assert.is(early.status, 409);
    assert.match(await early.text(), "Your signup is not finished yet");
    assert.not.match((await get(env, `/signups/${body.id}?token=${token}&lang=en`)).html, "Erase my data now");
    await runDeliveryRound(env.deps);
    await env.app.request(`/api/v1/signups/${body.id}/events`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ status: "rejected", message: "Sorry" }),
    });
    assert.match((await get(env, `/signups/${body.id}?token=${token}&lang=en`)).html, '<button class="btn alt" type="submit">Erase my data now</button>');
    assert.is((await erase("st_wrong")).status, 404);
    const done = await erase(token);
    assert.is(done.status, 303);
    const row = await env.deps.db.selectFrom("signups").selectAll().where("id", "=", body.id).executeTakeFirstOrThrow();
    assert.equal([row.email, row.name, row.message, row.purged_at], [null, null, null, "2026-11-25T12:00:00.000Z"]);
    const events = await env.deps.db.selectFrom("signup_events").select("message").where("signup_id", "=", body.id).execute();
    assert.ok(events.every((e) => e.message === null));
    const page = (await get(env, `/signups/${body.id}?token=${token}&lang=en`)).html;
    assert.match(page, "Your email, name and messages were erased from the directory on 25 November 2026 at 12:00 UTC.");
    assert.not.match(page, "Sorry");
  } finally { await rx.close(); await env.close(); }
});

test("a signup that never finishes is erased 30 days after its last step", async () => {
  const { purgeSignups } = await import("../../src/domain/signups/jobs.ts");
  const env = await testEnv();
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-a", { webhookUrl: rx.url });
    const body = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    await runDeliveryRound(env.deps); // delivered; the provider never reports back
    const now = env.deps.clock.now();
    assert.is(await purgeSignups(env.deps.db, now + 29 * 86_400_000, 7 * 86_400_000), 0);
    assert.is(await purgeSignups(env.deps.db, now + 30 * 86_400_000, 7 * 86_400_000), 1);
    const row = await env.deps.db.selectFrom("signups").selectAll().where("id", "=", body.id).executeTakeFirstOrThrow();
    assert.equal([row.status, row.email, row.name], ["delivered", null, null]);
  } finally { await rx.close(); await env.close(); }
});

test.run();
