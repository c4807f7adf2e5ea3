/**
 * Fair choice of an offer for "any provider for <service>": a weighted random pick where the weight is the declared
 * capacity (`quota.users`, or DEFAULT_WEIGHT when not declared) minus the signups this directory already sent
 * there that are not finished yet (floored at 1), so load spreads over providers in proportion to what they can take.
 * Only offers the pick rule accepts (eligibility.ts: open to anyone, capacity left, reachable) enter the pool. Preferences (language, country) narrow the list to the best
 * matching tier when that tier is not empty, and never exclude everyone.
 */
import type { Candidate } from "../../db/queries/signups.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import { acceptsSignups, PICK_RULE } from "./eligibility.ts";

export const DEFAULT_WEIGHT = 10;

export type Weighted<T> = { item: T; weight: number };

/** Picks one item with probability weight / Σweights. `random` returns [0, 1). Undefined for an empty list. */
export function pickWeighted<T>(items: Weighted<T>[], random: () => number): T | undefined {
  const usable = items.filter((i) => i.weight > 0 && Number.isFinite(i.weight));
  const total = usable.reduce((s, i) => s + i.weight, 0);
  if (total <= 0) return undefined;
  let x = random() * total;
  for (const i of usable) {
    if (x < i.weight) return i.item;
    x -= i.weight;
  }
  return usable[usable.length - 1].item;
}

export function capacityWeight(c: Pick<Candidate, "quota_users" | "open_signups">): number {
  const declared = c.quota_users && c.quota_users > 0 ? c.quota_users : DEFAULT_WEIGHT;
  return Math.max(1, declared - Number(c.open_signups ?? 0));
}


/** Best non-empty tier: language and country, then language, then country, then all. */
export function preferred(cands: Candidate[], pref: { language?: string; country?: string }): Candidate[] {
  const lang = pref.language ? primaryLanguage(pref.language) : undefined;
  const speaks = (c: Candidate) => !lang || (JSON.parse(c.languages_json) as string[]).some((l) => primaryLanguage(l) === lang);
  const inCountry = (c: Candidate) => !pref.country || c.data_location === pref.country || c.provider_country === pref.country;
  const tiers = [cands.filter((c) => speaks(c) && inCountry(c)), cands.filter(speaks), cands.filter(inCountry), cands];
  return tiers.find((t) => t.length > 0) ?? [];
}

export function pickOffer(cands: Candidate[], pref: { language?: string; country?: string }, random: () => number): Candidate | undefined {
  const pool = preferred(cands.filter((c) => acceptsSignups(c, PICK_RULE)), pref);
  return pickWeighted(pool.map((c) => ({ item: c, weight: capacityWeight(c) })), random);
}
