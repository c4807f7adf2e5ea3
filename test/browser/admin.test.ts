/**
 * The operator pages in Debian's Chromium, JavaScript off, on the real server (LISTING_POLICY=reviewed, SEED=demo):
 * a host joins and waits → a person reports an offer from its page ("Signaler cette offre") → the operator signs in
 * with the admin token, approves the host from the review queue (its page becomes public), hides the reported offer
 * and closes the report, shows the offer again from "Hidden", hides a host from its page (its public page goes away),
 * and reads all of it in the audit log. Then every operator page at 1280 px and 390 px, in French and English: no
 * serious or critical axe-core violation, no sideways scroll, a screenshot in test/browser/screenshots/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { launchChromium, pageAudit } from "../helpers/browser.ts";
import { freePort, startServer, type Server } from "../helpers/process.ts";

const ADMIN = "admin-token-for-the-browser-0123456789";

let server: Server;
let browser: Browser;
let dir: string;
let base: string;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatons-admin-"));
  server = await startServer({ DATABASE_URL: `file:${join(dir, "d.db")}`, SEED: "demo", PORT: String(await freePort()), ADMIN_TOKEN: ADMIN, LISTING_POLICY: "reviewed", ALLOW_PRIVATE_NETWORK: "1" });
  base = server.url;
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** JavaScript off for the journey (the pages need none); on for axe, which runs as a script. */
async function newPage(width: number, locale: string, js = false): Promise<Page> {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width, height: 900 }, locale, extraHTTPHeaders: { "accept-language": locale }, bypassCSP: true });
  return ctx.newPage();
}

/** Clicks a submit button and waits for the page it leads to (a 303 redirect back, or a page). */
const submit = (page: Page, scope: ReturnType<Page["locator"]> | Page, name: string | RegExp) =>
  Promise.all([page.waitForNavigation(), scope.getByRole("button", { name }).first().click()]);

async function signIn(page: Page, name: string) {
  await page.goto(`${base}/admin`);
  assert.match(page.url(), /\/admin\/signin/);
  const fr = (await page.getAttribute("html", "lang")) === "fr";
  await page.getByLabel(fr ? "Jeton d’administration" : "Admin token").fill(ADMIN);
  await page.getByLabel(fr ? "Votre nom" : "Your name").fill(name);
  await submit(page, page, fr ? "Se connecter" : "Sign in");
}

