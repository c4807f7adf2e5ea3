/**
 * The provider space in Debian's Chromium, on the real server (`npm start`'s entry point, SEED=demo, a real SMTP
 * server, ALLOW_PRIVATE_NETWORK=1 for the local sides), with JavaScript on and off:
 * join → the token shown once → verify the domain against a local HTTP server → publish an offer at 5 € a month →
 * find it in public search as "5,00 € / mois" → set a webhook to a local receiver (which checks signatures with the
 * `standardwebhooks` package and the secret shown once) and send a test ping → a person signs up → the provider sees
 * it and marks it active → the person's status page shows "active".
 * Then: a second provider's session against every page and form of the first; a form posted from another site or
 * without its token; two tabs editing one offer; and every provider page at 1280 px and 390 px: no serious or
 * critical axe-core violation, no sideways scroll, a screenshot in test/browser/screenshots/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
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
const measures: Record<string, unknown> = {};

/** A local HTTP side: `files` served as text (the domain proof), `hook` the webhook receiver (checks signatures). */
type Side = { url: string; files: Map<string, string>; secret?: string; received: Array<{ type: string; verified: boolean }>; close(): Promise<void> };
async function localSide(): Promise<Side> {
  const side: Omit<Side, "url" | "close"> = { files: new Map(), received: [] };
  const srv: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "POST" && path === "/hook") {
        const body = Buffer.concat(chunks).toString("utf8");
        let verified = false;
        try { new Webhook(side.secret ?? "whsec_bm9uZQ==").verify(body, req.headers as Record<string, string>); verified = true; } catch { /* refused below */ }
        side.received.push({ type: (JSON.parse(body) as { type: string }).type, verified });
        res.writeHead(verified ? 204 : 401).end();
        return;
      }
      const file = side.files.get(path);
      if (file === undefined) { res.writeHead(404).end("not found"); return; }
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(file);
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return Object.assign(side, { url, close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }) });
}

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "chatons-space-"));
  smtp = await startSmtp();
  server = await startServer({
    DATABASE_URL: `file:${join(dir, "d.db")}`, SEED: "demo", PORT: String(await freePort()), SMTP_URL: smtp.url, ALLOW_PRIVATE_NETWORK: "1",
    MAIL_FROM: "Annuaire des CHATONS <annuaire@chatons.example>", OPERATOR_NAME: "Chatons du Lot", WEBHOOK_RETRY_SCHEDULE: "1s,2s",
  });
  base = server.url;
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  await smtp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (Object.keys(measures).length) console.log(`provider space measures: ${JSON.stringify(measures)}`);
});

async function context(opts: { js: boolean; width?: number; locale?: string }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, locale: opts.locale ?? "fr-FR", javaScriptEnabled: opts.js, bypassCSP: true });
  ctx.setDefaultTimeout(20_000);
  return ctx;
}

/** What a person does, counted: clicks (links, buttons, boxes) and fields typed or chosen. */
function actor(page: Page) {
  const n = { clicks: 0, fields: 0 };
  return {
    n,
    click: async (l: Locator) => { n.clicks++; await l.click(); },
    /** A click that leads to another page (a link, or a form's button). */
    go: async (l: Locator) => { n.clicks++; await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), l.click()]); },
    fill: async (l: Locator, v: string) => { n.fields++; await l.fill(v); },
    select: async (l: Locator, v: string) => { n.fields++; await l.selectOption(v); },
  };
}

const slugOf = (name: string) => name.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** Joins through the form; returns the token shown once. */
async function joinSpace(page: Page, a: ReturnType<typeof actor>, name: string, website: string) {
  await page.goto(`${base}/for-providers`);
  await a.go(page.getByRole("link", { name: "Référencer vos services" }));
  await a.fill(page.getByLabel("Nom de votre structure"), name);
  await a.fill(page.getByLabel("Votre site web"), website);
  await a.fill(page.getByLabel("Adresse de contact"), `contact@${slugOf(name)}.example`);
  await a.select(page.getByLabel("Pays"), "FR");
  await a.select(page.getByLabel("Type de structure"), "association");
  await a.go(page.getByRole("button", { name: "Rejoindre l’annuaire" }));
  assert.is(await page.textContent("h1"), "Bienvenue dans l’annuaire");
  return page.locator("#api-token").inputValue();
}

