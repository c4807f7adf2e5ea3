/**
 * The rules that turn a published offer into what the catalog stores: its id, row, monthly price, filter tags and
 * search text; and the one write path every publisher goes through (API, pull sources, seeds, federation). The
 * query functions in db/queries/offers.ts store what these compute.
 */
import type { Db } from "../../db/client.ts";
import type { NewOfferRow, OfferRow, ProviderRow, ProviderUpdate } from "../../db/database.ts";
import { providerReach, providersReach, type Reach } from "../../db/queries/destinations.ts";
import { bumpCatalogVersion, getMeta, setMeta } from "../../db/queries/meta.ts";
import { iso } from "../../lib/time.ts";
import { bulkInsertOfferRows } from "../../db/queries/offers-bulk.ts";
import { deleteOfferRow, forgetHideMarks, hideMarksOf, listingInputs, offerRowsOfProvider, setOfferListed, touchOffersOfProvider, upsertOfferRow, writeOfferIndex, type FtsText, type OfferIndex, type UpsertResult } from "../../db/queries/offers.ts";
import { findProviderById, insertProvider, listAllProviders, providersWaitingForReview, setProviderListed, updateProviderRow } from "../../db/queries/providers.ts";
import { DEFAULT_LISTING_POLICY, isListingPolicy, providerListing, type ListingPolicy } from "./listing.ts";
import type { NewProviderRow } from "../../db/database.ts";
import { appendAudit } from "../../db/queries/moderation.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import type { OfferInput } from "../schemas.ts";
import { canJoin } from "../signups/eligibility.ts";
import { fold } from "../text.ts";

export type { UpsertResult };
export type OfferOrigin = { id: string; actor: string; directory: string };

/** Offer ids are `<provider slug>~<offer slug>`: unique across the catalog, readable in URLs. */
export const OFFER_ID_PATTERN = /^[a-z0-9-]+~[a-z0-9-]+$/;

export function offerId(providerSlug: string, offerSlug: string): string {
  return `${providerSlug}~${offerSlug}`;
}

/** Monthly price in minor units used to sort by price: free and pay-what-you-want are 0; unknown amounts null. */
export function monthlyPrice(p: OfferInput["price"]): number | null {
  if (p.model === "free" || p.model === "pay-what-you-want") return 0;
  if (p.amount === undefined) return null;
  if (p.period === "year") return Math.round(p.amount / 12);
  if (p.period === "once") return Math.round(p.amount / 36); // spread a one-off fee over three years
  return p.amount;
}

/** Keywords added to the FTS row so category words match in both languages (synonyms live in search). */
const SERVICE_WORDS: Record<string, string> = {
  storage: "stockage fichiers storage files cloud", office: "bureautique office documents", chat: "messagerie instantanee chat",
  videoconference: "visioconference videoconference", pad: "pad notes collaboratives collaborative notes", spreadsheet: "tableur spreadsheet",
  forms: "formulaires forms", poll: "sondage poll", mail: "courriel email mail", website: "site web website", git: "forge git code",
  video: "video", social: "reseau social social network", calendar: "agenda calendrier calendar", maps: "cartes maps cartographie", other: "",
};

export function toOfferRow(provider: Pick<ProviderRow, "id" | "slug">, slug: string, o: OfferInput, now: string, source = "local", origin?: OfferOrigin, id?: string): NewOfferRow {
  const titles = Object.values(o.title);
  return {
    id: id ?? offerId(provider.slug, slug),
    provider_id: provider.id,
    slug,
    service: o.service,
    software_name: o.software.name,
    software_version: o.software.version ?? null,
    software_license: o.software.license ?? null,
    title_json: JSON.stringify(o.title),
    description_json: JSON.stringify(o.description),
    sort_name: fold(o.title.fr ?? o.title.en ?? titles[0] ?? slug),
    price_model: o.price.model,
    price_amount: o.price.amount ?? null,
    price_currency: o.price.currency ?? null,
    price_period: o.price.period ?? null,
    price_monthly: monthlyPrice(o.price),
    registration: o.registration,
    capacity: o.capacity,
    quota_storage_gb: o.quota?.storageGB ?? null,
    quota_users: o.quota?.users ?? null,
    data_location: o.dataLocation,
    languages_json: JSON.stringify(o.languages),
    includes_json: JSON.stringify(o.includes),
    audience_json: JSON.stringify(o.audience),
    support_json: JSON.stringify(o.support),
    signup_mode: o.signup.mode,
    signup_url: o.signup.url ?? null,
    source,
    origin_json: origin ? JSON.stringify(origin) : null,
    handover_url: null,
    remote_accepts: 0,
    created_at: now,
    updated_at: now,
    confirmed_at: now,
  };
}

