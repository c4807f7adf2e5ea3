/**
 * Catalog search over FTS5 + offer_tags in ONE statement: the page, the total and every facet come from a single
 * candidate set. Filters are OR within a field and AND across fields; a field's facet counts the offers that pass
 * every OTHER filter. Each candidate carries a bit mask of the filters it fails: the page and total take mask 0, the
 * facet of field i takes masks 0 and 1<<i, so one pass over the candidates' tags counts all facets.
 */
import { sql, type RawBuilder } from "kysely";
import { FAIR_MODULUS, FAIR_MULTIPLIER, FAIR_TIER } from "../../lib/fair-order.ts";
import { iso } from "../../lib/time.ts";
import type { Db } from "../client.ts";

export type TagFilters = Partial<Record<string, string[]>>;

/**
 * A sort, as the domain defines it (catalog/search.ts): the in-memory index (catalog/facet-index.ts) computes the same
 * keys, so cursors work across both paths. `staleBefore` is epoch ms: offers confirmed earlier, or marked stale, rank
 * lower (relevance × staleFactor; the fair order's second tier).
 */
export type RankSort =
  | { kind: "relevance"; staleBefore: number; staleFactor: number }
  | { kind: "price" | "updated" | "name" }
  | { kind: "fair"; staleBefore: number; dayMask: number };

/** Stale as domain/catalog/freshness.ts defines it: confirmed before the cut-off, or marked stale. */
const stale = (beforeMs: number) => sql`(o.confirmed_at < ${iso(beforeMs)} or o.stale_since is not null)`;

/** The SQL sort key over `o` (offers) and `c.score` (bm25, only with a match) for `sort`. */
function sortKey(sort: RankSort): RawBuilder<unknown> {
  switch (sort.kind) {
    case "relevance":
      return sql`c.score * (case when ${stale(sort.staleBefore)} then ${sql.lit(sort.staleFactor)} else 1.0 end)`;
    case "price":
      return sql`coalesce(o.price_monthly, 1000000000)`;
    case "updated":
      return sql`o.updated_at`;
    case "name":
      return sql`o.sort_name`;
    case "fair": {
      // Tier (0 open, 1 stale, 2 full or closed) then the day's shuffle (lib/fair-order.ts); `a ^ b` = `(a | b) - (a & b)`.
      const h = sql`((o.seq * ${sql.lit(FAIR_MULTIPLIER)}) % ${sql.lit(FAIR_MODULUS)})`;
      const m = sql.lit(sort.dayMask);
      return sql`(case when o.capacity = 'full' or o.registration = 'closed' then 2 when ${stale(sort.staleBefore)} then 1 else 0 end) * ${sql.lit(FAIR_TIER)}
          + ((${h} | ${m}) - (${h} & ${m}))`;
    }
  }
}

export type SearchParams = {
  match?: string;
  /** bm25 column weights: title, software, provider, description, keywords. */
  weights: readonly [number, number, number, number, number];
  filters: TagFilters;
  sort: RankSort;
  dir: "asc" | "desc";
  /** How many rows of the ordered result to return (callers ask one more than a page to know if more follow). */
  limit: number;
  after?: { key: unknown; seq: number };
  facetFields: readonly string[];
  /** False when the caller counts facets itself (in-memory index): only the page and the total are computed. */
  withFacets?: boolean;
};

export type Facets = Record<string, Array<{ value: string; count: number }>>;
export type SearchRows = { seqs: number[]; keys: unknown[]; total: number; facets: Facets };

type Part = { part: number; seq: number | null; k: unknown; field: string | null; value: string | null };

