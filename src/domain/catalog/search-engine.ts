/**
 * The part of a search that reads the catalog: the FTS lookup and the ranking, filtering and facet counting of one
 * planned query at one catalog version (docs/decisions/0002, 0025). It runs in the process that serves HTTP, or in
 * search worker threads (runtime/search-workers.ts), each with its own connection and in-memory index: the request
 * and the result are plain data.
 */
import type { Db } from "../../db/client.ts";
import { getCatalogVersion } from "../../db/queries/meta.ts";
import { matchScores, matchSeqs, searchRows, vocabularyTerms, type Facets, type TagFilters } from "../../db/queries/search.ts";
import { countOffersAbove } from "../../db/queries/search-index.ts";
import { dayMask, fairShuffle } from "../../lib/fair-order.ts";
import { dayNumber } from "../../lib/time.ts";
import type { Sort } from "../vocabulary.ts";
import { FILTER_FIELDS } from "../vocabulary.ts";
import { FacetIndex, sharedConnectionSource, type IndexSource } from "./facet-index.ts";
import { LruCache } from "./lru.ts";
import { rankSort, WEIGHTS } from "./ranking.ts";
import { suggestQuery } from "./suggest.ts";

/**
 * The vocabulary read for suggestions is kept per catalog version, and reused up to this long after the version moved
 * on: reading it walks the whole FTS index (≈150 ms at 100,000 offers). Suggestions are checked by running them on the
 * current catalog before they are shown, so an older vocabulary can only miss a brand-new word.
 */
const VOCABULARY_REUSE_MS = 10_000;

/**
 * What the engine needs of a planned query (search.ts Plan): plain data, so it can cross to a worker thread.
 * `cache: false` (x-search-cache: off) also skips the engine's own cache of FTS matches.
 */
export type EnginePlan = { match?: string; sort: Sort; filters: TagFilters; cache?: boolean };

/** The first results of one query at one version: ids with their sort keys, the total and the facets. */
export type Snapshot = { seqs: number[]; keys: unknown[]; total: number; facets: Facets; complete: boolean };

/** `loads`: full loads of the index so far; `catchUps`: times it caught up with a write by re-reading changed offers. */
export type EngineStatus = { indexVersion?: string; indexed: number; loading: boolean; loads: number; catchUps: number };

export type SearchEngine = {
  /** The first `limit` results of `plan` after `after` at (or after) catalog version `version`. */
  compute(plan: EnginePlan, version: string, nowMs: number, limit: number, after?: { key: unknown; seq: number }): Promise<Snapshot>;
  /** A corrected query for `q` ("did you mean", suggest.ts), from the catalog's vocabulary at about `version`. */
  suggest(q: string, version: string): Promise<string | undefined>;
  /** Starts loading the in-memory index in the background (servers call it once at start). */
  warm(): void;
  /** What the in-memory index holds now (tests, operators). */
  status(): Promise<EngineStatus>;
  close(): Promise<void>;
};

/**
 * Above this many matches, bm25 (≈3 µs a row, most of a cache miss) is not computed: offers matching in their title
 * or software rank before the others, each group in the per-day fair shuffle. Among thousands of offers naming the
 * same software, bm25 differs only by text length; the shuffle spreads attention across providers instead.
 */
export const EXACT_RANK_LIMIT = 2_000;

/** Scores for `match`: exact bm25, or for broad matches the two-level approximation described above. */
async function rankMatches(db: Db, match: string, nowMs: number, exactLimit: number): Promise<{ seqs: ArrayLike<number>; scores: ArrayLike<number> }> {
  const seqs = await matchSeqs(db, match);
  if (seqs.length <= exactLimit) return matchScores(db, match, WEIGHTS);
  const strong = await matchSeqs(db, `{title software} : (${match})`);
  const mask = dayMask(dayNumber(nowMs));
  // Scores stay negative like bm25 (lower ranks first): -2 strong, -1 weak, plus a shuffle fraction in [0, 0.5).
  // Both lists come in rowid order: one merge walk tells which matches are strong (a set if they ever did not).
  const scores = new Float64Array(seqs.length);
  const sorted = (a: Int32Array) => { for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false; return true; };
  if (sorted(seqs) && sorted(strong)) {
    for (let i = 0, j = 0; i < seqs.length; i++) {
      const seq = seqs[i];
      while (j < strong.length && strong[j] < seq) j++;
      scores[i] = (j < strong.length && strong[j] === seq ? -2 : -1) + fairShuffle(seq, mask) / 2 ** 33;
    }
  } else {
    const set = new Set(strong);
    for (let i = 0; i < seqs.length; i++) scores[i] = (set.has(seqs[i]) ? -2 : -1) + fairShuffle(seqs[i], mask) / 2 ** 33;
  }
  return { seqs, scores };
}

