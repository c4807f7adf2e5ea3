/**
 * The provider space in process: joining (token shown once), the session cookie, sign-in by token (rate limited),
 * form tokens, the offer editor (euros → cents, errors beside fields, preview, stale edits), a provider never
 * reaching another's offers or signups, signing out (everywhere), and the dashboard's numbers.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { DAY_MS } from "../../src/lib/time.ts";
import { json, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { client, joinedProvider, OFFER_FORM, textOf, tokenIn } from "../helpers/space.ts";
import { person, postSignup, startReceiver, tokenOf } from "../helpers/signups.ts";

const api = (env: TestEnv, token: string, path: string, init: RequestInit = {}) =>
  env.app.request(path, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string>) } });

test("join: the token is shown once with what it is for, the browser is signed in with a strict cookie, and the token works for the API", async () => {
  const env = await testEnv();
  try {
    const c = client(env.app);
    const page = await c.get("/provider/join");
    assert.is(page.status, 200);
    assert.is(page.res.headers.get("cache-control"), "no-store");
    const pre = c.jar.get("cd_provider_form")!;
    assert.match(pre.attrs, /Path=\/provider/);
    assert.match(pre.attrs, /HttpOnly/);
    assert.match(pre.attrs, /SameSite=Lax/);

    const r = await c.post("/provider/join", { _csrf: tokenIn(page.html), name: "Chatons du Lot", website: "https://lot.example", email: "contact@lot.example", country: "FR", orgType: "association" });
    assert.is(r.status, 201);
    const token = /id="api-token"[^>]*>(cdp_[^<]+)</.exec(r.html)![1];
    assert.match(textOf(r.html), /Copiez votre jeton d’API maintenant et gardez-le en lieu sûr : il n’est affiché que cette fois\./);
    assert.match(textOf(r.html), /Prouver que votre site est à vous.*Ajouter votre première offre.*Choisir comment recevoir les inscriptions/);
    const cookie = c.jar.get("cd_provider_session")!;
    assert.match(cookie.value, /^ses_/);
    assert.match(cookie.attrs, /Path=\/provider/);
    assert.match(cookie.attrs, /HttpOnly/);
    assert.match(cookie.attrs, /SameSite=Lax/);
    assert.not.match(cookie.attrs, /Secure|Max-Age/);
    // Stored hashed: the cookie's secret is nowhere in the database, only its SHA-256.
    const rows = await env.deps.db.selectFrom("sessions").selectAll().execute();
    assert.is(rows.length, 1);
    assert.is.not(rows[0].id_hash, cookie.value);
    assert.is(rows[0].kind, "provider");

    // Signed in: the dashboard, never the token again.
    const dash = await c.get("/provider/dashboard");
    assert.is(dash.status, 200);
    assert.match(textOf(dash.html), /Chatons du Lot/);
    assert.not.ok(dash.html.includes(token));
    // The token is the provider's API token.
    const account = await api(env, token, "/api/v1/providers/chatons-du-lot/account");
    assert.is(account.status, 200);
    assert.is((await json(account)).provider.email, "contact@lot.example");
  } finally { await env.close(); }
});

test("with an https PUBLIC_URL the session cookie is Secure (and __Secure- prefixed)", async () => {
  const env = await testEnv({ env: { PUBLIC_URL: "https://annuaire.example" } });
  try {
    const { c } = await joinedProvider(env, "Chatons Sûrs");
    const cookie = c.jar.get("__Secure-cd_provider_session")!;
    assert.ok(cookie, "prefixed cookie");
    assert.match(cookie.attrs, /Secure/);
    assert.is((await c.get("/provider/dashboard")).status, 200);
  } finally { await env.close(); }
});

test("join errors are shown beside each field in the page's language, and nothing is registered", async () => {
  const env = await testEnv();
  try {
    const c = client(env.app, { lang: "en" });
    const r = await c.submit("/provider/join", "/provider/join", { name: "", website: "lot.example", email: "nope", country: "", orgType: "association" });
    assert.is(r.status, 400);
    const t = textOf(r.html);
    assert.match(t, /4 fields need your attention/);
    assert.match(r.html, /id="name-error">Enter your organisation&#39;s name\.|id="name-error">Enter your organisation's name\./);
    assert.match(r.html, /id="website-error">Enter a full web address starting with https:\/\//);
    assert.match(r.html, /id="email-error">Enter an email address such as contact@example\.org\./);
    assert.match(r.html, /id="country-error">Choose one option\./);
    assert.match(r.html, /id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-hint email-error"/);
    assert.is((await env.deps.db.selectFrom("providers").select("id").execute()).length, 0);
  } finally { await env.close(); }
});

test("sign in with the token (wrong token in the reader's language, rate limited), sign out, sign out everywhere", async () => {
  const env = await testEnv();
  try {
    const { c, token } = await joinedProvider(env, "Chatons du Lot");
    // Sign out: the space sends the browser to the sign-in page.
    const out = await c.submit("/provider/dashboard", "/provider/signout", {});
    assert.is(out.status, 303);
    assert.is(c.jar.has("cd_provider_session"), false);
    const after = await c.get("/provider/dashboard");
    assert.is(after.status, 303);
    assert.match(after.location!, /^\/provider\/signin\?done=expired/);

    const wrong = await c.submit("/provider/signin", "/provider/signin", { token: "cdp_nope" });
    assert.is(wrong.status, 401);
    assert.match(textOf(wrong.html), /Ce jeton n’est pas \(ou plus\) valable/);
    const ok = await c.submit("/provider/signin", "/provider/signin", { token: `  ${token} ` });
    assert.is(ok.status, 303);
    assert.is(ok.location, "/provider/dashboard?lang=fr");
    assert.is((await c.get("/provider/dashboard")).status, 200);

    // A second browser, then "sign out everywhere" from the first: both are out.
    const other = client(env.app);
    await other.submit("/provider/signin", "/provider/signin", { token });
    assert.is((await other.get("/provider/dashboard")).status, 200);
    assert.match(textOf((await c.get("/provider/account")).html), /Vous êtes connecté sur 2 appareils ou navigateurs\./);
    const all = await c.submit("/provider/account", "/provider/signout-everywhere", {});
    assert.is(all.status, 303);
    assert.is((await other.get("/provider/dashboard")).status, 303);
    assert.is((await c.get("/provider/dashboard")).status, 303);
    assert.is((await env.deps.db.selectFrom("sessions").select("id_hash").execute()).length, 0);

    // Sign-in attempts are limited per connection: the 31st within 15 minutes is refused, in words (three were made above).
    const bad = client(env.app, { lang: "en" });
    let last;
    for (let i = 0; i < 27; i++) last = await bad.submit("/provider/signin", "/provider/signin", { token: `cdp_guess${i}` });
    assert.is(last!.status, 401);
    last = await bad.submit("/provider/signin", "/provider/signin", { token });
    assert.is(last.status, 429);
    assert.ok(Number(last.res.headers.get("retry-after")) > 0);
    assert.match(textOf(last.html), /Too many attempts from your connection\. Please try again in \d+ minutes?/);
    env.deps.clock.advance(15 * 60_000);
    assert.is((await bad.submit("/provider/signin", "/provider/signin", { token })).status, 303);
  } finally { await env.close(); }
});

test("sessions end after 7 idle days, and a new API token signs out the other browsers", async () => {
  const env = await testEnv();
  try {
    const { c, token } = await joinedProvider(env, "Chatons du Lot");
    env.deps.clock.advance(6 * DAY_MS);
    assert.is((await c.get("/provider/dashboard")).status, 200); // used: extended
    env.deps.clock.advance(6 * DAY_MS);
    assert.is((await c.get("/provider/dashboard")).status, 200);
    env.deps.clock.advance(7 * DAY_MS + 1);
    assert.is((await c.get("/provider/dashboard")).status, 303);

    const a = client(env.app);
    const b = client(env.app);
    await a.submit("/provider/signin", "/provider/signin", { token });
    await b.submit("/provider/signin", "/provider/signin", { token });
    const r = await a.submit("/provider/account", "/provider/account/token", {});
    assert.is(r.status, 200);
    const fresh = /id="api-token"[^>]*>(cdp_[^<]+)</.exec(r.html)![1];
    assert.is.not(fresh, token);
    assert.is((await a.get("/provider/dashboard")).status, 200);
    assert.is((await b.get("/provider/dashboard")).status, 303);
    assert.is((await api(env, token, "/api/v1/providers/chatons-du-lot/account")).status, 401);
    assert.is((await api(env, fresh, "/api/v1/providers/chatons-du-lot/account")).status, 200);
  } finally { await env.close(); }
});

test("a form without its token, or with another browser's, is refused with a page in the reader's language and changes nothing", async () => {
  const env = await testEnv();
  try {
    const { c } = await joinedProvider(env, "Chatons du Lot");
    const other = await joinedProvider(env, "Autre Chaton");
    const none = await c.post("/provider/offers/new", OFFER_FORM());
    assert.is(none.status, 403);
    assert.match(textOf(none.html), /Ce formulaire n’a pas pu être envoyé.*Rien n’a été modifié\./);
    const foreign = await c.post("/provider/offers/new", { ...OFFER_FORM(), _csrf: tokenIn((await other.c.get("/provider/offers/new")).html) });
    assert.is(foreign.status, 403);
    const en = await c.post("/provider/account/email?lang=en", { email: "x@y.example" });
    assert.is(en.status, 403);
    assert.match(textOf(en.html), /This form could not be sent.*Nothing was changed\./);
    // Before signing in too: the join form needs the token of this browser's pre-session cookie.
    const fresh = client(env.app);
    const join = await fresh.post("/provider/join", { name: "Pirate", website: "https://p.example", email: "p@p.example", country: "FR", orgType: "association" });
    assert.is(join.status, 403);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 0);
    assert.equal((await env.deps.db.selectFrom("providers").select("slug").orderBy("id").execute()).map((p) => p.slug), ["chatons-du-lot", "autre-chaton"]);
    assert.is((await env.deps.db.selectFrom("providers").select("email").where("slug", "=", "chatons-du-lot").executeTakeFirstOrThrow()).email, "contact@chatons-du-lot.example");
  } finally { await env.close(); }
});

test("the offer editor: 5 € a month is stored as 500 cents and found as \"5,00 € / mois\"; errors beside fields; a preview saves nothing", async () => {
  const env = await testEnv();
  try {
    const { c, token, slug } = await joinedProvider(env, "Chatons du Lot");
    const form = await c.get("/provider/offers/new");
    assert.match(form.html, /<datalist id="software-list">/);
    // Errors, in English when the page is English.
    const en = client(env.app, { lang: "en" });
    await en.submit("/provider/signin", "/provider/signin", { token });
    const bad = await en.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ priceAmount: "cinq", title_fr: "", title_en: "", service: "", dataLocation: "", signupMode: "external", signupUrl: "" }));
    assert.is(bad.status, 400);
    assert.match(bad.html, /id="priceAmount-error">Enter an amount such as 5 or 4,50 \(at most two decimals\)\./);
    assert.match(bad.html, /id="title-error">Write it in French or in English \(or both\)\./);
    assert.match(bad.html, /id="service-error">Choose one option\./);
    assert.match(bad.html, /id="dataLocation-error">Choose one option\./);
    assert.match(bad.html, /id="signupUrl-error">Fill in this field\./);
    assert.match(bad.html, /name="priceAmount"[^>]*value="cinq"/, "the typed values stay");
    // A preview shows the card and saves nothing.
    const preview = await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ action: "preview" }));
    assert.is(preview.status, 200);
    assert.match(textOf(preview.html), /Aperçu.*Nuage du Lot.*5,00 € \/ mois/);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 0);
    // Saved: cents in the API, euros in French on the search page.
    const saved = await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ priceAmount: "5,00" }));
    assert.is(saved.status, 303);
    assert.is(saved.location, "/provider/offers/nuage-du-lot?done=offer-created&lang=fr");
    const offer = await json(await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`));
    assert.equal(offer.price, { model: "fixed", amount: 500, currency: "EUR", period: "month" });
    assert.equal([offer.title, offer.languages, offer.audience, offer.support, offer.quota, offer.signup], [
      { fr: "Nuage du Lot", en: "Lot cloud" }, ["fr"], ["associations"], ["email"], { storageGB: 10, users: 1 }, { mode: "webhook" },
    ]);
    const search = await env.app.request("/?q=nuage%20du%20lot&lang=fr");
    assert.match(textOf(await search.text()), /Nuage du Lot.*5,00 € \/ mois/);
    const page = await c.follow(saved);
    assert.match(textOf(page.html), /Votre offre est publiée : on peut la trouver dès maintenant\./);
    assert.match(page.html, /name="priceAmount"[^>]*value="5,00"/);
    // Every field round-trips: saving the page as shown changes nothing.
    const same = await c.post(`/provider/offers/nuage-du-lot`, { ...fieldsOf(page.html), action: "save" });
    assert.is(same.status, 303);
    assert.equal((await json(await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`))).updatedAt, offer.updatedAt);
  } finally { await env.close(); }
});

test("a save from a stale page is refused with a clear message, keeps the person's values, and a second save is an informed choice", async () => {
  const env = await testEnv();
  try {
    const { c, slug } = await joinedProvider(env, "Chatons du Lot");
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM());
    const tab1 = await c.get("/provider/offers/nuage-du-lot");
    const tab2 = await c.get("/provider/offers/nuage-du-lot");
    const first = await c.post("/provider/offers/nuage-du-lot", { ...fieldsOf(tab1.html), action: "save", priceAmount: "6" });
    assert.is(first.status, 303);
    const second = await c.post("/provider/offers/nuage-du-lot", { ...fieldsOf(tab2.html), action: "save", priceAmount: "7" });
    assert.is(second.status, 409);
    assert.match(textOf(second.html), /Non enregistré : cette offre a changé entre-temps\. Quelqu’un a modifié cette offre depuis que vous avez ouvert cette page/);
    assert.match(second.html, /name="priceAmount"[^>]*value="7"/);
    assert.match(textOf(second.html), /Aperçu.*6,00 € \/ mois/, "the preview shows the current version");
    assert.is((await json(await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`))).price.amount, 600);
    const again = await c.post("/provider/offers/nuage-du-lot", { ...fieldsOf(second.html), action: "save" });
    assert.is(again.status, 303);
    assert.is((await json(await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`))).price.amount, 700);
    // Deleting from a stale page is refused too.
    const del = await c.post("/provider/offers/nuage-du-lot/delete", { _csrf: tokenIn(tab1.html), version: /name="version" value="([^"]+)"/.exec(tab1.html)![1], confirm: "yes" });
    assert.is(del.status, 409);
    assert.is((await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`)).status, 200);
  } finally { await env.close(); }
});

test("a second provider's session never sees nor changes the first one's offers, webhook, deliveries or signups", async () => {
  const env = await testEnv({ env: { WEBHOOK_RETRY_SCHEDULE: "1s" } });
  const rx = await startReceiver((_r, res) => { res.writeHead(500).end(); });
  try {
    const a = await joinedProvider(env, "Chatons du Lot");
    const b = await joinedProvider(env, "Autre Chaton");
    await a.c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ title_fr: "Nuage secret de A" }));
    await a.c.submit("/provider/receiving", "/provider/receiving/webhook", { url: rx.url });
    const body = await json(await postSignup(env, { offerId: `${a.slug}~nuage-secret-de-a`, ...person({ email: "alice.secrete@example.org", name: "Alice Secrète" }) }));
    await runDeliveryRound(env.deps, { random: () => 0.5 });
    env.deps.clock.advance(2000);
    await runDeliveryRound(env.deps, { random: () => 0.5 }); // retries over: dead
    const delivery = (await env.deps.db.selectFrom("outbox").select(["webhook_id", "status"]).where("type", "=", "signup.requested").executeTakeFirstOrThrow());
    assert.is(delivery.status, "dead");
    const before = JSON.stringify(await env.deps.db.selectFrom("offers").selectAll().execute()) + JSON.stringify(await env.deps.db.selectFrom("signups").selectAll().execute());

    // Every page of B's space: none shows A's offer, webhook, person or delivery.
    for (const path of ["/provider/dashboard", "/provider/signups?show=all", "/provider/receiving", "/provider/publishing", "/provider/verification", "/provider/account", "/provider/offers/new"]) {
      const page = await b.c.get(path);
      assert.is(page.status, 200, path);
      for (const secret of ["Nuage secret de A", rx.url, "alice.secrete@example.org", "Alice Secrète", delivery.webhook_id, body.id]) assert.not.ok(page.html.includes(secret), `${path} shows ${secret}`);
    }
    // Every form aimed at A's things: not found, nothing changed.
    const tok = tokenIn((await b.c.get("/provider/dashboard")).html);
    const attempts: Array<[string, Record<string, string | string[]>]> = [
      ["/provider/offers/nuage-secret-de-a", { ...OFFER_FORM({ title_fr: "Piraté" }), version: "x" }],
      ["/provider/offers/nuage-secret-de-a/delete", { version: "x", confirm: "yes" }],
      [`/provider/signups/${body.id}/active`, { loginUrl: "https://evil.example" }],
      [`/provider/signups/${body.id}/rejected`, { message: "non" }],
      [`/provider/signups/${body.id}/provisioning`, {}],
      [`/provider/receiving/deliveries/${delivery.webhook_id}/redeliver`, {}],
    ];
    for (const [path, fields] of attempts) {
      const r = await b.c.post(path, { _csrf: tok, ...fields });
      assert.is(r.status, 404, path);
    }
    assert.is((await b.c.get("/provider/offers/nuage-secret-de-a")).status, 404);
    const after = JSON.stringify(await env.deps.db.selectFrom("offers").selectAll().execute()) + JSON.stringify(await env.deps.db.selectFrom("signups").selectAll().execute());
    assert.is(after, before);
    assert.is((await env.deps.db.selectFrom("outbox").select("status").where("webhook_id", "=", delivery.webhook_id).executeTakeFirstOrThrow()).status, "dead");
    // B's webhook actions act on B alone: A's webhook keeps its URL.
    await b.c.submit("/provider/receiving", "/provider/receiving/webhook/rotate", {});
    assert.is((await json(await api(env, a.token, `/api/v1/providers/${a.slug}/webhook`))).url, rx.url);
    // A sees its own.
    const mine = await a.c.get("/provider/signups?show=all");
    assert.match(textOf(mine.html), /Alice Secrète.*alice\.secrete@example\.org/);
    assert.ok((await a.c.get("/provider/receiving")).html.includes(delivery.webhook_id));
    assert.is(tokenOf(body.statusUrl).length > 10, true);
  } finally { await rx.close(); await env.close(); }
});

test("the dashboard counts this month's views and signups, and says what needs attention until it is done", async () => {
  const env = await testEnv({ env: { SIGNUP_RATE_LIMIT_IP: "100/1h" } });
  const rx = await startReceiver();
  try {
    const { c, slug, token } = await joinedProvider(env, "Chatons du Lot");
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM());
    let dash = await c.get("/provider/dashboard");
    const kinds = (html: string) => [...html.matchAll(/data-kind="([a-z-]+)"/g)].map((m) => m[1]);
    assert.equal(kinds(dash.html), ["no-destination", "not-verified"]);
    assert.match(textOf(dash.html), /Ces offres prennent les inscriptions par l’annuaire, mais vous n’avez pas dit où les recevoir : Nuage du Lot/);
    for (let i = 0; i < 3; i++) assert.is((await env.app.request(`/offers/${slug}~nuage-du-lot`, { headers: { accept: "text/html" } })).status, 200);
    await c.submit("/provider/receiving", "/provider/receiving/webhook", { url: rx.url });
    await postSignup(env, { offerId: `${slug}~nuage-du-lot`, ...person({ email: "a@example.org" }) });
    await postSignup(env, { offerId: `${slug}~nuage-du-lot`, ...person({ email: "b@example.org" }) });
    await runDeliveryRound(env.deps, { random: () => 0.5 });
    dash = await c.get("/provider/dashboard");
    assert.is(/id="stat-views">(\d+)</.exec(dash.html)![1], "3");
    assert.is(/id="stat-signups">(\d+)</.exec(dash.html)![1], "2");
    assert.match(textOf(dash.html), /Nuage du Lot Affichée 5,00 € \/ mois 3 consultations ce mois-ci 2 inscriptions ce mois-ci/);
    assert.equal(kinds(dash.html), ["not-verified", "signups-waiting"]);
    // 24 days later the offer is about to be "not confirmed": one click confirms it.
    env.deps.clock.advance(24 * DAY_MS);
    await c.submit("/provider/signin", "/provider/signin", { token }); // the session ended after 7 idle days
    dash = await c.get("/provider/dashboard");
    assert.ok(kinds(dash.html).includes("stale-soon"));
    assert.match(textOf(dash.html), /1 offre affichera bientôt « non confirmée »\. Nuage du Lot Confirmer : toujours d’actualité/);
    // It is December now (T0 is 25 November): this month's numbers start from zero.
    assert.equal([/id="stat-views">(\d+)</.exec(dash.html)![1], /id="stat-signups">(\d+)</.exec(dash.html)![1]], ["0", "0"]);
    const confirmed = await c.post("/provider/offers/confirm", { _csrf: tokenIn(dash.html) });
    assert.is(confirmed.status, 303);
    dash = await c.follow(confirmed);
    assert.match(textOf(dash.html), /vos offres sont confirmées comme à jour pour 30 jours de plus/);
    assert.not.ok(kinds(dash.html).includes("stale-soon"));
  } finally { await rx.close(); await env.close(); }
});

/** The fields of the offer editor's form as a browser would post them (values, checked boxes, selected options). */
export function fieldsOf(html: string): Record<string, string | string[]> {
  const form = /<form[^>]*id="offer-form"[\s\S]*?<\/form>/.exec(html)![0];
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  };
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const a = m[1];
    const name = /name="([^"]+)"/.exec(a)?.[1];
    if (!name) continue;
    const value = unescape(/value="([^"]*)"/.exec(a)?.[1] ?? "");
    const type = /type="([^"]+)"/.exec(a)?.[1] ?? "text";
    if ((type === "checkbox" || type === "radio") && !/\bchecked=""/.test(a)) continue;
    add(name, value);
  }
  for (const m of form.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) add(/name="([^"]+)"/.exec(m[1])![1], unescape(m[2]));
  for (const m of form.matchAll(/<select([^>]*)>([\s\S]*?)<\/select>/g)) {
    const sel = /<option value="([^"]*)" selected=""/.exec(m[2])?.[1] ?? /<option value="([^"]*)"/.exec(m[2])?.[1] ?? "";
    add(/name="([^"]+)"/.exec(m[1])![1], unescape(sel));
  }
  return out;
}

