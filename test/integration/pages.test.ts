import { test } from "uvu";
import * as assert from "uvu/assert";
import { findProviderBySlug } from "../../src/db/queries/providers.ts";
import { updateProvider } from "../../src/domain/catalog/offers.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { setWebhook } from "../helpers/signups.ts";

const NBSP = "\u00a0";

async function page(env: TestEnv, url: string, headers: Record<string, string> = {}) {
  const res = await env.app.request(url, { headers });
  return { res, html: await res.text() };
}

/** The visible text of the first element matching `id="…"` (enough for the small fragments asserted here). */
function byId(html: string, id: string): string {
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return m ? m[1] : "";
}

/** Offer ids of the result cards, in page order. */
function cardIds(html: string): string[] {
  return [...html.matchAll(/<li class="card" data-offer-id="([^"]+)"/g)].map((m) => m[1]);
}

/** The href of the rel="next" link, unescaped. */
const nextHref = (html: string) => /<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";

async function catalog(env: TestEnv) {
  const a = await registerProvider(env.app, "chaton-a");
  assert.is((await putOffer(env.app, a.slug, a.token, "cloud", sampleOffer())).status, 201);
  assert.is((await putOffer(env.app, a.slug, a.token, "pad", sampleOffer({
    service: "pad", software: { name: "HedgeDoc" }, title: { fr: "Bloc-notes partagé", en: "Shared notepad" }, description: { fr: "Notes à plusieurs." },
    price: { model: "fixed", amount: 500, currency: "EUR", period: "month" }, capacity: "full",
  }))).status, 201);
  // chaton-a receives signups (its offers' mode is webhook): only then do they take signups through the directory.
  await setWebhook(env, a.slug, a.token, "http://127.0.0.1:9/hook");
  const b = await registerProvider(env.app, "chaton-b", { name: "Coop B" });
  assert.is((await putOffer(env.app, b.slug, b.token, "visio", sampleOffer({
    service: "videoconference", software: { name: "Jitsi Meet" }, title: { en: "Video calls" }, description: { en: "Meetings." },
    price: { model: "pay-what-you-want" }, registration: "closed", signup: { mode: "external", url: "https://chaton-b.example/join" },
  }))).status, 201);
  return { a, b };
}

test("/?q=ecole&lang=fr lists the matching offer with French labels, a language switch and HTML headers", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const { res, html } = await page(env, "/?q=ecole&lang=fr", { "accept-language": "en" });
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-type"), "text/html; charset=UTF-8");
    assert.is(res.headers.get("content-language"), "fr");
    assert.match(res.headers.get("vary") ?? "", /Accept-Language/);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    assert.ok(html.startsWith("<!DOCTYPE html><html lang=\"fr\">"));
    assert.equal(cardIds(html), ["chaton-a~cloud"]);
    // The offer link carries the search, for its "back to search" link.
    assert.match(html, '<a href="/offers/chaton-a~cloud?from=%2F%3Fq%3Decole%26lang%3Dfr&amp;lang=fr">Nextcloud pour les écoles</a>');
    assert.match(html, '<span class="price">Gratuit</span>');
    assert.match(html, "Données hébergées\u202f: France");
    assert.match(html, "Mise à jour le 25 novembre 2026");
    assert.is(byId(html, "total"), "1 offre");
    assert.match(html, '<input type="search" id="q" name="q" value="ecole"');
    assert.match(html, 'href="/?q=ecole&amp;lang=en" hreflang="en"');
    assert.match(html, '<label class="big" for="q">Que cherchez-vous\u202f?</label>');
  } finally { await env.close(); }
});

