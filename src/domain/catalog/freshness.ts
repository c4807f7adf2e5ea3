/** When an offer counts as stale: its publisher has not confirmed it for 30 days, or its pull source went dormant. */
import { DAY_MS } from "../../lib/time.ts";

export const STALE_AFTER_DAYS = 30;

/** Last confirmation before this instant (epoch ms) means stale, at `nowMs`. */
export function staleBefore(nowMs: number): number {
  return nowMs - STALE_AFTER_DAYS * DAY_MS;
}

/** The one staleness rule: the API's `stale`, the compare table, the badges and the ranking penalty all use it. */
export function isStale(o: { confirmed_at: string; stale_since: string | null }, nowMs: number): boolean {
  return o.stale_since !== null || Date.parse(o.confirmed_at) < staleBefore(nowMs);
}