test("query values named like built-in object properties are unknown values, not a 500 (space and operator pages)", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: "admin-token-for-tests-0123456789" } });
  try {
    const { c } = await joinedProvider(env, "Chatons du Lot");
    for (const v of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const page = await c.get(`/provider/signups?show=${v}`);
      assert.is(page.status, 200, v);
      assert.match(page.html, /aria-current="page"[^>]*>[^<]+</);
    }
    const op = client(env.app);
    const signin = await op.get("/admin/signin");
    assert.is((await op.post("/admin/signin", { _csrf: tokenIn(signin.html), token: "admin-token-for-tests-0123456789", name: "Dominique" })).status, 303);
    for (const v of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      for (const path of ["/admin", "/admin/review", "/admin/hidden", "/admin/reports"]) {
        const page = await op.get(`${path}?problem=${v}&done=${v}`);
        assert.is(page.status, 200, `${path} ${v}`);
        assert.not.match(page.html, /id="problem"/);
      }
    }
  } finally { await env.close(); }
});

test("the editor suggests software names from the public catalog only: an unreviewed host's names reach nobody", async () => {
  const ADMIN = "admin-token-for-tests-0123456789";
  const env = await testEnv({ env: { LISTING_POLICY: "reviewed", ADMIN_TOKEN: ADMIN } });
  try {
    const spammer = await joinedProvider(env, "Chatons Douteux");
    const put = await api(env, spammer.token, `/api/v1/providers/${spammer.slug}/offers/cloud`, {
      method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleOffer({ software: { name: "Buyc1alisnow" } })),
    });
    assert.is(put.status, 201);
    const other = await joinedProvider(env, "Chatons du Lot");
    assert.not.match((await other.c.get("/provider/offers/new")).html, /Buyc1alisnow/);
    // Once an operator approved that host, its software is part of the public catalog, and suggested.
    const approved = await env.app.request(`/api/v1/admin/providers/${spammer.slug}/approve`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    assert.is(approved.status, 200);
    assert.match((await other.c.get("/provider/offers/new")).html, /<option value="Buyc1alisnow">/);
  } finally { await env.close(); }
});

test.run();
