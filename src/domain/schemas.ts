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

/** Documents a field for the generated JSON Schemas and OpenAPI (what it means, its unit, format and values). */
const doc = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));
const list = (values: readonly string[]) => values.map((x) => `\`${x}\``).join(", ");

/** What each offer and provider field means: one text per field, shared by the input and output schemas. */
export const FIELD_DOCS = {
  service: `The kind of service. One of ${list(SERVICES)}.`,
  software: "The free software the service runs.",
  softwareName: "Name of the software, e.g. `Nextcloud`.",
  softwareVersion: "Version the provider runs, e.g. `30.0.2` (free text).",
  softwareLicense: "The software's licence, preferably an SPDX identifier such as `AGPL-3.0`.",
  title: "The offer's name per language: an object whose keys are BCP 47 language tags (`fr`, `en`…) and values the text (1–140 characters each). At least one language.",
  description: "What the offer is, per language (same keys as `title`; 1–4000 characters each, plain text, blank lines separate paragraphs).",
  price: "What a person pays.",
  priceModel: `How people pay: ${list(PRICE_MODELS)}. \`free\` and \`pay-what-you-want\` sort as 0; \`membership\` means joining the provider's association.`,
  priceAmount: "The amount in minor units of `currency` — cents for EUR: `500` is 5.00 €, not 500 €. An integer from 0 to 100000000. With `pay-what-you-want` it is the suggested amount. Requires `currency`.",
  priceCurrency: "ISO 4217 currency code of `amount`, e.g. `EUR`, `CHF`. Required when `amount` is given.",
  pricePeriod: `What \`amount\` pays for: ${list(PRICE_PERIODS)} (\`once\`: a one-off fee). Absent: no period stated.`,
  registration: `Who can get an account: ${list(REGISTRATIONS)}. \`approval\`: the provider reviews each request; \`members\`: members of the provider only; \`none\`: no account needed, the service is used as it is.`,
  capacity: `Whether the provider takes new accounts now: ${list(CAPACITIES)}. Default \`available\`. A \`full\` offer is listed but takes no signups; pages suggest similar open offers.`,
  quota: "What one account gets, when the provider says so.",
  storageGB: "Storage per account in gigabytes (GB, may be decimal), 0–1000000.",
  users: "How many people may use one account or space (an integer, 0–10000000).",
  dataLocation: "ISO 3166-1 alpha-2 code (uppercase) of the country where the data is stored, e.g. `FR`.",
  languages: "Languages the provider gives help in: BCP 47 tags such as `fr`, `en` (at most 20). Default none.",
  includes: "Other services bundled with this offer (at most 10): the offer is also found when people search for them.",
  includeSoftware: "The bundled service's software, e.g. `Collabora Online` (1–80 characters).",
  audience: `Who the offer is for (at most 4): ${list(AUDIENCES)}. Default none (anyone).`,
  support: `Help included (at most 6): ${list(SUPPORTS)}.`,
  signup: "How a person asks for an account.",
  signupMode: `\`webhook\`: the directory posts each signup, signed (Standard Webhooks), to the provider's webhook; \`nextcloud\`: the directory asks the provider's Nextcloud (preferred_providers app) to create the account; \`external\`: people sign up on the provider's own page (\`url\`). Default \`external\`. One of ${list(SIGNUP_MODES)}.`,
  signupUrl: "The provider's own signup page (http or https URL, at most 2048 characters). Required when `mode` is `external`; for `registration: none`, the address of the service itself.",
  slug: "Lowercase letters, digits and hyphens, 2–63 characters, starting and ending with a letter or digit; unique; used in URLs and ids.",
  providerName: "The provider's name as people know it (1–120 characters).",
  website: "The provider's website (http or https URL). Domain verification reads `<website>/.well-known/chatons-directory.txt`.",
  email: "Contact email (never published): where sign-in links of the provider space go.",
  country: "ISO 3166-1 alpha-2 code (uppercase) of the country the provider is based in, e.g. `FR`.",
  orgType: `Kind of organisation: ${list(ORG_TYPES)}.`,
  providerDescription: "Who the provider is, per language (BCP 47 keys; 1–2000 characters each).",
} as const;
const D = FIELD_DOCS;

