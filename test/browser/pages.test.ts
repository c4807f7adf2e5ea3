/**
 * Drives the real pages in Debian's Chromium: search, results, offer page, language switch, compare selection.
 * Chromium must be at /usr/bin/chromium (CI installs it); without it this test fails, it does not skip.
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Browser } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { launchChromium } from "../helpers/browser.ts";
import { putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { setWebhook } from "../helpers/signups.ts";

export const SCREENSHOT = "/tmp/chatons-pages-search.png";

async function seed(env: TestEnv) {
  const a = await registerProvider(env.app, "la-mere-zaclys", { name: "La Mère Zaclys", description: { fr: "Association franc-comtoise d’hébergement libre.", en: "A free-software hosting association." } });
  const b = await registerProvider(env.app, "coop-nuage", { name: "Coop Nuage", orgType: "cooperative", country: "BE" });
  const ok = async (r: Promise<Response>) => assert.is((await r).status, 201);
  await ok(putOffer(env.app, a.slug, a.token, "cloud", sampleOffer()));
  // Its offers' signups go to a webhook: only with one set do they take signups through the directory.
  await setWebhook(env, a.slug, a.token, "http://127.0.0.1:9/hook");
  await ok(putOffer(env.app, a.slug, a.token, "pad", sampleOffer({
    service: "pad", software: { name: "HedgeDoc", version: "1.10" }, title: { fr: "Pads collaboratifs", en: "Collaborative pads" },
    description: { fr: "Écrivez à plusieurs en temps réel, sans compte.", en: "Write together in real time, no account needed." },
    price: { model: "pay-what-you-want" }, quota: {}, audience: ["individuals", "associations"],
  })));
  await ok(putOffer(env.app, b.slug, b.token, "visio", sampleOffer({
    service: "videoconference", software: { name: "Jitsi Meet" }, title: { fr: "Visio pour les écoles", en: "Video calls for schools" },
    description: { fr: "Des réunions vidéo hébergées en Belgique.", en: "Video meetings hosted in Belgium." }, dataLocation: "BE",
    price: { model: "fixed", amount: 500, currency: "EUR", period: "month" }, capacity: "full",
  })));
  await ok(putOffer(env.app, b.slug, b.token, "mail", sampleOffer({
    service: "mail", software: { name: "Postfix" }, title: { fr: "Courriel associatif", en: "Email for associations" },
    description: { fr: "Une boîte mail de 5 Go.", en: "A 5 GB mailbox." }, price: { model: "membership", amount: 2000, currency: "EUR", period: "year" },
    registration: "members", signup: { mode: "external", url: "https://coop-nuage.example/adhesion" },
  })));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`${what} took longer than ${ms} ms`)), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

test("a person searches, opens an offer, switches language and picks offers to compare", async () => {
  const env = await testEnv();
  let server: ServerType | undefined;
  let browser: Browser | undefined;
  try {
    await seed(env);
    server = serve({ fetch: env.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => (server!.listening ? resolve() : server!.once("listening", () => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await withTimeout(launchChromium(20_000), 25_000, "launching Chromium");
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "fr-FR" });
    context.setDefaultTimeout(10_000); // generous: CI machines are shared
    const page = await context.newPage();

    const home = await page.goto(`${base}/`);
    assert.is(home?.status(), 200);
    assert.is(await page.getAttribute("html", "lang"), "fr"); // from the browser's Accept-Language
    assert.is(await page.textContent("h1"), "Trouver un service");
    assert.is(await page.textContent("#total"), "4 offres");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByLabel("Que cherchez-vous").fill("école");
    await Promise.all([page.waitForURL(/q=/), page.getByRole("button", { name: "Rechercher" }).click()]);
    assert.match(page.url(), /\?lang=fr&q=%C3%A9cole/);
    assert.is(await page.title(), "école · Trouver un service · Annuaire des CHATONS");
    assert.is(await page.textContent("#total"), "2 offres");
    const titles = await page.locator(".card h3 a").allTextContents();
    assert.equal([...titles].sort(), ["Nextcloud pour les écoles", "Visio pour les écoles"]);
    assert.is(await page.locator('.card[data-offer-id="coop-nuage~visio"] .badge.bad').textContent(), "Complet");
    assert.match(await page.locator('.card[data-offer-id="coop-nuage~visio"] .price').textContent() ?? "", /^5,00\s€ \/ mois$/);

    // Narrow with a select of the form; the query text is kept.
    await page.selectOption("select[name=price]", "free");
    await Promise.all([page.waitForURL(/price=free/), page.getByRole("button", { name: "Rechercher" }).click()]);
    assert.equal(await page.locator(".card h3 a").allTextContents(), ["Nextcloud pour les écoles"]);

    await Promise.all([page.waitForURL(/\/offers\//), page.getByRole("link", { name: "Nextcloud pour les écoles" }).click()]);
    assert.is(new URL(page.url()).pathname, "/offers/la-mere-zaclys~cloud");
    assert.is(await page.textContent("h1"), "Nextcloud pour les écoles");
    assert.is(await page.getByRole("link", { name: "S’inscrire" }).getAttribute("href"), "/signup/la-mere-zaclys~cloud?lang=fr");
    assert.is(await page.textContent("#updated"), "Mise à jour le 25 novembre 2026");

    await Promise.all([page.waitForURL(/lang=en/), page.getByRole("link", { name: "Read this page in English" }).click()]);
    assert.is(await page.getAttribute("html", "lang"), "en");
    assert.is(await page.textContent("h1"), "Nextcloud for schools");
    assert.is(await page.getByRole("link", { name: "Sign up", exact: true }).getAttribute("href"), "/signup/la-mere-zaclys~cloud?lang=en");

    // Back to the list in English, tick two offers, ask to compare: the browser lands on /compare?ids=a,b.
    await Promise.all([page.waitForURL(/\/\?lang=en$/), page.getByRole("link", { name: "Back to search" }).click()]);
    await page.getByLabel("Compare Collaborative pads").check();
    await page.getByLabel("Compare Email for associations").check();
    await Promise.all([page.waitForURL(/\/compare\?/), page.getByRole("button", { name: "Compare the selected offers" }).click()]);
    const url = new URL(page.url());
    assert.is(url.pathname, "/compare");
    assert.equal(url.searchParams.get("ids")!.split(",").sort(), ["coop-nuage~mail", "la-mere-zaclys~pad"]);
    assert.is(url.searchParams.get("lang"), "en");
  } finally {
    await browser?.close().catch(() => {});
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await env.close();
  }
});

test.run();
