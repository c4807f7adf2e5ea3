/**
 * Catalog search: turns a validated SearchQuery into FTS + tag filters, a sort and a keyset cursor, with a ranking
 * snapshot cache keyed by the canonical query and the catalog version (see docs/decisions/0002-…).
 */
import { writeEpoch, type Db } from "../../db/client.ts";
import { getCatalogVersion } from "../../db/queries/meta.ts";
import { loadOffersBySeq } from "../../db/queries/offers.ts";
import type { Facets, TagFilters } from "../../db/queries/search.ts";
import { cursorCodec } from "../../lib/cursor.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import { dayNumber } from "../../lib/time.ts";
import * as v from "valibot";
import { fail, ok, type Result } from "../errors.ts";
import type { SearchQuery } from "../schemas.ts";
import { fold } from "../text.ts";
import { FILTER_FIELDS, type Sort } from "../vocabulary.ts";
import { LruCache } from "./lru.ts";
import { presentOffer, type Offer } from "./views.ts";
import { ftsMatch, understand, type Understood } from "./query.ts";
import { createSearchEngine, type EngineStatus, type SearchEngine, type Snapshot } from "./search-engine.ts";

export { ftsMatch } from "./query.ts";

export { rankSort, WEIGHTS } from "./ranking.ts";
export { EXACT_RANK_LIMIT } from "./search-engine.ts";

/** How many ranked results a snapshot keeps: pages within it are served without SQL and stay stable under writes. */
export const SNAPSHOT_SIZE = 200;
/** A snapshot of the current catalog version is reused this long (stale flags and the day-based shuffle move on). */
const FRESH_MS = 60_000;
/** A cursor may keep paging through the snapshot of the version it started on for this long. */
const CURSOR_SNAPSHOT_MS = 15 * 60_000;

/** Opaque search cursors: the sort, the last row's key and seq, the catalog version and day. */
export const searchCursor = cursorCodec(v.object({
  s: v.string(),
  k: v.union([v.pipe(v.number(), v.finite()), v.pipe(v.string(), v.maxLength(300))]),
  i: v.pipe(v.number(), v.safeInteger()),
  v: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/))),
  d: v.optional(v.pipe(v.number(), v.safeInteger())),
}));
type CursorData = NonNullable<ReturnType<typeof searchCursor.decode>>;

export type SearchOutcome = {
  items: Offer[];
  total: number;
  facets: Facets;
  nextCursor: string | null;
  /** The catalog version the result was computed at (for response caches and ETags). */
  version?: string;
  /** When nothing matched: a corrected query that matches (suggest.ts). */
  suggestion?: string;
  /** Filters applied because words of `q` named them ("gratuit" → price free, "belgique" → place BE). */
  understood?: Understood["filters"];
};

/** A search planned once: `key` names its result (undefined for a query that can match nothing). */
export type PreparedSearch = { query: SearchQuery; plan: Plan | "empty"; nowMs: number; key: string | undefined };

export type CatalogSearch = {
  /** Plans a query (canonical form and cache key) without running it. */
  prepare(query: SearchQuery, nowMs: number): PreparedSearch;
  /** Runs a prepared search; `useCache: false` computes everything from the database (benchmarks, debugging). */
  run(prepared: PreparedSearch, opts?: { useCache?: boolean; version?: string }): Promise<Result<SearchOutcome>>;
  /** prepare + run. */
  search(query: SearchQuery, nowMs: number, opts?: { useCache?: boolean; version?: string }): Promise<Result<SearchOutcome>>;
  version(): Promise<string>;
  /** Starts loading the in-memory facet index in the background (servers call it once at start). */
  warm(): void;
  /** What the in-memory index holds now. */
  status(): Promise<EngineStatus>;
  /** Stops background work (worker threads, loads). */
  close(): Promise<void>;
  cache: LruCache<Snapshot>;
};

type Plan = { match?: string; sort: Sort; filters: TagFilters; limit: number; key: string; understood?: Understood["filters"] };