/** `{"fr": "…", "en": "…"}`: at least one language, each text non-empty. */
export const LocalizedText = (max: number) =>
  v.pipe(
    v.record(LanguageTag, v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(max, `must be at most ${max} characters`))),
    v.check((m) => Object.keys(m).length > 0, "must hold at least one language, e.g. {\"fr\": \"…\"}"),
    v.check((m) => Object.keys(m).length <= 10, "must hold at most 10 languages"),
  );

export const Software = doc(v.object({
  name: doc(v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(80)), D.softwareName),
  version: v.optional(doc(v.pipe(v.string(), v.trim(), v.maxLength(40)), D.softwareVersion)),
  license: v.optional(doc(v.pipe(v.string(), v.trim(), v.maxLength(80)), D.softwareLicense)),
}), D.software);

export const Price = v.pipe(
  v.object({
    model: doc(v.picklist(PRICE_MODELS), D.priceModel),
    amount: v.optional(doc(v.pipe(v.number(), v.integer("must be an integer amount in cents"), v.minValue(0), v.maxValue(100_000_000)), D.priceAmount)),
    currency: v.optional(doc(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")), D.priceCurrency)),
    period: v.optional(doc(v.picklist(PRICE_PERIODS), D.pricePeriod)),
  }),
  v.forward(
    v.check((p) => p.amount === undefined || p.currency !== undefined, "is required when amount is given"),
    ["currency"],
  ),
  v.description(D.price),
  v.examples([{ model: "fixed", amount: 500, currency: "EUR", period: "month" }, { model: "free" }]),
);

export const Include = v.object({ service: doc(v.picklist(SERVICES), D.service), software: doc(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)), D.includeSoftware) });

export const Signup = v.pipe(
  v.object({ mode: doc(v.picklist(SIGNUP_MODES), D.signupMode), url: v.optional(doc(HttpUrl, D.signupUrl)) }),
  v.forward(v.check((s) => s.mode !== "external" || s.url !== undefined, "is required when mode is external"), ["url"]),
  v.description(D.signup),
);

const Quota = doc(v.object({
  storageGB: v.optional(doc(v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000)), D.storageGB)),
  users: v.optional(doc(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)), D.users)),
}), D.quota);

/** The body of `PUT /api/v1/providers/{slug}/offers/{offerSlug}`; also one entry of a pull document. */
export const OfferInput = v.object({
  service: doc(v.picklist(SERVICES), D.service),
  software: Software,
  title: doc(LocalizedText(140), D.title),
  description: doc(LocalizedText(4000), D.description),
  price: Price,
  registration: doc(v.picklist(REGISTRATIONS), D.registration),
  capacity: v.optional(doc(v.picklist(CAPACITIES), D.capacity), "available"),
  quota: v.optional(Quota),
  dataLocation: doc(CountryCode, D.dataLocation),
  languages: v.optional(doc(v.pipe(v.array(LanguageTag), v.maxLength(20)), D.languages), []),
  includes: v.optional(doc(v.pipe(v.array(Include), v.maxLength(10)), D.includes), []),
  audience: v.optional(doc(v.pipe(v.array(v.picklist(AUDIENCES)), v.maxLength(4)), D.audience), []),
  support: v.optional(doc(v.pipe(v.array(v.picklist(SUPPORTS)), v.maxLength(6)), D.support), []),
  signup: v.optional(Signup, { mode: "external" as const }),
});
export type OfferInput = v.InferOutput<typeof OfferInput>;

/** A seed or pull-document entry: an offer plus its own slug and, in seeds, its provider's slug. */
export const SeedOffer = v.object({ ...OfferInput.entries, provider: Slug, slug: Slug });
export type SeedOffer = v.InferOutput<typeof SeedOffer>;

