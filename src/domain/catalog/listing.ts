/**
 * Who and what is public (docs/decisions/0030-listing-policy-and-moderation.md). One rule for providers, one for
 * offers; the write path (catalog/offers.ts) stores their outcome in `listed` columns, and every public read (search,
 * pages, API, federation, StatoolInfos export, compare, signups) reads only listed rows.
 *
 * LISTING_POLICY decides how a provider that was never public becomes public: `open` at once, `reviewed` when an
 * operator approves it or the CHATONS collective's list confirms its membership (demo seeds count as reviewed). Once
 * public, a provider stays public until an operator hides it (or it leaves): the policy gates newcomers, it does not
 * re-examine providers people already know. An offer is public when its provider is and it is not hidden itself.
 */
import type { ProviderRow } from "../../db/database.ts";
import { DAY_MS } from "../../lib/time.ts";
import { membershipOf } from "../sources/membership-rule.ts";

export const LISTING_POLICIES = ["open", "reviewed"] as const;
export type ListingPolicy = (typeof LISTING_POLICIES)[number];
/** What a database that never recorded a policy (a CLI run before any server start) applies: the server's default. */
export const DEFAULT_LISTING_POLICY: ListingPolicy = "reviewed";

/** A provider as the directory shows it to itself: public, waiting for an operator, or hidden by one. */
export type ProviderListing = "listed" | "waiting-for-review" | "hidden";
/** An offer likewise; `provider-hidden` and `waiting-for-review` come from its provider. */
export type OfferListing = "listed" | "hidden" | "provider-hidden" | "waiting-for-review";

/** A provider first listed less than this long ago carries the "new" badge (and nothing else: no ranking boost). */
export const NEW_FOR_DAYS = 30;

type ListingInputs = Pick<ProviderRow, "deleted_at" | "hidden_at" | "source" | "listed_at" | "reviewed_at" | "demo" | "chatons_member" | "chatons_level" | "chatons_listed">;

/** The one rule: whether a provider is public under `policy`, and if not, why. */
export function providerListing(p: ListingInputs, policy: ListingPolicy): ProviderListing {
  if (p.deleted_at !== null || p.hidden_at !== null) return "hidden";
  if (p.source === "federated" || p.listed_at !== null || policy === "open") return "listed";
  if (p.reviewed_at !== null || p.demo === 1) return "listed";
  const m = membershipOf(p);
  return m === "member" || m === "idle" ? "listed" : "waiting-for-review";
}

/** Whether an offer is public: its provider is, and the offer is not hidden. */
export function offerListing(provider: ProviderListing, offer: { hidden_at: string | null }): OfferListing {
  if (provider === "hidden") return "provider-hidden";
  if (provider === "waiting-for-review") return "waiting-for-review";
  return offer.hidden_at !== null ? "hidden" : "listed";
}

/** The "new" badge: first listed less than NEW_FOR_DAYS ago. */
export function isNewlyListed(p: { listed_at: string | null }, nowMs: number): boolean {
  return p.listed_at !== null && nowMs - Date.parse(p.listed_at) < NEW_FOR_DAYS * DAY_MS;
}

export function isListingPolicy(x: string | undefined): x is ListingPolicy {
  return x === "open" || x === "reviewed";
}
