/**
 * The in-memory search index (docs/decisions/0025, 0026): it catches up with every kind of write by re-reading the
 * changed offers (no full reload) and then answers exactly like a fresh load and like SQL; a full load yields between
 * chunks and SQL answers meanwhile; search worker threads answer exactly like the engine in this thread.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sql } from "kysely";
import { createCatalogSearch, type CatalogSearch } from "../../src/domain/catalog/search.ts";
import { createSearchEngine } from "../../src/domain/catalog/search-engine.ts";
import { FacetIndex, sharedConnectionSource, type IndexSource } from "../../src/domain/catalog/facet-index.ts";
import { deleteOffer, updateProvider } from "../../src/domain/catalog/offers.ts";
import { hideOffer, hideProvider, unhideOffer, unhideProvider } from "../../src/domain/moderation/actions.ts";
import { markCrawledStale } from "../../src/db/queries/sources.ts";
import { startSearchWorkers } from "../../src/runtime/search-workers.ts";
import { json, putOffer, registerProvider, sampleOffer, silentLogger, testEnv, type TestEnv } from "../helpers/deps.ts";

let env: TestEnv;
test.before(async () => { env = await testEnv({ seed: true }); });
test.after(async () => { await env.close(); });

const QUERIES: Array<Record<string, unknown>> = [];
for (const sort of ["relevance", "price", "updated", "name", "fair"]) {
  QUERIES.push({ sort }, { q: "nextcloud", sort }, { q: "pad", sort, available: true }, { sort, service: ["storage", "pad"] }, { sort, price: ["free"], lang: ["en"] }, { sort, country: ["BE", "FR"], available: true });
}

/** Items, keys (via cursors), totals and facets of every query, page 1 and 2. */
async function answers(search: CatalogSearch): Promise<unknown[]> {
  const now = env.deps.clock.now();
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const a = await search.search({ ...q, limit: 5 } as never, now);
    assert.ok(a.ok);
    if (!a.ok) continue;
    const page2 = a.value.nextCursor ? await search.search({ ...q, limit: 5, cursor: a.value.nextCursor } as never, now) : undefined;
    out.push({ q, ids: a.value.items.map((o) => o.id), total: a.value.total, facets: a.value.facets, next: a.value.nextCursor, page2: page2?.ok ? page2.value.items.map((o) => o.id) : null });
  }
  return out;
}

test("after each kind of write the index catches up without reloading and answers like a fresh load and like SQL", async () => {
  const db = env.deps.db;
  const kept = createCatalogSearch(db, { cacheBytes: 0 });
  await answers(kept);
  const start = await kept.status();
  assert.is(start.loads, 1, "first load (small catalogs wait for it)");
  assert.is(start.indexVersion, await kept.version());

  const { slug, token } = await registerProvider(env.app, "catchup");
  const moderator = { name: "test", via: "cli" as const };
  const writes: Array<[string, () => Promise<unknown>]> = [
    ["create", () => putOffer(env.app, slug, token, "off-a", sampleOffer({ title: { fr: "Nextcloud rattrapage", en: "Nextcloud catch-up" } }))],
    ["update", () => putOffer(env.app, slug, token, "off-a", sampleOffer({ title: { fr: "Pad rattrapage" }, service: "pad", price: { model: "fixed", amount: 300, currency: "EUR", period: "month" } }))],
    ["capacity full", () => putOffer(env.app, slug, token, "off-a", sampleOffer({ capacity: "full", service: "pad" }))],
    ["second offer", () => putOffer(env.app, slug, token, "off-b", sampleOffer({ languages: ["en"] }))],
    ["provider reindex", async () => {
      const p = await db.selectFrom("providers").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
      await db.transaction().execute((trx) => updateProvider(trx, p.id, { country: "BE", updated_at: "2026-11-25T13:00:00.000Z" }));
    }],
    ["stale mark then version bump", async () => {
      await sql`update offers set source = 'crawled' where id = ${`${slug}~off-b`}`.execute(db);
      const p = await db.selectFrom("providers").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
      assert.is(await markCrawledStale(db, p.id, "2026-11-25T14:00:00.000Z"), 1);
      await putOffer(env.app, slug, token, "off-c", sampleOffer());
    }],
    ["confirmed long ago", async () => {
      await sql`update offers set confirmed_at = '2026-01-01T00:00:00.000Z' where id = ${`${slug}~off-c`}`.execute(db);
      await putOffer(env.app, slug, token, "off-d", sampleOffer({ service: "chat" }));
    }],
    ["delete", () => db.transaction().execute((trx) => deleteOffer(trx, `${slug}~off-a`, "2026-11-25T15:00:00.000Z"))],
    // Moderation (listing.ts): an offer leaving the public catalog and coming back, alone and with its provider.
    ["hide offer", () => hideOffer(db, `${slug}~off-d`, moderator, "spam", Date.parse("2026-11-25T16:00:00.000Z"))],
    ["unhide offer", () => unhideOffer(db, `${slug}~off-d`, moderator, undefined, Date.parse("2026-11-25T16:01:00.000Z"))],
    ["hide provider", () => hideProvider(db, slug, moderator, "spam", Date.parse("2026-11-25T16:02:00.000Z"))],
    ["unhide provider", () => unhideProvider(db, slug, moderator, undefined, Date.parse("2026-11-25T16:03:00.000Z"))],
  ];
  let catchUps = start.catchUps;
  for (const [what, write] of writes) {
    const r = await write();
    if (r instanceof Response) assert.ok(r.status < 300, `${what}: ${r.status} ${await r.text()}`);
    else if (r && typeof r === "object" && "ok" in r) assert.ok(r.ok, `${what}: ${JSON.stringify(r)}`);
    const caughtUp = await answers(kept);
    const status = await kept.status();
    assert.is(status.loads, 1, `${what}: no full reload`);
    assert.ok(status.catchUps > catchUps, `${what}: caught up`);
    catchUps = status.catchUps;
    assert.is(status.indexVersion, await kept.version(), what);
    assert.equal(caughtUp, await answers(createCatalogSearch(db, { cacheBytes: 0 })), `${what}: like a fresh load`);
    assert.equal(caughtUp, await answers(createCatalogSearch(db, { cacheBytes: 0, facetIndex: false })), `${what}: like SQL`);
  }
});

