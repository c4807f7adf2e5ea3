/**
 * Signing up on directory B for an offer published on directory A (docs/federated-signups.md), over real HTTP on
 * loopback: B hands the signup over to A, signed as B's directory actor; A routes it to the provider's webhook like
 * a local one and reports every step back to B, signed as A's directory actor.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Webhook } from "standardwebhooks";
import { signRequest } from "@fedify/fedify";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { purgeSignups } from "../../src/domain/signups/jobs.ts";
import { json, putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { person, postSignup, setWebhook, startReceiver, tokenOf } from "../helpers/signups.ts";
import { eventually, search, startInstance, type Instance } from "./instances.ts";
import { smtpMailer } from "../../src/runtime/mailer.ts";
import { startSmtp } from "../helpers/smtp.ts";

let A: Instance;
let B: Instance;
let C: Instance;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let provider: { slug: string; token: string; secret: string };

const ENV = { WEBHOOK_RETRY_SCHEDULE: "1s,1s,1s", SIGNUP_RATE_LIMIT_IP: "1000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000/1h" };
const round = (i: Instance) => runDeliveryRound(i.env.deps, { random: () => 0.5, timeoutMs: 5000 });
const signupsOf = (i: Instance) => i.env.deps.db.selectFrom("signups").selectAll().orderBy("created_at").execute();

/** The federated copy of A's offer `slug` on B, once B has it with its hand-over endpoint. */
async function onB(slug: string, pred: (o: any) => boolean = (o) => o.acceptsSignups) {
  return eventually(`A's ${slug} on B`, async () => {
    const r = await json(await B.env.app.request(`/api/v1/offers?limit=100`));
    return r.items.find((o: any) => o.origin?.id === `${A.url}/ap/offers/${provider.slug}~${slug}` && pred(o));
  });
}

test.before(async () => {
  A = await startInstance("localhost", ENV);
  B = await startInstance("127.0.0.1", ENV);
  C = await startInstance("127.0.0.1", ENV);
  rx = await startReceiver((_r, res) => { res.writeHead(202).end(); });
  // The provider publishes on A and receives signups at its webhook.
  const p = await registerProvider(A.env.app, "chaton-a");
  const { secret } = await setWebhook(A.env, p.slug, p.token, rx.url);
  provider = { ...p, secret };
  assert.is((await putOffer(A.env.app, p.slug, p.token, "cloud", sampleOffer())).status, 201);
  // B follows A by its handle, as the README shows (http on a local network: ALLOW_PRIVATE_NETWORK=1).
  const follow = await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `@directory@${new URL(A.url).host}` }) });
  assert.is(follow.status, 202, await follow.clone().text());
  await eventually("B follows A", async () => (await json(await B.admin("/follows"))).items[0]?.status === "accepted");
});

test.after(async () => {
  await rx?.close();
  for (const i of [C, B, A]) await i?.close();
});

test("A's offer on B says where to hand signups over; B names A by its name and host", async () => {
  const o = await onB("cloud");
  assert.is(o.source, "federated");
  assert.is(o.acceptsSignups, true);
  const row = await B.env.deps.db.selectFrom("offers").select(["handover_url", "remote_accepts"]).where("id", "=", o.id).executeTakeFirstOrThrow();
  assert.equal(row, { handover_url: `${A.url}/api/v1/federation/signups`, remote_accepts: 1 });
  const page = await (await B.env.app.request(`/offers/${o.id}?lang=fr`)).text();
  assert.match(page, `<a class="btn" href="/signup/${encodeURIComponent(o.id)}?lang=fr">S’inscrire</a>`);
  assert.match(page, `Partagée par l’annuaire <a href="${A.url}/ap/directory" translate="no">CHATONS directory (${new URL(A.url).host})</a>`);
  // Its provider has a page on B, with a link to its page on A.
  const providerPage = await B.env.app.request(`/providers/${o.provider.slug}?lang=en`);
  assert.is(providerPage.status, 200);
  assert.match(await providerPage.text(), `<a href="${A.url}/ap/providers/chaton-a">See its page in that directory</a>`);
});