/** Canonical form of a query: what the database is asked, independent of spelling, order and repetition. */
export function planSearch(query: SearchQuery, nowMs: number): Plan | "empty" {
  const understood = query.q ? understand(query.q) : undefined;
  const match = understood?.text ? ftsMatch(understood.text) : undefined;
  if (understood && !match && understood.text.trim() !== "") return "empty";
  const requested: Sort = query.sort ?? (match ? "relevance" : "fair");
  const sort: Sort = requested === "relevance" && !match ? "fair" : requested;
  const filters: TagFilters = {};
  for (const field of FILTER_FIELDS) {
    const value = query[field];
    if (value === undefined) continue;
    if (typeof value === "boolean") {
      if (value) filters[field] = ["true"]; // `member=false` means "don't filter", not "only non-members"
    } else if (value.length) {
      const vs = field === "software" ? value.map(fold) : field === "lang" ? value.map(primaryLanguage) : value;
      filters[field] = [...new Set(vs)].sort();
    }
  }
  // Words that name a filter apply it, unless the person chose values for that field themselves.
  const applied: Understood["filters"] = {};
  for (const [field, values] of Object.entries(understood?.filters ?? {}) as Array<[keyof Understood["filters"], string[]]>) {
    if (!filters[field]) { filters[field] = values; applied[field] = values; }
  }
  const key = JSON.stringify([match ?? "", sort, sort === "fair" ? dayNumber(nowMs) : 0, filters]);
  return { match, sort, filters, limit: query.limit ?? 20, key, ...(Object.keys(applied).length ? { understood: applied } : {}) };
}

const emptyFacets = (): Facets => Object.fromEntries(FILTER_FIELDS.map((f) => [f, []]));
const invalidCursor = fail({ kind: "invalid", detail: "The cursor is not valid for this search; start again without it.", errors: [{ path: "cursor", message: "is not a valid cursor for this search" }] } as const);

function snapshotBytes(s: Snapshot): number {
  let n = 200 + s.seqs.length * 16;
  for (const k of s.keys) n += typeof k === "string" ? 2 * k.length + 16 : 8;
  for (const list of Object.values(s.facets)) for (const f of list) n += 2 * f.value.length + 48;
  return n;
}

/** How long a catalog version read from the database is trusted when this process has not written since. */
const VERSION_TTL_MS = 1_000;

/**
 * Builds the search service of one app instance; `cacheBytes` 0 disables the snapshot cache; `facetIndex: false`
 * counts facets in SQL only; `engine` computes elsewhere (search worker threads) instead of on `db` in this thread.
 */
