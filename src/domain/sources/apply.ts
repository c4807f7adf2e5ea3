/**
 * Applying a fetched source to the catalog, in one transaction, through the single offer write path:
 * listed offers are upserted as `crawled` (identical ones only get their confirmation refreshed, no change event),
 * crawled offers no longer listed are deleted (one change event each). Offers the provider pushed through the API
 * (`local`) are never touched by a pull: a listed slug that is local is skipped and reported.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { deleteOffer, saveNewOffers, saveOffer, toOfferRow } from "../catalog/offers.ts";
import { clearStale, providerOfferSources } from "../../db/queries/sources.ts";
import { iso } from "../../lib/time.ts";
import type { PulledOffer } from "./fetch.ts";

export type ApplyCounts = {
  created: number; updated: number; unchanged: number; deleted: number; skipped: Array<{ slug: string; reason: string }>;
  /** Slugs of `keep` that had an offer (kept as it was, unconfirmed); the others had none, so none was created. */
  kept: string[];
};

export async function applyPulledOffers(trx: Db, provider: ProviderRow, pulled: { offers: PulledOffer[]; keep: string[] }, nowMs: number): Promise<ApplyCounts> {
  const now = iso(nowMs);
  const counts: ApplyCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: [], kept: [] };
  const existing = new Map((await providerOfferSources(trx, provider.id)).map((o) => [o.slug, o]));
  const listed = new Set<string>();
  // Offers new to the catalog are written together (saveNewOffers: the same rows, index and events as saveOffer each,
  // at SQLite's speed), the others one by one as they need comparing; a slug listed twice updates the first.
  const fresh: Array<{ provider: ProviderRow; row: ReturnType<typeof toOfferRow> }> = [];
  const later: Array<{ slug: string; input: PulledOffer["input"] }> = [];
  for (const { slug, input } of pulled.offers) {
    const current = existing.get(slug);
    if (current && current.source !== "crawled") {
      listed.add(slug);
      counts.skipped.push({ slug, reason: `offer "${slug}" is published through the API (source ${current.source}); the pull leaves it alone` });
      continue;
    }
    if (!current && !listed.has(slug)) fresh.push({ provider, row: toOfferRow(provider, slug, input, now, "crawled") });
    else later.push({ slug, input });
    listed.add(slug);
  }
  counts.created += await saveNewOffers(trx, fresh);
  for (const { slug, input } of later) {
    const r = await saveOffer(trx, provider, toOfferRow(provider, slug, input, now, "crawled"));
    counts[r.kind]++;
  }
  const keep = new Set(pulled.keep);
  counts.kept = pulled.keep.filter((slug) => existing.get(slug)?.source === "crawled");
  for (const o of existing.values()) {
    if (o.source === "crawled" && !listed.has(o.slug) && !keep.has(o.slug)) {
      if (await deleteOffer(trx, o.id, now)) counts.deleted++;
    }
  }
  // saveOffer refreshed `confirmed_at` of every listed offer; they are no longer stale either.
  // Offers kept because their file failed this time stay unconfirmed.
  const confirmed = [...listed].filter((s) => existing.get(s)?.source === undefined || existing.get(s)?.source === "crawled");
  if (confirmed.length) {
    await clearStale(trx, provider.id, confirmed);
  }
  return counts;
}