test("review queue, reports and hiding through the operator pages, without JavaScript", async () => {
  // A host joins: under the reviewed policy it waits, and its public page does not exist yet.
  const join = await fetch(`${base}/api/v1/providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({
    slug: "nuage-des-causses", name: "Nuage des Causses", website: "https://nuage-des-causses.example", email: "contact@nuage-des-causses.example", country: "FR", orgType: "association",
  }) });
  assert.is(join.status, 201);
  const { token } = await join.json() as { token: string };
  const put = await fetch(`${base}/api/v1/providers/nuage-des-causses/offers/cloud`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({
    service: "storage", software: { name: "Nextcloud" }, title: { fr: "Nuage des Causses" }, description: { fr: "Vos fichiers sur le causse." }, price: { model: "free" },
    registration: "open", dataLocation: "FR", signup: { mode: "webhook" },
  }) });
  assert.is(put.status, 201);
  assert.is((await fetch(`${base}/providers/nuage-des-causses`)).status, 404);

  // A person reports a demo offer from its page.
  const offer = ((await (await fetch(`${base}/api/v1/offers?limit=1&sort=name`)).json()) as { items: Array<{ id: string; provider: { slug: string } }> }).items[0];
  const person = await newPage(390, "fr-FR");
  await person.goto(`${base}/offers/${offer.id}`);
  await Promise.all([person.waitForNavigation(), person.getByRole("link", { name: "Signaler cette offre" }).click()]);
  await person.getByLabel("Les informations sont fausses ou trompeuses").check();
  await person.getByLabel("Votre message (facultatif)").fill("Le prix affiché ne correspond pas à celui du site.");
  await submit(person, person, "Envoyer le signalement");
  assert.match(await person.locator("#report-sent").innerText(), /Votre signalement a été transmis/);

  // The operator signs in and sees both on the overview.
  const page = await newPage(1280, "fr-FR");
  await signIn(page, "Camille");
  assert.is(await page.locator("#stat-waiting").innerText(), "1");
  assert.is(await page.locator("#stat-reports").innerText(), "1");

  // Review queue → approve (with a note): the host and its offer are public.
  await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "À valider", exact: true }).click()]);
  const entry = page.locator('[data-provider="nuage-des-causses"]');
  assert.match(await entry.innerText(), /Nuage des Causses[\s\S]*1 offre préparée[\s\S]*non vérifié/);
  await entry.getByLabel("Note (facultative)").first().fill("Site et offre vérifiés");
  await submit(page, entry, "Valider");
  assert.match(await page.locator("#done").innerText(), /Validé/);
  assert.is(await page.locator("#queue-empty").count(), 1);
  assert.is((await fetch(`${base}/providers/nuage-des-causses`)).status, 200);

  // Reports → hide the reported offer with a reason, then close the report.
  await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Signalements", exact: true }).first().click()]);
  const report = page.locator("[data-report]").first();
  assert.match(await report.innerText(), /Le prix affiché ne correspond pas à celui du site\./);
  await report.getByLabel("Pourquoi (l’hébergeur le verra)").fill("Prix trompeur");
  await submit(page, report, "Masquer cette offre");
  assert.match(await page.locator("#done").innerText(), /Masqué/);
  assert.is((await fetch(`${base}/api/v1/offers/${offer.id}`)).status, 404);
  await page.locator("[data-report]").first().getByLabel("Ce que vous avez fait (facultatif)").fill("Offre masquée, hébergeur prévenu");
  await submit(page, page.locator("[data-report]").first(), "Clôturer le signalement");
  assert.is(await page.locator("#reports-empty").count(), 1);

  // Hidden → show the offer again.
  await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Masqués", exact: true }).click()]);
  const hidden = page.locator(`#hidden-offers [data-offer="${offer.id}"]`);
  assert.match(await hidden.innerText(), /Prix trompeur/);
  await submit(page, hidden, "Afficher de nouveau");
  assert.is((await fetch(`${base}/api/v1/offers/${offer.id}`)).status, 200);

  // A host's page → hide it, with a reason: its public page goes away.
  await page.goto(`${base}/admin/providers/${offer.provider.slug}?lang=fr`);
  await page.getByLabel("Pourquoi (l’hébergeur le verra)").first().fill("A quitté le collectif");
  await submit(page, page.locator(".acts").first(), "Masquer");
  assert.is(await page.locator("#provider-state").getAttribute("data-state"), "hidden");
  assert.is((await fetch(`${base}/providers/${offer.provider.slug}`)).status, 404);

  // The audit log says who did what, when and why.
  await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Journal", exact: true }).click()]);
  const rows = await page.locator("#audit tbody tr").evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.action));
  assert.equal(rows, ["hide-provider", "unhide-offer", "close-report", "hide-offer", "approve"]);
  assert.match(await page.locator("#audit").innerText(), /Camille[\s\S]*A quitté le collectif/);
});

test("every operator page at 1280 px and 390 px, in French and English: no serious or critical axe violation, no sideways scroll", async () => {
  const a = pageAudit();
  const slug = ((await (await fetch(`${base}/api/v1/providers?limit=1`)).json()) as { items: Array<{ slug: string }> }).items[0].slug;
  // Someone waiting, so the review queue shows an entry with its forms.
  await fetch(`${base}/api/v1/providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({
    slug: "chatons-des-pyrenees-tres-long-nom", name: "Les Chatons des Pyrénées et de la vallée d’Aure réunis", website: "https://chatons-des-pyrenees-tres-long-nom.example",
    email: "bonjour@chatons-des-pyrenees-tres-long-nom.example", country: "FR", orgType: "collective", description: { fr: "Un collectif d’hébergeurs de montagne." },
  }) });
  const pages: Array<[string, string]> = [
    ["overview", "/admin"], ["review", "/admin/review"], ["reports", "/admin/reports?show=closed"], ["hidden", "/admin/hidden"], ["audit", "/admin/audit"],
    ["provider", `/admin/providers/${slug}`], ["find-missing", "/admin/find?slug=nobody"],
  ];
  for (const width of [1280, 390]) {
    for (const locale of ["fr-FR", "en-GB"]) {
      const page = await newPage(width, locale, true);
      const fr = locale === "fr-FR";
      const audit = (name: string) => a.audit(page, `${name} ${width}px ${locale}`, fr ? `admin-${name}-${width}` : undefined);
      await page.goto(`${base}/admin/signin`);
      await audit("signin");
      await signIn(page, "Dominique");
      for (const [name, path] of pages) {
        await page.goto(`${base}${path}`);
        await audit(name);
      }
      await page.goto(`${base}/offers/${((await (await fetch(`${base}/api/v1/offers?limit=1`)).json()) as { items: Array<{ id: string }> }).items[0].id}/report`);
      await audit("report-form");
      await page.context().close();
    }
  }
  console.log(`axe (operator pages): ${a.summary()}`);
  assert.equal(a.problems, [], a.problems.join("\n"));
});

test.run();
