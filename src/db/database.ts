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
  /** Consecutive failed re-checks of the domain proof; 3 clear `verified` (migration 2026-11-25T1400). */
  verify_failures: Generated<number>;
  verify_checked_at: string | null;
  /** CHATONS membership its own organization file declares (ACTIVE | IDLE), the file, and whether the collective lists it (2026-12-07T1400). */
  chatons_level: string | null;
  chatons_org_url: string | null;
  chatons_listed: Generated<number>;
  /** Set when the provider deleted its account: a tombstone, hidden everywhere (migration 2026-12-07T1600). */
  deleted_at: string | null;
  /** Public now (domain/catalog/listing.ts decides; migration 2026-12-07T1800), and when it first became public. */
  listed: Generated<number>;
  listed_at: string | null;
  /** An operator approved it (LISTING_POLICY=reviewed); demo seeds count as reviewed. */
  reviewed_at: string | null;
  /** An operator hid it, and why. */
  hidden_at: string | null;
  hidden_reason: string | null;
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
  /** Set when the offer's pull source became very unhealthy: shown as stale until a pull confirms it again. */
  stale_since: string | null;
  /** Federated offers: where their own directory takes signups handed over (migration 2026-12-07T1200). */
  handover_url: Generated<string | null>;
  /** Federated offers: 1 when their own directory said it takes a signup for it now. */
  remote_accepts: Generated<number>;
  /** Public now: its provider is listed and it is not hidden. An unlisted offer has no tags and no FTS row (2026-12-07T1800). */
  listed: Generated<number>;
  /** An operator hid it, and why. */
  hidden_at: string | null;
  hidden_reason: string | null;
}

