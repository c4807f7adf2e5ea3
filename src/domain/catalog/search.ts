/**
 * Catalog search: turns a validated SearchQuery into FTS + tag filters, a sort and a keyset cursor, with a ranking
 * snapshot cache keyed by the canonical query and the catalog version (see docs/decisions/0002-…).
 */
import { writeEpoch, type Db } from "../../db/client.ts";
import { getCatalogVersion } from "../../db/queries/meta.ts";
import { loadOffersBySeq } from "../../db/queries/offers.ts";
import { matchScores, matchSeqs, searchRows, type Facets, type RankSort, type TagFilters } from "../../db/queries/search.ts";
import { cursorCodec } from "../../lib/cursor.ts";
import { dayMask, fairShuffle } from "../../lib/fair-order.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import { dayNumber, MINUTE_MS } from "../../lib/time.ts";
import * as v from "valibot";
import { FacetIndex } from "./facet-index.ts";
import { fail, ok, type Result } from "../errors.ts";
import type { SearchQuery } from "../schemas.ts";
import { fold } from "../text.ts";
import { FILTER_FIELDS, type Sort } from "../vocabulary.ts";
import { staleBefore } from "./freshness.ts";
import { LruCache } from "./lru.ts";
import { presentOffer, type Offer } from "./views.ts";
import { ftsMatch, understand, type Understood } from "./query.ts";
import { suggestQuery } from "./suggest.ts";

export { ftsMatch } from "./query.ts";

/** bm25 weights: title and software above the provider's name, above description and service keywords. */
export const WEIGHTS = [10, 10, 4, 1, 2] as const;
/** Stale offers keep half their relevance (bm25 is negative: closer to 0 ranks lower). */
const STALE_FACTOR = 0.5;
/** How many ranked results a snapshot keeps: pages within it are served without SQL and stay stable under writes. */
export const SNAPSHOT_SIZE = 200;
/** A snapshot of the current catalog version is reused this long (stale flags and the day-based shuffle move on). */
const FRESH_MS = 60_000;
/** A cursor may keep paging through the snapshot of the version it started on for this long. */
const CURSOR_SNAPSHOT_MS = 15 * 60_000;

const minute = (nowMs: number) => Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;

/** The sort keys of `sort` at `nowMs` (cut-offs rounded to the minute so cached results stay valid), and its direction. */
export function rankSort(sort: Sort, nowMs: number): { sort: RankSort; dir: "asc" | "desc" } {
  const before = staleBefore(minute(nowMs));
  if (sort === "relevance") return { sort: { kind: "relevance", staleBefore: before, staleFactor: STALE_FACTOR }, dir: "asc" };
  if (sort === "fair") return { sort: { kind: "fair", staleBefore: before, dayMask: dayMask(dayNumber(nowMs)) }, dir: "asc" };
  return { sort: { kind: sort }, dir: sort === "updated" ? "desc" : "asc" };
}

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

/** A ranking snapshot: the first SNAPSHOT_SIZE ordered results of one canonical query at one catalog version. */
type Snapshot = { seqs: number[]; keys: unknown[]; total: number; facets: Facets; complete: boolean };

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

/**
 * Above this many matches, bm25 (≈3 µs a row, most of a cache miss) is not computed: offers matching in their title
 * or software rank before the others, each group in the per-day fair shuffle. Among thousands of offers naming the
 * same software, bm25 differs only by text length; the shuffle spreads attention across providers instead.
 */
export const EXACT_RANK_LIMIT = 2_000;

/** Scores for `match`: exact bm25, or for broad matches the two-level approximation described above. */
async function rankMatches(db: Db, match: string, nowMs: number, exactLimit: number): Promise<{ seqs: number[]; scores: number[] }> {
  const seqs = await matchSeqs(db, match);
  if (seqs.length <= exactLimit) return matchScores(db, match, WEIGHTS);
  const strong = new Set(await matchSeqs(db, `{title software} : (${match})`));
  const mask = dayMask(dayNumber(nowMs));
  // Scores stay negative like bm25 (lower ranks first): -2 strong, -1 weak, plus a shuffle fraction in [0, 0.5).
  const scores = seqs.map((seq) => (strong.has(seq) ? -2 : -1) + fairShuffle(seq, mask) / 2 ** 33);
  return { seqs, scores };
}

