/**
 * Offer rows: the single write path (row, filter tags, FTS row, change event and catalog version in one transaction)
 * and the reads. The domain computes rows and their index (domain/catalog/offers.ts); these functions store them.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewOfferRow, OfferRow } from "../database.ts";
import { REACHABLE } from "./destinations.ts";
import { bumpCatalogVersion } from "./meta.ts";

/** The text an offer is found by, per FTS column. */
export type FtsText = { title: string; software: string; provider: string; description: string; keywords: string };
/** What an offer is filtered, faceted and found by: its (field, value) tags and its FTS text. */
export type OfferIndex = { tags: Array<[field: string, value: string]>; fts: FtsText };

/** Replaces the tags and FTS row of the offer `seq`. */
export async function writeOfferIndex(trx: Db, seq: number, index: OfferIndex): Promise<void> {
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", seq).execute();
  const { tags, fts: f } = index;
  if (tags.length) await trx.insertInto("offer_tags").values(tags.map(([field, value]) => ({ offer_seq: seq, field, value }))).execute();
  await sql`delete from offers_fts where rowid = ${seq}`.execute(trx);
  await sql`insert into offers_fts (rowid, title, software, provider, description, keywords)
    values (${seq}, ${f.title}, ${f.software}, ${f.provider}, ${f.description}, ${f.keywords})`.execute(trx);
}

export type UpsertResult = { row: OfferRow; kind: "created" | "updated" | "unchanged" };

const CONTENT_COLUMNS = [
  "service", "software_name", "software_version", "software_license", "title_json", "description_json", "price_model", "price_amount",
  "price_currency", "price_period", "registration", "capacity", "quota_storage_gb", "quota_users", "data_location", "languages_json",
  "includes_json", "audience_json", "support_json", "signup_mode", "signup_url", "origin_json", "handover_url", "remote_accepts",
  // A push over a crawled offer takes it over (crawled → local): a visible change, so it is one.
  "source",
] as const;

/**
 * Creates or replaces an offer. Must run inside a transaction (`trx`): it writes the row, its tags, its FTS row,
 * a change event and bumps the catalog version. An identical re-publication only refreshes `confirmed_at`.
 */
export async function upsertOfferRow(trx: Db, row: NewOfferRow, index: OfferIndex): Promise<UpsertResult> {
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", row.id).executeTakeFirst();
  if (existing) {
    const changed = CONTENT_COLUMNS.some((c) => (existing[c] ?? null) !== (row[c] ?? null));
    if (!changed) {
      await trx.updateTable("offers").set({ confirmed_at: row.confirmed_at }).where("seq", "=", existing.seq).execute();
      return { row: { ...existing, confirmed_at: row.confirmed_at }, kind: "unchanged" };
    }
    const { created_at: _created, ...rest } = row;
    const updated = await trx.updateTable("offers").set(rest).where("seq", "=", existing.seq).returningAll().executeTakeFirstOrThrow();
    await writeOfferIndex(trx, updated.seq, index);
    await recordChange(trx, updated, "updated");
    return { row: updated, kind: "updated" };
  }
  const created = await trx.insertInto("offers").values(row).returningAll().executeTakeFirstOrThrow();
  await writeOfferIndex(trx, created.seq, index);
  await recordChange(trx, created, "created");
  return { row: created, kind: "created" };
}

async function recordChange(trx: Db, row: Pick<OfferRow, "id" | "provider_id" | "source" | "updated_at">, kind: "created" | "updated" | "deleted") {
  // Only this directory's own offers are published onward; federated ones are never re-published (no loops).
  if (row.source !== "federated") {
    await trx.insertInto("offer_changes").values({ offer_id: row.id, provider_id: row.provider_id, kind, at: row.updated_at }).execute();
  }
  await bumpCatalogVersion(trx);
}

/**
 * Marks a provider's own offers of the given signup modes as updated at `now` (their signup availability changed with
 * the provider's destinations): federation publishes them again so other directories learn whether they take
 * hand-overs. Returns how many were marked.
 */
export async function touchOffersOfProvider(trx: Db, providerId: number, modes: readonly string[], now: string): Promise<number> {
  const rows = await trx.updateTable("offers").set({ updated_at: now })
    .where("provider_id", "=", providerId).where("source", "!=", "federated").where("signup_mode", "in", [...modes])
    .returning(["id", "provider_id", "source", "updated_at"]).execute();
  for (const row of rows) await recordChange(trx, row, "updated");
  return rows.length;
}

/** Deletes an offer with its index rows and records the change. Returns false when it did not exist. */
export async function deleteOfferRow(trx: Db, id: string, now: string): Promise<boolean> {
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing) return false;
  await sql`delete from offers_fts where rowid = ${existing.seq}`.execute(trx);
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", existing.seq).execute();
  await trx.deleteFrom("offers").where("seq", "=", existing.seq).execute();
  await recordChange(trx, { ...existing, updated_at: now }, "deleted");
  return true;
}

/** Every offer row of a provider (to rebuild their index after a profile change). */
export async function offerRowsOfProvider(trx: Db, providerId: number): Promise<OfferRow[]> {
  return trx.selectFrom("offers").selectAll().where("provider_id", "=", providerId).execute();
}

export type OfferWithProvider = OfferRow & {
  p_slug: string; p_name: string; p_country: string; p_org_type: string; p_chatons_member: number; p_verified: number;
  /** 1 when the provider has an enabled destination for the offer's signup mode (destinations.ts). */
  reachable: number;
};

/** Loads offers with the provider fields the wire format embeds, in the order of `seqs`. */
export async function loadOffersBySeq(db: Db, seqs: number[]): Promise<OfferWithProvider[]> {
  if (seqs.length === 0) return [];
  const rows = await db.selectFrom("offers as o").innerJoin("providers as p", "p.id", "o.provider_id")
    .selectAll("o")
    .select(["p.slug as p_slug", "p.name as p_name", "p.country as p_country", "p.org_type as p_org_type", "p.chatons_member as p_chatons_member", "p.verified as p_verified"])
    .select(REACHABLE.as("reachable"))
    .where("o.seq", "in", seqs)
    .execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return seqs.map((s) => bySeq.get(s)).filter((r): r is OfferWithProvider => r !== undefined);
}

export async function findOfferById(db: Db, id: string): Promise<OfferWithProvider | undefined> {
  const row = await db.selectFrom("offers").select("seq").where("id", "=", id).executeTakeFirst();
  return row ? (await loadOffersBySeq(db, [row.seq]))[0] : undefined;
}

export async function findOffersByProvider(db: Db, providerId: number): Promise<OfferWithProvider[]> {
  const rows = await db.selectFrom("offers").select("seq").where("provider_id", "=", providerId).orderBy("sort_name").orderBy("seq").execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq));
}

/** Offers by their public ids, in no particular order (callers reorder). */
export async function findOffersByIds(db: Db, ids: string[]): Promise<OfferWithProvider[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("offers").select("seq").where("id", "in", ids).execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq));
}
