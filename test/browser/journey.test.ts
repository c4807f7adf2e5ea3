/**
 * The seeker's whole journey in Debian's Chromium, on the real server as `npm start` runs it (SEED=demo, its own demo
 * providers' receiver) with a real SMTP server on loopback: search "école", filter, sort, open an offer, compare three,
 * sign up and watch the status page reach "active" by itself, receive both emails, switch language, and from a full
 * offer reach an open alternative — once with JavaScript, once without. Then every page at 1280 px and 390 px: axe-core
 * finds no serious or critical violation, nothing scrolls sideways, and a screenshot goes to test/browser/screenshots/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { launchChromium, pageAudit } from "../helpers/browser.ts";
import { freePort, startServer, type Server } from "../helpers/process.ts";
import { startSmtp } from "../helpers/smtp.ts";


let server: Server;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;
let dir: string;
let base: string;
type O = { id: string; acceptsSignups: boolean; capacity: string; registration: string; signup: { mode: string; url?: string }; service: string; title: Record<string, string> };
let offers: O[];
const timings: Record<string, number> = {};

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatons-journey-"));
  smtp = await startSmtp();
  server = await startServer({
    DATABASE_URL: `file:${join(dir, "d.db")}`, SEED: "demo", PORT: String(await freePort()), SMTP_URL: smtp.url,
    MAIL_FROM: "Annuaire des CHATONS <annuaire@chatons.example>", OPERATOR_NAME: "Chatons du Lot", OPERATOR_CONTACT: "contact@chatons-lot.example",
  });
  base = server.url;
  const all: O[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { items: O[]; nextCursor: string | null } = await (await fetch(`${base}/api/v1/offers?limit=100&sort=name${cursor ? `&cursor=${cursor}` : ""}`)).json();
    all.push(...page.items);
    cursor = page.nextCursor;
  }
  offers = all;
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (Object.keys(timings).length) console.log(`journey timings (ms): ${JSON.stringify(timings)}`);
});

async function context(opts: { js: boolean; width?: number; locale?: string }): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 }, locale: opts.locale ?? "fr-FR", javaScriptEnabled: opts.js,
    // Pages allow no script at all (CSP); axe-core is injected by the test itself.
    bypassCSP: true,
  });
  ctx.setDefaultTimeout(20_000); // generous: CI machines are shared
  return ctx;
}

const click = (page: Page, url: RegExp, action: () => Promise<unknown>) => Promise.all([page.waitForURL(url), action()]);

async function journey(js: boolean, email: string) {
  const ctx = await context({ js });
  const page = await ctx.newPage();
  try {
    // Search "école".
    await page.goto(`${base}/`);
    assert.is(await page.getAttribute("html", "lang"), "fr");
    await page.getByLabel("Que cherchez-vous").fill("école");
    await click(page, /q=/, () => page.getByRole("button", { name: "Rechercher" }).click());
    const total = async () => Number((await page.textContent("#total"))!.replace(/\D/g, ""));
    const found = await total();
    assert.ok(found >= 3, `"école" finds offers (${found})`);

    // Filter by a facet: the first service offered.
    const facet = page.locator(".facets h3", { hasText: /^Service$/ }).locator("xpath=following-sibling::ul[1]//a").first();
    const facetLabel = (await facet.locator("span").first().textContent())!;
    await click(page, /service=/, () => facet.click());
    assert.is(await page.locator('.facets a[aria-current="true"]', { hasText: facetLabel }).count(), 1);
    const filtered = await total();
    assert.ok(filtered >= 3 && filtered < found, `the filter narrows (${filtered} of ${found})`);

    // Sort by price: free and pay-what-you-want first.
    await page.selectOption("select[name=sort]", "price");
    await click(page, /sort=price/, () => page.getByRole("button", { name: "Rechercher" }).click());
    assert.match(page.url(), /q=%C3%A9cole/);
    assert.match(page.url(), /service=/);
    assert.match((await page.locator(".card .price").first().textContent())!, /^(Gratuit|Prix libre)/);

    // Open an offer, come back to the same search.
    const firstTitle = (await page.locator(".card h3 a").first().textContent())!;
    await click(page, /\/offers\//, () => page.locator(".card h3 a").first().click());
    assert.is(await page.textContent("h1"), firstTitle);
    await click(page, /\/\?/, () => page.getByRole("link", { name: "Retour à la recherche" }).click());
    assert.match(page.url(), /sort=price/);
    assert.is(await total(), filtered);

    // Compare three offers.
    const boxes = page.locator('.card input[name="compare"]');
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      await boxes.nth(i).check();
      picked.push((await boxes.nth(i).getAttribute("value"))!);
    }
    await click(page, /\/compare\?/, () => page.getByRole("button", { name: "Comparer les offres cochées" }).click());
    assert.equal(new URL(page.url()).searchParams.get("ids")!.split(","), picked);
    assert.is(await page.locator("table.compare thead th[data-offer-id]").count(), 3);
    assert.is(await page.locator('tr[data-field="service"] td').first().textContent().then((s) => /^[A-ZÉ]/.test(s ?? "")), true);

    // Sign up to a demo offer and watch the status page reach "active" by itself (meta refresh, no script needed).
    const target = offers.find((o) => o.acceptsSignups && o.signup.mode === "webhook" && o.registration === "open")!;
    await page.goto(`${base}/offers/${encodeURIComponent(target.id)}?lang=fr`);
    await click(page, /\/signup\//, () => page.getByRole("link", { name: "S’inscrire" }).click());
    await page.getByLabel("Adresse électronique").fill(email);
    await page.getByLabel("Nom", { exact: true }).fill("Camille Martin");
    await page.getByRole("checkbox").check();
    const clicked = Date.now();
    await click(page, /\/signups\//, () => page.getByRole("button", { name: "Demander mon compte" }).click());
    assert.match((await page.textContent("#now-title"))!, /Reçue par l’annuaire|Transmise à l’hébergeur|L’hébergeur crée votre compte/);
    await page.locator('#now-title strong[data-status="active"]').waitFor({ timeout: 60_000 });
    timings[`signup→active (${js ? "JS on" : "JS off"})`] = Date.now() - clicked;
    assert.is(await page.locator('#now-title strong').textContent(), "Votre compte est prêt");
    const login = page.getByRole("link", { name: "Se connecter à votre compte" });
    assert.match((await login.getAttribute("href"))!, /\/demo\/providers\/[^/]+\/login$/);
    const statusId = new URL(page.url()).pathname.split("/").pop()!;

    // Both emails, in French, each with this signup's link.
    const mine = async () => smtp.received.filter((m) => m.to.includes(email));
    for (let i = 0; i < 600 && (await mine()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const mails = await mine();
    assert.equal(mails.map((m) => m.mail.subject).sort(), [
      `Votre compte chez ${await page.locator(".lead [translate=no]").first().textContent()} est prêt`,
      `Votre demande de compte chez ${await page.locator(".lead [translate=no]").first().textContent()}`,
    ].sort());
    for (const m of mails) assert.match(m.mail.text ?? "", new RegExp(`/signups/${statusId}\\?token=st_`));

    // Switch language: the choice sticks on the next pages.
    await click(page, /lang=en/, () => page.getByRole("link", { name: "Read this page in English" }).click());
    assert.is(await page.getAttribute("html", "lang"), "en");
    assert.is(await page.locator('#now-title strong').textContent(), "Your account is ready");
    await page.goto(`${base}/about`);
    assert.is(await page.getAttribute("html", "lang"), "en");

    // A closed offer, and a full one, offer no sign-up but similar open offers; the first one can be joined.
    // (ones whose service has open offers elsewhere: those are what the page suggests)
    const hasAlternatives = async (o: O) => (await (await fetch(`${base}/api/v1/offers?service=${o.service}&available=true&limit=5`)).json() as { items: O[] }).items.some((x) => x.id !== o.id);
    const closed = (await Promise.all(offers.filter((o) => o.registration === "closed").map(async (o) => ((await hasAlternatives(o)) ? o : undefined)))).find(Boolean)!;
    const full = (await Promise.all(offers.filter((o) => o.capacity === "full" && o.registration !== "closed").map(async (o) => ((await hasAlternatives(o)) ? o : undefined)))).find(Boolean)!;
    for (const [unavailable, why] of [[closed, /Sign-ups are closed for this offer\./], [full, /This offer is full for now\./]] as const) {
      await page.goto(`${base}/offers/${encodeURIComponent(unavailable.id)}`);
      assert.is(await page.getByRole("link", { name: "Sign up", exact: true }).count(), 0);
      assert.match((await page.locator(".unavailable").textContent())!, why);
      await click(page, /\/offers\//, () => page.locator(".unavailable ul.alts a").first().click());
      assert.ok(new URL(page.url()).pathname !== `/offers/${unavailable.id}`);
      assert.is(await page.getByRole("link", { name: "Sign up", exact: true }).count(), 1);
    }
  } finally {
    await ctx.close();
  }
}

test("the journey with JavaScript", () => journey(true, "camille.js@example.org"));
test("the journey without JavaScript", () => journey(false, "camille.nojs@example.org"));

test("every page at 1280 px and 390 px: no serious or critical axe violation, no sideways scroll, a screenshot", async () => {
  const find = (f: (o: O) => boolean) => offers.find(f)!.id;
  const open = find((o) => o.acceptsSignups);
  const pages: Array<[string, string | ((page: Page) => Promise<void>)]> = [
    ["home", "/"], ["search-ecole", "/?q=%C3%A9cole&service=storage"], ["search-didyoumean", "/?q=nexcloud"],
    ["search-understood", "/?q=nextcloud%20gratuit%20belgique"], ["search-selection", `/?service=storage&compare=${open}`],
    ["offer-signup", `/offers/${open}`], ["offer-external", `/offers/${find((o) => o.signup.mode === "external")}`],
    ["offer-full", `/offers/${find((o) => o.capacity === "full")}`], ["offer-closed", `/offers/${find((o) => o.registration === "closed")}`], ["providers", "/providers"], ["provider", `/providers/${open.split("~")[0]}`],
    ["compare", `/compare?ids=${offers.filter((o) => o.service === "storage").slice(0, 4).map((o) => o.id).join(",")}`],
    ["compare-error", `/compare?ids=${open}`], ["signup-form", `/signup/${open}`],
    ["signup-errors", async (page) => {
      await page.goto(`${base}/signup/${open}`);
      await page.getByRole("button").filter({ hasText: /Demander mon compte|Ask for my account/ }).click();
      await page.waitForSelector("p.error");
    }],
    ["about", "/about"], ["privacy", "/privacy"], ["badges", "/badges"], ["docs", "/docs"], ["not-found", "/nothing-here"],
    ["demo-login", `/demo/providers/${open.split("~")[0]}/login`],
  ];
  // A status page (from a signup made through the API), pending then however far it got.
  const res = await fetch(`${base}/api/v1/signups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ offerId: open, email: "axe@example.org", name: "Axe", consent: true }) });
  const status = new URL((await res.json()).statusUrl);
  pages.push(["status", status.pathname + status.search]);
  const a = pageAudit();
  for (const width of [1280, 390]) {
    for (const locale of ["fr-FR", "en-GB"]) {
      const ctx = await context({ js: true, width, locale });
      const page = await ctx.newPage();
      for (const [name, how] of pages) {
        if (typeof how === "string") await page.goto(`${base}${how}`);
        else await how(page);
        await a.audit(page, `${name} ${width}px ${locale}`, locale === "fr-FR" ? `${name}-${width}` : undefined);
      }
      await ctx.close();
    }
  }
  console.log(`axe (${pages.length} pages × 2 widths × 2 languages): ${a.summary()}`);
  assert.equal(a.problems, [], a.problems.join("\n"));
});

test.run();