test("a full load reads in chunks and yields between them; SQL answers until the index is current", async () => {
  const db = env.deps.db;
  const shared = sharedConnectionSource(db);
  let pauses = 0;
  const counting: IndexSource = { ...shared, pause: () => { pauses++; return shared.pause(); } };
  const index = await FacetIndex.load(counting, 3);
  const maxSeq = Number((await db.selectFrom("offers").select((eb) => eb.fn.max("seq").as("m")).executeTakeFirstOrThrow()).m);
  const fields = (await db.selectFrom("offer_tag_counts").select("field").distinct().execute()).length;
  assert.ok(index);
  assert.is(pauses, Math.ceil(maxSeq / 3) + fields);

  // A load held back: the engine does not wait for it (as for a large catalog) and answers with SQL meanwhile.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const slow: IndexSource = { ...shared, snapshot: async (fn) => { await held; return shared.snapshot(fn); } };
  const engine = createSearchEngine(db, { indexSource: slow, inlineFirstLoadBelow: 0 });
  const search = createCatalogSearch(db, { cacheBytes: 0, engine });
  const sqlOnly = createCatalogSearch(db, { cacheBytes: 0, facetIndex: false });
  const before = await answers(search);
  assert.equal((await search.status()).indexVersion, undefined, "not loaded yet");
  assert.equal(before, await answers(sqlOnly));
  release();
  await engine.close(); // waits for the load
  assert.is((await search.status()).indexVersion, await search.version());
  assert.equal(await answers(search), before);
});

test("search worker threads answer exactly like the engine in this thread, and follow writes", async () => {
  const db = env.deps.db;
  const pool = startSearchWorkers(db, { count: 2, data: { url: env.deps.config.databaseUrl, facetIndex: true }, log: silentLogger });
  try {
    const workers = createCatalogSearch(db, { cacheBytes: 0, engine: pool });
    const local = createCatalogSearch(db, { cacheBytes: 0 });
    assert.equal(await answers(workers), await answers(local));
    assert.is((await workers.status()).indexVersion, await workers.version());
    // "Did you mean" is computed by the workers too (they read the catalog's vocabulary).
    const typo = await workers.search({ q: "nexcloud stokage" } as never, env.deps.clock.now());
    const typoLocal = await local.search({ q: "nexcloud stokage" } as never, env.deps.clock.now());
    assert.ok(typo.ok && typoLocal.ok);
    if (typo.ok && typoLocal.ok) {
      assert.is(typo.value.suggestion, "nextcloud stockage");
      assert.is(typo.value.suggestion, typoLocal.value.suggestion);
    }
    const { slug, token } = await registerProvider(env.app, "workers");
    assert.is((await putOffer(env.app, slug, token, "off-x", sampleOffer({ title: { fr: "Nextcloud des fils" } }))).status, 201);
    const after = await answers(workers);
    assert.equal(after, await answers(local));
    assert.ok(JSON.stringify(after).includes(`${slug}~off-x`), "the new offer is found");
    // The API answers through the same service when it is the app's.
    const res = await env.app.request("/api/v1/offers?q=fils");
    assert.ok((await json(res)).items.some((o: { id: string }) => o.id === `${slug}~off-x`));
  } finally {
    await pool.close();
  }
});

test.run();
