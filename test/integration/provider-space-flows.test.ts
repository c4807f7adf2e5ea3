/**
 * The provider space's flows against real other sides: a sign-in link through the outbox and a real SMTP server,
 * a pull source and a domain proof on a local HTTP server, a webhook receiver for the test ping and deliveries,
 * moving signups along, and leaving the directory (offers deleted with federation change records).
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pendingChanges } from "../../src/db/queries/federation.ts";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { ROOT } from "../../src/runtime/shared.ts";
import { smtpMailer } from "../../src/runtime/mailer.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";
import { person, postSignup, startReceiver, tokenOf } from "../helpers/signups.ts";
import { startSmtp } from "../helpers/smtp.ts";
import { client, joinedProvider, OFFER_FORM, textOf, tokenIn } from "../helpers/space.ts";

const round = (env: TestEnv) => runDeliveryRound(env.deps, { random: () => 0.5, timeoutMs: 2000 });

test("sign-in by email: a link through the outbox, shown only as a button until used, single use, 20 minutes, and no hint whether an address is known", async () => {
  const env = await testEnv();
  const smtp = await startSmtp();
  const mailer = smtpMailer({ smtpUrl: smtp.url, from: "Annuaire <annuaire@chatons.example>" }, { timeoutMs: 5000 });
  env.deps.mailer = mailer;
  try {
    await joinedProvider(env, "Chatons du Lot", { email: "Contact@Lot.example" });
    const c = client(env.app, { lang: "en" });
    const page = await c.get("/provider/signin");
    assert.match(textOf(page.html), /With a link sent by email/);
    const unknown = await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "nobody@nowhere.example" });
    const known = await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "contact@lot.example" });
    assert.is(unknown.status, 200);
    assert.is(known.status, 200);
    // The same answer either way (only the address echoed differs).
    assert.is(textOf(known.html).replace("contact@lot.example", "X"), textOf(unknown.html).replace("nobody@nowhere.example", "X"));
    const events = await env.deps.db.selectFrom("outbox").select(["type", "signup_id"]).execute();
    assert.equal(events, [{ type: "mail.provider.signin", signup_id: null }]);
    // No secret waits in the outbox or the link row before the mail is composed.
    assert.is((await env.deps.db.selectFrom("signin_links").select("token_hash").executeTakeFirstOrThrow()).token_hash, null);

    assert.equal(await round(env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    await smtp.waitFor(1);
    const mail = smtp.received[0];
    assert.equal(mail.to.map((a) => a.toLowerCase()), ["contact@lot.example"]);
    assert.is(mail.mail.subject, "Your sign-in link for CHATONS directory");
    assert.is(mail.mail.headers.get("content-language"), "en");
    const link = /http:\/\/127\.0\.0\.1:3000(\/provider\/signin\/link\?token=(sil_[A-Za-z0-9_-]+)&lang=en)/.exec(mail.mail.text ?? "")!;
    assert.ok(link, mail.mail.text);
    assert.match(mail.mail.text ?? "", /To sign in to the host space of Chatons du Lot, open this link \(it works once, for 20 minutes\)/);
    const stored = (await env.deps.db.selectFrom("signin_links").select("token_hash").executeTakeFirstOrThrow()).token_hash!;
    assert.is.not(stored, link[2]);
    assert.is(stored.length, 64);

    // Opening the link (or a mail scanner fetching it) signs nobody in: it shows a button.
    const b = client(env.app);
    const open = await b.get(link[1]);
    assert.is(open.status, 200);
    assert.match(textOf(open.html), /Sign in with your link You are about to sign in as Chatons du Lot/);
    assert.is(b.jar.has("cd_provider_session"), false);
    const again = await b.get(link[1]);
    assert.is(again.status, 200);
    const used = await b.post("/provider/signin/link/use", { _csrf: tokenIn(again.html), token: link[2] });
    assert.is(used.status, 303);
    assert.is((await b.get("/provider/dashboard")).status, 200);
    // Once only.
    const replay = client(env.app);
    const replayPage = await replay.get(link[1]);
    assert.is(replayPage.status, 410);
    assert.match(textOf(replayPage.html), /This sign-in link does not work any more/);
    assert.is((await replay.post("/provider/signin/link/use", { _csrf: tokenIn((await replay.get("/provider/signin")).html), token: link[2] })).status, 410);

    // A new link expires after 20 minutes.
    await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "contact@lot.example" });
    await round(env);
    await smtp.waitFor(2);
    const second = /token=(sil_[A-Za-z0-9_-]+)/.exec(smtp.received[1].mail.text ?? "")![1];
    env.deps.clock.advance(20 * 60_000 + 1);
    const late = client(env.app);
    const latePage = await late.get(`/provider/signin/link?token=${second}`);
    assert.is(latePage.status, 410);
    assert.is((await late.post("/provider/signin/link/use", { _csrf: tokenIn((await late.get("/provider/signin")).html), token: second })).status, 410);
    // And an address asking too often is told to wait (3 per hour).
    await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "contact@lot.example" });
    const limited = await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "contact@lot.example" });
    assert.is(limited.status, 429);
    assert.match(textOf(limited.html), /Too many attempts from your connection/);
  } finally { mailer.close(); await smtp.close(); await env.close(); }
});

test("a sign-in link stops working once the token is renewed (space, API or CLI's way), the contact email changes, or every browser is signed out", async () => {
  const env = await testEnv();
  const smtp = await startSmtp();
  const mailer = smtpMailer({ smtpUrl: smtp.url, from: "Annuaire <annuaire@chatons.example>" }, { timeoutMs: 5000 });
  env.deps.mailer = mailer;
  try {
    const { c: owner, token, slug } = await joinedProvider(env, "Chatons du Lot", { email: "contact@lot.example" }, "en");
    let sent = 0;
    const link = async () => {
      const c = client(env.app, { lang: "en" });
      const page = await c.get("/provider/signin");
      assert.is((await c.post("/provider/signin/link", { _csrf: tokenIn(page.html), email: "contact@lot.example" })).status, 200);
      await round(env);
      await smtp.waitFor(++sent);
      return /token=(sil_[A-Za-z0-9_-]+)/.exec(smtp.received[sent - 1].mail.text ?? "")![1];
    };
    const works = async (t: string) => {
      const b = client(env.app, { lang: "en" });
      const open = await b.get(`/provider/signin/link?token=${t}`);
      // A visitor who is not signed in sees no menu of the space and no "sign out".
      if (open.status === 200) assert.not.match(textOf(open.html), /Sign out/);
      return open.status === 200;
    };

    // A new token through the API: the browser signed in with the old one is signed out, the link is void.
    const first = await link();
    assert.ok(await works(first));
    const rotated = await env.app.request(`/api/v1/providers/${slug}/token/rotate`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    assert.is(rotated.status, 200);
    assert.is((await owner.get("/provider/dashboard")).status, 303);
    assert.not.ok(await works(first));

    // A new contact email: links sent to the old one are void.
    const fresh = (await rotated.json() as { token: string }).token;
    const c = client(env.app, { lang: "en" });
    await c.submit("/provider/signin", "/provider/signin", { token: fresh });
    const second = await link();
    assert.is((await c.submit("/provider/account", "/provider/account/email", { email: "new@lot.example" })).status, 303);
    assert.not.ok(await works(second));

    // Sign out everywhere: void too.
    assert.is((await c.submit("/provider/account", "/provider/account/email", { email: "contact@lot.example" })).status, 303);
    const third = await link();
    assert.is((await c.submit("/provider/account", "/provider/signout-everywhere", {})).status, 303);
    assert.not.ok(await works(third));
    assert.is((await c.get("/provider/dashboard")).status, 303);
  } finally { mailer.close(); await smtp.close(); await env.close(); }
});

test("publishing by file: a StatoolInfos source is read at once; the report names each problem's file and line; pull now; stop", async () => {
  const env = await testEnv();
  const DIR = resolve(ROOT, "seeds/statoolinfos");
  let files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  const PREFIX = "/.well-known/chatonsinfos/";
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".properties"))) files.set(PREFIX + f, readFileSync(resolve(DIR, f), "utf8").replaceAll("https://chatons.example.net", server.url));
  try {
    const { c, slug } = await joinedProvider(env, "Chaton Libre");
    // An offer typed here first, with the slug the file's Etherpad service maps to: the pull leaves it alone.
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ slug: "etherpad", title_fr: "Pads tapés ici", service: "pad", software: "Etherpad" }));
    const orgUrl = `${server.url}${PREFIX}organization.properties`;
    const bad = await c.submit("/provider/publishing", "/provider/publishing", { url: "pas une adresse", format: "statoolinfos" });
    assert.is(bad.status, 400);
    assert.match(bad.html, /id="url-error">Indiquez une adresse web complète/);
    const set = await c.submit("/provider/publishing", "/provider/publishing", { url: orgUrl, format: "statoolinfos" });
    assert.is(set.status, 303);
    const page = await c.follow(set);
    const t = textOf(page.html);
    assert.match(t, /L’annuaire a lu votre fichier/);
    // One service file answers 404: the file was read, with that file missing (listed with its subs.* line and URL).
    assert.match(t, /Lu, avec des fichiers de service manquants.*Offres créées : 2 · mises à jour : 0 · inchangées : 0 · retirées : 0\./);
    assert.match(t, /Fichiers de service qui n’ont pas pu être lus \(1\) subs\.peertube — Ligne 34 · http:\S+peertube\.properties · le serveur a répondu HTTP 404 · aucune offre n’en a encore été créée/);
    assert.match(t, /Entrées écartées \(1\) etherpad — offer "etherpad" is published through the API/);
    assert.ok(t.includes(`Dans le fichier ${orgUrl} Ligne 27 — no "=" on this line`), t);
    assert.match(t, /Dans le fichier http:\S+peertube\.properties HTTP 404; no offer "peertube" created/);
    assert.is((await json(await env.app.request(`/api/v1/providers/${slug}`))).offers.length, 3);
    const dash = await c.get("/provider/dashboard");
    assert.match(textOf(dash.html), /Votre fichier d’offres a 4 problèmes\./);
    assert.match(textOf(dash.html), /Cloud du Chaton Affichée.*depuis votre fichier/);
    assert.match(textOf(dash.html), /Dans votre fichier mais pas affichées.*etherpad Masquée offer "etherpad" is published through the API/);

    // The file changes; "read it now" takes the change.
    files.delete(`${PREFIX}jitsi.properties`);
    const pulled = await c.submit("/provider/publishing", "/provider/publishing/pull", {});
    assert.is(pulled.status, 303);
    assert.match(textOf((await c.follow(pulled)).html), /jitsi\.properties HTTP 404/);
    // Stop: the offers read from the file go.
    const removed = await c.submit("/provider/publishing", "/provider/publishing/remove", {});
    assert.match(textOf((await c.follow(removed)).html), /L’annuaire ne lit plus votre fichier/);
    assert.equal((await json(await env.app.request(`/api/v1/providers/${slug}`))).offers.map((o: any) => o.id), [`${slug}~etherpad`]);
  } finally { await server.close(); await env.close(); }
});

test("domain verification step by step: the exact file and line, what failed, then verified", async () => {
  const env = await testEnv();
  const files = new Map<string, string>();
  const site = await startServer((req, res) => staticFiles(files)(req, res));
  try {
    const { c, slug } = await joinedProvider(env, "Chatons du Lot", { website: site.url });
    const page = await c.get("/provider/verification");
    const url = /id="verify-url">([^<]+)</.exec(page.html)![1];
    assert.is(url, `${site.url}/.well-known/chatons-directory.txt`);
    const line = /id="verify-token"[^>]*>([^<]+)</.exec(page.html)![1];
    assert.match(line, /^chatons-directory-verification=/);
    const missing = await c.post("/provider/verification/check", { _csrf: tokenIn(page.html) });
    assert.is(missing.status, 409);
    assert.match(textOf(missing.html), /Pas encore vérifié\. Le fichier n’est pas encore là \(votre site a répondu « 404 Not found »\)/);
    files.set("/.well-known/chatons-directory.txt", "autre chose\n");
    const wrong = await c.post("/provider/verification/check", { _csrf: tokenIn(page.html) });
    assert.match(textOf(wrong.html), /Le fichier est là, mais la ligne ci-dessous n’y est pas/);
    files.set("/.well-known/chatons-directory.txt", `# annuaire\n${line}\n`);
    const ok = await c.post("/provider/verification/check", { _csrf: tokenIn(page.html) });
    assert.is(ok.status, 200);
    assert.match(textOf(ok.html), /Bravo : votre site est vérifié\. ✓ Vérifié depuis le 25 novembre 2026/);
    assert.is((await json(await env.app.request(`/api/v1/providers/${slug}`))).verified, true);
    assert.not.match((await c.get("/provider/dashboard")).html, /data-kind="not-verified"/);
  } finally { await site.close(); await env.close(); }
});

test("receiving signups: the webhook secret once, a test ping with the answer, deliveries with attempts, redelivery; moving a signup to active", async () => {
  const env = await testEnv({ env: { WEBHOOK_RETRY_SCHEDULE: "1s" } });
  const rx = await startReceiver();
  try {
    const { c, slug, token } = await joinedProvider(env, "Chatons du Lot");
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM());
    const set = await c.submit("/provider/receiving", "/provider/receiving/webhook", { url: rx.url });
    assert.is(set.status, 200);
    const secret = /id="webhook-secret"[^>]*>(whsec_[^<]+)</.exec(set.html)![1];
    assert.match(textOf(set.html), /Copiez ce secret de signature maintenant : il n’est affiché que cette fois\./);
    assert.not.ok((await c.get("/provider/receiving")).html.includes(secret));

    const ping = await c.submit("/provider/receiving", "/provider/receiving/webhook/test", {});
    assert.match(textOf(ping.html), /Votre serveur a répondu au test : tout fonctionne\. Réponse : HTTP 204\./);
    assert.is(JSON.parse(rx.received.at(-1)!.body).type, "webhook.test");
    rx.state.behaviour = (_r, res) => { res.writeHead(503).end(); };
    const failing = await c.submit("/provider/receiving", "/provider/receiving/webhook/test", {});
    assert.match(textOf(failing.html), /Le test n’a pas abouti sur votre serveur\. Réponse : HTTP 503\./);

    // A signup the server refuses twice (retries over): a dead delivery with each attempt; redeliver it.
    const body = await json(await postSignup(env, { offerId: `${slug}~nuage-du-lot`, ...person() }));
    await round(env);
    env.deps.clock.advance(2000);
    await round(env);
    const recv = await c.get("/provider/receiving");
    assert.match(textOf(recv.html), /Abandonnée.*2 essais.*Dernière réponse Réponse : HTTP 503\./);
    assert.match(textOf(recv.html), /Chaque essai.*nouvel essai prévu · HTTP 503.*nouvel essai prévu · HTTP 503/);
    assert.match(recv.html, /data-kind|La renvoyer/);
    rx.state.behaviour = (_r, res) => { res.writeHead(204).end(); };
    const id = /data-delivery="([^"]+)" data-status="dead"/.exec(recv.html)![1];
    const again = await c.post(`/provider/receiving/deliveries/${id}/redeliver`, { _csrf: tokenIn(recv.html) });
    assert.is(again.status, 303);
    await round(env);
    assert.match(textOf((await c.get("/provider/receiving")).html), /Transmise/);

    // The provider moves the signup along from its list: the person's status says so.
    const list = await c.get("/provider/signups");
    assert.match(textOf(list.html), /Camille Martin.*Transmise.*camille@example\.org/);
    const bad = await c.post(`/provider/signups/${body.id}/active`, { _csrf: tokenIn(list.html), loginUrl: "pas une url" });
    assert.is(bad.status, 400);
    assert.match(textOf(bad.html), /Indiquez une adresse web complète/);
    assert.is((await c.post(`/provider/signups/${body.id}/provisioning`, { _csrf: tokenIn(list.html) })).status, 303);
    const active = await c.post(`/provider/signups/${body.id}/active`, { _csrf: tokenIn(list.html), loginUrl: "https://cloud.lot.example/login" });
    assert.is(active.status, 303);
    const status = await json(await env.app.request(`/api/v1/signups/${body.id}?token=${tokenOf(body.statusUrl)}`));
    assert.equal([status.status, status.loginUrl, status.events.map((e: any) => e.status)], ["active", "https://cloud.lot.example/login", ["pending", "failed", "pending", "delivered", "provisioning", "active"]]);
    const finished = await c.post(`/provider/signups/${body.id}/rejected`, { _csrf: tokenIn(list.html), message: "trop tard" });
    assert.is(finished.status, 409);
    assert.match(textOf(finished.html), /Cette demande est déjà terminée\./);
    assert.ok(token.startsWith("cdp_"));
  } finally { await rx.close(); await env.close(); }
});

test("leaving the directory: a confirmation, then offers deleted (with federated deletes queued), unfinished signups failed, access gone", async () => {
  const env = await testEnv();
  const rx = await startReceiver();
  try {
    const { c, slug, token } = await joinedProvider(env, "Chatons du Lot");
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM());
    await c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ title_fr: "Pads du Lot", service: "pad", software: "Etherpad" }));
    await c.submit("/provider/receiving", "/provider/receiving/webhook", { url: rx.url });
    const body = await json(await postSignup(env, { offerId: `${slug}~nuage-du-lot`, ...person() }));
    await round(env);

    const page = await c.get("/provider/account/delete");
    assert.match(textOf(page.html), /vos 2 offres sont aussitôt retirées de l’annuaire/);
    const wrong = await c.post("/provider/account/delete", { _csrf: tokenIn(page.html), confirm: "oui" });
    assert.is(wrong.status, 400);
    assert.match(textOf(wrong.html), /Ce n’est pas votre nom court : rien n’a été supprimé\./);
    assert.is((await json(await env.app.request(`/api/v1/providers/${slug}`))).offers.length, 2);

    const done = await c.post("/provider/account/delete", { _csrf: tokenIn(page.html), confirm: ` ${slug.toUpperCase()} ` });
    assert.is(done.status, 200);
    assert.match(textOf(done.html), /Chatons du Lot et ses offres ne sont plus référencés/);
    // Gone from the catalog and every list; the federation publisher has a Delete to send for each offer.
    assert.is((await env.app.request(`/api/v1/offers/${slug}~nuage-du-lot`)).status, 404);
    assert.is((await env.app.request(`/api/v1/providers/${slug}`)).status, 404);
    assert.is((await env.app.request(`/providers/${slug}`, { headers: { accept: "text/html" } })).status, 404);
    assert.equal((await json(await env.app.request("/api/v1/providers"))).items.map((p: any) => p.slug), []);
    const deletes = (await pendingChanges(env.deps.db, 100)).filter((ch) => ch.kind === "deleted").map((ch) => ch.offer_id).sort();
    assert.equal(deletes, [`${slug}~nuage-du-lot`, `${slug}~pads-du-lot`]);
    // The person's unfinished signup ends, saying why; the provider's access is gone; its contact email is erased.
    const status = await json(await env.app.request(`/api/v1/signups/${body.id}?token=${tokenOf(body.statusUrl)}`));
    assert.is(status.status, "failed");
    assert.is(status.events.at(-1).message, "L’hébergeur a quitté l’annuaire.");
    assert.is((await env.app.request(`/api/v1/providers/${slug}/account`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
    assert.is((await c.get("/provider/dashboard")).status, 303);
    const back = client(env.app);
    assert.is((await back.submit("/provider/signin", "/provider/signin", { token })).status, 401);
    const row = await env.deps.db.selectFrom("providers").select(["email", "deleted_at", "description_json"]).where("slug", "=", slug).executeTakeFirstOrThrow();
    assert.equal([row.email, row.description_json, row.deleted_at !== null], [null, "{}", true]);
  } finally { await rx.close(); await env.close(); }
});

test.run();
