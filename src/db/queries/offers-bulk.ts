/**
 * Bulk creation of NEW offers (benchmarks, large imports): the same rows, tags, FTS rows, change events and catalog
 * version as calling upsertOfferRow once per offer, written with multi-row INSERTs. Runs inside the caller's transaction.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewOfferRow } from "../database.ts";
import type { OfferIndex } from "./offers.ts";

const CHUNK = 400;

/** `index: null` for an unlisted offer (row.listed 0): stored without tags, FTS row or change event, as upsertOfferRow does. */
export async function bulkInsertOfferRows(trx: Db, items: Array<{ row: NewOfferRow; index: OfferIndex | null }>): Promise<number> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const created = await trx.insertInto("offers").values(chunk.map((x) => x.row)).returning(["seq", "id"]).execute();
    const seqOf = new Map(created.map((r) => [r.id, r.seq]));
    const tags: Array<{ offer_seq: number; field: string; value: string }> = [];
    const fts: ReturnType<typeof sql>[] = [];
    for (const { row, index } of chunk) {
      if (index === null) continue;
      const seq = seqOf.get(row.id)!;
      for (const [field, value] of index.tags) tags.push({ offer_seq: seq, field, value });
      const f = index.fts;
      fts.push(sql`(${seq}, ${f.title}, ${f.software}, ${f.provider}, ${f.description}, ${f.keywords})`);
    }
    for (let j = 0; j < tags.length; j += 3000) await trx.insertInto("offer_tags").values(tags.slice(j, j + 3000)).execute();
    if (fts.length) await sql`insert into offers_fts (rowid, title, software, provider, description, keywords) values ${sql.join(fts)}`.execute(trx);
    const changes = chunk.filter((x) => x.row.source !== "federated" && x.index !== null)
      .map((x) => ({ offer_id: x.row.id, provider_id: x.row.provider_id, kind: "created" as const, at: x.row.updated_at }));
    if (changes.length) await trx.insertInto("offer_changes").values(changes).execute();
  }
  if (items.length) {
    // upsertOfferRow bumps the version once per offer; keep the same count.
    await sql`insert into meta (key, value) values ('catalog_version', ${String(items.length)})
      on conflict(key) do update set value = cast(value as integer) + ${sql.lit(items.length)}`.execute(trx);
  }
  return items.length;
}
