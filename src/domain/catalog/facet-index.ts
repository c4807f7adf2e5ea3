/**
 * Facet counting in memory: every offer's filter tags as small integer ids, loaded once per catalog version.
 * SQLite's GROUP BY over the matched offers' tags (a temp B-tree) costs far more than ranking them; counting ids in a
 * typed array does the same work in a few milliseconds. The database stays the source of truth: the index is keyed by
 * the catalog version and rebuilt when it changes (in the background for large catalogs; meanwhile SQL counts).
 */
import type { Db } from "../../db/client.ts";
import { getCatalogVersion } from "../../db/queries/meta.ts";
import { maxOfferSeq, readTagChunk } from "../../db/queries/search.ts";
import type { Facets, TagFilters } from "../../db/queries/search.ts";

export class FacetIndex {
  /** Offers read per query while building (a range of seqs, so no offer's tags are split). */
  constructor(private seqSpan = 5_000) {}

  version: string | undefined;
  /** Tag rows seen at the last build: small catalogs are rebuilt inline, large ones in the background. */
  size = 0;
  private ids = new Map<string, number>();
  private fieldOf: string[] = [];
  private valueOf: string[] = [];
  /** Compressed rows: offer at position k has tag ids tagIds[offsets[k] .. offsets[k+1]); posOfSeq[seq] = k or -1. */
  private posOfSeq = new Int32Array(0);
  private offsets = new Int32Array(1);
  private tagIds = new Uint32Array(0);
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

  /** Loads every offer's tags in seq ranges; the result is kept only if no write happened meanwhile. */
  async build(db: Db): Promise<void> {
    const before = await getCatalogVersion(db);
    const maxSeq = await maxOfferSeq(db);
    const posOfSeq = new Int32Array(maxSeq + 1).fill(-1);
    const offsets: number[] = [0];
    const ids: number[] = [];
    for (let from = 0; from < maxSeq; from += this.seqSpan) {
      const chunk = await readTagChunk(db, from, from + this.seqSpan);
      for (let i = 0; i < chunk.length;) {
        const seq = chunk[i].offer_seq;
        for (; i < chunk.length && chunk[i].offer_seq === seq; i++) ids.push(this.idOf(chunk[i].field, chunk[i].value));
        posOfSeq[seq] = offsets.length - 1;
        offsets.push(ids.length);
      }
    }
    if ((await getCatalogVersion(db)) !== before) return;
    this.posOfSeq = posOfSeq;
    this.offsets = Int32Array.from(offsets);
    this.tagIds = Uint32Array.from(ids);
    this.size = ids.length;
    this.version = before;
  }

  /**
   * Makes sure the index is at `version`. Small catalogs (and the first build) wait for the load; large ones start a
   * background rebuild and return false meanwhile (callers count in SQL). One load at a time.
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

  /**
   * Total and facets over candidate offers (all offers when `candidates` is undefined): an offer counts toward
   * field f's facet when it passes every filter except possibly f's own.
   */
  count(candidates: Iterable<number> | undefined, filters: TagFilters, facetFields: readonly string[]): { total: number; facets: Facets } {
    const active = Object.entries(filters).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0);
    const n = this.fieldOf.length;
    const bitOfTag = new Int32Array(n);
    active.forEach(([f, vs], i) => { for (const v of vs) { const id = this.ids.get(`${f}\u0000${v}`); if (id !== undefined) bitOfTag[id] = 1 << i; } });
    const fieldBit = new Map(active.map(([f], i) => [f, 1 << i]));
    const tagBit = new Int32Array(n); // bit of the tag's own field if that field is filtered
    const wanted = new Uint8Array(n);
    for (let id = 0; id < n; id++) { tagBit[id] = fieldBit.get(this.fieldOf[id]) ?? 0; wanted[id] = facetFields.includes(this.fieldOf[id]) ? 1 : 0; }
    const all = (1 << active.length) - 1;
    const counts = new Float64Array(n);
    let total = 0;
    const { offsets, tagIds, posOfSeq } = this;
    const visit = (k: number) => {
      const end = offsets[k + 1];
      let passes = 0;
      for (let j = offsets[k]; j < end; j++) passes |= bitOfTag[tagIds[j]];
      const fails = all & ~passes;
      if (fails === 0) total++;
      else if ((fails & (fails - 1)) !== 0) return;
      for (let j = offsets[k]; j < end; j++) {
        const id = tagIds[j];
        if (wanted[id] && (fails === 0 || tagBit[id] === fails)) counts[id]++;
      }
    };
    if (candidates === undefined) for (let k = 0; k < offsets.length - 1; k++) visit(k);
    else for (const seq of candidates) { const k = seq < posOfSeq.length ? posOfSeq[seq] : -1; if (k >= 0) visit(k); }
    const facets: Facets = Object.fromEntries(facetFields.map((f) => [f, []]));
    for (let id = 0; id < n; id++) if (counts[id] > 0) facets[this.fieldOf[id]]?.push({ value: this.valueOf[id], count: counts[id] });
    for (const list of Object.values(facets)) list.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
    return { total, facets };
  }
}