export type TagSource = Pick<OfferRow, "service" | "software_name" | "includes_json" | "languages_json" | "price_model" | "registration" | "capacity" | "audience_json"
  | "data_location" | "source" | "signup_mode" | "signup_url">;
type TagProvider = Pick<ProviderRow, "country" | "org_type" | "chatons_member" | "verified">;

/**
 * The (field, value) pairs an offer is filtered and faceted by; a pack counts for each bundled service. `reachable`:
 * the provider has an enabled destination for the offer's signup mode (it decides `available`, see canJoin).
 */
export function offerTags(o: TagSource, p: TagProvider, reachable = false): Array<[string, string]> {
  const includes = JSON.parse(o.includes_json) as Array<{ service: string; software: string }>;
  const set = new Set<string>();
  const add = (field: string, value: string) => set.add(`${field}\u0000${value}`);
  add("service", o.service);
  add("software", fold(o.software_name));
  for (const inc of includes) { add("service", inc.service); add("software", fold(inc.software)); }
  for (const l of JSON.parse(o.languages_json) as string[]) add("lang", primaryLanguage(l));
  for (const a of JSON.parse(o.audience_json) as string[]) add("audience", a);
  add("country", p.country);
  add("orgType", p.org_type);
  add("price", o.price_model);
  add("registration", o.registration);
  add("dataLocation", o.data_location);
  // Where: the provider's country or the data's (one field, so "hébergeur suisse" finds either).
  add("place", p.country);
  add("place", o.data_location);
  add("available", String(canJoin({ ...o, reachable })));
  add("member", String(p.chatons_member === 1));
  add("verified", String(p.verified === 1));
  return [...set].map((s) => s.split("\u0000") as [string, string]);
}

type FtsSource = Pick<OfferRow, "title_json" | "description_json" | "software_name" | "service"> & { includes_json?: string };

/**
 * The text an offer is found by, per FTS column; the keywords column carries its services' category words in both
 * languages. Words that name a filter ("gratuit", "belgique") are understood by search.ts as filters instead.
 */
export function ftsColumns(o: FtsSource, providerName: string): FtsText {
  const includes = JSON.parse(o.includes_json ?? "[]") as Array<{ service: string; software: string }>;
  const title = Object.values(JSON.parse(o.title_json) as Record<string, string>).join(" \n ");
  const description = Object.values(JSON.parse(o.description_json) as Record<string, string>).join(" \n ");
  const software = [o.software_name, ...includes.map((i) => i.software)].join(" ");
  const keywords = [o.service, ...includes.map((i) => i.service)].map((s) => SERVICE_WORDS[s] ?? "").join(" ");
  return { title, software, provider: providerName, description, keywords };
}

type IndexProvider = TagProvider & Pick<ProviderRow, "name">;

/** Tags and search text of an offer of `provider`, whose destinations are `reach`. */
export function offerIndex(row: NewOfferRow | OfferRow, provider: IndexProvider, reach: Reach): OfferIndex {
  const reachable = row.source === "federated" ? (row.handover_url ?? null) !== null && row.remote_accepts === 1
    : row.signup_mode === "webhook" ? reach.webhook : row.signup_mode === "nextcloud" ? reach.nextcloud : false;
  return { tags: offerTags(row as TagSource, provider, reachable), fts: ftsColumns(row, provider.name) };
}

/**
 * Creates or replaces an offer of `provider`. Must run inside a transaction (`trx`): row, tags, FTS row, change event
 * and catalog version are written together. An identical re-publication only refreshes `confirmed_at`. Whether the
 * offer is public is read inside the transaction (its provider listed now, the offer not hidden: listing.ts).
 */