/** A counting semaphore: at most `size` tasks run at once, the others wait in order. */
export class Semaphore {
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

/** Catalogs with fewer offers than this wait for the first load of the index (milliseconds) instead of using SQL. */
const INLINE_FIRST_LOAD_BELOW = 20_000;

export type EngineOptions = {
  /** false: SQL only (Workers, where each isolate would load its own copy). */
  facetIndex?: boolean;
  exactRankLimit?: number;
  /** How the index reads the database; default: the search connection itself, versions compared around each read. */
  indexSource?: IndexSource;
  /** How many computations run at once (each holds its matches in memory); default 2. */
  concurrency?: number;
  /** Catalogs with fewer offers wait for the first load of the index; default 20,000. */
  inlineFirstLoadBelow?: number;
  /** Memory for FTS matches kept per catalog version (queries sharing words, other filters); default 16 MB, 0: none. */
  matchCacheBytes?: number;
};

type Matches = { seqs: ArrayLike<number>; scores: ArrayLike<number> };
/** Bytes held by a match list (typed arrays or plain arrays of numbers). */
const matchBytes = (m: Matches) => 64 + m.seqs.length * (m.seqs instanceof Int32Array ? 4 : 8) + m.scores.length * 8;

/** The engine on `db`, in this thread. */
export function createSearchEngine(db: Db, opts: EngineOptions = {}): SearchEngine {
  const exactLimit = opts.exactRankLimit ?? EXACT_RANK_LIMIT;
  const useIndex = opts.facetIndex !== false;
  const src = opts.indexSource ?? sharedConnectionSource(db);
  let index: FacetIndex | undefined;
  let loading: Promise<void> | undefined;
  let catchingUp: Promise<"current" | "reload" | "busy"> | undefined;
  let loads = 0;
  let catchUps = 0;

  /** A full load in the background; the current index (caught up) keeps answering until the new one is current. */
  function reload(): Promise<void> {
    loading ??= (async () => {
      const fresh = await FacetIndex.load(src);
      if (fresh && (await fresh.catchUp(src)) === "current") { index = fresh; loads++; }
    })().catch(() => {}).finally(() => { loading = undefined; });
    return loading;
  }

  /** The index at `version` or later, or undefined (SQL answers) while it is loading. */
  async function indexAt(version: string): Promise<FacetIndex | undefined> {
    if (!useIndex) return undefined;
    if (index === undefined) {
      const first = reload();
      if (await countOffersAbove(db, 0) < (opts.inlineFirstLoadBelow ?? INLINE_FIRST_LOAD_BELOW)) await first;
    } else if (index.version !== version) {
      if (!catchingUp) {
        const before = index.version;
        catchingUp = index.catchUp(src).then((r) => { if (r === "current" && index?.version !== before) catchUps++; return r; })
          .finally(() => { catchingUp = undefined; });
      }
      if ((await catchingUp) === "reload") void reload();
    }
    // Slots of changed offers are dead weight once they outnumber a quarter of the live ones: compact.
    if (index && index.dead > 1_000 && index.dead > index.size / 4) void reload();
    return index && index.version !== undefined && Number(index.version) >= Number(version) ? index : undefined;
  }

  const slots = new Semaphore(opts.concurrency ?? 2);
  // People refine a search with filters, sorts and pages: the FTS matches of one text at one catalog version (and day,
  // which the broad ranking's shuffle depends on) serve them all. Bounded by the bytes of the lists held.
  const matchCache = new LruCache<Matches>(opts.matchCacheBytes ?? 16 * 1024 * 1024);
  async function matchesOf(match: string, version: string, nowMs: number, useCache: boolean): Promise<Matches> {
    if (!useCache || !matchCache.enabled) return rankMatches(db, match, nowMs, exactLimit);
    const key = `${version}|${dayNumber(nowMs)}|${match}`;
    const hit = matchCache.get(key, nowMs, 60_000);
    if (hit) return hit;
    const m = await rankMatches(db, match, nowMs, exactLimit);
    matchCache.set(key, m, matchBytes(m), nowMs);
    return m;
  }

  let vocabulary: { version: string; at: number; terms: Promise<Array<{ term: string; doc: number }>> } | undefined;
  function termsAt(version: string) {
    if (!vocabulary || (vocabulary.version !== version && performance.now() - vocabulary.at > VOCABULARY_REUSE_MS)) {
      const terms = vocabularyTerms(db, 1, 1_000);
      vocabulary = { version, at: performance.now(), terms };
      terms.catch(() => { vocabulary = undefined; });
    }
    return vocabulary.terms;
  }

  async function computeNow(plan: EnginePlan, version: string, nowMs: number, limit: number, after?: { key: unknown; seq: number }): Promise<Snapshot> {
    // The in-memory index, when current, filters, counts and orders, leaving SQLite only the FTS lookup; SQL does
    // everything while the index loads, and on Workers.
    const idx = await indexAt(version);
    if (idx) {
      const match = plan.match !== undefined ? await matchesOf(plan.match, idx.version!, nowMs, plan.cache !== false) : undefined;
      const { sort, dir } = rankSort(plan.sort, nowMs);
      const r = idx.rank(match, plan.filters, FILTER_FIELDS, sort, dir, limit, after);
      return { seqs: r.seqs, keys: r.keys, total: r.total, facets: r.facets, complete: r.seqs.length < limit };
    }
    const rows = await searchRows(db, { match: plan.match, weights: WEIGHTS, filters: plan.filters, ...rankSort(plan.sort, nowMs), limit, after, facetFields: FILTER_FIELDS });
    return { seqs: rows.seqs, keys: rows.keys, total: rows.total, facets: rows.facets, complete: rows.seqs.length < limit };
  }

  return {
    // Computations run two at a time: each holds every match of its query in memory, and on 2 cores more parallel
    // ones only add queueing inside the process while multiplying peak memory (10 concurrent broad misses: 420 MB RSS).
    compute: (...args) => slots.run(() => computeNow(...args)),
    suggest: (q, version) => slots.run(async () => {
      const terms = await termsAt(version);
      return suggestQuery(async (min, max) => terms.filter((t) => t.term.length >= min && t.term.length <= max), q);
    }),
    warm() {
      if (!useIndex) return;
      getCatalogVersion(db).then(() => reload()).catch(() => {});
    },
    async status() {
      return { indexVersion: index?.version, indexed: index?.size ?? 0, loading: loading !== undefined, loads, catchUps };
    },
    async close() {
      await loading;
    },
  };
}
