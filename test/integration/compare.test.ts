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

test("/compare page in French and English, with differing rows marked and provider text escaped", async () => {
  const fr = await env.app.request("/compare?ids=le-chaton-libre~nextcloud,coop-des-nuages~nextcloud-pro");
  assert.is(fr.status, 200);
  const html = await fr.text();
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /Comparer des offres/);
  assert.match(html, /Prix par mois/);
  assert.match(html, /<tr class="differs" data-field="monthlyPrice">/);
  assert.match(html, /<tr data-field="service">/);
  assert.match(html, /gratuit/);
  const en = await (await env.app.request("/compare?ids=le-chaton-libre~nextcloud,coop-des-nuages~nextcloud-pro&lang=en")).text();
  assert.match(en, /<html lang="en">/);
  assert.match(en, /Price per month/);
  assert.match(en, /Personal Nextcloud cloud/);
  const bad = await env.app.request("/compare?ids=only-one&lang=en");
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /Choose between 2 and 5/);
  const missing = await env.app.request("/compare?ids=le-chaton-libre~nextcloud,%3Cscript%3Ex");
  assert.is(missing.status, 404);
  const text = await missing.text();
  assert.not.match(text, /<script>x/);
  assert.match(text, /&lt;script&gt;x/);
});

test.run();