export const ProviderInput = v.object({
  slug: doc(Slug, D.slug),
  name: doc(v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(120)), D.providerName),
  website: doc(HttpUrl, D.website),
  email: doc(Email, D.email),
  country: doc(CountryCode, D.country),
  orgType: doc(v.picklist(ORG_TYPES), D.orgType),
  description: v.optional(doc(LocalizedText(2000), D.providerDescription)),
});
export type ProviderInput = v.InferOutput<typeof ProviderInput>;

export const SeedProvider = v.object({ ...ProviderInput.entries, chatonsMember: v.optional(v.boolean(), false) });
export type SeedProvider = v.InferOutput<typeof SeedProvider>;

// ---- public output objects (documented in schemas/ and openapi.json) ----

const VERIFIED = "Domain verified: true when the provider proved it controls its website (a file the directory gave it at an https address, re-checked daily). It says nothing about the provider's membership or practices.";
const MEMBER = "True only for an active member of the CHATONS collective that the collective's own list confirms (what `member=true` filters on).";
const MEMBERSHIP = "`member` (listed by the collective and active: \"CHATONS member (confirmed)\"), `idle` (listed, activity paused), `unconfirmed` (its own file declares membership, the collective's list does not confirm it: \"declares membership\"), `none`.";
const REVIEWED = "True when an operator of this directory reviewed and approved the provider (LISTING_POLICY=reviewed; the demo catalog counts as reviewed). False for providers another directory lists.";
const NEWLY = "True during the 30 days after the provider was first listed here (the \"new\" badge). Ranking ignores it: new providers get no boost.";
const LISTING = "Only in answers to the offer's own provider, and only while the public does not see the offer: `waiting-for-review` (the directory reviews new providers first), `hidden` (an operator hid this offer), `provider-hidden` (an operator hid the provider); `reason` says why when an operator gave one.";
const ISO_TIME = (what: string) => `${what} (ISO 8601, UTC), e.g. \`2026-11-25T12:00:00.000Z\`.`;

export const ProviderSummary = doc(v.object({
  slug: doc(v.string(), D.slug), name: doc(v.string(), D.providerName), country: doc(v.string(), D.country), orgType: doc(v.picklist(ORG_TYPES), D.orgType),
  chatonsMember: doc(v.boolean(), MEMBER), chatonsMembership: doc(v.picklist(MEMBERSHIPS), MEMBERSHIP), verified: doc(v.boolean(), VERIFIED),
  reviewed: doc(v.boolean(), REVIEWED), newlyListed: doc(v.boolean(), NEWLY),
}), "The provider of the offer.");

/** Why the offer's own provider does not see its offer in public (only in answers to its token). */
export const OfferListingState = doc(v.object({
  state: doc(v.picklist(["waiting-for-review", "hidden", "provider-hidden"]), "Why the public does not see it (see `listing`)."),
  reason: v.optional(doc(v.string(), "The operator's reason, when one was given.")),
}), LISTING);

export const Origin = doc(v.object({
  id: doc(v.string(), "The offer's ActivityPub id in its own directory."), actor: doc(v.string(), "The provider's actor there."),
  directory: doc(v.string(), "The directory the offer comes from (its host)."),
}), "Only for `source: federated`: where the offer comes from.");

