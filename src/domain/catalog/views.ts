/**
 * Read side of the catalog: stored rows → the public objects of the contract (api.md names, schemas.ts types).
 * The JSON API, the HTML pages and federation read offers and providers through these, so each resource has one
 * source and one shape.
 */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { findOfferById, findOffersByProvider, type OfferWithProvider } from "../../db/queries/offers.ts";
import { findProviderBySlug, listProviders, providerCountries, type ProviderListRow } from "../../db/queries/providers.ts";
import { followedName } from "../../db/queries/federation.ts";
import { cursorCodec } from "../../lib/cursor.ts";
import { ok, fail, type Result } from "../errors.ts";
import type { Offer, ProviderQuery } from "../schemas.ts";
import { acceptsSignups } from "../signups/eligibility.ts";
import { isStale } from "./freshness.ts";
import { membershipOf, type Membership } from "../sources/membership-rule.ts";
import { isNewlyListed, offerListing, providerListing, type OfferListing, type ProviderListing, type ListingPolicy } from "./listing.ts";

export type { Offer };
export type ProviderView = {
  slug: string; name: string; website: string; country: string; orgType: string; description: Record<string, string>;
  chatonsMember: boolean; chatonsMembership: Membership; verified: boolean; reviewed: boolean; newlyListed: boolean;
  createdAt: string; updatedAt: string; offerCount: number;
  /** A provider another directory lists: its actor there, and that directory's actor. */
  origin?: { actor: string; directory: string };
};
/** What the offer's own provider is told about an offer the public does not see (and why). */
export type OwnOffer = Offer & { listing?: { state: Exclude<OfferListing, "listed">; reason?: string } };

/** Longest offer id or provider slug looked up (longer ones cannot exist). */
const MAX_KEY = 200;

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

/** "Reviewed by this directory": an operator approved it (demo seeds count); federated providers are their directory's. */
const reviewedOf = (p: { reviewed_at: string | null; source: string }) => p.reviewed_at !== null && p.source !== "federated";

export function presentOffer(r: OfferWithProvider, nowMs: number): Offer {
  return compact({
    id: r.id,
    provider: {
      slug: r.p_slug, name: r.p_name, country: r.p_country, orgType: r.p_org_type as Offer["provider"]["orgType"],
      chatonsMember: r.p_chatons_member === 1,
      chatonsMembership: membershipOf({ chatons_member: r.p_chatons_member, chatons_level: r.p_chatons_level, chatons_listed: r.p_chatons_listed }),
      verified: r.p_verified === 1,
      reviewed: reviewedOf({ reviewed_at: r.p_reviewed_at, source: r.p_source }),
      newlyListed: r.p_source !== "federated" && isNewlyListed({ listed_at: r.p_listed_at }, nowMs),
    },
    service: r.service as Offer["service"],
    software: compact({ name: r.software_name, version: r.software_version ?? undefined, license: r.software_license ?? undefined }),
    title: JSON.parse(r.title_json),
    description: JSON.parse(r.description_json),
    price: compact({
      model: r.price_model as Offer["price"]["model"], amount: r.price_amount ?? undefined, currency: r.price_currency ?? undefined,
      period: (r.price_period ?? undefined) as Offer["price"]["period"],
    }),
    registration: r.registration as Offer["registration"],
    capacity: r.capacity as Offer["capacity"],
    quota: compact({ storageGB: r.quota_storage_gb ?? undefined, users: r.quota_users ?? undefined }),
    dataLocation: r.data_location,
    languages: JSON.parse(r.languages_json),
    includes: JSON.parse(r.includes_json),
    audience: JSON.parse(r.audience_json),
    support: JSON.parse(r.support_json),
    signup: compact({ mode: r.signup_mode as Offer["signup"]["mode"], url: r.signup_url ?? undefined }),
    acceptsSignups: acceptsSignups(r),
    stale: isStale(r, nowMs),
    updatedAt: r.updated_at,
    source: r.source as Offer["source"],
    origin: r.origin_json ? JSON.parse(r.origin_json) : undefined,
  });
}

/**
 * The offer as its own provider sees it (space, API answers to its token): the public view, plus — only when the
 * public does not see it — why not. Listed offers look exactly as the public GET shows them (same ETag for If-Match).
 */
export function presentOwnOffer(r: OfferWithProvider, nowMs: number, policy: ListingPolicy): OwnOffer {
  const offer = presentOffer(r, nowMs);
  const state = offerListing(providerListing({
    deleted_at: r.p_deleted_at, hidden_at: r.p_hidden_at, source: r.p_source, listed_at: r.p_listed_at, reviewed_at: r.p_reviewed_at, demo: r.p_demo,
    chatons_member: r.p_chatons_member, chatons_level: r.p_chatons_level, chatons_listed: r.p_chatons_listed,
  }, policy), r);
  if (r.listed === 1 || state === "listed") return offer;
  const reason = state === "hidden" ? r.hidden_reason : state === "provider-hidden" ? r.p_hidden_reason : null;
  return { ...offer, listing: { state, ...(reason ? { reason } : {}) } };
}