test("Accept-Language: en gives English text, prices and badges; fallback text is marked with its language", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const { res, html } = await page(env, "/?sort=name", { "accept-language": "de-DE, en;q=0.8, fr;q=0.5" });
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-language"), "en");
    assert.match(html, '<html lang="en">');
    assert.equal(cardIds(html), ["chaton-a~pad", "chaton-a~cloud", "chaton-b~visio"]);
    assert.is(byId(html, "total"), "3 offers");
    assert.match(html, ">Shared notepad</a>");
    assert.match(html, '<span class="price">5.00 EUR / month</span>');
    assert.match(html, '<span class="price">Pay what you want</span>');
    assert.match(html, '<span class="badge bad">Full</span>');
    assert.match(html, '<span class="badge bad">Closed</span>');
    // The pad has no English description: the French one is shown and marked lang="fr".
    assert.match(html, '<p class="desc" lang="fr">Notes à plusieurs.</p>');

    const fr = await page(env, "/?sort=name&lang=fr");
    assert.match(fr.html, `<span class="price">5,00${NBSP}€ / mois</span>`);
    assert.match(fr.html, '<span class="price">Prix libre</span>');
    assert.match(fr.html, '<span class="badge bad">Complet</span>');
    assert.match(fr.html, '<span class="badge bad">Fermé</span>');
    assert.match(fr.html, '<a href="/offers/chaton-b~visio?from=%2F%3Fsort%3Dname%26lang%3Dfr&amp;lang=fr" lang="en">Video calls</a>');
    // No usable Accept-Language: French, the collective's language.
    assert.is((await env.app.request("/", { headers: { "accept-language": "de" } })).headers.get("content-language"), "fr");
  } finally { await env.close(); }
});

test("provider-supplied markup is escaped on every page; no script tag is ever emitted", async () => {
  const env = await testEnv();
  try {
    const x = await registerProvider(env.app, "chaton-x", { name: "Evil <script>alert('n')</script>", description: { fr: "<img src=x onerror=alert(1)> & co" } });
    const evil = sampleOffer({ title: { fr: "École <script>alert(1)</script>" }, description: { fr: "\"><script>alert(2)</script>" }, software: { name: "<b>Next</b>", version: "1\"><i>" } });
    assert.is((await putOffer(env.app, x.slug, x.token, "evil", evil)).status, 201);
    for (const url of ["/?q=ecole&lang=fr", "/offers/chaton-x~evil?lang=fr", "/providers/chaton-x?lang=fr"]) {
      const { res, html } = await page(env, url);
      assert.is(res.status, 200, url);
      assert.not.match(html, /<script/i, url);
      assert.not.match(html, /<img/i, url);
      assert.not.match(html, /<b>Next/, url);
    }
    const detail = (await page(env, "/offers/chaton-x~evil?lang=fr")).html;
    assert.match(detail, "<h1>École &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    assert.match(detail, "<p>&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>");
    assert.match(detail, '<strong translate="no">&lt;b&gt;Next&lt;/b&gt;</strong> · version 1&quot;&gt;&lt;i&gt;');
    const prov = (await page(env, "/providers/chaton-x?lang=fr")).html;
    assert.match(prov, "<h1 translate=\"no\">Evil &lt;script&gt;alert(&#39;n&#39;)&lt;/script&gt;</h1>");
    assert.match(prov, "<p>&lt;img src=x onerror=alert(1)&gt; &amp; co</p>");
  } finally { await env.close(); }
});

test("facet links carry counts and toggle filters; the form keeps the chosen values", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const { html } = await page(env, "/?lang=fr");
    assert.match(html, '<a href="/?service=pad&amp;lang=fr"><span>Notes collaboratives</span><span class="count">1</span></a>');
    assert.match(html, '<a href="/?price=free&amp;lang=fr"><span>Gratuit</span><span class="count">1</span></a>');
    assert.match(html, '<a href="/?available=true&amp;lang=fr"><span>Ouvertes aux inscriptions</span><span class="count">1</span></a>');
    const filtered = await page(env, "/?service=pad&service=storage&lang=fr");
    assert.equal(cardIds(filtered.html).sort(), ["chaton-a~cloud", "chaton-a~pad"]);
    // The active value links back to the page without it, and is marked current.
    assert.match(filtered.html, '<a href="/?service=storage&amp;lang=fr" aria-current="true"><span>✓ Notes collaboratives</span>');
    assert.match(filtered.html, '<option value="pad" selected="">Notes collaboratives</option>');
    assert.match(filtered.html, '<input type="hidden" name="service" value="storage"/>');
    const avail = await page(env, "/?available=true&country=FR&audience=associations&lang=en");
    assert.equal(cardIds(avail.html), ["chaton-a~cloud"]);
    assert.match(avail.html, '<input type="checkbox" name="available" value="true" checked=""/>');
    assert.match(avail.html, '<option value="FR" selected="">France</option>');
    // The support-language filter is `language` on pages (`lang` picks the interface language).
    const lang = await page(env, "/?language=fr&lang=en");
    assert.is(lang.res.headers.get("content-language"), "en");
    assert.is(byId(lang.html, "total"), "3 offers");
  } finally { await env.close(); }
});