/** A counting semaphore: at most `size` tasks run at once, the others wait in order. */
class Semaphore {
  #free: number;
  #waiting: Array<() => void> = [];
  constructor(size: number) { this.#free = size; }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((r) => this.#waiting.push(r));
    try { return await fn(); } finally {
      const next = this.#waiting.shift();
      if (next) next(); else this.#free++;
    }
  }
}

/** How long a catalog version read from the database is trusted when this process has not written since. */
const VERSION_TTL_MS = 1_000;

/** Catalogs with fewer tag rows than this rebuild the facet index inline after a write (milliseconds). */
const INLINE_INDEX_BELOW = 50_000;

/**
 * Builds the search service of one app instance; `cacheBytes` 0 disables the snapshot cache; `facetIndex: false`
 * counts facets in SQL only.
 */
export function createCatalogSearch(db: Db, opts: { cacheBytes: number; facetIndex?: boolean; exactRankLimit?: number }): CatalogSearch {
  const exactLimit = opts.exactRankLimit ?? EXACT_RANK_LIMIT;
  const cache = new LruCache<Snapshot>(opts.cacheBytes);
  const index = opts.facetIndex === false ? undefined : new FacetIndex();
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

  // Cache misses run two at a time: each holds every match of its query in memory, and on 2 cores more parallel misses
  // only add queueing inside the process while multiplying peak memory (10 concurrent broad misses: 420 MB RSS).
  const slots = new Semaphore(2);
  const compute = (...args: Parameters<typeof computeNow>) => slots.run(() => computeNow(...args));

  async function computeNow(plan: Plan, version: string, nowMs: number, limit: number, after?: { key: unknown; seq: number }): Promise<Snapshot> {
    // The in-memory index, when current, filters, counts and orders (13 ms for all 100k offers against 18 ms in SQL),
    // leaving SQLite only the FTS lookup; SQL does everything while it is (re)built, and on Workers.
    if (index !== undefined && (await index.ready(db, version, INLINE_INDEX_BELOW)) && index.version === version) {
      const match = plan.match !== undefined ? await rankMatches(db, plan.match, nowMs, exactLimit) : undefined;
      const { sort, dir } = rankSort(plan.sort, nowMs);
      const r = index.rank(match, plan.filters, FILTER_FIELDS, sort, dir, limit, after);
      return { seqs: r.seqs, keys: r.keys, total: r.total, facets: r.facets, complete: r.seqs.length < limit };
    }
    const rows = await searchRows(db, { match: plan.match, weights: WEIGHTS, filters: plan.filters, ...rankSort(plan.sort, nowMs), limit, after, facetFields: FILTER_FIELDS });
    return { seqs: rows.seqs, keys: rows.keys, total: rows.total, facets: rows.facets, complete: rows.seqs.length < limit };
  }

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
        pending = compute(plan, version, nowMs, Math.max(SNAPSHOT_SIZE, plan.limit + 1)).then((s) => {
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
      const rows = await compute(plan, version, nowMs, plan.limit + 1, cursor ? { key: cursor.k, seq: cursor.i } : undefined);
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
    const q = await suggestQuery(db, query.q!);
    if (!q) return undefined;
    const r = await run(prepare({ ...query, q, limit: 1 }, nowMs), { version });
    return r.ok && r.value.total > 0 ? q : undefined;
  }

  const warm = () => {
    if (!index) return;
    getCatalogVersion(db).then((v) => index.ready(db, v, 0)).catch(() => {});
  };
  return { prepare, run, search: (query, nowMs, opts) => run(prepare(query, nowMs), opts), version: currentVersion, warm, cache };
}