/** A provider's own listing state, for its space and its API: public, waiting for review, or hidden (with why). */
export function ownListing(p: ProviderRow, policy: ListingPolicy): { state: ProviderListing; reason?: string } {
  const state = p.listed === 1 ? "listed" : providerListing(p, policy);
  return { state: state === "listed" && p.listed !== 1 ? "waiting-for-review" : state, ...(state === "hidden" && p.hidden_reason ? { reason: p.hidden_reason } : {}) };
}

/** Public provider fields; `email` is private and never presented here. */
export function presentProvider(p: ProviderRow | ProviderListRow, offerCount: number | undefined, nowMs: number): ProviderView {
  return {
    slug: p.slug,
    name: p.name,
    website: p.website,
    country: p.country,
    orgType: p.org_type,
    description: JSON.parse(p.description_json) as Record<string, string>,
    chatonsMember: p.chatons_member === 1,
    chatonsMembership: membershipOf(p),
    verified: p.verified === 1,
    reviewed: reviewedOf(p),
    newlyListed: p.source !== "federated" && isNewlyListed(p, nowMs),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    offerCount: offerCount ?? ("offer_count" in p ? Number(p.offer_count) : 0),
    ...(p.source === "federated" && p.origin_json ? { origin: originOf(p.origin_json) } : {}),
  };
}

const originOf = (json: string) => {
  const o = JSON.parse(json) as { actor: string; directory: string };
  return { actor: o.actor, directory: o.directory };
};

/** How a directory is named to people: its name when we follow it and know it, and always its host. */
export async function directoryLabel(db: Db, actorUrl: string): Promise<{ name?: string; host: string; url: string }> {
  let host = actorUrl;
  try { host = new URL(actorUrl).host; } catch { /* shown as given */ }
  const name = await followedName(db, actorUrl);
  return { host, url: actorUrl, ...(name ? { name } : {}) };
}

/** One offer by its public id (local, crawled or federated), or undefined. */
export async function offerById(db: Db, id: string, nowMs: number): Promise<Offer | undefined> {
  const row = id.length <= MAX_KEY ? await findOfferById(db, id) : undefined;
  return row ? presentOffer(row, nowMs) : undefined;
}

/** A provider with all its offers, ours or one another directory lists (then `origin` says where it lives). */
export async function providerWithOffers(db: Db, slug: string, nowMs: number): Promise<{ provider: ProviderView; offers: Offer[] } | undefined> {
  const p = slug.length <= MAX_KEY ? await findProviderBySlug(db, slug) : undefined;
  if (!p || p.listed !== 1) return undefined;
  const offers = await findOffersByProvider(db, p.id);
  return { provider: presentProvider(p, offers.length, nowMs), offers: offers.map((o) => presentOffer(o, nowMs)) };
}

/** Every offer of a provider, listed or not, as its provider (or an operator) sees them. */
export async function ownOffers(db: Db, providerId: number, nowMs: number, policy: ListingPolicy): Promise<OwnOffer[]> {
  return (await findOffersByProvider(db, providerId, { unlisted: true })).map((r) => presentOwnOffer(r, nowMs, policy));
}

/** One offer of the provider's own, listed or not (its space and its API), with why the public does not see it. */
export async function ownOfferById(db: Db, id: string, nowMs: number, policy: ListingPolicy): Promise<OwnOffer | undefined> {
  const row = id.length <= MAX_KEY ? await findOfferById(db, id, { unlisted: true }) : undefined;
  return row ? presentOwnOffer(row, nowMs, policy) : undefined;
}

const providerCursor = cursorCodec(v.pipe(v.tuple([v.string(), v.pipe(v.number(), v.safeInteger())]), v.transform(([name, id]) => ({ name, id }))));

/** `GET /api/v1/providers`: providers by name, keyset-paginated. */
export async function listProviderViews(db: Db, q: ProviderQuery, nowMs: number): Promise<Result<{ items: ProviderView[]; total: number; nextCursor: string | null }>> {
  const after = q.cursor ? providerCursor.decode(q.cursor) : undefined;
  if (q.cursor && !after) return fail({ kind: "invalid", detail: "The cursor is not valid; start again without it.", errors: [{ path: "cursor", message: "is not a valid cursor" }] });
  const limit = q.limit ?? 20;
  const { rows, total } = await listProviders(db, { q: q.q, country: q.country, orgType: q.orgType, member: q.member, limit, after });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? providerCursor.encode([last.name.toLowerCase(), last.id]) : null;
  return ok({ items: page.map((p) => presentProvider(p, undefined, nowMs)), total, nextCursor });
}

/** Countries of the listed providers, for filters. */
export const listedProviderCountries = (db: Db): Promise<string[]> => providerCountries(db);
