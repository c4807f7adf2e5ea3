/** The bulk loader must leave the database exactly as saveOffer would, offer by offer. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sql } from "kysely";
import { createProvider, saveNewOffers, saveOffer, toOfferRow } from "../../src/domain/catalog/offers.ts";
import type { Db } from "../../src/db/client.ts";
import { seedData, testEnv, type TestEnv } from "../helpers/deps.ts";
import { FacetIndex, sharedConnectionSource } from "../../src/domain/catalog/facet-index.ts";
import { getCatalogVersion } from "../../src/db/queries/meta.ts";
import { searchRows } from "../../src/db/queries/search.ts";

async function fill(env: TestEnv, bulk: boolean) {
  const { providers, offers } = seedData();
  const now = "2026-11-25T12:00:00.000Z";
  await env.deps.db.transaction().execute(async (trx) => {
    const bySlug = new Map();
    for (const p of providers) {
      bySlug.set(p.slug, await createProvider(trx, { slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, org_type: p.orgType,
        description_json: JSON.stringify(p.description), chatons_member: p.chatonsMember ? 1 : 0, created_at: now, updated_at: now }, now));
    }
    const items = offers.map(({ provider, slug, ...input }) => ({ provider: bySlug.get(provider), row: toOfferRow(bySlug.get(provider), slug, input, now) }));
    if (bulk) await saveNewOffers(trx, items);
    else for (const it of items) await saveOffer(trx, it.provider, it.row);
  });
}

async function dump(db: Db) {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    offers: await q("select * from offers order by seq"),
    tags: await q("select * from offer_tags order by offer_seq, field, value"),
    counts: await q("select * from offer_tag_counts order by field, value"),
    fts: await q("select rowid, title, software, provider, description, keywords from offers_fts order by rowid"),
    changes: await q("select offer_id, provider_id, kind, at from offer_changes order by id"),
    version: await q("select value from meta where key = 'catalog_version'"),
    // The bulk path sets the per-row count trigger aside while it loads: it must be back exactly as defined.
    schema: await q("select type, name, sql from sqlite_master order by type, name"),
  };
}

test("saveNewOffers writes the same rows, tags, counts, FTS rows, change events and catalog version as saveOffer", async () => {
  const a = await testEnv();
  const b = await testEnv();
  try {
    await fill(a, false);
    await fill(b, true);
    const [da, db] = [await dump(a.deps.db), await dump(b.deps.db)];
    assert.is(da.offers.length, 139);
    assert.ok(da.tags.length > 139 * 10);
    for (const k of Object.keys(da) as Array<keyof typeof da>) assert.equal(db[k], da[k], k);
    // The counts table agrees with a recount of the tags.
    const recount = (await sql<{ field: string; value: string; n: number }>`select field, value, count(*) as n from offer_tags group by field, value order by field, value`.execute(b.deps.db)).rows;
    assert.equal(db.counts, recount);
  } finally {
    await a.close();
    await b.close();
  }
});

test("tag counts stay exact through updates, deletes and provider changes", async () => {
  const env = await testEnv({ seed: true });
  try {
    const { db } = env.deps;
    await db.transaction().execute(async (trx) => {
      await sql`delete from offers_fts where rowid in (select seq from offers where provider_id = 1)`.execute(trx);
      await sql`delete from offers where provider_id = 1`.execute(trx); // tags go by ON DELETE CASCADE; triggers still fire
    });
    const counts = (await sql`select field, value, n from offer_tag_counts order by field, value`.execute(db)).rows;
    const recount = (await sql`select field, value, count(*) as n from offer_tags group by field, value order by field, value`.execute(db)).rows;
    assert.equal(counts, recount);
  } finally {
    await env.close();
  }
});

test("the in-memory facet index, read in small chunks, counts exactly what SQL counts", async () => {
  const env = await testEnv({ seed: true });
  try {
    const index = (await FacetIndex.load(sharedConnectionSource(env.deps.db), 7))!; // many small seq ranges
    const version = await getCatalogVersion(env.deps.db);
    assert.is(index.version, version);
    const fields = ["service", "country", "price", "available", "lang"];
    for (const filters of [{}, { service: ["storage"] }, { service: ["pad", "chat"], country: ["FR"] }, { price: ["free"], available: ["true"], lang: ["en"] }]) {
      const mem = index.rank(undefined, filters, fields, { kind: "price" }, "asc", 1);
      const sqlRows = await searchRows(env.deps.db, { weights: [1, 1, 1, 1, 1], filters, sort: { kind: "price" }, dir: "asc", limit: 1, facetFields: fields });
      assert.is(mem.total, sqlRows.total);
      assert.equal(mem.facets, sqlRows.facets);
    }
  } finally {
    await env.close();
  }
});

test.run();
