/** The typed shape of the database. Columns are snake_case; JSON columns hold text produced by JSON.stringify. */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface ProvidersTable {
  id: Generated<number>;
  slug: string;
  name: string;
  website: string;
  email: string | null;
  country: string;
  org_type: string;
  description_json: Generated<string>;
  chatons_member: Generated<number>;
  verified: Generated<number>;
  verification_token: string | null;
  verified_at: string | null;
  demo: Generated<number>;
  source: Generated<string>;
  origin_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface OffersTable {
  seq: Generated<number>;
  id: string;
  provider_id: number;
  slug: string;
  service: string;
  software_name: string;
  software_version: string | null;
  software_license: string | null;
  title_json: string;
  description_json: string;
  sort_name: string;
  price_model: string;
  price_amount: number | null;
  price_currency: string | null;
  price_period: string | null;
  /** Normalised monthly price in minor units for sorting; 0 for free and pay-what-you-want. */
  price_monthly: number | null;
  registration: string;
  capacity: string;
  quota_storage_gb: number | null;
  quota_users: number | null;
  data_location: string;
  languages_json: string;
  includes_json: string;
  audience_json: string;
  support_json: string;
  signup_mode: string;
  signup_url: string | null;
  source: string;
  origin_json: string | null;
  created_at: string;
  updated_at: string;
  /** Last time the publisher confirmed the offer (push, or a successful pull). Drives `stale`. */
  confirmed_at: string;
}

/** One row per (offer, filter field, value): drives filters and facet counts with one index. */
export interface OfferTagsTable {
  offer_seq: number;
  field: string;
  value: string;
}

export interface ProviderTokensTable {
  id: Generated<number>;
  provider_id: number;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** Change events written in the same transaction as the change; federation publishes them later. */
export interface OfferChangesTable {
  id: Generated<number>;
  offer_id: string;
  provider_id: number;
  kind: "created" | "updated" | "deleted";
  at: string;
  published_at: string | null;
}

/** How many offers carry each (field, value) tag; maintained by triggers on offer_tags (unfiltered facets). */
export interface OfferTagCountsTable {
  field: string;
  value: string;
  n: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  providers: ProvidersTable;
  offers: OffersTable;
  offer_tags: OfferTagsTable;
  provider_tokens: ProviderTokensTable;
  offer_changes: OfferChangesTable;
  meta: MetaTable;
  offer_tag_counts: OfferTagCountsTable;
}

export type ProviderRow = Selectable<ProvidersTable>;
export type NewProviderRow = Insertable<ProvidersTable>;
export type ProviderUpdate = Updateable<ProvidersTable>;
export type OfferRow = Selectable<OffersTable>;
export type NewOfferRow = Insertable<OffersTable>;
