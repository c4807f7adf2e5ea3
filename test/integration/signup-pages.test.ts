import { test } from "uvu";
import * as assert from "uvu/assert";
import { testEnv } from "../helpers/deps.ts";
import { providerWithOffer } from "../helpers/signups.ts";

const form = (fields: Record<string, string>) => ({
  method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(),
});

test("signup form: FR by default, EN with ?lang=en, no password field; posting it redirects to the status page with each step", async () => {
  const env = await testEnv();
  try {
    const p = await providerWithOffer(env, "chaton-f", { webhookUrl: "http://127.0.0.1:9/hook" });
    const fr = await env.app.request(`/signup/${p.offerId}`);
    assert.is(fr.status, 200);
    const html = await fr.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Créer un compte/);
    assert.match(html, /Nextcloud pour les écoles/);
    assert.match(html, /name="email"/);
    assert.match(html, /name="consent"/);
    assert.match(html, /L’annuaire les efface 7 jours/);
    assert.not.match(html, /type="password"|name="password"/);
    const en = await (await env.app.request(`/signup/${p.offerId}?lang=en`)).text();
    assert.match(en, /Create an account/);
    assert.match(en, /Nextcloud for schools/);

    const bad = await env.app.request(`/signup/${p.offerId}?lang=en`, form({ email: "nope", name: "Camille <b>" }));
    assert.is(bad.status, 400);
    const badHtml = await bad.text();
    // Each field says why in the page's language (never the validator's own text).
    assert.match(badHtml, /<p class="error" id="email-error">Enter an email address such as camille@example.org.<\/p>/);
    assert.match(badHtml, /<p class="error" id="consent-error">Tick the box to agree/);
    assert.not.match(badHtml, /must be an email address|Invalid key|Expected/);
    assert.match(badHtml, /value="Camille &lt;b&gt;"/);

    const ok = await env.app.request(`/signup/${p.offerId}?lang=en`, form({ email: "camille@example.org", name: "Camille", username: "", consent: "yes" }));
    assert.is(ok.status, 303);
    const location = ok.headers.get("location")!;
    assert.match(location, /^\/signups\/su_[A-Za-z0-9_-]{16}\?token=st_[A-Za-z0-9_-]{43}&lang=en$/);
    const row = await env.deps.db.selectFrom("signups").selectAll().executeTakeFirstOrThrow();
    assert.equal([row.email, row.name, row.username, row.locale], ["camille@example.org", "Camille", null, "en"]);

    const page = await env.app.request(location);
    assert.is(page.status, 200);
    assert.is(page.headers.get("referrer-policy"), "no-referrer");
    const status = await page.text();
    assert.match(status, /Your signup/);
    assert.match(status, /<strong data-status="pending">Received by the directory<\/strong>/);
    assert.match(status, /<time datetime="2026-11-25T12:00:00.000Z">/);
    // It reloads itself every 3 s while the last step is recent, every 10 s after a minute, every 60 s after an hour.
    assert.match(status, /<meta http-equiv="refresh" content="3"\/>/);
    assert.match(status, /This page updates itself every 3 seconds/);
    env.deps.clock.advance(61_000);
    assert.match(await (await env.app.request(location)).text(), /<meta http-equiv="refresh" content="10"\/>/);
    env.deps.clock.advance(3_600_000);
    const frStatus = await (await env.app.request(location.replace("lang=en", "lang=fr"))).text();
    assert.match(frStatus, /Reçue par l’annuaire/);
    assert.match(frStatus, /<meta http-equiv="refresh" content="60"\/>/);
    assert.is((await env.app.request(`/signups/${row.id}?token=st_nope`)).status, 404);
  } finally { await env.close(); }
});

test("signup form for an external offer links to the provider; unknown offers are 404 pages", async () => {
  const env = await testEnv();
  try {
    const p = await providerWithOffer(env, "chaton-e", { offer: { signup: { mode: "external", url: "https://chaton-e.example/join" } } });
    const html = await (await env.app.request(`/signup/${p.offerId}?lang=en`)).text();
    assert.match(html, /href="https:\/\/chaton-e.example\/join"/);
    assert.not.match(html, /<form/);
    assert.is((await env.app.request("/signup/nobody~nothing")).status, 404);
  } finally { await env.close(); }
});

test.run();
