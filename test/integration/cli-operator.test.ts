/**
 * The operator's command line (docs/decisions/0032): export → import gives the same catalog field by field; a
 * backup taken while another process writes is consistent and holds every row committed before it started; crawl
 * exits non-zero when a source fails; moderation from the command line lands in the audit log; each command's help.
 */
import { createClient } from "@libsql/client";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as v from "valibot";
import Ajv2020 from "ajv/dist/2020.js";
import type { Db } from "../../src/db/client.ts";
import { CatalogDocument } from "../../src/domain/catalog/transfer-schema.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { runCli, startServer as startDirectory } from "../helpers/process.ts";
import { startServer } from "../helpers/server.ts";
import { setWebhook } from "../helpers/signups.ts";
import { eventually } from "../helpers/wait.ts";

const ADMIN = "admin-token-for-tests-0123456789";

/** Every stored fact of the catalog, keyed by public ids (internal ids may differ between two databases). */
async function catalogFacts(db: Db) {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    providers: await q(`select slug, name, website, email, country, org_type, description_json, chatons_member, verified, verification_token, verified_at, demo, source,
      origin_json, created_at, updated_at, verify_failures, verify_checked_at, chatons_level, chatons_org_url, chatons_listed, deleted_at, listed, listed_at, reviewed_at,
      hidden_at, hidden_reason from providers where source != 'federated' order by slug`),
    offers: await q(`select o.*, p.slug as provider from offers o join providers p on p.id = o.provider_id order by o.id`),
    tags: await q(`select o.id, t.field, t.value from offer_tags t join offers o on o.seq = t.offer_seq order by o.id, t.field, t.value`),
    fts: await q(`select o.id, f.title, f.software, f.provider, f.description, f.keywords from offers_fts f join offers o on o.seq = f.rowid order by o.id`),
    sources: await q(`select p.slug, s.url, s.format, s.validators_json, s.health, s.state, s.failures, s.next_crawl_at, s.last_crawl_at, s.last_success_at, s.last_status,
      s.last_error, s.last_report_json, s.created_at, s.updated_at from provider_sources s join providers p on p.id = s.provider_id order by p.slug`),
    webhooks: await q(`select p.slug, w.url, w.created_at from provider_webhooks w join providers p on p.id = w.provider_id order by p.slug`),
    chatonsList: await q(`select * from chatons_federation order by org_url`),
    counts: await q(`select field, value, n from offer_tag_counts order by field, value`),
  };
}

/** What the public API answers for a few searches, in order. */
async function answers(env: TestEnv) {
  const out: unknown[] = [];
  for (const q of ["/api/v1/offers?limit=100&sort=fair", "/api/v1/offers?q=nextcloud&limit=50", "/api/v1/offers?service=storage&available=true&limit=50", "/api/v1/providers?limit=100"]) {
    out.push(await json(await env.app.request(q)));
  }
  return out;
}

