/**
 * Filtering, facet counting and ordering in memory (docs/decisions/0002 and 0025): every offer's sort inputs in typed
 * arrays, and every tag (field, value) as a bit set over the offers carrying it (a sorted list for rare tags). A
 * search intersects bit sets a machine word (32 offers) at a time: the offers passing every filter, those passing all
 * but one (for that filter's own facet), and one AND + popcount per facet value — about a millisecond for 100,000
 * offers, whatever the filters. SQLite's GROUP BY over the matched offers' tags costs far more.
 *
 * The database stays the source of truth: the index knows the catalog version it reflects. After a write it catches
 * up by re-reading only the offers changed since that version (`offer_index_changes`, kept by triggers) and the new
 * ones: a changed offer's old slot is cleared from `alive` and the offer is appended in a new slot, so bit sets and
 * lists only ever grow at the end. When too much changed (or too many slots are dead), a full load runs in the
 * background in chunks that yield, while the current index, caught up, keeps answering. Keys and order are exactly
 * those of the SQL path (tested page by page and cursor by cursor).
 */
import { yieldToEventLoop } from "../../lib/yield.ts";
import type { Db } from "../../db/client.ts";
import { parseIntList, type Facets, type RankSort, type TagFilters } from "../../db/queries/search.ts";
import { changedSeqsSince, countOffersAbove, indexHead, readOffersForIndex, readSortRows, readTagPostings, tagFields, type SortRow } from "../../db/queries/search-index.ts";
import { fairHash } from "../../lib/fair-order.ts";

export type RankResult = { seqs: number[]; keys: Array<number | string>; total: number; facets: Facets };

/**
 * How the index reads the database. `snapshot` runs a group of reads on one consistent state: a read transaction on a
 * connection of its own (search workers), or, on a shared connection, the reads repeated until the catalog version is
 * the same before and after (undefined when it kept changing). `pause` lets other work run between chunks of a load.
 */
export type IndexSource = {
  snapshot<T>(fn: (db: Db) => Promise<T>): Promise<T | undefined>;
  pause(): Promise<void>;
};

/** A source on the app's own connection: versions compared around the reads; pauses yield to the event loop. */
export function sharedConnectionSource(db: Db): IndexSource {
  return {
    async snapshot(fn) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const before = (await indexHead(db)).version;
        const result = await fn(db);
        if ((await indexHead(db)).version === before) return result;
      }
      return undefined;
    },
    pause: yieldToEventLoop,
  };
}

/** Seq ranges read per statement during a full load (sort inputs). */
const SEQ_SPAN = 20_000;
/** A catch-up handles at most this many changed offers; beyond, a full load is cheaper. */
const CATCH_UP_MAX = 5_000;
/** A tag whose offers number more than slots / DENSE_DIVISOR is kept as a bit set, otherwise as a sorted slot list. */
const DENSE_DIVISOR = 32;

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, min: number): T {
  if (a.length >= min) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(min, Math.ceil(a.length * 1.5) + 64));
  b.set(a);
  return b;
}

type Tag = { field: string; value: string; count: number; bits?: Uint32Array; list?: Int32Array };

export class FacetIndex {
  /** The catalog version the index reflects (undefined until loaded). */
  version: string | undefined;
  /** Offers currently indexed (live slots). */
  get size(): number { return this.live; }
  /** Slots no longer in use (changed or deleted offers): a full load compacts them away. */
  get dead(): number { return this.n - this.live; }

  private maxSeq = 0;
  private n = 0;
  private live = 0;
  private seqOf = new Int32Array(0);
  private posOfSeq = new Int32Array(0);
  private alive = new Uint32Array(0);
  private unavailable = new Uint8Array(0);
  private confirmed = new Float64Array(0);
  private price = new Float64Array(0);
  private hash = new Float64Array(0);
  private name: string[] = [];
  private updated: string[] = [];
  private tags: Tag[] = [];
  private ids = new Map<string, number>();
  /** Reused per search: relevance scores by slot. */
  private scores = new Float64Array(0);
  /** Slots sorted by a static sort key (then seq), built on first use and extended as slots are appended. */
  private orders = new Map<string, { n: number; perm: Int32Array }>();

