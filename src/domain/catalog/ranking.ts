/** Sort keys shared by the SQL path and the in-memory index: bm25 weights, staleness factor, the fair order's day. */
import type { RankSort } from "../../db/queries/search.ts";
import { dayMask } from "../../lib/fair-order.ts";
import { dayNumber, MINUTE_MS } from "../../lib/time.ts";
import type { Sort } from "../vocabulary.ts";
import { staleBefore } from "./freshness.ts";

/** bm25 weights: title and software above the provider's name, above description and service keywords. */
export const WEIGHTS = [10, 10, 4, 1, 2] as const;
/** Stale offers keep half their relevance (bm25 is negative: closer to 0 ranks lower). */
const STALE_FACTOR = 0.5;

const minute = (nowMs: number) => Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;

/** The sort keys of `sort` at `nowMs` (cut-offs rounded to the minute so cached results stay valid), and its direction. */
export function rankSort(sort: Sort, nowMs: number): { sort: RankSort; dir: "asc" | "desc" } {
  const before = staleBefore(minute(nowMs));
  if (sort === "relevance") return { sort: { kind: "relevance", staleBefore: before, staleFactor: STALE_FACTOR }, dir: "asc" };
  if (sort === "fair") return { sort: { kind: "fair", staleBefore: before, dayMask: dayMask(dayNumber(nowMs)) }, dir: "asc" };
  return { sort: { kind: sort }, dir: sort === "updated" ? "desc" : "asc" };
}
