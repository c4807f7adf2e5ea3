/**
 * Every page a person can reach, in French then in English: no interface text of the other language and no raw
 * vocabulary code (`storage`, `pay-what-you-want`, `open`…) where a word of the page's language belongs. Provider
 * text in another language is marked with `lang` and left out (test/helpers/html-text.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { AUDIENCES, CAPACITIES, ORG_TYPES, PRICE_MODELS, REGISTRATIONS, SERVICES, SIGNUP_MODES, SOURCES, SUPPORTS } from "../../src/domain/vocabulary.ts";
import { COMPARE_CATALOGS } from "../../src/i18n/compare.ts";
import { MAIN_CATALOGS } from "../../src/i18n/index.ts";
import { PAGES_CATALOGS } from "../../src/i18n/pages.ts";
import { PROVIDER_CATALOGS } from "../../src/i18n/provider.ts";
import { SIGNUP_CATALOGS } from "../../src/i18n/signups.ts";
import { INTEROP_CATALOGS } from "../../src/i18n/interop.ts";
import { ADMIN_CATALOGS } from "../../src/i18n/admin.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";
import { readableText } from "../helpers/html-text.ts";
import { person, postSignup, providerWithOffer, startReceiver, tokenOf } from "../helpers/signups.ts";
import { client, joinedProvider, OFFER_FORM, tokenIn } from "../helpers/space.ts";

type Lang = "fr" | "en";
const ADMIN_TOKEN = "admin-token-for-the-language-walk";
/** English interface words French writes too ("support technique"), so provider text may use them. */
const SHARED_WORDS = new Set(["Support"]);
const CATALOGS = [MAIN_CATALOGS, COMPARE_CATALOGS, SIGNUP_CATALOGS, PAGES_CATALOGS, INTEROP_CATALOGS, PROVIDER_CATALOGS, ADMIN_CATALOGS] as Array<Record<Lang, Record<string, string>>>;

/**
 * Interface fragments of `lang` that betray it on a page of the other language: each message split at its
 * placeholders, pieces of at least 5 letters, unless the other language writes the same piece somewhere (names such
 * as "CHATONS", "Nextcloud", or words both languages share such as "Documentation").
 */