/** The hide mark of a hidden offer that was deleted, waiting for an offer with the same id (2026-12-07T2000). */
export interface OfferHideMarksTable {
  offer_id: string;
  hidden_at: string;
  hidden_reason: string | null;
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

/** A provider's pull source and the crawler's state for it (domain/sources/). */
export interface ProviderSourcesTable {
  id: Generated<number>;
  provider_id: number;
  url: string;
  format: "json" | "statoolinfos";
  /** `{url: {etag?, lastModified?}}` per fetched file, for conditional GETs. */
  validators_json: Generated<string>;
  health: Generated<number>;
  state: Generated<"healthy" | "degraded" | "unhealthy" | "dormant">;
  failures: Generated<number>;
  next_crawl_at: string;
  last_crawl_at: string | null;
  last_success_at: string | null;
  last_status: string | null;
  last_error: string | null;
  last_report_json: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** Fedify's key-value store (federation/kv.ts): JSON values, optional expiry in epoch ms. */
export interface FedKvTable { key: string; value: string; expires_at: number | null }
/** Fedify's message queue (federation/mq.ts): due time, lease, optional ordering key; times in epoch ms. */
export interface FedQueueTable { id: Generated<number>; message: string; ordering_key: string | null; run_at: number; locked_until: number | null; created_at: number }
/** Actor key pairs (JWK); `actor` is the Fedify identifier (provider slug, or the directory's). */
export interface FedKeysTable { actor: string; algorithm: string; private_jwk: string; public_jwk: string; created_at: string }
/** Remote actors following one of our actors. */
export interface FedFollowersTable { actor: string; follower_id: string; inbox: string; shared_inbox: string | null; follow_id: string; status: "pending" | "accepted"; created_at: string }
/** Remote actors this directory follows (admin API). */
export interface FedFollowingTable { actor_id: string; handle: string | null; inbox: string; outbox: string | null; follow_id: string; status: "pending" | "accepted"; created_at: string; accepted_at: string | null; name: Generated<string | null> }
export interface FedBlocksTable { domain: string; created_at: string }
/** Deliveries the outbound policy refused before any connection (migration 2026-12-07T1500). */
export interface FedDeliveryRefusalsTable { id: Generated<number>; inbox: string; activity_id: string | null; activity_type: string | null; reason: string; at: string }
export interface ProviderWebhooksTable {
  provider_id: number;
  url: string;
  /** `whsec_…`, kept as is because signing needs it (docs/decisions/0004). */
  secret: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  /** The secret replaced by the last rotation, still used to sign until `previous_secret_until` (epoch ms; 2026-12-07T1410). */
  previous_secret: string | null;
  previous_secret_until: number | null;
}

export interface ProviderNextcloudTable {
  provider_id: number;
  url: string;
  token: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SignupsTable {
  id: string;
  offer_id: string;
  provider_id: number;
  service: string;
  mode: string;
  status: string;
  locale: string;
  email: string | null;
  name: string | null;
  username: string | null;
  message: string | null;
  login_url: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
  updated_at: string;
  final_at: string | null;
  purged_at: string | null;
  /** Handed over to another directory (mode `handover`): its endpoint, offer object and directory actor; its signup id. */
  handover_url: Generated<string | null>;
  remote_offer: Generated<string | null>;
  /** On the offer's directory: the directory that handed the signup over. On the person's: the offer's directory. */
  remote_directory: Generated<string | null>;
  remote_id: Generated<string | null>;
  /** On the offer's directory: where the handing directory wants status reports. */
  callback_url: Generated<string | null>;
}

export interface SignupTokensTable {
  signup_id: string;
  token_hash: string;
}

export interface SignupEventsTable {
  id: Generated<number>;
  signup_id: string;
  status: string;
  message: string | null;
  at: string;
}

/** Durable outbox of webhook/Nextcloud deliveries; times are epoch milliseconds. */
export interface OutboxTable {
  id: Generated<number>;
  webhook_id: string;
  type: string;
  provider_id: number;
  signup_id: string | null;
  status: "pending" | "delivered" | "rejected" | "dead";
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: number | null;
  lease_token: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  outbox_id: number;
  attempt: number;
  at: number;
  outcome: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  window_ms: number;
  count: number;
}

/** The CHATONS collective's list of member organization files (its Federation file's `subs.*`). */
export interface ChatonsFederationTable { org_url: string; member_id: string; list_url: string; seen_at: string }
/** A signed-in browser (docs/decisions/0020): only the SHA-256 of the cookie's secret is stored. */
export interface SessionsTable {
  id_hash: string;
  kind: string;
  subject: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
}

/** A one-time sign-in link sent by email; its token exists once the mail is composed (hashed, short-lived, single use). */
export interface SigninLinksTable {
  id: Generated<number>;
  kind: string;
  subject: string;
  locale: string;
  mail_id: string;
  token_hash: string | null;
  created_at: string;
  expires_at: string | null;
  used_at: string | null;
}

/** Offer page views per UTC month ('YYYY-MM'). */
export interface OfferViewsTable {
  offer_id: string;
  month: string;
  n: number;
}

/** Offers whose indexed data changed, stamped with the catalog version of the change (search index catch-up). */
export interface OfferIndexChangesTable { seq: number; at: number }

/** What a person reported about an offer ("Signaler cette offre"), open until an operator closes it. */
export interface ReportsTable {
  id: Generated<number>;
  offer_id: string;
  provider_id: number;
  reason: string;
  message: string | null;
  locale: string;
  status: Generated<string>;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
  closed_note: string | null;
}

/** Every moderation action: who, when, what, why. Append-only (triggers refuse UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  via: string;
  action: string;
  target_type: string;
  target: string;
  reason: string | null;
}

export interface Database {
  offer_index_changes: OfferIndexChangesTable;
  chatons_federation: ChatonsFederationTable;
  providers: ProvidersTable;
  offers: OffersTable;
  offer_tags: OfferTagsTable;
  offer_hide_marks: OfferHideMarksTable;
  provider_tokens: ProviderTokensTable;
  offer_changes: OfferChangesTable;
  meta: MetaTable;
  fed_kv: FedKvTable;
  fed_queue: FedQueueTable;
  fed_keys: FedKeysTable;
  fed_followers: FedFollowersTable;
  fed_following: FedFollowingTable;
  fed_blocks: FedBlocksTable;
  fed_delivery_refusals: FedDeliveryRefusalsTable;
  offer_tag_counts: OfferTagCountsTable;
  provider_webhooks: ProviderWebhooksTable;
  provider_nextcloud: ProviderNextcloudTable;
  signups: SignupsTable;
  signup_tokens: SignupTokensTable;
  signup_events: SignupEventsTable;
  outbox: OutboxTable;
  delivery_attempts: DeliveryAttemptsTable;
  rate_limits: RateLimitsTable;
  provider_sources: ProviderSourcesTable;
  sessions: SessionsTable;
  signin_links: SigninLinksTable;
  offer_views: OfferViewsTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
}

export type ProviderRow = Selectable<ProvidersTable>;
export type NewProviderRow = Insertable<ProvidersTable>;
export type ProviderUpdate = Updateable<ProvidersTable>;
export type OfferRow = Selectable<OffersTable>;
export type NewOfferRow = Insertable<OffersTable>;
export type SignupRow = Selectable<SignupsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type SourceRow = Selectable<ProviderSourcesTable>;
export type SessionRow = Selectable<SessionsTable>;
export type SigninLinkRow = Selectable<SigninLinksTable>;
export type ReportRow = Selectable<ReportsTable>;
export type AuditRow = Selectable<AuditLogTable>;
