/**
 * Filtering, facet counting and ordering in memory: every offer's filter tags as integer ids plus its sort inputs,
 * loaded once per catalog version. SQLite's GROUP BY over the matched offers' tags (a temp B-tree) and the join to wide
 * offer rows cost far more than the FTS lookup itself; typed arrays do the same work in milliseconds. The database
 * stays the source of truth: the index is keyed by the catalog version and rebuilt when it changes (in the background
 * for large catalogs; meanwhile SQL does everything). Keys and order are exactly those of the SQL path.
 */
import type { Db } from "../../db/client.ts";
import { getCatalogVersion } from "../../db/queries/meta.ts";
import { maxOfferSeq, readSortChunk, readTagChunk, type Facets, type RankSort, type TagFilters } from "../../db/queries/search.ts";
import { fairKey } from "../../lib/fair-order.ts";

export type RankResult = { seqs: number[]; keys: Array<number | string>; total: number; facets: Facets };

export class FacetIndex {
  /** Offers read per query while building: a range of seqs (no offer is split); small ranges keep garbage young. */
  constructor(private seqSpan = 1_000) {}

  version: string | undefined;
  /** Tag rows seen at the last build: small catalogs are rebuilt inline, large ones in the background. */
  size = 0;
  private ids = new Map<string, number>();
  private fieldOf: string[] = [];
  private valueOf: string[] = [];
  /** Compressed rows: offer at position k has tag ids tagIds[offsets[k] .. offsets[k+1]); posOfSeq[seq] = k or -1. */
  private posOfSeq = new Int32Array(0);
  private seqOf = new Int32Array(0);
  private offsets = new Int32Array(1);
  private tagIds = new Uint32Array(0);
  private unavailable = new Uint8Array(0);
  private confirmed = new Float64Array(0);
  private price = new Float64Array(0);
  private name: string[] = [];
  private updated: string[] = [];
  private building: Promise<void> | undefined;