function telltales(lang: Lang): string[] {
  const other: Lang = lang === "fr" ? "en" : "fr";
  const otherText = CATALOGS.flatMap((c) => Object.values(c[other])).join("\n").toLowerCase();
  const out = new Set<string>();
  for (const c of CATALOGS) {
    for (const [key, value] of Object.entries(c[lang])) {
      // The language switch speaks the other language on purpose (and is marked so).
      if (c[other][key] === value || key.startsWith("lang.switch")) continue;
      for (const raw of value.split(/\{\w+\}/)) {
        const piece = raw.replace(/^[\s.,:;!?()«»“”"'’—–·-]+|[\s.,:;!?()«»“”"'’—–·-]+$/g, "");
        if ((piece.match(/\p{L}/gu) ?? []).length < 5) continue;
        if (otherText.includes(piece.toLowerCase()) || SHARED_WORDS.has(piece)) continue;
        out.add(piece);
      }
    }
  }
  return [...out];
}

/** Vocabulary codes whose label differs from the code in `lang` (a code shown as is would then be a raw code). */
function rawCodes(lang: Lang): Set<string> {
  const t = MAIN_CATALOGS[lang] as Record<string, string>;
  const fields: Array<[string, readonly string[]]> = [
    ["service", SERVICES], ["pricemodel", PRICE_MODELS], ["registration", REGISTRATIONS], ["audience", AUDIENCES], ["orgType", ORG_TYPES],
    ["support", SUPPORTS], ["source", SOURCES], ["capacity", CAPACITIES], ["signupMode", SIGNUP_MODES],
  ];
  const codes = new Set<string>();
  for (const [field, values] of fields) for (const v of values) if ((t[`${field}.${v}`] ?? "").toLowerCase() !== v.toLowerCase()) codes.add(v);
  for (const code of ["fr", "en", "de", "nl", "FR", "BE", "CH", "CA", "DE"]) codes.add(code); // language and country codes
  return codes;
}

type Finding = { path: string; lang: Lang; kind: string; text: string };

function check(path: string, lang: Lang, html: string, out: Finding[]) {
  const { lang: pageLang, pieces } = readableText(html);
  if (pageLang !== lang) out.push({ path, lang, kind: "html lang", text: pageLang });
  const text = pieces.join("\n");
  for (const tell of telltales(lang === "fr" ? "en" : "fr")) {
    const at = text.indexOf(tell);
    if (at >= 0 && !/\p{L}/u.test(text[at - 1] ?? "") && !/\p{L}/u.test(text[at + tell.length] ?? "")) out.push({ path, lang, kind: "other language", text: tell });
  }
  const codes = rawCodes(lang);
  for (const piece of pieces) {
    for (const part of piece.split(/\s*[·,:;/()|]\s*|\s+[—–-]\s+/)) {
      const p = part.trim();
      if (codes.has(p)) out.push({ path, lang, kind: "raw code", text: `${p} (in “${piece.slice(0, 80)}”)` });
    }
  }
}

async function html(env: TestEnv, path: string, init?: RequestInit): Promise<string> {
  const res = await env.app.request(path, init);
  assert.ok(res.status < 500, `${path}: ${res.status}`);
  return res.text();
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(),
});

test("every page in French has no English interface text or raw code, and every page in English no French", async () => {
  const env = await testEnv({ seed: true, env: { WEBHOOK_RETRY_SCHEDULE: "1s", SIGNUP_RATE_LIMIT_EMAIL: "2/1d", OPERATOR_NAME: "Chatons du Lot", OPERATOR_CONTACT: "contact@chatons-lot.example", ADMIN_TOKEN: ADMIN_TOKEN } });
  const rx = await startReceiver();
  try {
    const all = (await json(await env.app.request("/api/v1/offers?limit=100&sort=name"))).items as Array<Record<string, any>>;
    const pick = (f: (o: Record<string, any>) => boolean) => all.find(f)!.id as string;
    const offers = [
      pick((o) => o.acceptsSignups), pick((o) => o.signup.mode === "external"), pick((o) => o.capacity === "full"),
      pick((o) => o.registration === "members"), pick((o) => o.includes.length > 0), pick((o) => o.price.model === "pay-what-you-want"),
    ];
    const provider = all[0].provider.slug as string;

    // Signups in each state, on a provider of our own whose webhook answers.
    const p = await providerWithOffer(env, "chaton-test", { webhookUrl: rx.url });
    const states: Record<string, string> = {};
    const make = async (email: string, locale: string) => {
      const body = await json(await postSignup(env, { offerId: p.offerId, ...person({ email, locale }) }));
      return { id: body.id as string, token: tokenOf(body.statusUrl) };
    };
    const status = (s: { id: string; token: string }) => `/signups/${s.id}?token=${s.token}`;
    const report = (id: string, body: Record<string, unknown>) => env.app.request(`/api/v1/signups/${id}/events`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify(body),
    });
    const pending = await make("a@example.org", "fr");
    states.pending = status(pending);
    const active = await make("b@example.org", "fr");
    const rejected = await make("c@example.org", "fr");
    const erased = await make("d@example.org", "fr");
    await runDeliveryRound(env.deps, { random: () => 0.5 });
    await report(active.id, { status: "active", loginUrl: "https://cloud.example/login" });
    await report(rejected.id, { status: "rejected", message: "Complet pour cette année." });
    await report(erased.id, { status: "active" });
    await env.app.request(`/signups/${erased.id}/erase`, form({ token: erased.token }));
    states.delivered = status((await make("e@example.org", "fr")));
    await runDeliveryRound(env.deps, { random: () => 0.5 });
    rx.state.behaviour = (_r, res) => { res.writeHead(500).end(); };
    const failed = await make("f@example.org", "fr");
    await runDeliveryRound(env.deps, { random: () => 0.5 }); // 500: retried…
    env.deps.clock.advance(2000);
    await runDeliveryRound(env.deps, { random: () => 0.5 }); // …schedule over: failed
    Object.assign(states, { active: status(active), rejected: status(rejected), erased: status(erased), failed: status(failed) });
    // pending was delivered by the first round; one more that stays pending (not yet attempted).
    rx.state.behaviour = (_r, res) => { res.writeHead(204).end(); };
    states.pending = status(await make("g@example.org", "fr"));

    const pages = [
      "/", "/?q=nextcloud", "/?q=nexcloud", "/?q=nextcloud%20gratuit%20belgique%20association", "/?q=zzzzqqqq", "/?service=storage&available=true&sort=price",
      `/?compare=${offers[0]}&service=storage`, `/?compare=${offers[0]}&go=compare`, "/?cursor=nope&limit=abc",
      ...offers.map((id) => `/offers/${id}`), `/providers/${provider}`, "/providers", "/providers?country=BE&orgType=association&member=true",
      `/compare?ids=${offers.slice(0, 4).join(",")}`, `/compare?ids=${offers[0]}`, `/compare?ids=${offers[0]},ghost~offer`,
      ...offers.slice(0, 3).map((id) => `/signup/${id}`), ...offers.slice(0, 2).map((id) => `/offers/${id}/report`), "/about", "/privacy", "/badges", "/docs", "/no-such-page", "/offers/ghost~offer",
      ...Object.values(states), "/signups/su_nope?token=st_nope",
    ];
    const findings: Finding[] = [];
    for (const lang of ["fr", "en"] as const) {
      const other = lang === "fr" ? "en" : "fr";
      for (const path of pages) {
        const url = `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
        check(url, lang, await html(env, url, { headers: { accept: "text/html", "accept-language": other } }), findings);
      }
      // Forms answered with errors and refusals, in the page's language.
      const signupPath = `/signup/${p.offerId}?lang=${lang}`;
      check(`POST ${signupPath} (invalid)`, lang, await html(env, signupPath, form({ email: "nope", name: "" })), findings);
      await env.app.request(signupPath, form({ email: `limit-${lang}@example.org`, name: "X", consent: "yes" }));
      await env.app.request(signupPath, form({ email: `limit-${lang}@example.org`, name: "X", consent: "yes" }));
      check(`POST ${signupPath} (rate limited)`, lang, await html(env, signupPath, form({ email: `limit-${lang}@example.org`, name: "X", consent: "yes" })), findings);
      check(`POST erase (not finished)`, lang, await html(env, `/signups/${pending.id}/erase?lang=${lang}`, form({ token: pending.token })), findings);
      // Reporting an offer: the form, its errors, the thanks.
      const reporter = client(env.app);
      const reportPath = `/offers/${offers[0]}/report?lang=${lang}`;
      const reportTok = tokenIn((await reporter.get(reportPath)).html);
      check(`POST report (invalid)`, lang, (await reporter.post(reportPath, { _csrf: reportTok, message: "x" })).html, findings);
      check(`POST report (sent)`, lang, (await reporter.post(reportPath, { _csrf: reportTok, reason: "misleading", message: "Le prix a changé." })).html, findings);
    }

    // The provider space, signed in, in both languages: every page, and forms answered with errors and refusals.
    const host = await joinedProvider(env, "Chatons du Lot");
    await host.c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM());
    await host.c.submit("/provider/offers/new", "/provider/offers/new", OFFER_FORM({ title_fr: "Pads du Lot", service: "pad", software: "Etherpad", priceModel: "membership", capacity: "full", signupMode: "nextcloud" }));
    await host.c.submit("/provider/receiving", "/provider/receiving/webhook", { url: rx.url });
    await postSignup(env, { offerId: `${host.slug}~nuage-du-lot`, ...person({ email: "h@example.org" }) });
    await runDeliveryRound(env.deps, { random: () => 0.5 });
    const spacePages = [
      "/provider/dashboard", "/provider/offers/new", "/provider/offers/nuage-du-lot", "/provider/offers/pads-du-lot", "/provider/publishing",
      "/provider/receiving", "/provider/signups", "/provider/signups?show=done", "/provider/signups?show=all", "/provider/verification",
      "/provider/account", "/provider/account/delete", "/provider/offers/ghost",
    ];
    const anonymous = ["/for-providers", "/provider/join", "/provider/signin", "/provider/signin/link?token=sil_nope"];
    for (const lang of ["fr", "en"] as const) {
      const other = lang === "fr" ? "en" : "fr";
      const visitor = client(env.app);
      for (const path of anonymous) {
        const url = `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
        check(url, lang, (await visitor.get(url)).html, findings);
      }
      for (const path of spacePages) {
        const url = `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
        const page = await host.c.get(url);
        assert.ok(page.status < 500, `${url}: ${page.status}`);
        check(url, lang, page.html, findings);
      }
      const tok = tokenIn((await host.c.get(`/provider/dashboard?lang=${lang}`)).html);
      const answers: Array<[string, string, Record<string, string | string[]>]> = [
        ["editor (invalid)", "/provider/offers/new", { _csrf: tok, ...OFFER_FORM({ priceAmount: "x", title_fr: "", title_en: "", dataLocation: "" }) }],
        ["editor (preview)", "/provider/offers/new", { _csrf: tok, ...OFFER_FORM({ action: "preview" }) }],
        ["editor (stale)", "/provider/offers/nuage-du-lot", { _csrf: tok, ...OFFER_FORM({ version: "old" }) }],
        ["refused (no token)", "/provider/account/email", { email: "x@y.example" }],
        ["webhook (invalid)", "/provider/receiving/webhook", { _csrf: tok, url: "nope" }],
        ["webhook (secret)", "/provider/receiving/webhook", { _csrf: tok, url: rx.url }],
        ["webhook (test)", "/provider/receiving/webhook/test", { _csrf: tok }],
        ["nextcloud (invalid)", "/provider/receiving/nextcloud", { _csrf: tok, url: "", token: "!" }],
        ["verification (failed)", "/provider/verification/check", { _csrf: tok }],
        ["account (email invalid)", "/provider/account/email", { _csrf: tok, email: "nope" }],
        ["account (delete mismatch)", "/provider/account/delete", { _csrf: tok, confirm: "non" }],
        ["publishing (invalid)", "/provider/publishing", { _csrf: tok, url: "", format: "json" }],
      ];
      for (const [name, path, fields] of answers) {
        const r = await host.c.post(`${path}?lang=${lang}`, fields);
        assert.ok(r.status < 500, `${name}: ${r.status}`);
        check(`POST ${path} ${name}`, lang, r.html, findings);
      }
      const visitorTok = tokenIn((await visitor.get(`/provider/join?lang=${lang}`)).html);
      check(`POST join (invalid)`, lang, (await visitor.post(`/provider/join?lang=${lang}`, { _csrf: visitorTok, name: "", website: "x", email: "y", country: "", orgType: "" })).html, findings);
      check(`POST signin (wrong)`, lang, (await visitor.post(`/provider/signin?lang=${lang}`, { _csrf: visitorTok, token: "cdp_wrong" })).html, findings);
      void other;
    }

    // The operator space, signed in, in both languages: every page, with something in each list.
    await env.app.request(`/api/v1/admin/offers/${offers[1]}/hide`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ reason: "Tarif trompeur" }) });
    const { applyListingPolicy } = await import("../../src/domain/catalog/offers.ts");
    await applyListingPolicy(env.deps.db, "reviewed", env.deps.clock.now());
    await joinedProvider(env, "Nuage des Causses");
    for (const lang of ["fr", "en"] as const) {
      const op = client(env.app);
      check(`/admin/signin?lang=${lang}`, lang, (await op.get(`/admin/signin?lang=${lang}`)).html, findings);
      const signinTok = tokenIn((await op.get(`/admin/signin?lang=${lang}`)).html);
      check(`POST /admin/signin (wrong)`, lang, (await op.post(`/admin/signin?lang=${lang}`, { _csrf: signinTok, token: "nope-nope-nope-nope", name: "Camille" })).html, findings);
      await op.post(`/admin/signin?lang=${lang}`, { _csrf: signinTok, token: ADMIN_TOKEN, name: "Camille" });
      for (const path of ["/admin", "/admin/review", "/admin/reports", "/admin/reports?show=closed", "/admin/hidden", "/admin/audit", `/admin/providers/${provider}`, "/admin/providers/nuage-des-causses", "/admin/find?slug=nobody"]) {
        const url = `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
        const page = await op.get(url);
        assert.ok(page.status < 500, `${url}: ${page.status}`);
        check(url, lang, page.html, findings);
      }
    }
    assert.equal(findings, [], findings.map((f) => `${f.lang} ${f.path}: ${f.kind}: ${f.text}`).join("\n"));
    assert.ok(telltales("en").length > 100 && telltales("fr").length > 100, "the check knows enough interface text to mean something");
  } finally { await rx.close(); await env.close(); }
});

test("the text walker keeps what people read and leaves out text marked in another language", () => {
  const { lang, pieces } = readableText(`<!DOCTYPE html><html lang="fr"><head><title>Titre</title><style>p{}</style></head><body>
    <a href="/x" lang="en" aria-label="Read in English">English</a><p>Bonjour <strong>Camille</strong> <span translate="no">Coop Nuage</span></p>
    <input placeholder="ex. Nextcloud" value="typed"/><img alt="Logo"><p lang="en">An English description</p><button aria-label="Fermer">✕</button></body></html>`);
  assert.is(lang, "fr");
  assert.equal(pieces, ["Bonjour", "Camille", "ex. Nextcloud", "Logo", "Fermer", "✕"]);
});

test.run();
