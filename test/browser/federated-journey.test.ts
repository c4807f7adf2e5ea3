/**
 * The journey on directory B for an offer published on directory A, in Chromium: B's search shows A's offer, its page
 * offers "S'inscrire", the form sends the request, B hands it over to A, A delivers it to the provider's webhook,
 * the provider calls A back with "active", A tells B, and B's status page (refreshing itself) shows the login link.
 * axe-core checks B's pages for that offer and its provider at 1280 and 390 px.
 */
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { launchChromium, pageAudit, SHOTS } from "../helpers/browser.ts";
import { setWebhook, startReceiver } from "../helpers/signups.ts";
import { eventually, startInstance, type Instance } from "../federation/instances.ts";


test("on B, a person joins a provider that publishes on A, up to the login link", async () => {
  const ENV = { SIGNUP_RATE_LIMIT_IP: "100/1h" };
  const A: Instance = await startInstance("localhost", ENV, {}, { signupWorker: true });
  const B: Instance = await startInstance("127.0.0.1", ENV, {}, { signupWorker: true });
  let token = "";
  // The provider's receiver answers 202, then reports "active" to A like examples/provider-webhook does.
  const rx = await startReceiver(async (r, res) => {
    res.writeHead(202).end();
    const data = JSON.parse(r.body).data as { callbackUrl: string };
    await fetch(data.callbackUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ status: "active", loginUrl: "https://cloud.coop-nuage.example/login" }) });
  });
  let browser: Browser | undefined;
  try {
    const p = await registerProvider(A.env.app, "coop-nuage", { name: "Coop Nuage" });
    token = p.token;
    await setWebhook(A.env, p.slug, p.token, rx.url);
    assert.is((await putOffer(A.env.app, p.slug, p.token, "cloud", sampleOffer())).status, 201);
    assert.is((await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) })).status, 202);
    await eventually("A's offer on B", async () => (await json(await B.env.app.request("/api/v1/offers?q=ecole"))).items[0]?.acceptsSignups === true);

    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR", bypassCSP: true });
    ctx.setDefaultTimeout(20_000);
    const page = await ctx.newPage();
    await page.goto(`${B.url}/?q=%C3%A9cole`);
    const card = page.locator(".card").first();
    assert.match((await card.locator(".badges").textContent())!, /D’un annuaire partenaire/);
    await Promise.all([page.waitForURL(/\/offers\//), card.locator("h3 a").click()]);
    const offerUrl = page.url();
    assert.match((await page.locator("#main").textContent())!, /Partagée par l’annuaire/);
    await Promise.all([page.waitForURL(/\/signup\//), page.getByRole("link", { name: "S’inscrire" }).click()]);
    assert.match((await page.locator("#via").textContent())!, new RegExp(`publiée par l’annuaire d’un autre membre, ${new URL(A.url).host}`));
    await page.getByLabel("Adresse électronique").fill("camille@example.org");
    await page.getByLabel("Nom", { exact: true }).fill("Camille Martin");
    await page.getByRole("checkbox").check();
    const started = Date.now();
    await Promise.all([page.waitForURL(/\/signups\//), page.getByRole("button", { name: "Demander mon compte" }).click()]);
    await page.locator('#now-title strong[data-status="active"]').waitFor({ timeout: 60_000 });
    console.log(`federated signup in the browser: form posted → "active" on B in ${Date.now() - started} ms`);
    assert.is(await page.getByRole("link", { name: "Se connecter à votre compte" }).getAttribute("href"), "https://cloud.coop-nuage.example/login");
    assert.is(rx.received.length, 1);
    await page.screenshot({ path: join(SHOTS, "federated-status-1280.png"), fullPage: true });

    // axe and no sideways scroll on B's pages for A's offer and provider.
    const providerUrl = (await page.goto(offerUrl), await page.locator("p.by a").first().getAttribute("href"))!;
    const a = pageAudit();
    for (const width of [1280, 390]) {
      const c = await browser.newContext({ viewport: { width, height: 900 }, locale: "fr-FR", bypassCSP: true });
      const pg = await c.newPage();
      for (const [name, url] of [["federated-offer", offerUrl], ["federated-provider", `${B.url}${providerUrl}`]] as const) {
        await pg.goto(url);
        await a.audit(pg, `${name} ${width}px`, `${name}-${width}`);
      }
      await c.close();
    }
    console.log(`axe (B's pages for A's offer and provider): ${a.summary()}`);
    assert.equal(a.problems, [], a.problems.join("\n"));
  } finally {
    await browser?.close().catch(() => {});
    await rx.close();
    await B.close();
    await A.close();
  }
});

test.run();
