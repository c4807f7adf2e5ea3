/**
 * Valibot schemas of everything that crosses an edge: API bodies and queries, seeds, crawled documents.
 * The JSON Schemas in schemas/ and the OpenAPI document are generated from these (scripts/schemas.ts).
 */
import * as v from "valibot";
import {
  AUDIENCES, CAPACITIES, MEMBERSHIPS, ORG_TYPES, PRICE_MODELS, PRICE_PERIODS, REGISTRATIONS, SERVICES, SIGNUP_MODES, SOURCES, SUPPORTS,
} from "./vocabulary.ts";
import { isUnstorableText, UNSTORABLE_MESSAGE } from "../lib/json-limits.ts";

export const Slug = v.pipe(v.string(), v.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be 2–63 lowercase letters, digits or hyphens"), v.minLength(2, "must be 2–63 lowercase letters, digits or hyphens"));
export const CountryCode = v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as FR"));
export const LanguageTag = v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as fr or en"));
/**
 * An email address as the HTML standard defines a "valid email address" (the `type=email` check of browsers), so a
 * form and the server never disagree about one.
 */
export const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
export const Email = v.pipe(v.string(), v.trim(), v.maxLength(254, "must be at most 254 characters"), v.regex(EMAIL_PATTERN, "must be an email address"));
const HttpUrl = v.pipe(v.string(), v.maxLength(2048), v.url("must be an absolute URL"), v.regex(/^https?:\/\//i, "must be an http(s) URL"));

/** `{"fr": "…", "en": "…"}`: at least one language, each text non-empty. */
export const LocalizedText = (max: number) =>
  v.pipe(
    v.record(LanguageTag, v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(max, `must be at most ${max} characters`))),
    v.check((m) => Object.keys(m).length > 0, "must hold at least one language, e.g. {\"fr\": \"…\"}"),
    v.check((m) => Object.keys(m).length <= 10, "must hold at most 10 languages"),
  );

export const Software = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(80)),
  version: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(40))),
  license: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(80))),
});

export const Price = v.pipe(
  v.object({
    model: v.picklist(PRICE_MODELS),
    amount: v.optional(v.pipe(v.number(), v.integer("must be an integer amount in cents"), v.minValue(0), v.maxValue(100_000_000))),
    currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"))),
    period: v.optional(v.picklist(PRICE_PERIODS)),
  }),
  v.forward(
    v.check((p) => p.amount === undefined || p.currency !== undefined, "is required when amount is given"),
    ["currency"],
  ),
);

export const Include = v.object({ service: v.picklist(SERVICES), software: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)) });

export const Signup = v.pipe(
  v.object({ mode: v.picklist(SIGNUP_MODES), url: v.optional(HttpUrl) }),
  v.forward(v.check((s) => s.mode !== "external" || s.url !== undefined, "is required when mode is external"), ["url"]),
);

/** The body of `PUT /api/v1/providers/{slug}/offers/{offerSlug}`; also one entry of a pull document. */
export const OfferInput = v.object({
  service: v.picklist(SERVICES),
  software: Software,
  title: LocalizedText(140),
  description: LocalizedText(4000),
  price: Price,
  registration: v.picklist(REGISTRATIONS),
  capacity: v.optional(v.picklist(CAPACITIES), "available"),
  quota: v.optional(v.object({
    storageGB: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000))),
    users: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000))),
  })),
  dataLocation: CountryCode,
  languages: v.optional(v.pipe(v.array(LanguageTag), v.maxLength(20)), []),
  includes: v.optional(v.pipe(v.array(Include), v.maxLength(10)), []),
  audience: v.optional(v.pipe(v.array(v.picklist(AUDIENCES)), v.maxLength(4)), []),
  support: v.optional(v.pipe(v.array(v.picklist(SUPPORTS)), v.maxLength(6)), []),
  signup: v.optional(Signup, { mode: "external" as const }),
});
export type OfferInput = v.InferOutput<typeof OfferInput>;

/** A seed or pull-document entry: an offer plus its own slug and, in seeds, its provider's slug. */
export const SeedOffer = v.object({ ...OfferInput.entries, provider: Slug, slug: Slug });
export type SeedOffer = v.InferOutput<typeof SeedOffer>;

export const ProviderInput = v.object({
  slug: Slug,
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(120)),
  website: HttpUrl,
  email: Email,
  country: CountryCode,
  orgType: v.picklist(ORG_TYPES),
  description: v.optional(LocalizedText(2000)),
});
export type ProviderInput = v.InferOutput<typeof ProviderInput>;

export const SeedProvider = v.object({ ...ProviderInput.entries, chatonsMember: v.optional(v.boolean(), false) });
export type SeedProvider = v.InferOutput<typeof SeedProvider>;