export const Offer = v.object({
  id: doc(v.string(), "`<provider slug>~<offer slug>`, unique across the catalog."),
  provider: ProviderSummary,
  service: doc(v.picklist(SERVICES), D.service),
  software: Software,
  title: doc(v.record(v.string(), v.string()), D.title),
  description: doc(v.record(v.string(), v.string()), D.description),
  price: doc(v.object({
    model: doc(v.picklist(PRICE_MODELS), D.priceModel), amount: v.optional(doc(v.number(), D.priceAmount)),
    currency: v.optional(doc(v.string(), D.priceCurrency)), period: v.optional(doc(v.picklist(PRICE_PERIODS), D.pricePeriod)),
  }), D.price),
  registration: doc(v.picklist(REGISTRATIONS), D.registration),
  capacity: doc(v.picklist(CAPACITIES), D.capacity),
  quota: doc(v.object({ storageGB: v.optional(doc(v.number(), D.storageGB)), users: v.optional(doc(v.number(), D.users)) }), D.quota),
  dataLocation: doc(v.string(), D.dataLocation),
  languages: doc(v.array(v.string()), D.languages),
  includes: doc(v.array(v.object({ service: doc(v.picklist(SERVICES), D.service), software: doc(v.string(), D.includeSoftware) })), D.includes),
  audience: doc(v.array(v.picklist(AUDIENCES)), D.audience),
  support: doc(v.array(v.picklist(SUPPORTS)), D.support),
  signup: doc(v.object({ mode: doc(v.picklist(SIGNUP_MODES), D.signupMode), url: v.optional(doc(v.string(), D.signupUrl)) }), D.signup),
  /** True when a person can ask for an account through this directory now (signups/eligibility.ts). */
  acceptsSignups: doc(v.boolean(), "True when a person can ask for an account through this directory now (`POST /api/v1/signups`): open to signups, not full, and the provider set where to receive them."),
  stale: doc(v.boolean(), "True when the provider has not confirmed the offer for 30 days (or its pull source stopped answering): shown with a warning, ranked lower."),
  updatedAt: doc(v.string(), ISO_TIME("When the offer last changed")),
  source: doc(v.picklist(SOURCES), `Where the offer comes from: \`local\` (published here by push), \`crawled\` (read from the provider's pull source), \`federated\` (from another directory). One of ${list(SOURCES)}.`),
  origin: v.optional(Origin),
  listing: v.optional(OfferListingState),
});
export type Offer = v.InferOutput<typeof Offer>;

/** `GET /api/v1/providers/{slug}/offers`: all of a provider's offers, as its token sees them. */
export const OwnOfferList = v.object({
  items: doc(v.array(Offer), "Every offer of the provider, by name, public or not: an offer the public does not see carries `listing`."),
  total: doc(v.number(), "How many offers the provider has."),
});

export const FacetCounts = doc(v.record(v.string(), v.array(v.object({ value: v.string(), count: v.number() }))),
  "For each filter field, its values with how many offers match when that value is added (the field's own filter left out), most first.");

export const SearchResult = v.object({
  items: doc(v.array(Offer), "A page of offers, in the requested order."),
  total: doc(v.number(), "How many offers match, across all pages."),
  facets: FacetCounts,
  nextCursor: doc(v.nullable(v.string()), "Pass as `cursor` for the next page; null on the last page."),
  /** Only when nothing matched: a corrected query (from the catalog's own words) that finds offers. */
  suggestion: v.optional(doc(v.string(), "Only when nothing matched: a corrected query (built from the catalog's own words) that finds offers.")),
  /**
   * Filters applied because words of `q` named them — `price` ("gratuit", "free"), `audience` ("association"),
   * `place` (a country's name: the provider's country or the data location) — and not set by the request itself.
   */
  understood: v.optional(doc(v.object({ price: v.optional(v.array(v.string())), audience: v.optional(v.array(v.string())), place: v.optional(v.array(v.string())) }),
    "Filters applied because words of `q` named them: `price` (a word for free, in French or English), `audience` (a word for associations, companies, individuals or public bodies), `place` (a country's name: the provider's country or the data location).")),
});

