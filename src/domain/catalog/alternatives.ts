/** Where to go when an offer cannot be joined: similar offers a person can join now, in the fair order. */
import type { CatalogSearch } from "./search.ts";
import type { Offer } from "./views.ts";

/**
 * Up to `n` other offers of the same service that a person can join (the `available` filter: canJoin), those the
 * directory itself can route a signup to first, each group in the day's fair order.
 */
export async function similarOpenOffers(search: CatalogSearch, offer: Pick<Offer, "id" | "service">, nowMs: number, n = 3): Promise<Offer[]> {
  const r = await search.search({ service: [offer.service as never], available: true, sort: "fair", limit: Math.min(100, 4 * n + 1) }, nowMs);
  if (!r.ok) return [];
  const others = r.value.items.filter((o) => o.id !== offer.id);
  return [...others.filter((o) => o.acceptsSignups), ...others.filter((o) => !o.acceptsSignups)].slice(0, n);
}
