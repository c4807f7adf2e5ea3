/**
 * Reads for the in-memory search index (domain/catalog/facet-index.ts): the whole catalog in a few large statements
 * (one string or JSON document per statement instead of a row object per tag), and the offers changed since a catalog
 * version (table `offer_index_changes`, kept by triggers) to catch up after a write. See docs/decisions/0025.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";

/** The catalog version and the highest offer seq, read in one statement (one snapshot). */
export async function indexHead(db: Db): Promise<{ version: string; maxSeq: number }> {
  const r = await sql<{ v: string | null; m: number | null }>`select
    (select value from meta where key = 'catalog_version') as v, (select max(seq) from offers) as m`.execute(db);
  return { version: r.rows[0]?.v ?? "0", maxSeq: Number(r.rows[0]?.m ?? 0) };
}

/** Sort inputs of one offer, as the index reads them. */
export type SortRow = [seq: number, capacity: string, registration: string, confirmedAt: string, staleSince: string | null, sortName: string, updatedAt: string, priceKey: number];

/** Sort inputs of the public offers with seq in (fromSeq, toSeq], as one JSON document (unordered). Unlisted offers
 * (moderation, listing.ts) are not in the index at all, as they have no tags and no FTS row. */
export async function readSortRows(db: Db, fromSeq: number, toSeq: number): Promise<SortRow[]> {
  const r = await sql<{ j: string | null }>`select json_group_array(json_array(seq, capacity, registration, confirmed_at, stale_since, sort_name,
      updated_at, coalesce(price_monthly, 1000000000))) as j from offers where seq > ${fromSeq} and seq <= ${toSeq} and listed = 1`.execute(db);
  return JSON.parse(r.rows[0]?.j ?? "[]") as SortRow[];
}

/** Tag fields in use (the index reads the tags one field at a time). */
export async function tagFields(db: Db): Promise<string[]> {
  const r = await db.selectFrom("offer_tag_counts").select("field").distinct().orderBy("field").execute();
  return r.map((x) => x.field);
}

/** Every value of `field` with the seqs of the offers carrying it, comma-separated (read in primary-key order). */
export async function readTagPostings(db: Db, field: string): Promise<Array<{ value: string; seqs: string }>> {
  const r = await sql<{ value: string; seqs: string }>`select value, group_concat(offer_seq, ',') as seqs from offer_tags
    where field = ${field} group by value`.execute(db);
  return r.rows;
}

/** Seqs of offers whose indexed data changed at catalog version `version` or later (deleted ones included). */
export async function changedSeqsSince(db: Db, version: number): Promise<number[]> {
  const r = await sql<{ s: string | null }>`select group_concat(seq, ',') as s from offer_index_changes where at >= ${version}`.execute(db);
  const s = r.rows[0]?.s;
  return s ? s.split(",").map(Number) : [];
}

/** How many offers have a seq above `seq` (offers created since the index last read the catalog). */
export async function countOffersAbove(db: Db, seq: number): Promise<number> {
  const r = await db.selectFrom("offers").select((eb) => eb.fn.countAll<number>().as("n")).where("seq", ">", seq).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Sort inputs and tags of the given offers plus every offer above `aboveSeq` (the catch-up after a write), public ones only. */
export async function readOffersForIndex(db: Db, seqs: number[], aboveSeq: number): Promise<{ rows: SortRow[]; tags: Array<[seq: number, field: string, value: string]> }> {
  const list = sql.join(seqs.length ? seqs : [-1]);
  const rows = await sql<{ j: string | null }>`select json_group_array(json_array(seq, capacity, registration, confirmed_at, stale_since, sort_name,
      updated_at, coalesce(price_monthly, 1000000000))) as j from offers where (seq in (${list}) or seq > ${aboveSeq}) and listed = 1`.execute(db);
  const tags = await sql<{ j: string | null }>`select json_group_array(json_array(offer_seq, field, value)) as j from offer_tags
    where offer_seq in (${list}) or offer_seq > ${aboveSeq}`.execute(db);
  return { rows: JSON.parse(rows.rows[0]?.j ?? "[]") as SortRow[], tags: JSON.parse(tags.rows[0]?.j ?? "[]") as Array<[number, string, string]> };
}