test("export → import into an empty database gives the same catalog, field by field (receiving settings come back disabled until re-armed)", async () => {
  const a = await testEnv({ seed: true, env: { ADMIN_TOKEN: ADMIN } });
  const b = await testEnv({ env: { SEED: "none" } });
  const dir = mkdtempSync(join(tmpdir(), "chatons-export-"));
  try {
    // A catalog with every kind of state: demo providers, a pushed provider reviewed and verified with a webhook, a
    // crawled offer with its source, a hidden offer, a hidden provider, a provider that left, the CHATONS list.
    const { slug, token } = await registerProvider(a.app, "chaton-export");
    await putOffer(a.app, slug, token, "cloud", sampleOffer());
    await putOffer(a.app, slug, token, "pad", sampleOffer({ service: "pad", software: { name: "Etherpad" }, price: { model: "fixed", amount: 450, currency: "EUR", period: "year" }, quota: { storageGB: 1.5 } }));
    await setWebhook(a, slug, token, "https://hooks.chaton-export.example/signups");
    const pid = (await a.deps.db.selectFrom("providers").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    const { updateProvider } = await import("../../src/domain/catalog/offers.ts");
    await a.deps.db.transaction().execute((trx) => updateProvider(trx, pid, { verified: 1, verified_at: "2026-11-25T12:00:00.000Z", chatons_level: "ACTIVE",
      chatons_org_url: "https://chaton-export.example/org.properties", chatons_listed: 1, chatons_member: 1, updated_at: "2026-11-25T12:00:00.000Z" }));
    await sql`insert into chatons_federation (org_url, member_id, list_url, seen_at) values ('https://chaton-export.example/org.properties', 'chaton-export', 'https://stats.chatons.org/chatons.properties', '2026-11-25T12:00:00.000Z')`.execute(a.deps.db);
    await sql`insert into provider_sources (provider_id, url, format, validators_json, health, state, failures, next_crawl_at, last_crawl_at, last_status, last_report_json, created_at, updated_at)
      values (${pid}, 'https://chaton-export.example/offers.json', 'json', '{"https://chaton-export.example/offers.json":{"etag":"\\"v1\\""}}', 75, 'degraded', 1,
        '2026-11-25T18:00:00.000Z', '2026-11-25T12:00:00.000Z', 'updated', '{"status":"updated","created":1}', '2026-11-25T12:00:00.000Z', '2026-11-25T12:00:00.000Z')`.execute(a.deps.db);
    const admin = (path: string, body: unknown) => a.app.request(`/api/v1/admin${path}`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    await admin(`/providers/${slug}/approve`, { reason: "checked" });
    await admin(`/offers/${slug}~pad/hide`, { reason: "misleading price" });
    const demo = (await json(await a.app.request("/api/v1/providers?limit=3"))).items.map((p: any) => p.slug);
    await admin(`/providers/${demo[0]}/hide`, { reason: "left the collective" });
    const gone = await registerProvider(a.app, "chaton-gone");
    await sql`update providers set deleted_at = '2026-11-25T12:00:00.000Z', email = null, listed = 0 where slug = ${gone.slug}`.execute(a.deps.db);

    const exported = await runCli(["export", "--output", join(dir, "catalog.json")], { DATABASE_URL: a.deps.config.databaseUrl });
    assert.is(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^exported 35 providers and 141 offers to /);
    const text = readFileSync(join(dir, "catalog.json"), "utf8");
    for (const secret of [token, "whsec_", "cdp_"]) assert.not.ok(text.includes(secret), `no secret in the export (${secret.slice(0, 5)}…)`);
    const doc = JSON.parse(text);
    assert.ok(v.is(CatalogDocument, doc));
    // The generated JSON Schema accepts it too (what other tools would validate with).
    const schema = JSON.parse(readFileSync(new URL("../../schemas/catalog-document.schema.json", import.meta.url), "utf8"));
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    assert.ok(ajv.validate(schema, doc), JSON.stringify(ajv.errors?.slice(0, 3)));

    const imported = await runCli(["import", join(dir, "catalog.json")], { DATABASE_URL: b.deps.config.databaseUrl });
    assert.is(imported.code, 0, imported.stderr);
    const destinations = Number((await sql<{ n: number }>`select (select count(*) from provider_webhooks) + (select count(*) from provider_nextcloud) as n`.execute(a.deps.db)).rows[0].n);
    assert.ok(destinations > 1, "demo providers and ours receive signups");
    assert.match(imported.stdout, new RegExp(`imported 35 providers, 141 offers and 1 pull sources; ${destinations} webhook/Nextcloud destination\\(s\\) wait`));
    const [fa, fb] = [await catalogFacts(a.deps.db), await catalogFacts(b.deps.db)];
    // Tags say whether each offer takes signups: they wait for the destinations below.
    for (const k of ["providers", "offers", "fts", "sources", "webhooks", "chatonsList"] as const) assert.equal(fb[k], fa[k], k === "offers" ? "offers (seq kept: same fair order)" : k);
    assert.equal(await sql`select count(*) as n from offer_changes`.execute(b.deps.db).then((r) => r.rows), [{ n: 0 }], "an import is not news for federation");

    // The one difference, by design: destinations have no secret on B, so they are off and take no signups yet.
    const hook = await b.deps.db.selectFrom("provider_webhooks as w").innerJoin("providers as p", "p.id", "w.provider_id").select(["w.disabled_reason"]).where("p.slug", "=", slug).executeTakeFirstOrThrow();
    assert.match(hook.disabled_reason ?? "", /imported without its secret/);
    assert.is((await json(await b.app.request(`/api/v1/offers/${slug}~cloud`))).acceptsSignups, false);
    // Once the providers set them again (new secrets), every public answer is the same as on A.
    await sql`update provider_webhooks set disabled_at = null, disabled_reason = null`.execute(b.deps.db);
    await sql`update provider_nextcloud set disabled_at = null`.execute(b.deps.db);
    const { reindexProvider } = await import("../../src/domain/catalog/offers.ts");
    for (const bp of await b.deps.db.selectFrom("providers").selectAll().execute()) await b.deps.db.transaction().execute((trx) => reindexProvider(trx, bp));
    b.deps.clock.set(a.deps.clock.now());
    const [ra, rb] = [await catalogFacts(a.deps.db), await catalogFacts(b.deps.db)];
    assert.equal([rb.tags, rb.counts], [ra.tags, ra.counts]);
    const [xa, xb] = [await answers(a), await answers(b)];
    for (let i = 0; i < xa.length; i++) {
      const ia = (xa[i] as any).items, ib = (xb[i] as any).items;
      assert.equal(ib.map((o: any) => o.id ?? o.slug), ia.map((o: any) => o.id ?? o.slug), `order ${i}`);
      for (let j = 0; j < ia.length; j++) assert.equal(ib[j], ia[j], `answer ${i} item ${j}`);
    }
    // Cursors name each database's own catalog version; everything else is the same.
    const strip = (xs: unknown[]) => xs.map((x: any) => ({ ...x, nextCursor: x.nextCursor === null ? null : "next" }));
    assert.equal(strip(xb), strip(xa));

    // Importing again is refused and writes nothing; so is a document that is not an export.
    const again = await runCli(["import", join(dir, "catalog.json")], { DATABASE_URL: b.deps.config.databaseUrl });
    assert.equal([again.code, again.stderr.trim()], [1, "import failed: The catalog is not empty: import into a new database (DATABASE_URL) and start the server on it."]);
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ ...doc, providers: [{ ...doc.providers[0], orgType: "club" }] }));
    const refused = await runCli(["import", join(dir, "wrong.json")], { DATABASE_URL: `file:${join(dir, "empty.db")}` });
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /providers\.0\.orgType: /);
  } finally { await a.close(); await b.close(); rmSync(dir, { recursive: true, force: true }); }
});

