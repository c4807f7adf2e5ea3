/**
 * Upgrade safety (docs/decisions/0034): a database made by the first release's migrations, with data in every table,
 * migrates to the latest schema with nothing lost and serves it; every landed migration is frozen (its checksum is
 * recorded in test/fixtures/migration-checksums.json and must never change).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Migrator, sql } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { migrations } from "../../src/db/migrations/index.ts";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { consistencyProblems } from "../../src/db/queries/consistency.ts";
import { createSafeFetch } from "../../src/delivery/net.ts";
import { catalogSearch, type Deps } from "../../src/deps.ts";
import { ensureIndexCurrent } from "../../src/domain/catalog/offers.ts";
import { openDatabase, ROOT } from "../../src/runtime/shared.ts";
import { json, silentLogger, testClock } from "../helpers/deps.ts";

/** The first release: the migrations main had on its first day (2026-11-25). */
const FIRST_RELEASE = Object.keys(migrations).filter((n) => n.startsWith("2026-11-25T")).sort();

const T = "2026-11-25T12:00:00.000Z";
/** One row (or more) in every table the first release had, as its own code wrote them: plain SQL, no code of today. */
const FIRST_RELEASE_DATA = [
  sql`insert into providers (id, slug, name, website, email, country, org_type, description_json, chatons_member, verified, verification_token, verified_at, demo, source, created_at, updated_at)
    values (1, 'chatons-du-lot', 'Chatons du Lot', 'https://chatons-du-lot.example', 'contact@chatons-du-lot.example', 'FR', 'association', '{"fr":"Une association du Lot."}', 1, 1,
      'chatons-directory-verification=abc', ${T}, 0, 'local', ${T}, ${T})`,
  sql`insert into offers (seq, id, provider_id, slug, service, software_name, software_version, software_license, title_json, description_json, sort_name, price_model,
      price_amount, price_currency, price_period, price_monthly, registration, capacity, quota_storage_gb, quota_users, data_location, languages_json, includes_json,
      audience_json, support_json, signup_mode, signup_url, source, created_at, updated_at, confirmed_at)
    values (1, 'chatons-du-lot~nuage', 1, 'nuage', 'storage', 'Nextcloud', '30.0.2', 'AGPL-3.0', '{"fr":"Nuage du Lot pour les écoles"}', '{"fr":"Vos fichiers."}', 'nuage du lot pour les ecoles',
      'fixed', 500, 'EUR', 'month', 500, 'open', 'available', 10, 1, 'FR', '["fr"]', '[]', '["associations"]', '["email"]', 'webhook', null, 'local', ${T}, ${T}, ${T})`,
  ...[["service", "storage"], ["software", "nextcloud"], ["lang", "fr"], ["audience", "associations"], ["country", "FR"], ["orgType", "association"], ["price", "fixed"],
    ["registration", "open"], ["available", "true"], ["member", "true"], ["verified", "true"]]
    .map(([f, v]) => sql`insert into offer_tags (offer_seq, field, value) values (1, ${f}, ${v})`),
  sql`insert into offers_fts (rowid, title, software, provider, description, keywords) values (1, 'Nuage du Lot pour les écoles', 'Nextcloud', 'Chatons du Lot', 'Vos fichiers.', 'stockage fichiers storage files cloud')`,
  sql`insert into provider_tokens (provider_id, token_hash, created_at) values (1, 'f00d', ${T})`,
  sql`insert into offer_changes (offer_id, provider_id, kind, at, published_at) values ('chatons-du-lot~nuage', 1, 'created', ${T}, ${T})`,
  sql`insert into meta (key, value) values ('catalog_version', '42')`,
  sql`insert into provider_sources (provider_id, url, format, next_crawl_at, created_at, updated_at) values (1, 'https://chatons-du-lot.example/offers.json', 'json', ${T}, ${T}, ${T})`,
  sql`insert into provider_webhooks (provider_id, url, secret, created_at, updated_at) values (1, 'https://chatons-du-lot.example/hook', 'whsec_c2VjcmV0', ${T}, ${T})`,
  sql`insert into provider_nextcloud (provider_id, url, token, created_at, updated_at) values (1, 'https://cloud.chatons-du-lot.example', 'Xk3pQ9vLm2Rt7Wz5', ${T}, ${T})`,
  sql`insert into signups (id, offer_id, provider_id, service, mode, status, locale, email, name, created_at, updated_at) values ('su_1', 'chatons-du-lot~nuage', 1, 'storage', 'webhook', 'delivered', 'fr', 'camille@example.org', 'Camille', ${T}, ${T})`,
  sql`insert into signup_tokens (signup_id, token_hash) values ('su_1', 'beef')`,
  sql`insert into signup_events (signup_id, status, message, at) values ('su_1', 'pending', null, ${T}), ('su_1', 'delivered', null, ${T})`,
  sql`insert into outbox (id, webhook_id, type, provider_id, signup_id, status, attempts, next_attempt_at, created_at, updated_at, done_at) values (1, 'msg_1', 'signup.requested', 1, 'su_1', 'delivered', 1, 0, 0, 0, 0)`,
  sql`insert into delivery_attempts (outbox_id, attempt, at, outcome, http_status, duration_ms) values (1, 1, 0, 'delivered', 204, 12)`,
  sql`insert into rate_limits (key, window_start, window_ms, count) values ('signup:ip:127.0.0.1', 0, 3600000, 1)`,
  sql`insert into fed_kv (key, value, expires_at) values ('["_fedify","x"]', '{"v":1}', null)`,
  sql`insert into fed_queue (message, ordering_key, run_at, created_at) values ('{"type":"outbox"}', null, 0, 0)`,
  sql`insert into fed_keys (actor, algorithm, private_jwk, public_jwk, created_at) values ('chatons-du-lot', 'Ed25519', '{"kty":"OKP"}', '{"kty":"OKP"}', ${T})`,
  sql`insert into fed_followers (actor, follower_id, inbox, follow_id, status, created_at) values ('_directory', 'https://peer.example/ap/directory', 'https://peer.example/inbox', 'https://peer.example/f/1', 'accepted', ${T})`,
  sql`insert into fed_following (actor_id, handle, inbox, follow_id, status, created_at) values ('https://peer.example/ap/directory', '@directory@peer.example', 'https://peer.example/inbox', 'https://dir.example/f/1', 'accepted', ${T})`,
  sql`insert into fed_blocks (domain, created_at) values ('spam.example', ${T})`,
];

