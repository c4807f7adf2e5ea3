/**
 * The search benchmark's catalog (deterministic: bench/_search-data.ts), written straight into a fresh database with
 * the bulk write path: `providers` providers (listed, as a reviewed catalog would be) and `offers` offers with their
 * tags, FTS rows and counts. Used by `bench -- search`, `bench -- backup` and `bench -- soak`.
 */
import { sql } from "kysely";
import { migrateToLatest } from "../src/db/migrator.ts";
import { ensureIndexCurrent, saveNewOffers, toOfferRow } from "../src/domain/catalog/offers.ts";
import { openDatabase } from "../src/runtime/shared.ts";
import { generateOffer, generateProviders, prng } from "./_search-data.ts";

/** Builds the catalog in the database at `url`; returns how long it took (ms). */
export async function buildSearchCatalog(url: string, n: { offers: number; providers: number }): Promise<number> {
  const t0 = performance.now();
  const { db, client } = await openDatabase(url);
  await migrateToLatest(db);
  await ensureIndexCurrent(db); // an empty catalog: marks its index as built by the current rules
  const now = new Date("2026-11-25T12:00:00Z").toISOString();
  const providers = generateProviders(n.providers);
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < providers.length; i += 500) {
      await trx.insertInto("providers").values(providers.slice(i, i + 500).map((p) => ({
        slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, org_type: p.orgType,
        description_json: JSON.stringify(p.description), chatons_member: p.chatonsMember ? 1 : 0, verified: p.chatonsMember ? 1 : 0, created_at: now, updated_at: now,
        listed: 1, listed_at: now, reviewed_at: now,
      }))).execute();
    }
    const rows = await trx.selectFrom("providers").selectAll().orderBy("id").execute();
    const r = prng(42);
    const items = Array.from({ length: n.offers }, (_, i) => {
      const provider = rows[i % rows.length];
      const { slug, ...input } = generateOffer(r, i);
      // A tenth of the catalog was last confirmed two months ago: stale.
      const at = i % 10 === 9 ? "2026-09-20T12:00:00.000Z" : now;
      return { provider, row: toOfferRow(provider, slug, input, at) };
    });
    await saveNewOffers(trx, items);
  });
  const count = await sql<{ n: number }>`select count(*) as n from offers_fts`.execute(db);
  if (Number(count.rows[0].n) !== n.offers) throw new Error("FTS row count mismatch");
  await db.destroy();
  client.close();
  return performance.now() - t0;
}