export async function searchRows(db: Db, p: SearchParams): Promise<SearchRows> {
  const active = Object.entries(p.filters).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0);
  const bit = (i: number) => 2 ** i;
  const all = bit(active.length) - 1;
  const [w1, w2, w3, w4, w5] = p.weights.map((w) => sql.lit(w));

  let cte: RawBuilder<unknown> | undefined;
  /** Facet fields counted from the triggers-maintained global counts (no other filter applies to them). */
  const global: string[] = [];
  if (p.match !== undefined) {
    const fails = active.length
      ? sql.join(active.map(([f, vs], i) => sql`(case when exists (select 1 from offer_tags t where t.field = ${f} and t.value in (${sql.join(vs)}) and t.offer_seq = f.rowid) then 0 else ${sql.lit(bit(i))} end)`), sql` + `)
      : sql`0`;
    cte = sql`with c as materialized (select f.rowid as seq, bm25(offers_fts, ${w1}, ${w2}, ${w3}, ${w4}, ${w5}) as score, ${fails} as fails
      from offers_fts f where offers_fts match ${p.match})`;
  } else if (active.length) {
    // Only offers failing at most one filter matter, and each has a tag row of at least one active filter: one grouped
    // pass over those rows gives every candidate's mask. With one filter, its own facet is the global count.
    if (active.length === 1) global.push(active[0][0]);
    const tagConds = active.map(([f, vs]) => sql`(field = ${f} and value in (${sql.join(vs)}))`);
    const bitOf = sql`case ${sql.join(active.map(([f], i) => sql`when field = ${f} then ${sql.lit(bit(i))}`), sql` `)} end`;
    cte = sql`with c as materialized (select offer_seq as seq, 0 as score, ${sql.lit(all)} - sum(distinct ${bitOf}) as fails
      from offer_tags where ${sql.join(tagConds, sql` or `)} group by offer_seq
      having count(distinct field) >= ${sql.lit(Math.max(1, active.length - 1))})`;
  } else {
    global.push(...p.facetFields);
  }

  const cmp = p.dir === "asc" ? sql`>` : sql`<`;
  const dir = p.dir === "asc" ? sql`asc` : sql`desc`;
  const after = p.after ? sql`where (k, seq) ${cmp} (${p.after.key as never}, ${p.after.seq})` : sql``;
  // Unlisted offers (catalog/listing.ts) have no tags and no FTS row, so `c` never holds one; a plain listing filters them.
  const from = cte ? sql`c join offers o on o.seq = c.seq where c.fails = 0` : sql`offers o where o.listed = 1`;
  const parts: RawBuilder<unknown>[] = [
    sql`select * from (select 0 as part, seq, k, null as field, null as value from (select o.seq as seq, ${sortKey(p.sort)} as k from ${from}) ${after} order by k ${dir}, seq ${dir} limit ${p.limit})`,
    cte
      ? sql`select 1, null, count(*), null, null from c where fails = 0`
      : sql`select 1, null, coalesce(sum(n), 0), null, null from offer_tag_counts where field = 'available'`,
  ];
  if (p.withFacets === false) global.length = 0;
  if (global.length) {
    parts.push(sql`select 2, null, n, field, value from offer_tag_counts where field in (${sql.join(global)}) and n > 0`);
  }
  if (cte && p.withFacets !== false) {
    const activeNames = new Set(active.map(([f]) => f));
    const passive = p.facetFields.filter((f) => !activeNames.has(f) && !global.includes(f));
    const conds: RawBuilder<unknown>[] = [];
    if (passive.length) conds.push(sql`(c.fails = 0 and t.field in (${sql.join(passive)}))`);
    active.forEach(([f], i) => {
      if (!global.includes(f) && p.facetFields.includes(f)) conds.push(sql`(c.fails in (0, ${sql.lit(bit(i))}) and t.field = ${f})`);
    });
    if (conds.length) {
      parts.push(sql`select 2, null, count(*), t.field, t.value from c join offer_tags t on t.offer_seq = c.seq
        where (c.fails = 0 or (c.fails & (c.fails - 1)) = 0) and (${sql.join(conds, sql` or `)}) group by t.field, t.value`);
    }
  }
  const res = await sql<Part>`${cte ?? sql``} ${sql.join(parts, sql` union all `)}`.execute(db);

  const seqs: number[] = [];
  const keys: unknown[] = [];
  let total = 0;
  const facets: Facets = Object.fromEntries(p.facetFields.map((f) => [f, []]));
  for (const r of res.rows) {
    if (r.part === 0) { seqs.push(Number(r.seq)); keys.push(r.k); }
    else if (r.part === 1) total = Number(r.k);
    else if (r.field !== null && r.value !== null) facets[r.field]?.push({ value: r.value, count: Number(r.k) });
  }
  for (const list of Object.values(facets)) list.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
  return { seqs, keys, total, facets };
}