/** Every user table (FTS shadow tables and the migrator's own excluded), with its rows in a stable order. */
async function dump(db: Parameters<typeof migrateToLatest>[0]) {
  const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'
    and name not like 'offers_fts_%' order by name`.execute(db)).rows.map((r) => r.name);
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const t of tables) {
    const rows = (await sql.raw(t === "offers_fts" ? "select rowid, * from offers_fts order by rowid" : `select * from "${t}"`).execute(db)).rows as Array<Record<string, unknown>>;
    out[t] = rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return out;
}

test("a database made by the first release's migrations, with data in every table, migrates to the latest with nothing lost and serves it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-mig-"));
  const { client, db } = await openDatabase(`file:${join(dir, "old.db")}`);
  try {
    assert.equal(FIRST_RELEASE, ["2026-11-25T1200_initial", "2026-11-25T1300_search_counts", "2026-11-25T1400_sources", "2026-11-25T1500_signups", "2026-11-25T1600_federation"]);
    const old = await new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(FIRST_RELEASE.map((n) => [n, migrations[n]])) } }).migrateToLatest();
    assert.is(old.error, undefined);
    for (const q of FIRST_RELEASE_DATA) await q.execute(db);
    const before = await dump(db);
    assert.equal(Object.entries(before).filter(([, rows]) => rows.length === 0).map(([t]) => t), [], "data in every table of the first release");

    const applied = await migrateToLatest(db);
    assert.equal(applied, Object.keys(migrations).filter((n) => !FIRST_RELEASE.includes(n)).sort());
    const after = await dump(db);
    // Every row of the first release is still there, with every column it had and the same value.
    for (const [table, rows] of Object.entries(before)) {
      const kept = after[table].map((r) => JSON.stringify(Object.fromEntries(Object.keys(rows[0]).map((k) => [k, r[k]]))));
      assert.equal(kept.sort(), rows.map((r) => JSON.stringify(r)).sort(), table);
    }
    // What was public stays public; later columns got their meaning for old rows.
    const p = (await sql<{ listed: number; listed_at: string; reviewed_at: string | null; deleted_at: string | null }>`select listed, listed_at, reviewed_at, deleted_at from providers`.execute(db)).rows[0];
    assert.equal(p, { listed: 1, listed_at: T, reviewed_at: null, deleted_at: null });
    assert.equal((await sql`select listed, hidden_at from offers`.execute(db)).rows, [{ listed: 1, hidden_at: null }]);
    assert.equal(await migrateToLatest(db), [], "a second run applies nothing");

    // The app runs on it: the catalog is searchable, the provider's page and its signup are there, the invariants hold.
    await ensureIndexCurrent(db);
    const config = parseConfig({ DATABASE_URL: `file:${join(dir, "old.db")}`, SEED: "none", LISTING_POLICY: "reviewed" });
    const deps: Deps = { db, config, clock: testClock(), http: createSafeFetch({ fetch: globalThis.fetch, allowPrivate: false }), log: silentLogger, search: catalogSearch(db, config) };
    const app = createApp(deps);
    const found = await json(await app.request("/api/v1/offers?q=ecoles"));
    assert.equal(found.items.map((o: any) => [o.id, o.provider.chatonsMember, o.provider.verified]), [["chatons-du-lot~nuage", true, true]]);
    assert.is((await app.request("/providers/chatons-du-lot", { headers: { accept: "text/html" } })).status, 200);
    assert.equal(await consistencyProblems(db), []);
  } finally {
    await db.destroy();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every landed migration is frozen: its checksum is recorded and unchanged; names are timestamped and listed once", () => {
  const dir = resolve(ROOT, "src/db/migrations");
  const recorded = JSON.parse(readFileSync(resolve(ROOT, "test/fixtures/migration-checksums.json"), "utf8")) as Record<string, string>;
  const files = readdirSync(dir).filter((f) => f !== "index.ts").map((f) => f.replace(/\.ts$/, "")).sort();
  assert.equal(Object.keys(migrations).sort(), files, "every file is listed in index.ts, and nothing else");
  const changed: string[] = [];
  const unrecorded: string[] = [];
  for (const name of files) {
    const sum = createHash("sha256").update(readFileSync(join(dir, `${name}.ts`))).digest("hex");
    if (!(name in recorded)) unrecorded.push(`${name} ${sum}`);
    else if (recorded[name] !== sum) changed.push(name);
  }
  assert.equal(changed, [], "a landed migration changed: revert it and add a new migration instead");
  assert.equal(unrecorded, [], "a new migration: add its name and checksum to test/fixtures/migration-checksums.json when it lands");
  assert.equal(Object.keys(recorded).filter((n) => !files.includes(n)), [], "a landed migration was removed");
  assert.ok(files.every((n) => /^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/.test(n)), "timestamped names");
});

test.run();