export const Provider = v.object({
  slug: doc(v.string(), D.slug), name: doc(v.string(), D.providerName), website: doc(v.string(), D.website), country: doc(v.string(), D.country),
  orgType: doc(v.picklist(ORG_TYPES), D.orgType), description: doc(v.record(v.string(), v.string()), D.providerDescription),
  chatonsMember: doc(v.boolean(), MEMBER),
  chatonsMembership: doc(v.picklist(MEMBERSHIPS), MEMBERSHIP),
  verified: doc(v.boolean(), VERIFIED),
  reviewed: doc(v.boolean(), REVIEWED),
  newlyListed: doc(v.boolean(), NEWLY),
  createdAt: doc(v.string(), ISO_TIME("When the provider joined")), updatedAt: doc(v.string(), ISO_TIME("When its profile last changed")),
  offerCount: doc(v.number(), "How many offers it lists."),
  origin: v.optional(doc(v.object({ actor: v.string(), directory: v.string() }), "Only for a provider another directory lists: its ActivityPub actor there, and that directory's actor.")),
});
export const ProviderDetail = v.object({ ...Provider.entries, offers: doc(v.array(Offer), "All its offers.") });
export const ProviderList = v.object({ items: v.array(Provider), total: doc(v.number(), "How many providers match."), nextCursor: doc(v.nullable(v.string()), "Pass as `cursor` for the next page; null on the last page.") });

export const Problem = v.object({
  type: doc(v.string(), "A stable URI naming the kind of problem (RFC 9457), e.g. `https://chatons-directory.org/problems/validation`."),
  title: doc(v.string(), "A short English summary of the kind of problem."),
  status: doc(v.number(), "The HTTP status code."),
  detail: v.optional(doc(v.string(), "What went wrong this time, in English.")),
  errors: v.optional(doc(v.array(v.object({ path: doc(v.string(), "The field, as a dot path (`price.amount`) or a query parameter name."), message: doc(v.string(), "What is wrong with it.") })), "For validation problems: one entry per invalid field.")),
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

const REPEAT = " Repeat the parameter or separate values with commas: values of one field are OR-ed, fields are AND-ed.";
export const SearchQuery = v.object({
  q: doc(one(Text), "Words to look for in titles, software, provider names and descriptions (accents and case ignored; prefixes match). Some words also act as filters, see `understood` in the result."),
  service: doc(many(v.picklist(SERVICES)), `Service: ${list(SERVICES)}; an offer bundling the service (\`includes\`) matches too.${REPEAT}`),
  software: doc(many(v.pipe(v.string(), v.maxLength(80))), `Software name, e.g. \`nextcloud\` (case and accents ignored).${REPEAT}`),
  country: doc(many(CountryCode), `The provider's country, ISO 3166-1 alpha-2 (\`FR\`).${REPEAT}`),
  dataLocation: doc(many(CountryCode), `Where the data is stored, ISO 3166-1 alpha-2.${REPEAT}`),
  lang: doc(many(LanguageTag), `A language the provider gives help in (\`fr\`, \`en\`).${REPEAT}`),
  price: doc(many(v.picklist(PRICE_MODELS)), `Price model: ${list(PRICE_MODELS)}.${REPEAT}`),
  registration: doc(many(v.picklist(REGISTRATIONS)), `Who can get an account: ${list(REGISTRATIONS)}.${REPEAT}`),
  audience: doc(many(v.picklist(AUDIENCES)), `Intended for: ${list(AUDIENCES)}.${REPEAT}`),
  orgType: doc(many(v.picklist(ORG_TYPES)), `Kind of provider: ${list(ORG_TYPES)}.${REPEAT}`),
  available: doc(one(Bool), "`true`: only offers a person can join now (open, not full, reachable through the directory or on the provider's page)."),
  member: doc(one(Bool), "`true`: only offers of CHATONS members."),
  verified: doc(one(Bool), "`true`: only offers of providers that proved they control their website."),
  sort: doc(one(v.picklist(["relevance", "price", "updated", "name", "fair"])), "`relevance` (default with `q`), `fair` (default without: an order reshuffled daily so every provider gets its turn), `price` (monthly price, cheapest first), `updated` (newest first), `name`."),
  limit: doc(one(Limit), "Offers per page, 1–100 (default 20)."),
  cursor: doc(one(Cursor), "The `nextCursor` of the previous page."),
  locale: doc(one(v.picklist(["fr", "en"])), "The language of `q` (`fr` or `en`) for word understanding and suggestions; default `fr`."),
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
