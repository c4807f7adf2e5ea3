/** Catalog search: turns a validated SearchQuery into FTS + tag filters, a sort and a keyset cursor. */
import { sql } from "kysely";
import type { Db } from "../../db/client.ts";
import { loadOffersBySeq, type OfferWithProvider } from "../../db/queries/offers.ts";
import { searchRows, type SortSpec, type TagFilters } from "../../db/queries/search.ts";
import { fail, ok, type Result } from "../errors.ts";
import type { SearchQuery } from "../schemas.ts";
import { fold, words } from "../text.ts";
import { FILTER_FIELDS, type Sort } from "../vocabulary.ts";

export const STALE_AFTER_DAYS = 30;
const WEIGHTS: [number, number, number, number, number] = [10, 8, 4, 1, 2];

/**
 * Builds an FTS5 MATCH expression from free text: every word must match (accents and case folded by the
 * tokenizer), the last one as a prefix so results follow typing. Returns undefined when no word is left.
 * User text never reaches FTS5 syntax: each word is quoted.
 */
export function ftsMatch(q: string): string | undefined {
  const ws = words(q).slice(0, 12);
  if (ws.length === 0) return undefined;
  return ws.map((w, i) => `"${w}"${i === ws.length - 1 ? "*" : ""}`).join(" ");
}

function dayNumber(nowMs: number) {
  return Math.floor(nowMs / 86_400_000);
}

function sortSpec(sort: Sort, hasMatch: boolean, nowMs: number): SortSpec {
  switch (sort) {
    case "relevance":
      if (hasMatch) return { key: sql`m.rank`, dir: "asc" };
      return sortSpec("fair", false, nowMs);
    case "price":
      return { key: sql`coalesce(o.price_monthly, 1000000000)`, dir: "asc" };
    case "updated":
      return { key: sql`o.updated_at`, dir: "desc" };
    case "name":
      return { key: sql`o.sort_name`, dir: "asc" };
    case "fair": {
      // A stable per-day shuffle (changes at midnight UTC); unavailable offers always come after available ones.
      const day = dayNumber(nowMs);
      return {
        key: sql`(case when o.capacity = 'full' or o.registration = 'closed' then 1 else 0 end) * 4294967296
          + ((o.seq * 2654435761 + ${day} * 40503) % 4294967291)`,
        dir: "asc",
      };
    }
  }
}

type CursorData = { s: Sort; k: unknown; i: number; d?: number };

function encodeCursor(c: CursorData): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(c)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(text: string): CursorData | undefined {
  try {
    const json = decodeURIComponent(escape(atob(text.replace(/-/g, "+").replace(/_/g, "/"))));
    const c = JSON.parse(json) as CursorData;
    if (typeof c !== "object" || c === null || typeof c.i !== "number" || typeof c.s !== "string") return undefined;
    if (!(typeof c.k === "number" || typeof c.k === "string")) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

export type SearchOutcome = {
  items: OfferWithProvider[];
  total: number;
  facets: Record<string, Array<{ value: string; count: number }>>;
  nextCursor: string | null;
};

export async function searchOffers(db: Db, query: SearchQuery, nowMs: number): Promise<Result<SearchOutcome>> {
  const match = query.q ? ftsMatch(query.q) : undefined;
  const sort: Sort = query.sort ?? (match ? "relevance" : "fair");
  const effectiveSort: Sort = sort === "relevance" && !match ? "fair" : sort;
  const filters: TagFilters = {};
  for (const field of FILTER_FIELDS) {
    const value = query[field];
    if (value === undefined) continue;
    if (typeof value === "boolean") {
      if (value) filters[field] = ["true"]; // `member=false` means "don't filter", not "only non-members"
    } else if (value.length) {
      filters[field] = field === "software" ? value.map(fold) : field === "lang" ? value.map((l) => l.toLowerCase().split("-")[0]) : value;
    }
  }
  let after: { key: unknown; seq: number } | undefined;
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    if (!c || c.s !== effectiveSort || (effectiveSort === "fair" && c.d !== dayNumber(nowMs))) {
      return fail({ kind: "invalid", detail: "The cursor is not valid for this search; start again without it.", errors: [{ path: "cursor", message: "is not a valid cursor for this search" }] });
    }
    after = { key: c.k, seq: c.i };
  }
  if (query.q && !match) {
    return ok({ items: [], total: 0, facets: Object.fromEntries(FILTER_FIELDS.map((f) => [f, []])), nextCursor: null });
  }
  const limit = query.limit ?? 20;
  const rows = await searchRows(db, {
    match, weights: WEIGHTS, filters, sort: sortSpec(effectiveSort, match !== undefined, nowMs), limit, after, facetFields: FILTER_FIELDS,
  });
  const items = await loadOffersBySeq(db, rows.seqs);
  const last = rows.seqs.length - 1;
  const nextCursor = rows.hasMore && last >= 0
    ? encodeCursor({ s: effectiveSort, k: rows.keys[last], i: rows.seqs[last], ...(effectiveSort === "fair" ? { d: dayNumber(nowMs) } : {}) })
    : null;
  return ok({ items, total: rows.total, facets: rows.facets, nextCursor });
}

export function isStale(confirmedAt: string, nowMs: number): boolean {
  return nowMs - Date.parse(confirmedAt) > STALE_AFTER_DAYS * 86_400_000;
}