test("pagination follows nextCursor with a Next link, without repeats, then offers the first page again", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const first = await page(env, "/?sort=name&limit=2&lang=fr");
    assert.equal(cardIds(first.html), ["chaton-a~pad", "chaton-a~cloud"]);
    assert.is(byId(first.html, "total"), "3 offres");
    assert.match(first.html, ">Suivant →</a>");
    const next = nextHref(first.html);
    assert.match(next, /^\/\?sort=name&limit=2&cursor=[A-Za-z0-9_-]+&lang=fr$/);
    const second = await page(env, next);
    assert.is(second.res.status, 200);
    assert.equal(cardIds(second.html), ["chaton-b~visio"]);
    assert.not.match(second.html, "Suivant");
    assert.match(second.html, '<a href="/?sort=name&amp;limit=2&amp;lang=fr">← Revenir à la première page</a>');
  } finally { await env.close(); }
});

test("bad input never fails the page: invalid settings are dropped and named (400), an expired cursor restarts", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const bad = await page(env, "/?price=bogus&sort=nope&q=ecole&lang=fr");
    assert.is(bad.res.status, 400);
    assert.is(bad.res.headers.get("content-type"), "text/html; charset=UTF-8");
    assert.match(bad.html, '<p class="notice" role="alert">Certains réglages de recherche n’ont pas été compris et ont été ignorés\u202f: Prix, ordre de tri.</p>');
    assert.equal(cardIds(bad.html), ["chaton-a~cloud"]);
    const garbage = await page(env, `/?cursor=${"!".repeat(30)}&limit=500&country=france&lang=en`);
    assert.is(garbage.res.status, 400);
    assert.match(garbage.html, "ignored: Provider&#39;s country, results per page, page.");
    assert.is(cardIds(garbage.html).length, 3);
    const foreign = await page(env, "/?cursor=abc&sort=name&lang=en");
    assert.is(foreign.res.status, 200);
    assert.match(foreign.html, "This results page has expired; here is the first page again.");
    assert.is(cardIds(foreign.html).length, 3);
    const long = await page(env, `/?q=${"a".repeat(5000)}`);
    assert.is(long.res.status, 400);
  } finally { await env.close(); }
});

test("the compare selection: 2–5 ticked go to /compare; fewer or more are explained and kept; it rides along searches", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const list = (await page(env, "/?lang=en")).html;
    assert.match(list, '<input type="checkbox" name="compare" value="chaton-a~cloud"/>');
    assert.match(list, '<button class="btn alt" type="submit" name="go" value="compare">Compare the selected offers</button>');
    const res = await env.app.request("/?compare=chaton-a~cloud&compare=chaton-b~visio&q=x&go=compare&lang=en");
    assert.is(res.status, 303);
    assert.is(res.headers.get("location"), "/compare?ids=chaton-a~cloud,chaton-b~visio&lang=en");

    // One ticked: the rule is explained, the box stays ticked, the selection panel names it.
    const one = await page(env, "/?compare=chaton-a~cloud&go=compare&lang=fr");
    assert.is(one.res.status, 400);
    assert.match(one.html, "Cochez entre 2 et 5 offres pour les comparer.");
    assert.match(one.html, '<input type="checkbox" name="compare" value="chaton-a~cloud" checked=""/>');
    assert.match(one.html, /<h2 id="selection-title" class="h3">Votre sélection à comparer<\/h2>/);

    // Six ticked: refused, all six kept (checked, since all are on the page).
    const six = ["chaton-a~cloud", "chaton-a~pad", "chaton-b~visio", "chaton-a~cloud2", "nobody~x", "chaton-b~visio2"];
    const many = await page(env, `/?${six.map((id) => `compare=${encodeURIComponent(id)}`).join("&")}&go=compare&lang=en`);
    assert.is(many.res.status, 400);
    assert.match(many.html, "Please tick between 2 and 5 offers to compare.");
    for (const id of ["chaton-a~cloud", "chaton-a~pad", "chaton-b~visio"]) assert.match(many.html, `value="${id}" checked=""/>`);

    // "Compare with others" from an offer page: the offer is selected, the search shows its service.
    const offer = (await page(env, "/offers/chaton-a~cloud?lang=fr")).html;
    assert.match(offer, '<a class="btn alt" href="/?service=storage&amp;compare=chaton-a%7Ecloud&amp;lang=fr">Comparer avec d’autres offres</a>');
    const carried = await page(env, "/?service=storage&compare=chaton-a%7Ecloud&lang=fr");
    assert.is(carried.res.status, 200);
    assert.match(carried.html, '<input type="hidden" name="compare" value="chaton-a~cloud"/>'); // in the search form
    assert.match(carried.html, "Cochez d’autres offres ci-dessous pour les comparer (5 au plus).");
    // A facet link keeps the selection.
    assert.match(carried.html, /href="\/\?service=storage&amp;compare=chaton-a%7Ecloud&amp;price=free&amp;lang=fr"/);
  } finally { await env.close(); }
});