  private idOf(field: string, value: string): number {
    const key = `${field}\u0000${value}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.fieldOf.length;
      this.ids.set(key, id);
      this.fieldOf.push(field);
      this.valueOf.push(value);
    }
    return id;
  }

  /** Loads every offer's tags and sort inputs in seq ranges; kept only if no write happened meanwhile. */
  async build(db: Db): Promise<void> {
    const before = await getCatalogVersion(db);
    const maxSeq = await maxOfferSeq(db);
    const posOfSeq = new Int32Array(maxSeq + 1).fill(-1);
    const seqOf: number[] = [];
    const offsets: number[] = [0];
    const ids: number[] = [];
    const unavailable: number[] = [];
    const confirmed: number[] = [];
    const price: number[] = [];
    const name: string[] = [];
    const updated: string[] = [];
    for (let from = 0; from < maxSeq; from += this.seqSpan) {
      const chunk = await readTagChunk(db, from, from + this.seqSpan);
      for (let i = 0; i < chunk.length;) {
        const seq = chunk[i].offer_seq;
        for (; i < chunk.length && chunk[i].offer_seq === seq; i++) ids.push(this.idOf(chunk[i].field, chunk[i].value));
        posOfSeq[seq] = seqOf.length;
        seqOf.push(seq);
        offsets.push(ids.length);
      }
      for (const r of await readSortChunk(db, from, from + this.seqSpan)) {
        const k = posOfSeq[r.seq];
        if (k < 0) continue;
        unavailable[k] = r.capacity === "full" || r.registration === "closed" ? 1 : 0;
        // A stale mark ranks like a confirmation older than any cut-off (freshness.ts: one staleness rule).
        confirmed[k] = r.stale_since !== null ? -Infinity : Date.parse(r.confirmed_at);
        price[k] = Number(r.price_key);
        name[k] = r.sort_name;
        updated[k] = r.updated_at;
      }
    }
    if ((await getCatalogVersion(db)) !== before) return;
    Object.assign(this, {
      posOfSeq, seqOf: Int32Array.from(seqOf), offsets: Int32Array.from(offsets), tagIds: Uint32Array.from(ids),
      unavailable: Uint8Array.from(unavailable), confirmed: Float64Array.from(confirmed), price: Float64Array.from(price), name, updated,
    });
    this.size = ids.length;
    this.version = before;
  }

  /**
   * Makes sure the index is at `version`. Small catalogs (and the first build) wait for the load; large ones start a
   * background rebuild and return false meanwhile (callers use SQL). One load at a time.
   */
  async ready(db: Db, version: string, inlineBelow: number): Promise<boolean> {
    if (this.version === version) return true;
    if (!this.building) {
      this.building = this.build(db).catch(() => {}).finally(() => { this.building = undefined; });
    }
    if (this.version !== undefined && this.size >= inlineBelow) return false;
    await this.building;
    return this.version === version;
  }

  private key(k: number, sort: RankSort, score: number): number | string {
    switch (sort.kind) {
      case "relevance": return score * (this.confirmed[k] < sort.staleBefore ? sort.staleFactor : 1.0);
      case "price": return this.price[k];
      case "updated": return this.updated[k];
      case "name": return this.name[k];
      case "fair": return fairKey(this.unavailable[k] ? 2 : this.confirmed[k] < sort.staleBefore ? 1 : 0, this.seqOf[k], sort.dayMask);
    }
  }

  /**
   * One pass over the candidates (all offers when `match` is undefined): the total and every facet (an offer counts
   * toward field f's facet when it passes every filter except possibly f's own) and the first `limit` offers after
   * `after` in (key, seq) order, ascending or descending like the SQL path.
   */
  rank(match: { seqs: number[]; scores: number[] } | undefined, filters: TagFilters, facetFields: readonly string[],
    sort: RankSort, dir: "asc" | "desc", limit: number, after?: { key: unknown; seq: number }): RankResult {
    const active = Object.entries(filters).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0);
    const n = this.fieldOf.length;
    const bitOfTag = new Int32Array(n);
    active.forEach(([f, vs], i) => { for (const v of vs) { const id = this.ids.get(`${f}\u0000${v}`); if (id !== undefined) bitOfTag[id] = 1 << i; } });
    const fieldBit = new Map(active.map(([f], i) => [f, 1 << i]));
    const tagBit = new Int32Array(n);
    const wanted = new Uint8Array(n);
    for (let id = 0; id < n; id++) { tagBit[id] = fieldBit.get(this.fieldOf[id]) ?? 0; wanted[id] = facetFields.includes(this.fieldOf[id]) ? 1 : 0; }
    const all = (1 << active.length) - 1;
    const counts = new Float64Array(n);
    const sign = dir === "asc" ? 1 : -1;
    const cmp = (ka: number | string, sa: number, kb: number | string, sb: number) => sign * (ka < kb ? -1 : ka > kb ? 1 : sa - sb);
    const top: Array<{ k: number | string; s: number }> = [];
    let total = 0;
    const { offsets, tagIds, posOfSeq } = this;
    const visit = (k: number, score: number) => {
      const end = offsets[k + 1];
      let passes = 0;
      for (let j = offsets[k]; j < end; j++) passes |= bitOfTag[tagIds[j]];
      const fails = all & ~passes;
      if (fails !== 0 && (fails & (fails - 1)) !== 0) return;
      for (let j = offsets[k]; j < end; j++) {
        const id = tagIds[j];
        if (wanted[id] && (fails === 0 || tagBit[id] === fails)) counts[id]++;
      }
      if (fails !== 0) return;
      total++;
      const key = this.key(k, sort, score);
      const seq = this.seqOf[k];
      if (after && cmp(key, seq, after.key as number | string, after.seq) <= 0) return;
      if (top.length === limit && cmp(key, seq, top[limit - 1].k, top[limit - 1].s) >= 0) return;
      let lo = 0;
      let hi = top.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(top[mid].k, top[mid].s, key, seq) < 0) lo = mid + 1; else hi = mid; }
      top.splice(lo, 0, { k: key, s: seq });
      if (top.length > limit) top.pop();
    };
    if (match === undefined) for (let k = 0; k < offsets.length - 1; k++) visit(k, 0);
    else for (let i = 0; i < match.seqs.length; i++) { const seq = match.seqs[i]; const k = seq < posOfSeq.length ? posOfSeq[seq] : -1; if (k >= 0) visit(k, match.scores[i]); }
    const facets: Facets = Object.fromEntries(facetFields.map((f) => [f, []]));
    for (let id = 0; id < n; id++) if (counts[id] > 0) facets[this.fieldOf[id]]?.push({ value: this.valueOf[id], count: counts[id] });
    for (const list of Object.values(facets)) list.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
    return { seqs: top.map((t) => t.s), keys: top.map((t) => t.k), total, facets };
  }
}
