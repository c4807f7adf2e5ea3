/**
 * The "fair" order of offers: a per-day shuffle, the same in SQL (db/queries/search.ts) and in memory
 * (domain/catalog/facet-index.ts). Fibonacci hashing spreads consecutive seqs (one provider's offers) apart; the XOR
 * with a mask derived from the day reorders them every day, stably within the day.
 */

/** `h(seq) = (seq × MULTIPLIER) mod MODULUS`: exact in doubles for seq < 2^21 × 1,000 and in SQLite's integers. */
export const FAIR_MULTIPLIER = 2654435761;
export const FAIR_MODULUS = 4294967291;
/** Tiers (open, stale, full or closed) are spaced by this, above every shuffled value. */
export const FAIR_TIER = 4294967296;

export function fairHash(seq: number): number {
  return (seq * FAIR_MULTIPLIER) % FAIR_MODULUS;
}

/** A 32-bit mask derived from the day number, XORed into each offer's fixed hash. */
export function dayMask(day: number): number {
  let x = (day * 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The shuffled position of `seq` on the day of `mask`, in [0, 2^32). */
export function fairShuffle(seq: number, mask: number): number {
  return (fairHash(seq) ^ mask) >>> 0;
}

/** The full fair key: tier first, then the day's shuffle. */
export function fairKey(tier: number, seq: number, mask: number): number {
  return tier * FAIR_TIER + fairShuffle(seq, mask);
}