  /**
   * Loads the whole catalog from one snapshot: sort inputs in seq ranges, then each field's tags as one posting string
   * per value (read in the primary key's order, so no sort). Undefined when no consistent snapshot could be read.
   */
  static async load(src: IndexSource, seqSpan = SEQ_SPAN): Promise<FacetIndex | undefined> {
    return src.snapshot(async (db) => {
      const index = new FacetIndex();
      const head = await indexHead(db);
      for (let from = 0; from < head.maxSeq; from += seqSpan) {
        const rows = await readSortRows(db, from, Math.min(from + seqSpan, head.maxSeq));
        rows.sort((a, b) => a[0] - b[0]);
        for (const r of rows) index.addSlot(r);
        await src.pause();
      }
      for (const field of await tagFields(db)) {
        for (const { value, seqs } of await readTagPostings(db, field)) {
          const id = index.tagId(field, value);
          for (const seq of parseIntList(seqs)) {
            const k = seq < index.posOfSeq.length ? index.posOfSeq[seq] : -1;
            if (k >= 0) index.addTag(id, k);
          }
        }
        await src.pause();
      }
      index.maxSeq = head.maxSeq;
      index.version = head.version;
      return index;
    });
  }

  /**
   * Brings the index to the database's current version by re-reading the offers changed since its version and the new
   * ones. "current": done; "reload": too much changed (a full load is due); "busy": no consistent read this time.
   */
  async catchUp(src: IndexSource): Promise<"current" | "reload" | "busy"> {
    if (this.version === undefined) return "reload";
    const since = Number(this.version);
    const delta = await src.snapshot(async (db) => {
      const head = await indexHead(db);
      if (head.version === this.version) return { head, changed: [] as number[], rows: [] as SortRow[], tags: [] as Array<[number, string, string]> };
      const changed = (await changedSeqsSince(db, since)).filter((s) => s <= this.maxSeq);
      if (changed.length > CATCH_UP_MAX || changed.length + await countOffersAbove(db, this.maxSeq) > CATCH_UP_MAX) return "reload" as const;
      return { head, changed, ...(await readOffersForIndex(db, changed, this.maxSeq)) };
    });
    if (delta === undefined) return "busy";
    if (delta === "reload") return "reload";
    if (delta.head.version === this.version) return "current";
    for (const seq of delta.changed) this.removeSeq(seq);
    const slotOf = new Map<number, number>();
    delta.rows.sort((a, b) => a[0] - b[0]);
    for (const r of delta.rows) {
      this.removeSeq(r[0]);
      slotOf.set(r[0], this.addSlot(r));
    }
    for (const [seq, field, value] of delta.tags) {
      const k = slotOf.get(seq);
      if (k !== undefined) this.addTag(this.tagId(field, value), k);
    }
    this.maxSeq = Math.max(this.maxSeq, delta.head.maxSeq);
    this.version = delta.head.version;
    return "current";
  }

