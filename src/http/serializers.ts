/** DB rows → wire JSON (api.md names). The only place, with federation/vocab.ts, that knows both. */
import type { ProviderRow } from "../db/database.ts";
import type { ProviderListRow } from "../db/queries/providers.ts";
import type { OfferWithProvider } from "../db/queries/offers.ts";
import { isStale } from "../domain/catalog/search.ts";
import type { Offer } from "../domain/schemas.ts";

type Json = Record<string, unknown>;

function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

export function serializeOffer(r: OfferWithProvider, nowMs: number): Offer {
  return compact({
    id: r.id,
    provider: {
      slug: r.p_slug, name: r.p_name, country: r.p_country, orgType: r.p_org_type as Offer["provider"]["orgType"],
      chatonsMember: r.p_chatons_member === 1, verified: r.p_verified === 1,
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
    stale: isStale(r.confirmed_at, nowMs) || r.stale_since != null,
    updatedAt: r.updated_at,
    source: r.source as Offer["source"],
    origin: r.origin_json ? JSON.parse(r.origin_json) : undefined,
  });
}

/** Public provider fields; `email` is private and never serialized here. */
export function serializeProvider(p: ProviderRow | ProviderListRow, offerCount?: number) {
  return {
    slug: p.slug,
    name: p.name,
    website: p.website,
    country: p.country,
    orgType: p.org_type,
    description: JSON.parse(p.description_json) as Record<string, string>,
    chatonsMember: p.chatons_member === 1,
    verified: p.verified === 1,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    offerCount: offerCount ?? ("offer_count" in p ? Number(p.offer_count) : 0),
  };
}