/** Offer seqs matching an FTS expression with their weighted bm25 scores, unordered. */
export async function matchScores(db: Db, match: string, weights: readonly number[]): Promise<{ seqs: number[]; scores: number[] }> {
  const w = weights.map((x) => sql.lit(x));
  // One concatenated string instead of thousands of row objects: far cheaper to move out of SQLite. `%!.17g` (the `!`
  // lifts SQLite's 16-digit cap) keeps every bit of each score, so keys and cursors equal those of the SQL path.
  // bm25 is not allowed inside an aggregate, hence the materialized CTE.
  const r = await sql<{ s: string | null }>`with m as materialized (
      select rowid || ' ' || printf('%!.17g', bm25(offers_fts, ${sql.join(w)})) as x from offers_fts where offers_fts match ${match})
    select group_concat(x, ',') as s from m`.execute(db);
  const seqs: number[] = [];
  const scores: number[] = [];
  const text = r.rows[0]?.s;
  if (text) for (const part of text.split(",")) { const sp = part.indexOf(" "); seqs.push(Number(part.slice(0, sp))); scores.push(Number(part.slice(sp + 1))); }
  return { seqs, scores };
}

/**
 * Seqs of every offer matching an FTS expression, without ranking (a tenth of the cost of bm25 on broad matches), as
 * one comma-separated string parsed without building substrings. FTS5 returns them in rowid order.
 */
export async function matchSeqs(db: Db, match: string): Promise<Int32Array> {
  const r = await sql<{ s: string | null }>`select group_concat(rowid, ',') as s from offers_fts where offers_fts match ${match}`.execute(db);
  const text = r.rows[0]?.s;
  return text ? parseIntList(text) : new Int32Array(0);
}

/** "12,5,900" → Int32Array [12, 5, 900] (non-negative integers). */
export function parseIntList(s: string): Int32Array {
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) n++;
  const out = new Int32Array(n);
  let k = 0;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) { out[k++] = v; v = 0; } else v = v * 10 + (c - 48);
  }
  out[k] = v;
  return out;
}

/** Sort inputs of offers with seq in (fromSeq, toSeq] (the in-memory index reads them in ranges). */
export async function readSortChunk(db: Db, fromSeq: number, toSeq: number) {
  return db.selectFrom("offers")
    .select(["seq", "capacity", "registration", "confirmed_at", "stale_since", "sort_name", "updated_at", sql<number>`coalesce(price_monthly, 1000000000)`.as("price_key")])
    .where("seq", ">", fromSeq).where("seq", "<=", toSeq).execute();
}

/** Tag rows of offers with seq in (fromSeq, toSeq], in offer order (the in-memory facet index reads them in ranges). */
export async function readTagChunk(db: Db, fromSeq: number, toSeq: number) {
  return db.selectFrom("offer_tags").select(["offer_seq", "field", "value"])
    .where("offer_seq", ">", fromSeq).where("offer_seq", "<=", toSeq).orderBy("offer_seq").execute();
}

export async function maxOfferSeq(db: Db): Promise<number> {
  const r = await db.selectFrom("offers").select((eb) => eb.fn.max("seq").as("m")).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/** Terms of the search index between `minLength` and `maxLength` characters, with how many offers hold each. */
export async function vocabularyTerms(db: Db, minLength: number, maxLength: number): Promise<Array<{ term: string; doc: number }>> {
  const r = await sql<{ term: string; doc: number }>`select term, doc from offers_fts_vocab
    where length(term) between ${minLength} and ${maxLength} and term not glob '*[0-9]*'`.execute(db);
  return r.rows.map((x) => ({ term: x.term, doc: Number(x.doc) }));
}
