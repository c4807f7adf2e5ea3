/** Loading several offers by their public ids (comparison). */
import type { Db } from "../client.ts";
import { loadOffersBySeq, type OfferWithProvider } from "./offers.ts";

export type { OfferWithProvider };

export async function findOffersByIds(db: Db, ids: string[]): Promise<OfferWithProvider[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("offers").select("seq").where("id", "in", ids).execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq));
}