// ---- public output objects (documented in schemas/ and openapi.json) ----

export const ProviderSummary = v.object({
  slug: v.string(), name: v.string(), country: v.string(), orgType: v.picklist(ORG_TYPES), chatonsMember: v.boolean(), verified: v.boolean(),
});

export const Origin = v.object({ id: v.string(), actor: v.string(), directory: v.string() });

export const Offer = v.object({
  id: v.string(),
  provider: ProviderSummary,
  service: v.picklist(SERVICES),
  software: Software,
  title: v.record(v.string(), v.string()),
  description: v.record(v.string(), v.string()),
  price: v.object({ model: v.picklist(PRICE_MODELS), amount: v.optional(v.number()), currency: v.optional(v.string()), period: v.optional(v.picklist(PRICE_PERIODS)) }),
  registration: v.picklist(REGISTRATIONS),
  capacity: v.picklist(CAPACITIES),
  quota: v.object({ storageGB: v.optional(v.number()), users: v.optional(v.number()) }),
  dataLocation: v.string(),
  languages: v.array(v.string()),
  includes: v.array(v.object({ service: v.picklist(SERVICES), software: v.string() })),
  audience: v.array(v.picklist(AUDIENCES)),
  support: v.array(v.picklist(SUPPORTS)),
  signup: v.object({ mode: v.picklist(SIGNUP_MODES), url: v.optional(v.string()) }),
  /** True when a person can ask for an account through this directory now (signups/eligibility.ts). */
  acceptsSignups: v.boolean(),
  stale: v.boolean(),
  updatedAt: v.string(),
  source: v.picklist(SOURCES),
  origin: v.optional(Origin),
});
export type Offer = v.InferOutput<typeof Offer>;

export const FacetCounts = v.record(v.string(), v.array(v.object({ value: v.string(), count: v.number() })));

export const SearchResult = v.object({
  items: v.array(Offer),
  total: v.number(),
  facets: FacetCounts,
  nextCursor: v.nullable(v.string()),
  /** Only when nothing matched: a corrected query (from the catalog's own words) that finds offers. */
  suggestion: v.optional(v.string()),
  /**
   * Filters applied because words of `q` named them — `price` ("gratuit", "free"), `audience` ("association"),
   * `place` (a country's name: the provider's country or the data location) — and not set by the request itself.
   */
  understood: v.optional(v.object({ price: v.optional(v.array(v.string())), audience: v.optional(v.array(v.string())), place: v.optional(v.array(v.string())) })),
});

export const Provider = v.object({
  slug: v.string(), name: v.string(), website: v.string(), country: v.string(), orgType: v.picklist(ORG_TYPES),
  description: v.record(v.string(), v.string()),
  /** True only for a member the collective's own list confirms (and whose file says ACTIVE); what `member=true` filters on. */
  chatonsMember: v.boolean(),
  /** member, idle (listed, activity paused), unconfirmed (declared by its own file, not confirmed by the list), none. */
  chatonsMembership: v.picklist(MEMBERSHIPS),
  verified: v.boolean(),
  createdAt: v.string(), updatedAt: v.string(), offerCount: v.number(),
  /** Only for a provider another directory lists: its actor there and that directory's actor. */
  origin: v.optional(v.object({ actor: v.string(), directory: v.string() })),
});
export const ProviderDetail = v.object({ ...Provider.entries, offers: v.array(Offer) });
export const ProviderList = v.object({ items: v.array(Provider), total: v.number(), nextCursor: v.nullable(v.string()) });

export const Problem = v.object({
  type: v.string(), title: v.string(), status: v.number(), detail: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});

// ---- query strings: every value arrives as a list of strings (repeatable fields, comma-separated too) ----

/** A query value holding NUL or an unpaired surrogate is refused (named in the 400), never used cut. */
const Storable = v.check((list: string[]) => !list.some(isUnstorableText), UNSTORABLE_MESSAGE);

const many = <T extends v.GenericSchema<string, unknown>>(item: T) =>
  v.optional(v.pipe(
    v.array(v.string()),
    Storable,
    v.transform((list) => list.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "")),
    v.array(item),
    v.maxLength(20, "at most 20 values"),
  ));
const one = <T extends v.GenericSchema<string, unknown>>(item: T) =>
  v.optional(v.pipe(v.array(v.string()), Storable, v.transform((list) => list[list.length - 1]), item));