test("a backup taken while the server writes opens, passes PRAGMA integrity_check and holds every row committed before it began, with no gap", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-backup-"));
  const dbUrl = `file:${join(dir, "live.db")}`;
  const server = await startDirectory({ DATABASE_URL: dbUrl, SEED: "demo", SIGNUP_RATE_LIMIT_IP: "100000/1h", SIGNUP_RATE_LIMIT_EMAIL: "100000/1h" });
  try {
    const offers = (await (await fetch(`${server.url}/api/v1/offers?limit=100&available=true`)).json() as any).items.filter((o: any) => o.acceptsSignups).map((o: any) => o.id);
    // A write load: signups one after another (each commits a signup, its first step, a token and an outbox event).
    const committed: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await fetch(`${server.url}/api/v1/signups`, { method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify({ offerId: offers[i % offers.length], email: `load-${i}@example.org`, name: `Load ${i}`, consent: true }) });
        if (r.status !== 202) throw new Error(`signup ${i}: ${r.status} ${await r.text()}`);
        committed.push(((await r.json()) as { id: string }).id);
      }
    })();
    await eventually("the load is running", () => committed.length >= 20);
    const before = [...committed];
    const backup = await runCli(["backup", join(dir, "copy.db")], { DATABASE_URL: dbUrl });
    const during = committed.length;
    await eventually("writes went on after the backup", () => committed.length >= during + 10);
    stop = true;
    await writer;
    assert.is(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backup written to .*copy\.db: [\d.]+ MB in [\d.]+ s; integrity check ok \(139 offers, 33 providers, \d+ signups\)/);
    assert.ok(statSync(join(dir, "copy.db")).size > 100_000);

    const copy = createClient({ url: `file:${join(dir, "copy.db")}` });
    try {
      assert.equal((await copy.execute("pragma integrity_check")).rows.map((r) => Object.values(r)[0]), ["ok"]);
      const inCopy = new Set((await copy.execute("select id from signups")).rows.map((r) => String(r.id)));
      assert.equal(before.filter((id) => !inCopy.has(id)), [], "every signup committed before the backup began is in it");
      // One snapshot: the signups it holds are exactly the first N committed (no later one without an earlier one),
      // each with its step and its outbox event.
      const order = committed.filter((id) => inCopy.has(id));
      assert.equal(order, committed.slice(0, order.length));
      assert.is(inCopy.size, order.length);
      assert.is(Number((await copy.execute("select count(*) as n from signup_events")).rows[0].n), inCopy.size);
      assert.is(Number((await copy.execute("select count(*) as n from outbox where type = 'signup.requested'")).rows[0].n), inCopy.size);
      assert.ok(inCopy.size < committed.length, "the load went on after the copy's snapshot");
    } finally { copy.close(); }
    // Restoring is replacing the file: a server starts on the copy and serves the catalog.
    await server.stop();
    const restored = await startDirectory({ DATABASE_URL: `file:${join(dir, "copy.db")}`, SEED: "none" });
    try {
      assert.is(((await (await fetch(`${restored.url}/api/v1/offers?limit=1`)).json()) as any).total, 139);
    } finally { await restored.stop(); }
    // A remote database cannot be copied this way: the command says what to do instead.
    const remote = await runCli(["backup", join(dir, "remote.db")], { DATABASE_URL: "libsql://directory.example.org" });
    assert.is(remote.code, 1);
    assert.match(remote.stderr, /remote libSQL database.*npm run cli -- export/);
  } finally { await server.stop().catch(() => {}); rmSync(dir, { recursive: true, force: true }); }
});

