/**
 * Bulk creation of NEW offers (benchmarks, large imports): the same rows, tags, FTS rows, change events and catalog
 * version as calling upsertOfferRow once per offer. Each table is written by one statement per chunk that reads its
 * rows from a single JSON parameter (`json_each`): SQLite parses and inserts at its own speed, with no per-row binding
 * or query building. The tag counts, kept by a per-row trigger elsewhere, are added once per field and value at the
 * end (see `withoutCountTrigger`). Runs inside the caller's transaction.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewOfferRow } from "../database.ts";
import type { OfferIndex } from "./offers.ts";

const CHUNK = 2_000;

/** `insert into <table> (<cols>) select value->>0, value->>1, … from json_each(<rows as JSON arrays>)`. */
function fromJson(table: string, cols: readonly string[], rows: unknown[][], returning = "") {
  // Table and column names are this module's constants; the rows travel as one bound parameter.
  const select = cols.map((_, i) => `value ->> ${i}`).join(", ");
  return sql`${sql.raw(`insert into ${table} (${cols.join(", ")}) select ${select} from json_each(`)}${JSON.stringify(rows)}${sql.raw(`)${returning ? ` returning ${returning}` : ""}`)}`;
}

/**
 * Runs `fn` with the per-row tag-count trigger set aside, then adds the counts of the tags `fn` inserted (offers
 * above `aboveSeq`) in one grouped statement, and puts the trigger back exactly as it was defined — all inside the
 * caller's write transaction, so no other writer ever sees the catalog without it.
 */
async function withoutCountTrigger<T>(trx: Db, aboveSeq: number, fn: () => Promise<T>): Promise<T> {
  const r = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'offer_tags_count_ins'`.execute(trx);
  const definition = r.rows[0]?.sql;
  if (!definition) return fn();
  await sql`drop trigger offer_tags_count_ins`.execute(trx);
  const result = await fn();
  await sql`insert into offer_tag_counts (field, value, n)
    select field, value, count(*) from offer_tags where offer_seq > ${aboveSeq} group by field, value
    on conflict(field, value) do update set n = n + excluded.n`.execute(trx);
  await sql.raw(definition).execute(trx);
  return result;
}

/** `index: null` for an unlisted offer (row.listed 0): stored without tags, FTS row or change event, as upsertOfferRow does. */
export async function bulkInsertOfferRows(trx: Db, items: Array<{ row: NewOfferRow; index: OfferIndex | null }>): Promise<number> {
  if (items.length === 0) return 0;
  const top = await sql<{ m: number | null }>`select max(seq) as m from offers`.execute(trx);
  await withoutCountTrigger(trx, Number(top.rows[0]?.m ?? 0), async () => {
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      // Rows with the same set of columns go in one statement (toOfferRow always sets the same ones).
      const byShape = new Map<string, typeof chunk>();
      for (const x of chunk) {
        const shape = Object.keys(x.row).join(",");
        const list = byShape.get(shape);
        if (list) list.push(x); else byShape.set(shape, [x]);
      }
      const seqOf = new Map<string, number>();
      for (const [shape, list] of byShape) {
        const cols = shape.split(",") as Array<keyof NewOfferRow>;
        const created = await fromJson("offers", cols, list.map((x) => cols.map((c) => x.row[c] ?? null)), "seq, id").execute(trx);
        for (const r of created.rows as Array<{ seq: number; id: string }>) seqOf.set(r.id, Number(r.seq));
      }
      const tags: unknown[][] = [];
      const fts: unknown[][] = [];
      const changes: unknown[][] = [];
      for (const { row, index } of chunk) {
        if (index === null) continue;
        const seq = seqOf.get(row.id)!;
        for (const [field, value] of index.tags) tags.push([seq, field, value]);
        const f = index.fts;
        fts.push([seq, f.title, f.software, f.provider, f.description, f.keywords]);
        // Only this directory's own offers are published onward (as recordChange in offers.ts).
        if (row.source !== "federated") changes.push([row.id, row.provider_id, "created", row.updated_at]);
      }
      for (let j = 0; j < tags.length; j += 30_000) await fromJson("offer_tags", ["offer_seq", "field", "value"], tags.slice(j, j + 30_000)).execute(trx);
      if (fts.length) await fromJson("offers_fts", ["rowid", "title", "software", "provider", "description", "keywords"], fts).execute(trx);
      if (changes.length) await fromJson("offer_changes", ["offer_id", "provider_id", "kind", "at"], changes).execute(trx);
    }
  });
  // upsertOfferRow bumps the version once per offer; keep the same count.
  await sql`insert into meta (key, value) values ('catalog_version', ${String(items.length)})
    on conflict(key) do update set value = cast(value as integer) + ${sql.lit(items.length)}`.execute(trx);
  return items.length;
}