test("offer page shows every field, provider badges, the sign-up action per mode and a localized date", async () => {
  const env = await testEnv();
  try {
    const { a } = await catalog(env);
    const p = (await findProviderBySlug(env.deps.db, a.slug))!;
    await env.deps.db.transaction().execute((trx) => updateProvider(trx, p.id, { chatons_member: 1, verified: 1 }));
    assert.is((await putOffer(env.app, a.slug, a.token, "pack", sampleOffer({
      service: "storage", title: { fr: "Pack asso" },
      includes: [{ service: "chat", software: "Rocket.Chat" }, { service: "pad", software: "HedgeDoc" }],
      price: { model: "membership", amount: 1200, currency: "EUR", period: "year" }, registration: "approval", signup: { mode: "nextcloud" },
    }))).status, 201);
    // The pack's signups go to chaton-a's Nextcloud: only with one set does it take signups through the directory.
    assert.is((await env.app.request(`/api/v1/providers/${a.slug}/nextcloud`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ url: "https://cloud.chaton-a.example", token: "abcdefgh1234" }),
    })).status, 200);

    const { res, html } = await page(env, "/offers/chaton-a~cloud?lang=fr");
    assert.is(res.status, 200);
    assert.match(html, "<h1>Nextcloud pour les écoles</h1>");
    assert.match(html, '<dt>Logiciel</dt><dd><strong translate="no">Nextcloud</strong> · version 30.0.2 · licence AGPL-3.0</dd>');
    assert.match(html, "<dt>Prix</dt><dd>Gratuit</dd>");
    assert.match(html, "<dt>Quota</dt><dd>10 Go de stockage · 5 utilisateurs</dd>");
    assert.match(html, "<dt>Langues de l’assistance</dt><dd>Français, Anglais</dd>");
    assert.match(html, "<dt>Pour</dt><dd>Associations</dd>");
    assert.match(html, "<dt>Aide incluse</dt><dd>Documentation, Assistance par courriel</dd>");
    assert.match(html, "<dt>Emplacement des données</dt><dd>France</dd>");
    assert.match(html, '<span class="badge ok" data-badge="member" title="Membre du collectif CHATONS, d’après la liste du collectif lui-même.">Membre des CHATONS (confirmé)</span>');
    assert.match(html, ">Domaine vérifié</span>");
    assert.match(html, '<a class="btn" href="/signup/chaton-a~cloud?lang=fr">S’inscrire</a>');
    assert.is(byId(html, "updated"), "Mise à jour le 25 novembre 2026");

    const pack = (await page(env, "/offers/chaton-a~pack?lang=en")).html;
    assert.match(pack, '<dt>Included in this pack</dt><dd><ul><li>Chat — <span translate="no">Rocket.Chat</span></li><li>Collaborative notes — <span translate="no">HedgeDoc</span></li></ul></dd>');
    assert.match(pack, "<dd>Membership 12.00 EUR / year</dd>");
    assert.match(pack, '<a class="btn" href="/signup/chaton-a~pack?lang=en">Sign up</a>');
    assert.match(pack, "The provider reviews each request.");
    assert.is(byId(pack, "updated"), "Updated 25 November 2026");

    const visio = (await page(env, "/offers/chaton-b~visio?lang=en")).html;
    assert.not.match(visio, "/signup/");
    assert.match(visio, "Sign-ups are closed for this offer.");
    const full = (await page(env, "/offers/chaton-a~pad?lang=fr")).html;
    assert.match(full, "Cette offre est complète pour le moment.");
    assert.not.match(full, '<a class="btn" href="/signup/');
  } finally { await env.close(); }
});