test("crawl exits 1 when a source fails (with the failure in its summary) and 0 when every source was read", async () => {
  const env = await testEnv();
  let broken = true;
  const site = await startServer((req, res) => {
    if (broken) { res.statusCode = 500; res.end("down"); return; }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ offers: [{ ...sampleOffer(), slug: "cloud" }] }));
  });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-crawl");
    const put = await env.app.request(`/api/v1/providers/${slug}/source`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url: `${site.url}/offers.json`, format: "json" }) });
    assert.is(put.status, 200);
    const failed = await runCli(["crawl"], { DATABASE_URL: env.deps.config.databaseUrl, ALLOW_PRIVATE_NETWORK: "1" });
    assert.is(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stdout, /crawled 1 source\(s\) .* 1 failed/);
    assert.match(failed.stdout, /failed chaton-crawl: .*500/);
    assert.match(failed.stderr, /crawl: 1 of 1 source\(s\) failed/);
    broken = false;
    const ok = await runCli(["crawl"], { DATABASE_URL: env.deps.config.databaseUrl, ALLOW_PRIVATE_NETWORK: "1" });
    assert.is(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /1 updated \(0 degraded\), 0 not modified, 0 failed/);
  } finally { await site.close(); await env.close(); }
});

test("moderation from the command line is audit-logged as --by through cli; every command has --help; usage mistakes exit 2", async () => {
  const env = await testEnv({ env: { LISTING_POLICY: "reviewed" } });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-cli");
    await putOffer(env.app, slug, token, "cloud", sampleOffer());
    const cli = (args: string[]) => runCli(args, { DATABASE_URL: env.deps.config.databaseUrl });
    const queue = await cli(["moderate", "queue"]);
    assert.match(queue.stdout, /^chaton-cli {2}Hébergeur chaton-cli {2}https:\/\/chaton-cli\.example {2}joined .* {2}1 offer\(s\) {2}domain not verified {2}membership none\n1 provider\(s\) waiting for review\n$/);
    assert.equal([(await cli(["moderate", "approve", slug, "--by", "Camille", "--reason", "checked by phone"])).stdout], [`${slug}: listed (logged as Camille)\n`]);
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 1);
    assert.is((await cli(["moderate", "hide", `${slug}~cloud`, "--by", "Camille"])).code, 2, "hide without --reason");
    assert.is((await cli(["moderate", "hide", `${slug}~cloud`, "--by", "Camille", "--reason", "duplicate"])).code, 0);
    assert.is((await json(await env.app.request("/api/v1/offers?q=ecoles"))).total, 0);
    assert.is((await cli(["moderate", "unhide", "nobody"])).code, 1);
    const log = await env.deps.db.selectFrom("audit_log").select(["actor", "via", "action", "target", "reason"]).orderBy("id").execute();
    assert.equal(log, [
      { actor: "Camille", via: "cli", action: "approve", target: slug, reason: "checked by phone" },
      { actor: "Camille", via: "cli", action: "hide-offer", target: `${slug}~cloud`, reason: "duplicate" },
    ]);
    for (const name of ["migrate", "seed", "check", "crawl", "import-statoolinfos", "token", "export", "import", "backup", "deliveries", "purge", "moderate"]) {
      const h = await cli([name, "--help"]);
      assert.is(h.code, 0, name);
      assert.match(h.stdout, new RegExp(`^Usage: npm run cli -- ${name}`), name);
    }
    assert.is((await cli(["moderate", "frobnicate"])).code, 2);
    assert.is((await cli(["deliveries", "--status", "lost"])).code, 2);
    assert.is((await cli(["backup"])).code, 2);
  } finally { await env.close(); }
});

test.run();