const Bool = v.pipe(v.string(), v.picklist(["true", "false", "1", "0"], "must be true or false"), v.transform((s) => s === "true" || s === "1"));
const Limit = v.pipe(v.string(), v.regex(/^\d{1,3}$/, "must be an integer from 1 to 100"), v.transform(Number), v.minValue(1, "must be an integer from 1 to 100"), v.maxValue(100, "must be an integer from 1 to 100"));
const Cursor = v.pipe(v.string(), v.maxLength(512, "is not a valid cursor"), v.regex(/^[A-Za-z0-9_-]+$/, "is not a valid cursor"));
const Text = v.pipe(v.string(), v.maxLength(200, "must be at most 200 characters"));

export const SearchQuery = v.object({
  q: one(Text),
  service: many(v.picklist(SERVICES)),
  software: many(v.pipe(v.string(), v.maxLength(80))),
  country: many(CountryCode),
  dataLocation: many(CountryCode),
  lang: many(LanguageTag),
  price: many(v.picklist(PRICE_MODELS)),
  registration: many(v.picklist(REGISTRATIONS)),
  audience: many(v.picklist(AUDIENCES)),
  orgType: many(v.picklist(ORG_TYPES)),
  available: one(Bool),
  member: one(Bool),
  verified: one(Bool),
  sort: one(v.picklist(["relevance", "price", "updated", "name", "fair"])),
  limit: one(Limit),
  cursor: one(Cursor),
  locale: one(v.picklist(["fr", "en"])),
});
export type SearchQuery = v.InferOutput<typeof SearchQuery>;

/** `GET /api/v1/compare?ids=a,b,c` (also `ids=a&ids=b`): 2–5 distinct offer ids. */
export const CompareQuery = v.object({
  ids: v.pipe(
    v.optional(v.array(v.string()), []),
    v.transform((list) => list.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "")),
    v.array(v.pipe(v.string(), v.maxLength(200, "each id must be at most 200 characters"))),
    v.minLength(2, "must name at least 2 offers"),
    v.maxLength(5, "must name at most 5 offers"),
    v.check((ids) => new Set(ids).size === ids.length, "must not repeat an offer"),
  ),
  lang: v.optional(v.array(v.string())),
});
export type CompareQuery = v.InferOutput<typeof CompareQuery>;

const Nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);
export const ComparedOffer = v.object({
  id: v.string(), service: v.picklist(SERVICES), software: v.string(), softwareVersion: Nullable(v.string()),
  monthlyPrice: v.object({ amount: Nullable(v.number()), currency: Nullable(v.string()) }), priceModel: v.picklist(PRICE_MODELS),
  storageGB: Nullable(v.number()), users: Nullable(v.number()), registration: v.picklist(REGISTRATIONS), capacity: v.picklist(CAPACITIES),
  dataLocation: v.string(), languages: v.array(v.string()), audience: v.array(v.picklist(AUDIENCES)), support: v.array(v.picklist(SUPPORTS)),
  signupMode: v.picklist(SIGNUP_MODES), stale: v.boolean(),
});
export const CompareResult = v.object({ items: v.array(Offer), comparison: v.array(ComparedOffer), differences: v.array(v.string()) });

export const ProviderQuery = v.object({
  q: one(Text),
  country: many(CountryCode),
  orgType: many(v.picklist(ORG_TYPES)),
  member: one(Bool),
  limit: one(Limit),
  cursor: one(Cursor),
});
export type ProviderQuery = v.InferOutput<typeof ProviderQuery>;

// ---- admin API: federation (follows and domain blocks) ----

export const FollowInput = v.object({
  actor: v.pipe(
    v.string(), v.trim(), v.maxLength(2048),
    v.regex(/^(https?:\/\/\S+|@?[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+(:\d+)?)$/, "must be an actor URL (https://…) or a handle such as @directory@annuaire.example"),
  ),
});
export const BlockInput = v.object({
  domain: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(253), v.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, "must be a domain name such as annuaire.example")),
});
export const Follow = v.object({ actor: v.string(), handle: v.nullable(v.string()), status: v.picklist(["pending", "accepted"]), createdAt: v.string(), acceptedAt: v.nullable(v.string()) });
export const FollowList = v.object({ items: v.array(Follow), total: v.number(), nextCursor: v.nullable(v.string()) });
export const Block = v.object({ domain: v.string(), createdAt: v.string() });
export const BlockList = v.object({ items: v.array(Block), total: v.number(), nextCursor: v.nullable(v.string()) });
export const FollowerDecision = v.object({
  actor: v.pipe(v.string(), v.regex(/^(directory|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9]))$/, "must be directory or a provider slug")),
  follower: v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\/\S+$/, "must be the follower's actor URL")),
});
export const Follower = v.object({ actor: v.string(), follower: v.string(), status: v.picklist(["pending", "accepted"]), createdAt: v.string() });
export const FollowerList = v.object({ items: v.array(Follower), total: v.number(), nextCursor: v.nullable(v.string()) });