export function createCatalogSearch(db: Db, opts: { cacheBytes: number; facetIndex?: boolean; exactRankLimit?: number; engine?: SearchEngine }): CatalogSearch {
  // The engine's FTS matches get half as much again as the snapshots (a quarter of SEARCH_CACHE_MB).
  const engine = opts.engine ?? createSearchEngine(db, { facetIndex: opts.facetIndex, exactRankLimit: opts.exactRankLimit, matchCacheBytes: opts.cacheBytes / 2 });
  const cache = new LruCache<Snapshot>(opts.cacheBytes);
  const inflight = new Map<string, Promise<Snapshot>>();

  // The version is re-read at most every VERSION_TTL_MS unless this process wrote meanwhile (its own writes show at
  // once); writes by other processes on the same file (the CLI) show within that delay. Remote databases, shared by
  // many isolates, are read every time.
  let known: { version: string; epoch: number; at: number } | undefined;
  async function currentVersion(): Promise<string> {
    const epoch = writeEpoch(db);
    if (known && epoch !== undefined && known.epoch === epoch && performance.now() - known.at < VERSION_TTL_MS) return known.version;
    const version = await getCatalogVersion(db);
    known = epoch === undefined ? undefined : { version, epoch, at: performance.now() };
    return version;
  }

  const compute = engine.compute;

  function prepare(query: SearchQuery, nowMs: number): PreparedSearch {
    const plan = planSearch(query, nowMs);
    return { query, plan, nowMs, key: plan === "empty" ? undefined : `${plan.key}|${plan.limit}|${query.cursor ?? ""}` };
  }

  async function run(prepared: PreparedSearch, opts: { useCache?: boolean; version?: string } = {}): Promise<Result<SearchOutcome>> {
    const { query, plan, nowMs } = prepared;
    const version = opts.version ?? await currentVersion();
    let cursor: CursorData | undefined;
    if (query.cursor) {
      cursor = searchCursor.decode(query.cursor);
      const sort = plan === "empty" ? undefined : plan.sort;
      if (!cursor || cursor.s !== sort || (sort === "fair" && cursor.d !== dayNumber(nowMs))) return invalidCursor;
    }
    if (plan === "empty") return ok({ items: [], total: 0, facets: emptyFacets(), nextCursor: null, version });
    const useCache = opts.useCache !== false && cache.enabled;

    // Which snapshot to page through: a relevance cursor stays on the version it started on, because bm25 scores
    // move when offers are added; other sorts have per-row keys, so the current version continues them exactly.
    const snapVersion = cursor && plan.sort === "relevance" && cursor.v ? cursor.v : version;
    const snapKey = `${snapVersion}|${plan.key}`;
    let snap = useCache ? cache.get(snapKey, nowMs, snapVersion === version ? FRESH_MS : CURSOR_SNAPSHOT_MS) : undefined;
    if (!snap && useCache && snapVersion === version) {
      // Concurrent misses of one query share a single computation.
      let pending = inflight.get(snapKey);
      if (!pending) {
        pending = compute({ ...plan, cache: true }, version, nowMs, Math.max(SNAPSHOT_SIZE, plan.limit + 1)).then((s) => {
          cache.set(snapKey, s, snapshotBytes(s), nowMs);
          return s;
        }).finally(() => inflight.delete(snapKey));
        inflight.set(snapKey, pending);
      }
      snap = await pending;
    }

    let page: { seqs: number[]; keys: unknown[]; more: boolean } | undefined;
    let total: number;
    let facets: Facets;
    let pageVersion = version;
    if (snap) {
      // The cursor's row must sit in the snapshot with the same key; otherwise keyset SQL decides where to resume.
      const at = cursor ? snap.seqs.indexOf(cursor.i) : -1;
      const start = cursor && at >= 0 && snap.keys[at] === cursor.k ? at + 1 : 0;
      if (start > 0 || !cursor) {
        const end = start + plan.limit;
        if (end < snap.seqs.length || snap.complete) {
          page = { seqs: snap.seqs.slice(start, end), keys: snap.keys.slice(start, end), more: end < snap.seqs.length };
          pageVersion = snapVersion;
        }
      }
      total = snap.total;
      facets = snap.facets;
    }
    if (!page) {
      const rows = await compute({ ...plan, cache: useCache }, version, nowMs, plan.limit + 1, cursor ? { key: cursor.k, seq: cursor.i } : undefined);
      page = { seqs: rows.seqs.slice(0, plan.limit), keys: rows.keys.slice(0, plan.limit), more: rows.seqs.length > plan.limit };
      total = rows.total;
      facets = rows.facets;
    }
    const items = (await loadOffersBySeq(db, page.seqs)).map((r) => presentOffer(r, nowMs));
    const last = page.seqs.length - 1;
    const nextCursor = page.more && last >= 0
      ? searchCursor.encode({ s: plan.sort, k: page.keys[last] as number | string, i: page.seqs[last], v: pageVersion, ...(plan.sort === "fair" ? { d: dayNumber(nowMs) } : {}) })
      : null;
    const suggestion = total! === 0 && query.q && !query.cursor ? await matchingSuggestion(query, nowMs, version) : undefined;
    return ok({ items, total: total!, facets: facets!, nextCursor, version, ...(suggestion ? { suggestion } : {}), ...(plan.understood ? { understood: plan.understood } : {}) });
  }

  /** A corrected query for one that found nothing, kept only if it finds something with the same filters. */
  async function matchingSuggestion(query: SearchQuery, nowMs: number, version: string): Promise<string | undefined> {
    const q = await engine.suggest(query.q!, version);
    if (!q) return undefined;
    const r = await run(prepare({ ...query, q, limit: 1 }, nowMs), { version });
    return r.ok && r.value.total > 0 ? q : undefined;
  }

  return {
    prepare, run, search: (query, nowMs, opts) => run(prepare(query, nowMs), opts), version: currentVersion, cache,
    warm: () => engine.warm(), status: () => engine.status(), close: () => engine.close(),
  };
}