export async function saveOffer(trx: Db, provider: ProviderRow, row: NewOfferRow): Promise<UpsertResult> {
  const { providerListed, hiddenAt, remembered } = await listingInputs(trx, provider.id, row.id);
  const listed = providerListed && hiddenAt === null ? 1 : 0;
  // An offer deleted while hidden and published again takes its hide mark back.
  const stored = remembered ? { ...row, listed, hidden_at: remembered.hidden_at, hidden_reason: remembered.hidden_reason } : { ...row, listed };
  const r = await upsertOfferRow(trx, stored, offerIndex(row, provider, await providerReach(trx, provider.id)));
  if (remembered) await forgetHideMarks(trx, [row.id]);
  return r;
}

/** Creates many NEW offers at once (bulk loads): the same rows, index and change events as `saveOffer` each. */
export async function saveNewOffers(trx: Db, items: Array<{ provider: ProviderRow; row: NewOfferRow }>): Promise<number> {
  const ids = [...new Set(items.map((x) => x.provider.id))];
  const reach = await providersReach(trx, ids);
  const listed = new Map<number, boolean>();
  for (const id of ids) listed.set(id, (await findProviderById(trx, id))?.listed === 1);
  const marks = await hideMarksOf(trx, items.map((x) => x.row.id));
  const n = await bulkInsertOfferRows(trx, items.map(({ provider, row }) => {
    const mark = marks.get(row.id);
    const on = listed.get(provider.id)! && !mark;
    const stored = mark ? { ...row, hidden_at: mark.hidden_at, hidden_reason: mark.hidden_reason } : row;
    return { row: { ...stored, listed: on ? 1 : 0 }, index: on ? offerIndex(row, provider, reach.get(provider.id)!) : null };
  }));
  if (marks.size) await forgetHideMarks(trx, [...marks.keys()]);
  return n;
}

// ---- who is public (listing.ts holds the rules; these apply them to stored rows) ----

const POLICY_KEY = "listing_policy";

/**
 * The policy this database runs under: the one the server applied at its last start (applyListingPolicy), so the CLI
 * and every process agree whatever their own environment says. A database no server ever started uses the default.
 */
export async function listingPolicy(db: Db): Promise<ListingPolicy> {
  const v = await getMeta(db, POLICY_KEY);
  return isListingPolicy(v) ? v : DEFAULT_LISTING_POLICY;
}

/**
 * Makes a provider's `listed` and its offers' follow the rules now (inside `trx`): offers that become public get
 * their index and a `created` change (federation sends Create), offers that stop being public lose their index and
 * get a `deleted` change (federation sends Delete). Returns the provider as stored.
 */
export async function syncListing(trx: Db, providerId: number, now: string): Promise<ProviderRow | undefined> {
  const p = await findProviderById(trx, providerId);
  if (!p) return undefined;
  const policy = await listingPolicy(trx);
  const listed = providerListing(p, policy) === "listed";
  const provider = listed === (p.listed === 1) ? p : await setProviderListed(trx, p.id, listed, now);
  if (listed && p.listed_at === null && policy === "reviewed" && p.reviewed_at === null && p.demo === 0 && p.source !== "federated") {
    // Nobody approved it: the CHATONS collective's list did. The operator can read that in the audit log.
    await appendAudit(trx, { at: now, actor: "system", via: "system", action: "listed-by-membership", target_type: "provider", target: p.slug, reason: "the CHATONS collective's list confirms its membership" });
  }
  const reach = await providerReach(trx, provider.id);
  for (const o of await offerRowsOfProvider(trx, provider.id)) {
    const want = listed && o.hidden_at === null;
    if (want !== (o.listed === 1)) await setOfferListed(trx, o, want, offerIndex(o, provider, reach), now);
  }
  return provider;
}

/** A new provider row (registration, import, seeds, federation), public or not as the rules say. */
export async function createProvider(trx: Db, row: NewProviderRow, now: string): Promise<ProviderRow> {
  const p = await insertProvider(trx, row);
  return (await syncListing(trx, p.id, now)) ?? p;
}

