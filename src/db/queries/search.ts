/**
 * Catalog search over FTS5 + offer_tags. Filters are OR within a field and AND across fields; facets for a field
 * are counted with every other filter applied. Pagination is keyset on (sort key, seq).
 */
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../client.ts";

export type TagFilters = Partial<Record<string, string[]>>;

export type SortSpec = {
  /** SQL expression of the sort key over `o` (offers) and `m.rank` (bm25, only with a match). */
  key: RawBuilder<unknown>;
  dir: "asc" | "desc";
};

export type SearchParams = {
  match?: string;
  /** bm25 column weights: title, software, provider, description, keywords. */
  weights: [number, number, number, number, number];
  filters: TagFilters;
  /** Hides offers not confirmed since this ISO date (a filter of their own, not a tag). */
  sort: SortSpec;
  limit: number;
  after?: { key: unknown; seq: number };
  facetFields: readonly string[];
};

export type SearchRows = { seqs: number[]; keys: unknown[]; hasMore: boolean; total: number; facets: Record<string, Array<{ value: string; count: number }>> };

function tagCondition(field: string, values: string[]): RawBuilder<unknown> {
  return sql`o.seq in (select offer_seq from offer_tags where field = ${field} and value in (${sql.join(values)}))`;
}

function whereClause(p: SearchParams, except?: string): RawBuilder<unknown> {
  const conds: RawBuilder<unknown>[] = [];
  if (p.match !== undefined) conds.push(sql`o.seq in (select seq from m)`);
  for (const [field, values] of Object.entries(p.filters)) {
    if (field !== except && values && values.length) conds.push(tagCondition(field, values));
  }
  return conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
}

function matchCte(p: SearchParams): RawBuilder<unknown> {
  if (p.match === undefined) return sql``;
  const [a, b, c, d, e] = p.weights;
  return sql`with m as materialized (select rowid as seq, bm25(offers_fts, ${sql.lit(a)}, ${sql.lit(b)}, ${sql.lit(c)}, ${sql.lit(d)}, ${sql.lit(e)}) as rank
    from offers_fts where offers_fts match ${p.match}) `;
}

export async function searchRows(db: Db, p: SearchParams): Promise<SearchRows> {
  const cte = matchCte(p);
  const rankJoin = p.match !== undefined ? sql`join m on m.seq = o.seq` : sql``;
  const cmp = p.sort.dir === "asc" ? sql`>` : sql`<`;
  const dir = p.sort.dir === "asc" ? sql`asc` : sql`desc`;
  const after = p.after ? sql`where (k, seq) ${cmp} (${p.after.key as never}, ${p.after.seq})` : sql``;
  const page = await sql<{ seq: number; k: unknown }>`${cte}select seq, k from (
      select o.seq as seq, ${p.sort.key} as k from offers o ${rankJoin} ${whereClause(p)}
    ) ${after} order by k ${dir}, seq ${dir} limit ${p.limit + 1}`.execute(db);
  const rows = page.rows;
  const hasMore = rows.length > p.limit;
  const pageRows = rows.slice(0, p.limit);

  const countRes = await sql<{ n: number }>`${cte}select count(*) as n from offers o ${whereClause(p)}`.execute(db);
  const total = Number(countRes.rows[0]?.n ?? 0);

  // Fields without an active filter share one base set: count them all in one grouped pass.
  const facets: SearchRows["facets"] = Object.fromEntries(p.facetFields.map((f) => [f, []]));
  const active = p.facetFields.filter((f) => p.filters[f]?.length);
  const passive = p.facetFields.filter((f) => !p.filters[f]?.length);
  const collect = (rows: Array<{ field: string; value: string; n: number }>) => {
    for (const r of rows) facets[r.field]?.push({ value: r.value, count: Number(r.n) });
  };
  if (passive.length) {
    const r = await sql<{ field: string; value: string; n: number }>`${cte}select t.field, t.value, count(*) as n from offer_tags t
      where t.field in (${sql.join(passive)}) and t.offer_seq in (select o.seq from offers o ${whereClause(p)})
      group by t.field, t.value`.execute(db);
    collect(r.rows);
  }
  for (const f of active) {
    const r = await sql<{ field: string; value: string; n: number }>`${cte}select t.field, t.value, count(*) as n from offer_tags t
      where t.field = ${f} and t.offer_seq in (select o.seq from offers o ${whereClause(p, f)})
      group by t.field, t.value`.execute(db);
    collect(r.rows);
  }
  for (const list of Object.values(facets)) list.sort((x, y) => y.count - x.count || x.value.localeCompare(y.value));

  return { seqs: pageRows.map((r) => Number(r.seq)), keys: pageRows.map((r) => r.k), hasMore, total, facets };
}
