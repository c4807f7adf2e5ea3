/** What our StatoolInfos export reads: local providers that publish offers through the API, and those offers. */
import type { Db } from "../client.ts";
import type { ProviderRow } from "../database.ts";
import { loadOffersBySeq, type OfferWithProvider } from "./offers.ts";

/** Local providers with at least one offer pushed through the API (`source = 'local'`), by slug. */
export async function providersPublishingLocally(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers as p").selectAll("p").where("p.source", "!=", "federated").where("p.demo", "=", 0).where("p.listed", "=", 1)
    .where((eb) => eb.exists(eb.selectFrom("offers as o").select("o.seq").whereRef("o.provider_id", "=", "p.id").where("o.source", "=", "local").where("o.listed", "=", 1)))
    .orderBy("p.slug").execute();
}

/** A provider's listed offers pushed through the API, by slug. */
export async function localOffersOf(db: Db, providerId: number): Promise<OfferWithProvider[]> {
  const rows = await db.selectFrom("offers").select("seq").where("provider_id", "=", providerId).where("source", "=", "local").orderBy("slug").execute();
  return (await loadOffersBySeq(db, rows.map((r) => r.seq))).sort((a, b) => a.slug.localeCompare(b.slug));
}