test("a person signs up on B: one signed webhook at the provider, each step back on B up to the login link", async () => {
  const o = await onB("cloud");
  const before = rx.received.length;
  // B sends the person's emails (a real SMTP server); A, which only routes the signup, sends none.
  const smtp = await startSmtp();
  const mailer = smtpMailer({ smtpUrl: smtp.url, from: "annuaire-b@example.org" });
  B.env.deps.mailer = mailer;
  const res = await postSignup(B.env, { offerId: o.id, ...person({ email: "camille@example.org" }) });
  assert.is(res.status, 202);
  const created = await json(res);
  const statusPage = `/signups/${created.id}?token=${tokenOf(created.statusUrl)}&lang=fr`;

  // B → A: the hand-over, signed as B's directory (and B's first email to the person).
  assert.equal(await round(B), { claimed: 2, delivered: 2, retried: 0, rejected: 0, dead: 0 });
  const [onA] = (await signupsOf(A)).filter((s) => s.email === "camille@example.org");
  assert.ok(onA, "A has the signup");
  assert.equal([onA.remote_directory, onA.callback_url, onA.mode], [`${B.url}/ap/directory`, `${B.url}/api/v1/federation/signups/${created.id}/status`, "webhook"]);
  const [onB_] = (await signupsOf(B)).filter((s) => s.id === created.id);
  assert.equal([onB_.mode, onB_.remote_id, onB_.status], ["handover", onA.id, "pending"]);
  assert.match(await (await B.env.app.request(statusPage)).text(), "Remise à l’annuaire qui publie l’offre, qui la transmet à l’hébergeur.");

  // A → provider: exactly one Standard Webhooks delivery, like a local signup.
  await round(A);
  const hooks = rx.received.slice(before);
  assert.is(hooks.length, 1);
  const realNow = Date.now;
  Date.now = () => A.env.deps.clock.now();
  try {
    const payload = new Webhook(provider.secret).verify(hooks[0].body, hooks[0].headers) as { data: { signupId: string; account: { email: string } } };
    assert.is(payload.data.signupId, onA.id);
    assert.is(payload.data.account.email, "camille@example.org");
  } finally { Date.now = realNow; }
  // A → B: "delivered" comes back.
  await round(A);
  assert.is((await signupsOf(B)).find((s) => s.id === created.id)!.status, "delivered");

  // The provider reports to A; A reports to B; B's page shows "active" with the login link.
  const report = await A.env.app.request(`/api/v1/signups/${onA.id}/events`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${provider.token}` },
    body: JSON.stringify({ status: "active", loginUrl: "https://cloud.chaton-a.example/login" }),
  });
  assert.is(report.status, 200);
  await round(A);
  const page = await (await B.env.app.request(statusPage)).text();
  assert.match(page, '<strong data-status="active">Votre compte est prêt</strong>');
  assert.match(page, '<a class="btn" href="https://cloud.chaton-a.example/login" rel="noopener">Se connecter à votre compte</a>');
  // A tells B only what its page needs: no personal data in the reports.
  const reports = await A.env.deps.db.selectFrom("outbox").select(["type", "status"]).where("signup_id", "=", onA.id).orderBy("id").execute();
  assert.equal(reports, [
    { type: "signup.requested", status: "delivered" }, { type: "signup.handover.status", status: "delivered" }, { type: "signup.handover.status", status: "delivered" },
  ]);
  assert.is(rx.received.length, before + 1);
  // B's two emails: on acceptance (sent with the hand-over) and at the end, with the login link from A.
  await round(B);
  await smtp.waitFor(2);
  assert.equal(smtp.received.map((m) => m.mail.subject), ["Votre demande de compte chez Hébergeur chaton-a", "Votre compte chez Hébergeur chaton-a est prêt"]);
  assert.match(smtp.received[1].mail.text ?? "", /Connectez-vous ici\u202f:\nhttps:\/\/cloud\.chaton-a\.example\/login\n/);
  B.env.deps.mailer = undefined;
  mailer.close();
  await smtp.close();
});

test("A down during the hand-over, then back: retried by B's outbox, delivered once", async () => {
  const o = await onB("cloud");
  const before = rx.received.length;
  await A.down();
  const created = await json(await postSignup(B.env, { offerId: o.id, ...person({ email: "down@example.org" }) }));
  assert.equal(await round(B), { claimed: 1, delivered: 0, retried: 1, rejected: 0, dead: 0 });
  const status = await json(await B.env.app.request(`/api/v1/signups/${created.id}?token=${tokenOf(created.statusUrl)}`));
  assert.is(status.status, "pending");
  assert.is(status.delivery.attempts, 1);
  await A.up();
  B.env.deps.clock.advance(1000);
  assert.equal(await round(B), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
  await round(A);
  assert.is((await signupsOf(A)).filter((s) => s.email === "down@example.org").length, 1);
  assert.is(rx.received.length, before + 1);
});

test("a lost answer: B sends again with the same key and A answers with the same signup", async () => {
  const o = await onB("cloud");
  // A takes the hand-over but the answer never reaches B (the connection is cut after A committed).
  A.intercept(async (req, next) => {
    const res = await next(req);
    if (new URL(req.url).pathname === "/api/v1/federation/signups") throw new Error("connection lost");
    return res;
  });
  const created = await json(await postSignup(B.env, { offerId: o.id, ...person({ email: "lost@example.org" }) }));
  assert.equal((await round(B)).retried, 1);
  A.intercept(undefined);
  B.env.deps.clock.advance(1000);
  assert.equal((await round(B)).delivered, 1);
  const onA = (await signupsOf(A)).filter((s) => s.email === "lost@example.org");
  assert.is(onA.length, 1);
  assert.is((await signupsOf(B)).find((s) => s.id === created.id)!.remote_id, onA[0].id);
});

test("forged status reports change nothing: unsigned, tampered, or signed by another directory", async () => {
  const o = await onB("cloud");
  const created = await json(await postSignup(B.env, { offerId: o.id, ...person({ email: "forged@example.org" }) }));
  await round(B);
  const onA = (await signupsOf(A)).find((s) => s.email === "forged@example.org")!;
  const url = `${B.url}/api/v1/federation/signups/${created.id}/status`;
  const body = JSON.stringify({ id: onA.id, status: "active", events: [{ status: "active", at: "2026-11-25T12:00:00.000Z" }], loginUrl: "https://evil.example/login" });
  const unsigned = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  assert.is(unsigned.status, 401);
  assert.is(unsigned.headers.get("content-type"), "application/problem+json; charset=utf-8");
  // Signed by A over another body: the digest no longer matches.
  const ctx = A.env.deps.federation!.context();
  const [pair] = await ctx.getActorKeyPairs("_directory");
  const honest = JSON.stringify({ id: onA.id, status: "pending", events: [] });
  const signed = await signRequest(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: honest }), pair.privateKey, pair.keyId);
  const tampered = await fetch(url, { method: "POST", headers: signed.headers, body });
  assert.is(tampered.status, 401);
  // Signed by a third directory.
  const third = await C.env.deps.federation!.signedPost(url, body);
  assert.is(third.status, 403);
  const row = (await signupsOf(B)).find((s) => s.id === created.id)!;
  assert.equal([row.status, row.login_url], ["pending", null]);
});

test("an offer A closes: B shows it full with open alternatives; a signup caught in between ends 'rejected' with a way on", async () => {
  assert.is((await putOffer(A.env.app, provider.slug, provider.token, "pad", sampleOffer({ service: "pad", software: { name: "Etherpad" }, title: { fr: "Pads pour les écoles" } }))).status, 201);
  const pad = await onB("pad");
  const caught = await json(await postSignup(B.env, { offerId: pad.id, ...person({ email: "caught@example.org" }) }));
  A.env.deps.clock.advance(60_000);
  assert.is((await putOffer(A.env.app, provider.slug, provider.token, "pad", sampleOffer({ service: "pad", software: { name: "Etherpad" }, title: { fr: "Pads pour les écoles" }, capacity: "full" }))).status, 200);
  // Before B hears of it, the hand-over reaches A, which refuses: the offer is full.
  assert.equal(await round(B), { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
  const page = await (await B.env.app.request(`/signups/${caught.id}?token=${tokenOf(caught.statusUrl)}&lang=fr`)).text();
  assert.match(page, '<strong data-status="rejected">L’hébergeur a refusé la demande</strong>');
  assert.match(page, "L’offre ne prend plus de nouveaux comptes.");
  assert.match(page, '<a class="btn" href="/?service=pad&amp;available=true&amp;lang=fr">Choisir un autre hébergeur pour le même service</a>');
  // Then B hears of it: the offer page says full and offers what can be joined instead, never a sign-up button.
  const full = await onB("pad", (o) => o.capacity === "full");
  assert.is(full.acceptsSignups, false);
  const offerPage = await (await B.env.app.request(`/offers/${full.id}?lang=fr`)).text();
  assert.match(offerPage, "Cette offre est complète pour le moment.");
  assert.not.match(offerPage, "S’inscrire</a>");
  const refused = await postSignup(B.env, { offerId: full.id, ...person({ email: "late@example.org" }) });
  assert.is(refused.status, 409);
  assert.is((await json(refused)).code, "full");
});

test("personal data is erased on both sides once the signup is finished and the retention has passed", async () => {
  const o = await onB("cloud");
  const created = await json(await postSignup(B.env, { offerId: o.id, ...person({ email: "purge@example.org" }) }));
  await round(B);
  await round(A);
  const onA = (await signupsOf(A)).find((s) => s.email === "purge@example.org")!;
  await A.env.app.request(`/api/v1/signups/${onA.id}/events`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${provider.token}` }, body: JSON.stringify({ status: "rejected", message: "Plus de place." }),
  });
  await round(A);
  await round(A);
  const onB_ = () => B.env.deps.db.selectFrom("signups").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
  assert.equal([(await onB_()).status, (await onB_()).email], ["rejected", "purge@example.org"]);
  const week = 7 * 86_400_000 + 1000;
  assert.ok((await purgeSignups(A.env.deps.db, A.env.deps.clock.now() + week, 7 * 86_400_000)) >= 1);
  assert.ok((await purgeSignups(B.env.deps.db, B.env.deps.clock.now() + week, 7 * 86_400_000)) >= 1);
  const a = await A.env.deps.db.selectFrom("signups").selectAll().where("id", "=", onA.id).executeTakeFirstOrThrow();
  const b = await onB_();
  assert.equal([a.email, a.name, b.email, b.name], [null, null, null, null]);
  assert.equal([a.status, b.status], ["rejected", "rejected"]);
});

test("a directory A has blocked is refused with a clear status on B", async () => {
  const o = await onB("cloud");
  assert.is((await A.admin("/blocks", { method: "POST", body: JSON.stringify({ domain: "127.0.0.1" }) })).status, 201);
  try {
    const created = await json(await postSignup(B.env, { offerId: o.id, ...person({ email: "blocked@example.org" }) }));
    assert.equal(await round(B), { claimed: 1, delivered: 0, retried: 0, rejected: 1, dead: 0 });
    const page = await (await B.env.app.request(`/signups/${created.id}?token=${tokenOf(created.statusUrl)}&lang=en`)).text();
    assert.match(page, '<strong data-status="failed">The request could not be delivered</strong>');
    assert.match(page, "The directory that publishes the offer refused the request.");
    assert.match(page, "Choose another host for the same service");
    assert.is((await signupsOf(A)).filter((s) => s.email === "blocked@example.org").length, 0);
  } finally {
    assert.is((await A.admin("/blocks/127.0.0.1", { method: "DELETE" })).status, 204);
  }
});

test.run();