test("external sign-up links to the provider's form; stale offers are marked after 30 days", async () => {
  const env = await testEnv();
  try {
    const e = await registerProvider(env.app, "chaton-e");
    assert.is((await putOffer(env.app, e.slug, e.token, "mail", sampleOffer({ service: "mail", signup: { mode: "external", url: "https://chaton-e.example/signup?a=1&b=2" } }))).status, 201);
    const html = (await page(env, "/offers/chaton-e~mail?lang=en")).html;
    assert.match(html, '<a class="btn" href="https://chaton-e.example/signup?a=1&amp;b=2" rel="noopener noreferrer external">Sign up on the provider&#39;s website ↗</a>');
    assert.not.match(html, "Not confirmed");
    env.deps.clock.advance(31 * 86_400_000);
    const stale = (await page(env, "/offers/chaton-e~mail?lang=fr")).html;
    assert.match(stale, '<span class="badge warn" title="L’hébergeur n’a pas confirmé cette offre depuis plus de 30 jours\u202f: vérifiez auprès de lui qu’elle est toujours d’actualité.">Non confirmée depuis plus de 30 jours</span>');
    assert.match((await page(env, "/?lang=fr")).html, ">Non confirmée depuis plus de 30 jours</span>");
  } finally { await env.close(); }
});

test("provider page lists its offers; unknown offers and providers are 404 HTML pages; the API is unchanged", async () => {
  const env = await testEnv();
  try {
    await catalog(env);
    const { res, html } = await page(env, "/providers/chaton-a?lang=fr");
    assert.is(res.status, 200);
    assert.match(html, '<h1 translate="no">Hébergeur chaton-a</h1>');
    assert.match(html, "<p>Un hébergeur associatif.</p>");
    assert.match(html, '<a href="https://chaton-a.example" rel="noopener noreferrer external">https://chaton-a.example</a>');
    assert.match(html, '<h2>Les offres proposées par <span translate="no">Hébergeur chaton-a</span></h2>');
    assert.equal(cardIds(html), ["chaton-a~pad", "chaton-a~cloud"]);
    assert.match(html, "Dans l’annuaire depuis le 25 novembre 2026");

    for (const [url, text] of [["/offers/nobody~nothing?lang=fr", "Cette offre n’existe pas ou a été retirée."], ["/providers/nobody", "Cet hébergeur ne figure pas dans l’annuaire."]]) {
      const nf = await page(env, url);
      assert.is(nf.res.status, 404, url);
      assert.is(nf.res.headers.get("content-type"), "text/html; charset=UTF-8");
      assert.match(nf.html, "<h1>Page introuvable</h1>");
      assert.match(nf.html, text);
    }
    const en404 = await page(env, "/offers/nobody~nothing", { "accept-language": "en-GB" });
    assert.match(en404.html, "<h1>Page not found</h1>");
    assert.match(en404.html, 'href="/offers/nobody~nothing?lang=fr" hreflang="fr"');

    const api = await env.app.request("/api/v1/offers/nobody~nothing");
    assert.is(api.status, 404);
    assert.is(api.headers.get("content-type"), "application/problem+json; charset=utf-8");
    const list = await env.app.request("/api/v1/offers?q=ecole&lang=fr");
    assert.match(list.headers.get("content-type") ?? "", /application\/json/);
    assert.equal((await json(list)).items.map((o: any) => o.id), ["chaton-a~cloud"]);
    assert.is((await env.app.request("/api/v1/nothing")).headers.get("content-type"), "application/problem+json; charset=utf-8");
  } finally { await env.close(); }
});

test.run();