/** A process that is not the server (the CLI) records its LISTING_POLICY only when no server ever did. */
export async function adoptListingPolicy(db: Db, policy: ListingPolicy, nowMs: number): Promise<ListingPolicy> {
  const recorded = await getMeta(db, POLICY_KEY);
  if (isListingPolicy(recorded)) return recorded;
  await applyListingPolicy(db, policy, nowMs);
  return policy;
}

/**
 * Applies LISTING_POLICY on start: records it (every later decision reads it from the database) and, under `open`,
 * lists the providers that were waiting for review. Switching to `reviewed` hides nobody already public.
 */
export async function applyListingPolicy(db: Db, policy: ListingPolicy, nowMs: number): Promise<number> {
  await setMeta(db, POLICY_KEY, policy);
  if (policy !== "open") return 0;
  const waiting = await providersWaitingForReview(db);
  for (const p of waiting) await db.transaction().execute((trx) => syncListing(trx, p.id, iso(nowMs)));
  return waiting.length;
}

/** Deletes an offer with its index rows and records the change. False when it did not exist. */
export async function deleteOffer(trx: Db, id: string, now: string): Promise<boolean> {
  return deleteOfferRow(trx, id, now);
}

/** Provider fields that offers are searched or filtered by: changing one reindexes the provider's offers. */
const INDEXED_PROVIDER_FIELDS: Array<keyof ProviderUpdate> = ["name", "country", "org_type", "chatons_member", "verified"];
/** Provider fields the listing rule reads: changing one may make the provider (and its offers) public or not. */
const LISTING_FIELDS: Array<keyof ProviderUpdate> = ["hidden_at", "reviewed_at", "chatons_member", "chatons_level", "chatons_listed", "deleted_at", "demo"];

/** Updates a provider's row (in `trx`), rebuilds its offers' index when a searched field changed, re-applies the listing rule. */
export async function updateProvider(trx: Db, id: number, patch: ProviderUpdate): Promise<ProviderRow> {
  let p = await updateProviderRow(trx, id, patch);
  if (INDEXED_PROVIDER_FIELDS.some((k) => k in patch)) await reindexProvider(trx, p);
  if (LISTING_FIELDS.some((k) => k in patch)) p = (await syncListing(trx, p.id, p.updated_at)) ?? p;
  return p;
}

/** Rebuilds the index of a provider's offers (its profile or its signup destinations changed). Inside `trx`. */
export async function reindexProvider(trx: Db, provider: ProviderRow): Promise<number> {
  const rows = await offerRowsOfProvider(trx, provider.id);
  const reach = await providerReach(trx, provider.id);
  for (const r of rows) await writeOfferIndex(trx, r.seq, r.listed === 1 ? offerIndex(r, provider, reach) : null);
  if (rows.length) await bumpCatalogVersion(trx);
  return rows.length;
}

/**
 * A provider's signup destinations changed (webhook or Nextcloud set, removed or disabled): its offers' availability
 * is recomputed here, and other directories are told (the offers of that mode are published again).
 */
export async function destinationsChanged(trx: Db, provider: ProviderRow, modes: readonly string[], now: string): Promise<void> {
  await reindexProvider(trx, provider);
  await touchOffersOfProvider(trx, provider.id, modes, now);
}

/**
 * Bump when what offerIndex computes changes: on start, an older catalog is reindexed once (ensureIndexCurrent), so
 * filters, facets and search text of existing offers follow the new rules. 2: `available` = canJoin, `dataLocation`
 * and `place` tags.
 */
export const INDEX_VERSION = "2";

/** Reindexes every offer when the stored index was built by older rules; returns how many offers were reindexed. */
export async function ensureIndexCurrent(db: Db): Promise<number> {
  if ((await getMeta(db, "offer_index_version")) === INDEX_VERSION) return 0;
  let n = 0;
  for (const p of await listAllProviders(db)) n += await db.transaction().execute((trx) => reindexProvider(trx, p));
  await setMeta(db, "offer_index_version", INDEX_VERSION);
  return n;
}