async function journey(js: boolean) {
  const site = await localSide();
  const ctx = await context({ js });
  const page = await ctx.newPage();
  const person = await context({ js });
  const name = js ? "Chatons du Lot" : "Chatons du Quercy";
  const slug = slugOf(name);
  try {
    const started = Date.now();
    const a = actor(page);
    // Join: the token once, what it is for, the next steps.
    const token = await joinSpace(page, a, name, site.url);
    assert.match(token, /^cdp_[A-Za-z0-9_-]{43}$/);
    assert.match((await page.locator("#token-once").textContent())!, /n’est affiché que cette fois/);
    const afterJoin = { ...a.n };

    // Verify the domain: the file, its exact line, "check now" — first too early (what failed), then done.
    await a.go(page.getByRole("link", { name: "Prouver que votre site est à vous" }));
    assert.is(await page.locator("#verify-url").textContent(), `${site.url}/.well-known/chatons-directory.txt`);
    const line = await page.locator("#verify-token").inputValue();
    await a.go(page.getByRole("button", { name: "Vérifier maintenant" }));
    assert.match((await page.locator("#verify-result").textContent())!, /Le fichier n’est pas encore là/);
    site.files.set("/.well-known/chatons-directory.txt", `${line}\n`);
    await a.go(page.getByRole("button", { name: "Vérifier maintenant" }));
    assert.match((await page.locator("#verify-result").textContent())!, /Bravo\s:\svotre site est vérifié/);
    const afterVerify = { ...a.n };

    // Publish an offer at 5 € a month.
    await a.go(page.getByRole("link", { name: "Tableau de bord" }).first());
    await a.go(page.getByRole("link", { name: "Ajouter une offre" }));
    await a.select(page.getByLabel("Type de service"), "storage");
    await a.fill(page.getByLabel("Logiciel", { exact: true }), "Nextcloud");
    await a.fill(page.getByLabel("Titre en français"), `Nuage ${name}`);
    await a.fill(page.getByLabel("Présentation en français"), "Vos fichiers, hébergés près de chez vous.");
    await a.click(page.locator("input[name=priceModel][value=fixed]"));
    await a.fill(page.getByLabel("Montant", { exact: true }), "5");
    await a.go(page.getByRole("button", { name: "Publier l’offre" }));
    assert.match((await page.locator("#done").textContent())!, /Votre offre est publiée/);
    const listed = { clicks: a.n.clicks, fields: a.n.fields, ms: Date.now() - started };
    measures[`join→listed (${js ? "JS on" : "JS off"})`] = {
      ...listed, withoutVerification: { clicks: listed.clicks - (afterVerify.clicks - afterJoin.clicks), fields: listed.fields - (afterVerify.fields - afterJoin.fields) },
    };

    // Found in public search, at "5,00 € / mois".
    const pub = await person.newPage();
    await pub.goto(`${base}/`);
    await pub.getByLabel("Que cherchez-vous").fill(`nuage ${name}`);
    await Promise.all([pub.waitForURL(/q=/), pub.getByRole("button", { name: "Rechercher" }).click()]);
    const card = pub.locator(`.card[data-offer-id="${slug}~nuage-${slug}"]`);
    assert.is(await card.locator(".price").textContent(), "5,00\u00a0€ / mois");
    assert.is(await card.locator(".badge.ok", { hasText: "Domaine vérifié" }).count(), 1);

    // Receive signups: a webhook to the local receiver, the secret once, a test ping with the answer.
    await a.go(page.getByRole("link", { name: "Recevoir les inscriptions" }).first());
    await a.fill(page.getByLabel("Adresse du webhook"), `${site.url}/hook`);
    await a.go(page.getByRole("button", { name: "Enregistrer l’adresse" }));
    site.secret = await page.locator("#webhook-secret").inputValue();
    assert.match(site.secret, /^whsec_/);
    await a.go(page.getByRole("button", { name: "Envoyer un test" }));
    assert.match((await page.locator("#ping-result").textContent())!, /Votre serveur a répondu au test\s:\stout fonctionne\.Réponse\s:\sHTTP 204\./);
    assert.equal(site.received.at(-1), { type: "webhook.test", verified: true });
    assert.is(await page.locator("#webhook-secret").count(), 0, "the secret is not shown again");

    // A person signs up.
    await pub.goto(`${base}/offers/${slug}~nuage-${slug}`);
    await Promise.all([pub.waitForURL(/\/signup\//), pub.getByRole("link", { name: "S’inscrire" }).click()]);
    await pub.getByLabel("Adresse électronique").fill(`camille.${js ? "js" : "nojs"}@example.org`);
    await pub.getByLabel("Nom", { exact: true }).fill("Camille Martin");
    await pub.getByRole("checkbox").check();
    await Promise.all([pub.waitForURL(/\/signups\//), pub.getByRole("button", { name: "Demander mon compte" }).click()]);
    const statusUrl = pub.url();
    await pub.locator('#now-title strong[data-status="delivered"]').waitFor({ timeout: 60_000 });
    assert.equal(site.received.filter((r) => r.type === "signup.requested"), [{ type: "signup.requested", verified: true }]);

    // The provider sees it and marks it active, with where to log in.
    await a.go(page.getByRole("link", { name: "Inscriptions", exact: true }).first());
    const row = page.locator("li[data-signup]", { hasText: "Camille Martin" });
    assert.match((await row.textContent())!, new RegExp(`camille\\.${js ? "js" : "nojs"}@example\\.org`));
    await a.click(row.locator("summary"));
    await a.fill(row.getByLabel("Où se connecter (facultatif)"), "https://nuage.lot.example/login");
    await a.go(row.getByRole("button", { name: "Le compte est prêt" }));
    assert.match((await page.locator("#done").textContent())!, /L’inscription est mise à jour/);

    // The person's status page (it refreshes itself) shows "active".
    const clicked = Date.now();
    if (pub.url() !== statusUrl) await pub.goto(statusUrl);
    await pub.locator('#now-title strong[data-status="active"]').waitFor({ timeout: 30_000 });
    measures[`marked active→status page (${js ? "JS on" : "JS off"}) ms`] = Date.now() - clicked;
    assert.is(await pub.locator("#now-title strong").textContent(), "Votre compte est prêt");
    assert.is(await pub.getByRole("link", { name: "Se connecter à votre compte" }).getAttribute("href"), "https://nuage.lot.example/login");
    measures[`whole journey (${js ? "JS on" : "JS off"}) ms`] = Date.now() - started;
    // The dashboard counts the view and the signup.
    await page.goto(`${base}/provider/dashboard`);
    assert.is(await page.locator("#stat-signups").textContent(), "1");
    assert.is(await page.locator("#stat-views").textContent(), "1"); // the person opened the offer page once
    return { token, slug };
  } finally {
    await ctx.close();
    await person.close();
    await site.close();
  }
}

let first: { token: string; slug: string };
test("the provider journey with JavaScript", async () => { first = await journey(true); });
test("the provider journey without JavaScript", async () => { await journey(false); });

const apiGet = async (path: string, token: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

test("a second provider's session can neither see nor change the first one's offers, webhook or signups — every page and form", async () => {
  assert.ok(first, "the journey ran");
  const A = first;
  const before = {
    offer: await apiGet(`/api/v1/offers/${A.slug}~nuage-${A.slug}`, A.token),
    webhook: await apiGet(`/api/v1/providers/${A.slug}/webhook`, A.token),
    signups: await apiGet(`/api/v1/providers/${A.slug}/signups?status=active`, A.token),
    deliveries: await apiGet(`/api/v1/providers/${A.slug}/deliveries`, A.token),
  };
  const signupId = before.signups.items[0].id as string;
  const deliveryId = before.deliveries.items[0].id as string;
  const ctx = await context({ js: true });
  const page = await ctx.newPage();
  try {
    const site = await localSide();
    await joinSpace(page, actor(page), "Intrus Chaton", site.url);
    await site.close();
    const secrets = ["Nuage Chatons du Lot", before.webhook.url, "camille.js@example.org", signupId, deliveryId];
    // Every page of B's space: none shows A's offer, webhook URL, person, signup or delivery.
    const pages = ["/provider/dashboard", "/provider/offers/new", `/provider/offers/nuage-${A.slug}`, "/provider/publishing", "/provider/receiving",
      "/provider/signups?show=all", "/provider/verification", "/provider/account", "/provider/account/delete"];
    for (const path of pages) {
      const res = await page.goto(`${base}${path}`);
      const html = await page.content();
      for (const s of secrets) assert.not.ok(html.includes(s), `${path} shows ${s}`);
      if (path.includes(A.slug)) assert.is(res!.status(), 404, path);
    }
    // Every form, aimed at A's things with B's valid form token: not found, nothing changed.
    await page.goto(`${base}/provider/dashboard`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forms: Array<[string, Record<string, string>]> = [
      [`/provider/offers/nuage-${A.slug}`, { version: "x", action: "save", service: "storage", software: "X", title_fr: "Piraté", description_fr: "x", priceModel: "free", registration: "open", dataLocation: "FR" }],
      [`/provider/offers/nuage-${A.slug}/delete`, { version: "x", confirm: "yes" }],
      [`/provider/signups/${signupId}/rejected`, { message: "non" }],
      [`/provider/signups/${signupId}/provisioning`, {}],
      [`/provider/signups/${signupId}/active`, { loginUrl: "https://evil.example" }],
      [`/provider/receiving/deliveries/${deliveryId}/redeliver`, {}],
    ];
    for (const [path, form] of forms) {
      const res = await page.request.post(`${base}${path}`, { form: { _csrf: csrf, ...form }, headers: { accept: "text/html" }, maxRedirects: 0 });
      assert.is(res.status(), 404, path);
    }
    // B's own forms act on B alone (its webhook, its token, its offers).
    for (const path of ["/provider/receiving/webhook/rotate", "/provider/receiving/webhook/test", "/provider/offers/confirm", "/provider/publishing/pull", "/provider/receiving/nextcloud/remove"]) {
      const res = await page.request.post(`${base}${path}`, { form: { _csrf: csrf }, headers: { accept: "text/html" }, maxRedirects: 0 });
      assert.ok(res.status() < 500, `${path}: ${res.status()}`);
    }
    const after = {
      offer: await apiGet(`/api/v1/offers/${A.slug}~nuage-${A.slug}`, A.token),
      webhook: await apiGet(`/api/v1/providers/${A.slug}/webhook`, A.token),
      signups: await apiGet(`/api/v1/providers/${A.slug}/signups?status=active`, A.token),
      deliveries: await apiGet(`/api/v1/providers/${A.slug}/deliveries`, A.token),
    };
    assert.equal(after, before);
  } finally { await ctx.close(); }
});

test("a form posted from another site, or without its token, is refused with a page in the reader's language; nothing changes", async () => {
  const ctx = await context({ js: true });
  const page = await ctx.newPage();
  const site = await localSide();
  try {
    const token = await joinSpace(page, actor(page), "Chatons Prudents", site.url);
    const slug = "chatons-prudents";
    // Another origin (a page on another port) posts a form to the directory; the browser sends the session cookie.
    site.files.set("/evil.html", "");
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html lang="fr"><body><form id="f" method="post" action="${base}/provider/account/email">
        <input name="email" value="pirate@evil.example"></form><script>document.getElementById("f").submit()</script></body></html>`);
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    try {
      await Promise.all([page.waitForURL(`${base}/provider/account/email`), page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`)]);
      assert.is(await page.getAttribute("html", "lang"), "fr");
      assert.is(await page.textContent("h1"), "Ce formulaire n’a pas pu être envoyé");
      assert.match((await page.locator(".note.bad").textContent())!, /Rien n’a été modifié\./);
    } finally { evil.closeAllConnections(); await new Promise<void>((r) => evil.close(() => r())); }
    // Without a token, in English for an English reader.
    const res = await page.request.post(`${base}/provider/account/email?lang=en`, { form: { email: "pirate@evil.example" }, headers: { accept: "text/html" } });
    assert.is(res.status(), 403);
    assert.match(await res.text(), /This form could not be sent/);
    const account = await apiGet(`/api/v1/providers/${slug}/account`, token);
    assert.is(account.provider.email, "contact@chatons-prudents.example");
  } finally { await ctx.close(); await site.close(); }
});

test("two tabs edit one offer: the second save is refused with a clear message and changes nothing until saved again", async () => {
  const ctx = await context({ js: false });
  const page = await ctx.newPage();
  const site = await localSide();
  try {
    const token = await joinSpace(page, actor(page), "Chatons Pressés", site.url);
    await page.goto(`${base}/provider/offers/new`);
    await page.getByLabel("Type de service").selectOption("pad");
    await page.getByLabel("Logiciel", { exact: true }).fill("Etherpad");
    await page.getByLabel("Titre en français").fill("Pads pressés");
    await page.getByLabel("Présentation en français").fill("Des pads.");
    await Promise.all([page.waitForURL(/done=offer-created/), page.getByRole("button", { name: "Publier l’offre" }).click()]);
    const tab1 = page;
    const tab2 = await ctx.newPage();
    await tab2.goto(tab1.url());
    await tab1.getByLabel("Titre en français").fill("Pads pressés (onglet 1)");
    await Promise.all([tab1.waitForURL(/done=offer-saved/), tab1.getByRole("button", { name: "Enregistrer et publier" }).click()]);
    await tab2.getByLabel("Titre en français").fill("Pads pressés (onglet 2)");
    await Promise.all([tab2.waitForLoadState("load"), tab2.waitForNavigation(), tab2.getByRole("button", { name: "Enregistrer et publier" }).click()]);
    assert.match((await tab2.locator("#stale-edit").textContent())!, /Non enregistré\s:\scette offre a changé entre-temps\./);
    assert.is(await tab2.getByLabel("Titre en français").inputValue(), "Pads pressés (onglet 2)");
    assert.match((await tab2.locator("#preview").textContent())!, /Pads pressés \(onglet 1\)/);
    const offer = await apiGet("/api/v1/offers/chatons-presses~pads-presses", token);
    assert.is(offer.title.fr, "Pads pressés (onglet 1)");
  } finally { await ctx.close(); await site.close(); }
});

test("every provider page at 1280 px and 390 px: no serious or critical axe violation, no sideways scroll, a screenshot", async () => {
  const a = pageAudit();
  const names = new Set<string>();
  for (const width of [1280, 390]) {
    for (const locale of ["fr-FR", "en-GB"]) {
      const site = await localSide();
      const ctx = await context({ js: true, width, locale });
      let page = await ctx.newPage();
      const fr = locale === "fr-FR";
      const L = (f: string, e: string) => (fr ? f : e);
      const n = `${width}${locale.slice(0, 2)}`;
      const audit = async (name: string) => {
        names.add(name);
        await a.audit(page, `${name} ${width}px ${locale}`, fr ? `provider-${name}-${width}` : undefined);
      };
      const submit = (name: string | RegExp) => Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), page.getByRole("button", { name }).first().click()]);
      try {
        await page.goto(`${base}/for-providers`); await audit("for-providers");
        await page.goto(`${base}/provider/signin`); await audit("signin");
        await page.getByLabel(L("Jeton d’API", "API token")).fill("cdp_wrong"); await submit(L("Se connecter", "Sign in")); await audit("signin-wrong");
        await page.goto(`${base}/provider/signin/link?token=sil_nope`); await audit("link-invalid");
        await page.goto(`${base}/provider/join`); await submit(L("Rejoindre l’annuaire", "Join the directory")); await audit("join-errors");
        await page.goto(`${base}/provider/join`); await audit("join");
        const name = `Axe ${n}`;
        await page.getByLabel(L("Nom de votre structure", "Name of your organisation")).fill(name);
        await page.getByLabel(L("Votre site web", "Your website")).fill(site.url);
        await page.getByLabel(L("Adresse de contact", "Contact email")).fill(`axe-${n}@example.org`);
        await page.getByLabel(L("Pays", "Country")).selectOption("BE");
        await page.getByLabel(L("Type de structure", "Kind of organisation")).selectOption("cooperative");
        await submit(L("Rejoindre l’annuaire", "Join the directory")); await audit("joined-token");
        await page.goto(`${base}/provider/dashboard`); await audit("dashboard-new");
        await page.goto(`${base}/provider/offers/new`); await audit("offer-new");
        await submit(L("Publier l’offre", "Publish the offer")); await audit("offer-errors");
        await page.getByLabel(L("Type de service", "Kind of service")).selectOption("storage");
        await page.getByLabel(L("Logiciel", "Software"), { exact: true }).fill("Nextcloud");
        await page.getByLabel(L("Titre en français", "Title in French")).fill("Nuage coopératif");
        await page.getByLabel(L("Titre en anglais", "Title in English")).fill("Co-operative cloud");
        await page.getByLabel(L("Présentation en français", "Description in French")).fill("Des fichiers en coopérative.");
        await page.locator("input[name=priceModel][value=membership]").check();
        await page.getByLabel(L("Montant", "Amount"), { exact: true }).fill("12");
        await page.locator("#pricePeriod").selectOption("year");
        await submit(L("Aperçu sans enregistrer", "Preview without saving")); await audit("offer-preview");
        await submit(L("Publier l’offre", "Publish the offer")); await audit("offer-edit");
        const offerSlug = /\/provider\/offers\/([a-z0-9-]+)\?/.exec(page.url())![1];
        await page.goto(`${base}/provider/dashboard`); await audit("dashboard");
        await page.goto(`${base}/provider/receiving`);
        await page.getByLabel(L("Adresse du webhook", "Webhook address")).fill(`${site.url}/hook`);
        await submit(L("Enregistrer l’adresse", "Save the address")); await audit("receiving-secret");
        site.secret = await page.locator("#webhook-secret").inputValue();
        await submit(L("Envoyer un test", "Send a test")); await audit("receiving-ping");
        await page.goto(`${base}/provider/verification`); await submit(L("Vérifier maintenant", "Check now")); await audit("verification-failed");
        await page.goto(`${base}/provider/publishing`);
        await page.getByLabel(L("Adresse du fichier", "Address of the file")).fill(`${site.url}/offers.json`);
        site.files.set("/offers.json", JSON.stringify({ offers: [{ slug: "x", service: "nope" }] }));
        await submit(L("Enregistrer et le lire maintenant", "Save and read it now")); await audit("publishing-report");
        // A signup to see in the list, delivered to the local receiver.
        const offerId = `axe-${n}~${offerSlug}`;
        const r = await fetch(`${base}/api/v1/signups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ offerId, email: `p-${n}@example.org`, name: "Dominique Petit", message: "Bonjour !", consent: true }) });
        assert.is(r.status, 202, await r.clone().text());
        for (let i = 0; i < 100 && !site.received.some((x) => x.type === "signup.requested"); i++) await new Promise((res) => setTimeout(res, 100));
        await page.goto(`${base}/provider/signups`); await page.locator("li[data-signup] summary").first().click(); await audit("signups");
        await page.goto(`${base}/provider/receiving`); await audit("receiving");
        await page.goto(`${base}/provider/account`); await audit("account");
        await submit(L("Créer un nouveau jeton", "Make a new token")); await audit("account-token");
        // Sign-in by an emailed link, in a browser not signed in: the "check your email" page and the button page.
        const main = page;
        const anon = await context({ js: true, width, locale });
        page = await anon.newPage();
        try {
          await page.goto(`${base}/provider/signin`);
          const before = smtp.received.length;
          await page.getByLabel(L("Votre adresse de contact", "Your contact email")).fill(`axe-${n}@example.org`);
          await submit(L("M’envoyer un lien de connexion", "Email me a sign-in link")); await audit("link-sent");
          for (let i = 0; i < 100 && smtp.received.length <= before; i++) await new Promise((res) => setTimeout(res, 100));
          const link = /(http:\/\/\S+\/provider\/signin\/link\?token=\S+)/.exec(smtp.received.at(-1)!.mail.text ?? "")![1];
          await page.goto(link); await audit("link-confirm");
        } finally { await anon.close(); page = main; }
        await page.goto(`${base}/provider/account/delete`); await audit("delete");
        await page.goto(`${base}/provider/offers/ghost`); await audit("not-found");
        await page.goto(`${base}/provider/dashboard`);
        const refused = await page.request.post(`${base}/provider/account/email`, { form: { email: "x@example.org" }, headers: { accept: "text/html" } });
        await page.setContent(await refused.text()); await audit("refused");
        await page.goto(`${base}/provider/account/delete`);
        await page.getByLabel(L("Pour confirmer", "To confirm"), { exact: false }).fill(`axe-${n}`);
        await submit(L("Quitter définitivement l’annuaire", "Leave the directory for good")); await audit("deleted");
      } finally { await ctx.close(); await site.close(); }
    }
  }
  console.log(`axe (provider space, ${names.size} pages × 2 widths × 2 languages): ${a.summary()}`);
  assert.equal(a.problems, [], a.problems.join("\n"));
});

test.run();
