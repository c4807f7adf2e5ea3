/**
 * Follow-up emails through a real SMTP server (smtp-server on loopback): one when the directory accepts the request,
 * one at the final state, in the person's language, through the durable outbox (retried on 4xx, never sent twice).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { smtpMailer } from "../../src/runtime/mailer.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer, startReceiver, tokenOf } from "../helpers/signups.ts";
import { startSmtp, type Refusal } from "../helpers/smtp.ts";

const ENV = { WEBHOOK_RETRY_SCHEDULE: "1s,1s", SIGNUP_RATE_LIMIT_IP: "1000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000/1h" };
const round = (env: TestEnv) => runDeliveryRound(env.deps, { random: () => 0.5, timeoutMs: 2000 });

async function setUp(refuse?: (to: string[], n: number) => Refusal) {
  const env = await testEnv({ env: ENV });
  const smtp = await startSmtp(refuse);
  const rx = await startReceiver();
  const mailer = smtpMailer({ smtpUrl: smtp.url, from: "Annuaire des CHATONS <annuaire@chatons.example>" }, { timeoutMs: 5000 });
  env.deps.mailer = mailer;
  const p = await providerWithOffer(env, "chaton-a", { webhookUrl: rx.url });
  return {
    env, smtp, rx, p,
    async close() { mailer.close(); await smtp.close(); await rx.close(); await env.close(); },
  };
}

async function report(env: TestEnv, token: string, id: string, body: Record<string, unknown>) {
  const res = await env.app.request(`/api/v1/signups/${id}/events`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
  assert.is(res.status, 200, await res.clone().text());
}

const outbox = (env: TestEnv) => env.deps.db.selectFrom("outbox").select(["type", "status", "attempts", "last_status"]).orderBy("id").execute();

test("FR: an email with the status link on acceptance, one with the login link when active — each once", async () => {
  const s = await setUp();
  try {
    const res = await postSignup(s.env, { offerId: s.p.offerId, ...person({ name: "Camille Martin" }) });
    assert.is(res.status, 202);
    const { id } = await json(res);
    assert.equal((await outbox(s.env)).map((o) => o.type), ["signup.requested", "mail.signup.accepted"]);

    assert.equal(await round(s.env), { claimed: 2, delivered: 2, retried: 0, rejected: 0, dead: 0 });
    await s.smtp.waitFor(1);
    const accepted = s.smtp.received[0];
    assert.equal(accepted.to, ["camille@example.org"]);
    assert.is(accepted.from, "annuaire@chatons.example");
    assert.is(accepted.mail.subject, "Votre demande de compte chez Hébergeur chaton-a");
    assert.is(accepted.mail.headers.get("content-language"), "fr");
    assert.is(accepted.mail.headers.get("auto-submitted"), "auto-generated");
    assert.match(accepted.mail.messageId ?? "", /^<msg_[0-9a-f]{32}@127\.0\.0\.1>$/);
    const text = accepted.mail.text ?? "";
    assert.match(text, /^Bonjour Camille Martin,/);
    assert.match(text, /«\u202fNextcloud pour les écoles\u202f» chez Hébergeur chaton-a/);
    assert.match(text, /l’annuaire ne vous en demande jamais/);
    // The link works: it opens this signup's status page, in French.
    const link = /http:\/\/127\.0\.0\.1:3000(\/signups\/\S+)/.exec(text)![1];
    assert.match(link, new RegExp(`^/signups/${id}\\?token=st_[A-Za-z0-9_-]+&lang=fr$`));
    const page = await s.env.app.request(link);
    assert.is(page.status, 200);
    assert.match(await page.text(), /<strong data-status="delivered">Transmise à l’hébergeur<\/strong>/);

    await report(s.env, s.p.token, id, { status: "provisioning" });
    await report(s.env, s.p.token, id, { status: "active", loginUrl: "https://cloud.chaton-a.example/login" });
    assert.equal(await round(s.env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    await s.smtp.waitFor(2);
    const active = s.smtp.received[1].mail;
    assert.is(active.subject, "Votre compte chez Hébergeur chaton-a est prêt");
    assert.match(active.text ?? "", /Connectez-vous ici\u202f:\nhttps:\/\/cloud\.chaton-a\.example\/login\n/);
    assert.match(active.text ?? "", new RegExp(`/signups/${id}\\?token=st_`));

    // Nothing else is due: more rounds send nothing.
    assert.equal(await round(s.env), { claimed: 0, delivered: 0, retried: 0, rejected: 0, dead: 0 });
    s.env.deps.clock.advance(3_600_000);
    assert.equal((await round(s.env)).claimed, 0);
    assert.is(s.smtp.received.length, 2);
    assert.equal((await outbox(s.env)).map((o) => [o.type, o.status, o.attempts]), [
      ["signup.requested", "delivered", 1], ["mail.signup.accepted", "delivered", 1], ["mail.signup.final", "delivered", 1],
    ]);
  } finally { await s.close(); }
});

test("EN: a rejection's email gives the provider's reason and where to look instead", async () => {
  const s = await setUp();
  try {
    const { id } = await json(await postSignup(s.env, { offerId: s.p.offerId, ...person({ email: "sam@example.org", name: "Sam", locale: "en-GB" }) }));
    await round(s.env);
    await report(s.env, s.p.token, id, { status: "rejected", message: "We only host associations from Lyon." });
    await round(s.env);
    await s.smtp.waitFor(2);
    const [accepted, rejected] = s.smtp.received.map((r) => r.mail);
    assert.is(accepted.subject, "Your account request with Hébergeur chaton-a");
    assert.is(accepted.headers.get("content-language"), "en");
    assert.is(rejected.subject, "Hébergeur chaton-a could not create your account");
    assert.match(rejected.text ?? "", /Their message: “We only host associations from Lyon\.”/);
    assert.match(rejected.text ?? "", /http:\/\/127\.0\.0\.1:3000\/\?service=storage&available=true&lang=en/);
  } finally { await s.close(); }
});

test("a 451 from the mail server is retried with the same Message-ID; a 550 is given up without moving the signup", async () => {
  let refuseNext = 1; // the first attempt is greylisted
  const s = await setUp((to) => (to[0] === "nobody@example.org" ? { code: 550 } : refuseNext-- > 0 ? { code: 451 } : undefined));
  try {
    const { id } = await json(await postSignup(s.env, { offerId: s.p.offerId, ...person() }));
    assert.equal(await round(s.env), { claimed: 2, delivered: 1, retried: 1, rejected: 0, dead: 0 });
    assert.is(s.smtp.received.length, 0);
    const first = (await outbox(s.env))[1];
    assert.equal([first.status, first.attempts, first.last_status], ["pending", 1, 451]);
    s.env.deps.clock.advance(1000);
    assert.equal(await round(s.env), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    await s.smtp.waitFor(1);
    assert.is(s.smtp.attempts(), 2);

    const other = await json(await postSignup(s.env, { offerId: s.p.offerId, ...person({ email: "nobody@example.org" }) }));
    assert.equal(await round(s.env), { claimed: 2, delivered: 1, retried: 0, rejected: 1, dead: 0 });
    const status = await json(await s.env.app.request(`/api/v1/signups/${other.id}?token=${tokenOf(other.statusUrl)}`));
    assert.is(status.status, "delivered"); // the provider has it; only the email could not be sent
    assert.ok(id !== other.id);
  } finally { await s.close(); }
});

test("a signup that fails after the retries gets the 'could not reach' email", async () => {
  const s = await setUp();
  try {
    s.rx.state.behaviour = (_r, res) => { res.writeHead(503).end(); };
    const { id } = await json(await postSignup(s.env, { offerId: s.p.offerId, ...person() }));
    await round(s.env);
    s.env.deps.clock.advance(1000);
    await round(s.env);
    s.env.deps.clock.advance(1000);
    await round(s.env); // the schedule (1s,1s) is over: dead, the signup failed, its final email queued…
    await round(s.env); // …and sent
    await s.smtp.waitFor(2);
    const failed = s.smtp.received[1].mail;
    assert.is(failed.subject, "Votre demande de compte n’a pas pu être transmise à Hébergeur chaton-a");
    assert.match(failed.text ?? "", /Rien n’a été créé et aucune donnée n’a été transmise\./);
    const row = await s.env.deps.db.selectFrom("signups").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    assert.is(row.status, "failed");
  } finally { await s.close(); }
});

test("without SMTP_URL no email is queued and the status page says so", async () => {
  const env = await testEnv({ env: ENV });
  const rx = await startReceiver();
  try {
    const p = await providerWithOffer(env, "chaton-a", { webhookUrl: rx.url });
    const body = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    assert.equal((await outbox(env)).map((o) => o.type), ["signup.requested"]);
    const html = await (await env.app.request(`/signups/${body.id}?token=${tokenOf(body.statusUrl)}&lang=fr`)).text();
    assert.match(html, /n’envoie pas de courriel/);
  } finally { await rx.close(); await env.close(); }
});

test.run();