  private tagId(field: string, value: string): number {
    const key = `${field}\u0000${value}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.tags.length;
      this.ids.set(key, id);
      this.tags.push({ field, value, count: 0, list: new Int32Array(4) });
    }
    return id;
  }

  private addSlot(r: SortRow): number {
    const [seq, capacity, registration, confirmedAt, staleSince, sortName, updatedAt, priceKey] = r;
    const k = this.n++;
    this.live++;
    this.seqOf = grow(this.seqOf, this.n);
    this.unavailable = grow(this.unavailable, this.n);
    this.confirmed = grow(this.confirmed, this.n);
    this.price = grow(this.price, this.n);
    this.hash = grow(this.hash, this.n);
    this.alive = grow(this.alive, (this.n + 31) >>> 5);
    if (seq >= this.posOfSeq.length) {
      const old = this.posOfSeq.length;
      this.posOfSeq = grow(this.posOfSeq, seq + 1);
      this.posOfSeq.fill(-1, old);
    }
    this.seqOf[k] = seq;
    this.posOfSeq[seq] = k;
    this.alive[k >>> 5] |= 1 << (k & 31);
    this.unavailable[k] = capacity === "full" || registration === "closed" ? 1 : 0;
    // A stale mark ranks like a confirmation older than any cut-off (freshness.ts: one staleness rule).
    this.confirmed[k] = staleSince !== null ? -Infinity : Date.parse(confirmedAt);
    this.price[k] = Number(priceKey);
    this.hash[k] = fairHash(seq);
    this.name[k] = sortName;
    this.updated[k] = updatedAt;
    return k;
  }

  private removeSeq(seq: number): void {
    const k = seq < this.posOfSeq.length ? this.posOfSeq[seq] : -1;
    if (k < 0) return;
    this.posOfSeq[seq] = -1;
    this.alive[k >>> 5] &= ~(1 << (k & 31));
    this.live--;
  }

  /** Slots are added in increasing order, so lists stay sorted; a tag turns into a bit set once it is common. */
  private addTag(id: number, k: number): void {
    const t = this.tags[id];
    if (t.bits) {
      if (t.bits.length <= k >>> 5) t.bits = grow(t.bits, this.alive.length);
      t.bits[k >>> 5] |= 1 << (k & 31);
    } else {
      const list = t.list!;
      if (t.count >= list.length) t.list = grow(list, t.count + 1);
      t.list![t.count] = k;
      if (t.count + 1 > 64 && t.count + 1 > this.n / DENSE_DIVISOR) {
        const bits = new Uint32Array(Math.max(this.alive.length, (k >>> 5) + 1));
        for (let i = 0; i <= t.count; i++) bits[t.list![i] >>> 5] |= 1 << (t.list![i] & 31);
        t.bits = bits;
        t.list = undefined;
      }
    }
    t.count++;
  }

  /**
   * One pass over the candidates (all offers when `match` is undefined): the total and every facet (an offer counts
   * toward field f's facet when it passes every filter except possibly f's own) and the first `limit` offers after
   * `after` in (key, seq) order, ascending or descending like the SQL path.
   */
  rank(match: { seqs: ArrayLike<number>; scores: ArrayLike<number> } | undefined, filters: TagFilters, facetFields: readonly string[],
    sort: RankSort, dir: "asc" | "desc", limit: number, after?: { key: unknown; seq: number }): RankResult {
    const W = (this.n + 31) >>> 5;
    const { alive, posOfSeq } = this;
    // Candidates: the matched offers (with their scores), or every live one.
    let cand: Uint32Array;
    if (match) {
      cand = new Uint32Array(W);
      if (sort.kind === "relevance") this.scores = grow(this.scores, this.n);
      const { seqs, scores } = match;
      for (let i = 0; i < seqs.length; i++) {
        const seq = seqs[i];
        const k = seq < posOfSeq.length ? posOfSeq[seq] : -1;
        if (k < 0) continue;
        cand[k >>> 5] |= 1 << (k & 31);
        if (sort.kind === "relevance") this.scores[k] = scores[i];
      }
    } else {
      cand = alive.subarray(0, W);
    }
    // Each active filter: the offers carrying one of its values (OR within a field).
    const active = Object.entries(filters).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0);
    const pass = active.map(([field, values]) => {
      const bits = new Uint32Array(W);
      for (const value of values) {
        const id = this.ids.get(`${field}\u0000${value}`);
        if (id !== undefined) this.orInto(bits, this.tags[id]);
      }
      return bits;
    });
    // Passing every filter, and for each filter field, passing every other one (its own facet's base).
    const all = new Uint32Array(W);
    for (let w = 0; w < W; w++) {
      let x = cand[w] & alive[w];
      for (const p of pass) x &= p[w];
      all[w] = x;
    }
    const baseOf = new Map<string, Uint32Array>();
    active.forEach(([field], i) => {
      const base = new Uint32Array(W);
      for (let w = 0; w < W; w++) {
        let x = cand[w] & alive[w];
        for (let j = 0; j < pass.length; j++) if (j !== i) x &= pass[j][w];
        base[w] = x;
      }
      baseOf.set(field, base);
    });
    const wanted = new Set(facetFields);
    const facets: Facets = Object.fromEntries(facetFields.map((f) => [f, []]));
    for (const t of this.tags) {
      if (!wanted.has(t.field)) continue;
      const count = this.countIn(t, baseOf.get(t.field) ?? all, W);
      if (count > 0) facets[t.field].push({ value: t.value, count });
    }
    for (const list of Object.values(facets)) list.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));

    let total = 0;
    for (let w = 0; w < W; w++) total += popcount(all[w]);
    // Without a text, the order is static per offer: walk a presorted order and stop after `limit` (a few hundred
    // offers visited instead of every candidate's key computed); relevance keys depend on the query: scan.
    const top = sort.kind === "relevance" ? this.top(all, W, sort, dir, limit, after) : this.topInOrder(all, sort, dir, limit, after);
    return { seqs: top.map((t) => t.s), keys: top.map((t) => t.k), total, facets };
  }

  private orInto(bits: Uint32Array, t: Tag): void {
    if (t.bits) {
      const n = Math.min(bits.length, t.bits.length);
      for (let w = 0; w < n; w++) bits[w] |= t.bits[w];
    } else {
      const list = t.list!;
      for (let i = 0; i < t.count; i++) { const k = list[i]; if (k >>> 5 < bits.length) bits[k >>> 5] |= 1 << (k & 31); }
    }
  }

  private countIn(t: Tag, base: Uint32Array, W: number): number {
    let c = 0;
    if (t.bits) {
      const b = t.bits;
      const n = Math.min(W, b.length);
      for (let w = 0; w < n; w++) { const x = b[w] & base[w]; if (x !== 0) c += popcount(x); }
    } else {
      const list = t.list!;
      for (let i = 0; i < t.count; i++) { const k = list[i]; if ((base[k >>> 5] >>> (k & 31)) & 1) c++; }
    }
    return c;
  }

  /** Slots ordered by `kind`'s key then seq (fair: the day's shuffle; its tiers are applied while walking). */
  private order(sort: Exclude<RankSort, { kind: "relevance" }>): Int32Array {
    const id = sort.kind === "fair" ? `fair|${sort.dayMask}` : sort.kind;
    const { seqOf, price, name, updated, hash } = this;
    let keyOf: (k: number) => number | string;
    if (sort.kind === "fair") { const mask = sort.dayMask; keyOf = (k) => (hash[k] ^ mask) >>> 0; }
    else keyOf = sort.kind === "price" ? (k) => price[k] : sort.kind === "name" ? (k) => name[k] : (k) => updated[k];
    const cmp = (a: number, b: number) => { const ka = keyOf(a); const kb = keyOf(b); return ka < kb ? -1 : ka > kb ? 1 : seqOf[a] - seqOf[b]; };
    const known = this.orders.get(id);
    if (known && known.n === this.n) return known.perm;
    let perm: Int32Array;
    if (known) {
      // Slots appended since (catch-ups): sort them and merge them in, one pass.
      const added = Int32Array.from({ length: this.n - known.n }, (_, i) => known.n + i).sort(cmp);
      perm = new Int32Array(this.n);
      let i = 0; let j = 0; let o = 0;
      while (i < known.perm.length && j < added.length) perm[o++] = cmp(known.perm[i], added[j]) <= 0 ? known.perm[i++] : added[j++];
      while (i < known.perm.length) perm[o++] = known.perm[i++];
      while (j < added.length) perm[o++] = added[j++];
    } else {
      perm = Int32Array.from({ length: this.n }, (_, i) => i).sort(cmp);
    }
    if (sort.kind === "fair") for (const key of this.orders.keys()) if (key.startsWith("fair|")) this.orders.delete(key);
    this.orders.set(id, { n: this.n, perm });
    return perm;
  }

  /**
   * The first `limit` offers of `bits` after `after` for a sort whose key is static per offer, by walking its order:
   * ascending from the start (or from just after the cursor), descending from the end. The fair order walks the day's
   * shuffle once per tier (open, stale, full or closed). Same keys and order as `top`.
   */
  private topInOrder(bits: Uint32Array, sort: Exclude<RankSort, { kind: "relevance" }>, dir: "asc" | "desc", limit: number, after?: { key: unknown; seq: number }): Array<{ k: number | string; s: number }> {
    const perm = this.order(sort);
    const { seqOf, price, name, updated, hash, unavailable, confirmed } = this;
    const top: Array<{ k: number | string; s: number }> = [];
    if (limit <= 0) return top;
    const has = (k: number) => ((bits[k >>> 5] >>> (k & 31)) & 1) === 1;
    /** First position whose (key, seq) comes after (key, seq) in ascending order. */
    const firstAfter = (keyOf: (k: number) => number | string, key: number | string, seq: number) => {
      let lo = 0; let hi = perm.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1; const km = keyOf(perm[mid]);
        if (km < key || (km === key && seqOf[perm[mid]] <= seq)) lo = mid + 1; else hi = mid;
      }
      return lo;
    };
    if (sort.kind === "fair") {
      const mask = sort.dayMask; const before = sort.staleBefore;
      const shuffle = (k: number) => (hash[k] ^ mask) >>> 0;
      const tierOf = (k: number) => (unavailable[k] ? 2 : confirmed[k] < before ? 1 : 0);
      const afterKey = after ? Number(after.key) : -1;
      const afterTier = after ? Math.floor(afterKey / 4294967296) : 0;
      for (let tier = afterTier; tier <= 2 && top.length < limit; tier++) {
        const start = after && tier === afterTier ? firstAfter(shuffle, afterKey - tier * 4294967296, after.seq) : 0;
        for (let p = start; p < perm.length && top.length < limit; p++) {
          const k = perm[p];
          if (has(k) && tierOf(k) === tier) top.push({ k: tier * 4294967296 + shuffle(k), s: seqOf[k] });
        }
      }
      return top;
    }
    const keyOf = sort.kind === "price" ? (k: number) => price[k] : sort.kind === "name" ? (k: number) => name[k] : (k: number) => updated[k];
    if (dir === "asc") {
      for (let p = after ? firstAfter(keyOf, after.key as number | string, after.seq) : 0; p < perm.length && top.length < limit; p++) {
        const k = perm[p];
        if (has(k)) top.push({ k: keyOf(k), s: seqOf[k] });
      }
    } else {
      // Descending: from the end, or from just before the cursor (the last position ≤ it, minus one).
      let p = perm.length - 1;
      if (after) {
        let lo = 0; let hi = perm.length;
        const key = after.key as number | string;
        while (lo < hi) {
          const mid = (lo + hi) >> 1; const km = keyOf(perm[mid]);
          if (km < key || (km === key && seqOf[perm[mid]] < after.seq)) lo = mid + 1; else hi = mid;
        }
        p = lo - 1;
      }
      for (; p >= 0 && top.length < limit; p--) {
        const k = perm[p];
        if (has(k)) top.push({ k: keyOf(k), s: seqOf[k] });
      }
    }
    return top;
  }

  /** The first `limit` offers of `bits` after `after`, by (key, seq) in `dir`; keys exactly as the SQL path computes them. */
  private top(bits: Uint32Array, W: number, sort: RankSort, dir: "asc" | "desc", limit: number, after?: { key: unknown; seq: number }): Array<{ k: number | string; s: number }> {
    const sign = dir === "asc" ? 1 : -1;
    const cmp = (ka: number | string, sa: number, kb: number | string, sb: number) => sign * (ka < kb ? -1 : ka > kb ? 1 : sa - sb);
    const { confirmed, unavailable, hash, price, name, updated, seqOf, scores } = this;
    let keyOf: (k: number) => number | string;
    switch (sort.kind) {
      case "relevance": { const before = sort.staleBefore; const factor = sort.staleFactor; keyOf = (k) => scores[k] * (confirmed[k] < before ? factor : 1.0); break; }
      case "price": keyOf = (k) => price[k]; break;
      case "updated": keyOf = (k) => updated[k]; break;
      case "name": keyOf = (k) => name[k]; break;
      case "fair": {
        // Tier (0 open, 1 stale, 2 full or closed) × 2^32 + the day's shuffle (lib/fair-order.ts fairKey, inlined).
        const before = sort.staleBefore; const mask = sort.dayMask;
        keyOf = (k) => (unavailable[k] ? 2 : confirmed[k] < before ? 1 : 0) * 4294967296 + ((hash[k] ^ mask) >>> 0);
        break;
      }
    }
    const top: Array<{ k: number | string; s: number }> = [];
    if (limit <= 0) return top;
    const afterKey = after?.key as number | string | undefined;
    // Slots follow seq order: visiting them in the direction of the sort makes equal keys arrive best first, so a
    // full page rejects the rest at once (descending sorts walk from the last slot).
    const desc = dir === "desc";
    for (let i = 0; i < W; i++) {
      const w = desc ? W - 1 - i : i;
      let x = bits[w];
      while (x !== 0) {
        let k: number;
        if (desc) { const b = 31 - Math.clz32(x); k = (w << 5) + b; x ^= 1 << b; } else { const low = x & -x; k = (w << 5) + 31 - Math.clz32(low); x ^= low; }
        const key = keyOf(k);
        const seq = seqOf[k];
        if (after && cmp(key, seq, afterKey!, after.seq) <= 0) continue;
        if (top.length === limit) {
          const last = top[limit - 1];
          if (cmp(key, seq, last.k, last.s) >= 0) continue;
        }
        let lo = 0;
        let hi = top.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(top[mid].k, top[mid].s, key, seq) < 0) lo = mid + 1; else hi = mid; }
        top.splice(lo, 0, { k: key, s: seq });
        if (top.length > limit) top.pop();
      }
    }
    return top;
  }
}
