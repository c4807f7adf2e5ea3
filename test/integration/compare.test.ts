import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";

let env: TestEnv;
test.before(async () => { env = await testEnv({ seed: true }); });
test.after(async () => { await env.close(); });

test("GET /api/v1/compare: offers in the order asked, normalised fields, the fields that differ", async () => {
  const res = await env.app.request("/api/v1/compare?ids=coop-des-nuages~nextcloud-pro,le-chaton-libre~nextcloud,sirop-numerique~nextcloud");
  assert.is(res.status, 200);
  assert.match(res.headers.get("etag") ?? "", /^"/);
  const body = await json(res);
  assert.equal(body.items.map((o: { id: string }) => o.id), ["coop-des-nuages~nextcloud-pro", "le-chaton-libre~nextcloud", "sirop-numerique~nextcloud"]);
  const [pro, libre] = body.comparison;
  assert.is(libre.monthlyPrice.amount, 0);
  assert.is(libre.monthlyPrice.currency, null);
  assert.is(libre.priceModel, "free");
  assert.is(libre.storageGB, 10);
  assert.equal(libre.languages, ["en", "fr"]);
  assert.is(pro.service, "storage");
  assert.is(pro.software, "Nextcloud");
  assert.ok(pro.monthlyPrice.amount > 0);
  assert.ok(body.differences.includes("monthlyPrice"));
  assert.ok(body.differences.includes("priceModel"));
  assert.not.ok(body.differences.includes("service"));
  assert.not.ok(body.differences.includes("software"));
  assert.is((await env.app.request("/api/v1/compare?ids=coop-des-nuages~nextcloud-pro,le-chaton-libre~nextcloud,sirop-numerique~nextcloud", { headers: { "if-none-match": res.headers.get("etag")! } })).status, 304);
});

test("yearly prices are compared per month", async () => {
  const body = await json(await env.app.request("/api/v1/compare?ids=le-chaton-libre~pack-associatif&ids=atelier-du-libre~nextcloud"));
  const offers = body.items;
  for (let i = 0; i < 2; i++) {
    const p = offers[i].price;
    const expected = p.period === "year" ? Math.round(p.amount / 12) : p.period === "once" ? Math.round(p.amount / 36) : p.amount ?? null;
    assert.is(body.comparison[i].monthlyPrice.amount, p.model === "free" || p.model === "pay-what-you-want" ? 0 : expected);
  }
});

test("compare: fewer than 2, more than 5, repeated ids → 400; unknown ids → 404 naming them", async () => {
  for (const qs of ["", "ids=", "ids=a", "ids=a,b,c,d,e,f", "ids=a,a"]) {
    const r = await env.app.request(`/api/v1/compare?${qs}`);
    assert.is(r.status, 400, qs);
    assert.is(r.headers.get("content-type"), "application/problem+json; charset=utf-8");
    assert.is((await json(r)).errors[0].path, "ids");
  }
  const nf = await env.app.request("/api/v1/compare?ids=le-chaton-libre~nextcloud,nobody~x,ghost~y");
  assert.is(nf.status, 404);
  const p = await json(nf);
  assert.is(p.type, "https://chatons-directory.org/problems/not-found");
  assert.match(p.detail, /nobody~x, ghost~y/);
});

test("/compare page: every value in the reader's language, prices as on other pages, a way on for each offer", async () => {
  const fr = await env.app.request("/compare?ids=le-chaton-libre~nextcloud,coop-des-nuages~nextcloud-pro");
  assert.is(fr.status, 200);
  assert.is(fr.headers.get("content-language"), "fr");
  const html = await fr.text();
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /Comparer des offres/);
  assert.match(html, /<tr class="differs" data-field="monthlyPrice"><th scope="row">Prix par mois<span class="differs-mark"> · diffère<\/span><\/th>/);
  assert.match(html, /<tr data-field="service"><th scope="row">Service<\/th><td>Stockage de fichiers<\/td><td>Stockage de fichiers<\/td><\/tr>/);
  assert.match(html, /<td>6,00\u00a0€ \/ mois<\/td>/);
  assert.match(html, /<td>France<\/td>/);
  assert.not.match(html, /<td>(storage|open|available|free|webhook|fr|FR)<\/td>/);
  // Removing one of two offers goes back to search with the other still selected.
  assert.match(html, /<a class="remove" href="\/\?service=storage&amp;compare=coop-des-nuages%7Enextcloud-pro&amp;lang=fr"><span aria-hidden="true">✕ Retirer<\/span><span class="sr">Retirer <span>[^<]+<\/span> de la comparaison<\/span><\/a>/);
  const en = await (await env.app.request("/compare?ids=le-chaton-libre~nextcloud,coop-des-nuages~nextcloud-pro&lang=en")).text();
  assert.match(en, /<html lang="en">/);
  assert.match(en, /Price per month/);
  assert.match(en, /Personal Nextcloud cloud/);
  assert.match(en, /<td>File storage<\/td>/);
  assert.match(en, /<td>6.00 EUR \/ month<\/td>/);
  const bad = await env.app.request("/compare?ids=le-chaton-libre~nextcloud&lang=en");
  assert.is(bad.status, 400);
  const badHtml = await bad.text();
  assert.match(badHtml, /Choose between 2 and 5/);
  // The one valid pick is kept, with a way to choose more.
  assert.match(badHtml, /<ul class="chips"><li><a href="\/offers\/le-chaton-libre~nextcloud\?lang=en">/);
  assert.match(badHtml, /<a class="btn alt" href="\/\?service=storage&amp;compare=le-chaton-libre%7Enextcloud&amp;lang=en">Choose more offers<\/a>/);
  const missing = await env.app.request("/compare?ids=le-chaton-libre~nextcloud,%3Cscript%3Ex");
  assert.is(missing.status, 404);
  const text = await missing.text();
  assert.not.match(text, /<script>x/);
  assert.match(text, /&lt;script&gt;x/);
});

test("/compare: pay what you want is never 'free'; a full offer offers its page (with alternatives) instead of a sign-up", async () => {
  const pwyw = (await json(await env.app.request("/api/v1/offers?price=pay-what-you-want&sort=name&limit=1"))).items[0];
  assert.is(pwyw.price.model, "pay-what-you-want");
  const html = await (await env.app.request(`/compare?ids=${pwyw.id},le-chaton-libre~peertube&lang=fr`)).text();
  const priceRow = /<tr[^>]*data-field="monthlyPrice">(.*?)<\/tr>/.exec(html)![1];
  assert.match(priceRow, /^<th scope="row">Prix par mois(<span class="differs-mark"> · diffère<\/span>)?<\/th><td>Prix libre<\/td>/);
  assert.match(html, /<tr[^>]*data-field="capacity">.*<td>Complet<\/td><\/tr>/);
  assert.match(html, /<td><a href="\/offers\/le-chaton-libre~peertube\?lang=fr">Voir l’offre<\/a><\/td>/);
});

test.run();
