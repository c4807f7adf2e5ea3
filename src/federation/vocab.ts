/**
 * Offers on the wire: FEP-0837 `Proposal` (purpose "offer", `publishes` an `Intent` to deliver the service,
 * `reciprocal` an `Intent` for the payment) plus our own JSON-LD terms for the fields ActivityStreams has no
 * word for, and `PropertyValue` attachments that Mastodon-like software can display. With domain/catalog/views.ts
 * (the API's and pages' objects), the only place that knows both DB rows and wire names.
 */
import "./shim.ts";
import { Intent, LanguageString, Measure, Organization, PropertyValue, Proposal, PUBLIC_COLLECTION } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import * as v from "valibot";
import type { OfferWithProvider } from "../db/queries/offers.ts";
import type { ProviderRow } from "../db/database.ts";
import { OfferInput } from "../domain/schemas.ts";
import { ORG_TYPES } from "../domain/vocabulary.ts";
import { acceptsSignups } from "../domain/signups/eligibility.ts";
import { iso } from "../lib/time.ts";
import { expandOne, type Node } from "./expand.ts";
import type { Urls } from "./types.ts";

export const NS = "https://chatons-directory.org/ns#";
const VF = "https://w3id.org/valueflows/ont/vf#";
const AS = "https://www.w3.org/ns/activitystreams#";

/** Our term definitions; embedded in every document we serve (no fetch needed) and served at /ap/context.jsonld. */
export const CHATONS_CONTEXT = {
  chatons: NS,
  xsd: "http://www.w3.org/2001/XMLSchema#",
  service: "chatons:service",
  software: { "@id": "chatons:software", "@type": "@json" },
  price: { "@id": "chatons:price", "@type": "@json" },
  registration: "chatons:registration",
  capacity: "chatons:capacity",
  quota: { "@id": "chatons:quota", "@type": "@json" },
  dataLocation: "chatons:dataLocation",
  languages: { "@id": "chatons:languages", "@container": "@set" },
  includes: { "@id": "chatons:includes", "@type": "@json" },
  targetAudience: { "@id": "chatons:audience", "@container": "@set" },
  support: { "@id": "chatons:support", "@container": "@set" },
  signup: { "@id": "chatons:signup", "@type": "@json" },
  country: "chatons:country",
  orgType: "chatons:orgType",
  chatonsMember: { "@id": "chatons:chatonsMember", "@type": "xsd:boolean" },
  website: { "@id": "chatons:website", "@type": "@id" },
  // Federated signups (docs/federated-signups.md): where this offer's directory takes signups handed over by other
  // directories, and whether it takes one now.
  signupEndpoint: { "@id": "chatons:signupEndpoint", "@type": "@id" },
  acceptsSignups: { "@id": "chatons:acceptsSignups", "@type": "xsd:boolean" },
} as const;

/** The hand-over endpoint of a directory (the same for all its offers). */
export const handoverEndpoint = (publicUrl: string) => `${publicUrl}/api/v1/federation/signups`;


const lang = (map: Record<string, string>) => Object.entries(map).map(([l, text]) => new LanguageString(text, l));
const label = (row: OfferWithProvider) => {
  const t = JSON.parse(row.title_json) as Record<string, string>;
  return t.fr ?? t.en ?? Object.values(t)[0] ?? row.slug;
};

/** The standard-vocabulary part of an offer: what travels inside activities (Fedify compacts away other terms). */
export function offerToProposal(row: OfferWithProvider, urls: Urls): Proposal {
  const price = row.price_model === "fixed" && row.price_amount !== null
    ? new Intent({ action: "transfer", resourceQuantity: new Measure({ unit: row.price_currency ?? "EUR", numericalValue: (row.price_amount / 100).toFixed(2) as never }) })
    : null;
  const props: Array<[string, string | null]> = [
    ["Service", row.service], ["Software", [row.software_name, row.software_version].filter(Boolean).join(" ")], ["Price", row.price_model],
    ["Registration", row.registration], ["Data location", row.data_location], ["Sign up", row.signup_url],
  ];
  return new Proposal({
    id: urls.offerUri(row.id),
    attribution: urls.actorUri(row.p_slug),
    names: [label(row), ...lang(JSON.parse(row.title_json))],
    contents: lang(JSON.parse(row.description_json)),
    url: new URL(`/offers/${encodeURIComponent(row.id)}`, urls.publicUrl),
    published: Temporal.Instant.from(row.created_at),
    updated: Temporal.Instant.from(row.updated_at),
    purpose: "offer",
    publishes: new Intent({ action: "deliverService", resourceConformsTo: new URL(`${NS}service-${row.service}`) }),
    reciprocal: price,
    attachments: props.filter((p): p is [string, string] => !!p[1]).map(([name, value]) => new PropertyValue({ name, value })),
    to: PUBLIC_COLLECTION,
    cc: urls.followersUri(row.p_slug),
  });
}

/** Our own fields of an offer, by term name of CHATONS_CONTEXT. */
function offerExtras(row: OfferWithProvider, publicUrl: string): Record<string, unknown> {
  const quota: Record<string, number> = {};
  if (row.quota_storage_gb !== null) quota.storageGB = row.quota_storage_gb;
  if (row.quota_users !== null) quota.users = row.quota_users;
  const price: Record<string, unknown> = { model: row.price_model };
  if (row.price_amount !== null) price.amount = row.price_amount;
  if (row.price_currency) price.currency = row.price_currency;
  if (row.price_period) price.period = row.price_period;
  const software: Record<string, string> = { name: row.software_name };
  if (row.software_version) software.version = row.software_version;
  if (row.software_license) software.license = row.software_license;
  return {
    service: row.service, software, price, registration: row.registration, capacity: row.capacity, quota, dataLocation: row.data_location,
    languages: JSON.parse(row.languages_json), includes: JSON.parse(row.includes_json), targetAudience: JSON.parse(row.audience_json),
    support: JSON.parse(row.support_json), signup: row.signup_url ? { mode: row.signup_mode, url: row.signup_url } : { mode: row.signup_mode },
    // Only this directory's own offers are handed over here; it decides with the same rule as for its own pages.
    ...(row.source !== "federated" ? { signupEndpoint: handoverEndpoint(publicUrl), acceptsSignups: acceptsSignups(row) } : {}),
  };
}

/** The actor subset: actor documents also load the DID context, whose protected `service` term we must not redefine. */
const ACTOR_CONTEXT = { chatons: NS, xsd: CHATONS_CONTEXT.xsd, country: CHATONS_CONTEXT.country, orgType: CHATONS_CONTEXT.orgType, chatonsMember: CHATONS_CONTEXT.chatonsMember, website: CHATONS_CONTEXT.website };

/** Re-parses a compacted document with our terms added, so Fedify serves it verbatim (its cached JSON-LD). */
async function augment<T extends { toJsonLd(o: object): Promise<unknown> }>(obj: T, extras: Record<string, unknown>, terms: object, parse: (json: unknown) => Promise<T>, contextLoader: DocumentLoader): Promise<T> {
  const doc = (await obj.toJsonLd({ format: "compact", contextLoader })) as Record<string, unknown>;
  const ctx = Array.isArray(doc["@context"]) ? doc["@context"] : [doc["@context"]];
  return parse({ ...doc, ...extras, "@context": [...ctx, terms] });
}

/** The full offer document served at /ap/offers/{id}. */
export async function offerDocument(row: OfferWithProvider, urls: Urls, contextLoader: DocumentLoader): Promise<Proposal> {
  return augment(offerToProposal(row, urls), offerExtras(row, urls.publicUrl), CHATONS_CONTEXT, (json) => Proposal.fromJsonLd(json, { contextLoader }), contextLoader);
}

/** Adds the provider's directory fields (country, organisation type, membership, website) to its actor. */
export async function providerActorDocument(actor: Organization, p: ProviderRow, contextLoader: DocumentLoader): Promise<Organization> {
  const extras = { country: p.country, orgType: p.org_type, chatonsMember: p.chatons_member === 1, website: p.website };
  return augment(actor, extras, ACTOR_CONTEXT, (json) => Organization.fromJsonLd(json, { contextLoader }), contextLoader);
}

// ---- reading remote documents: expand with JSON-LD, then validate every field with valibot ----

const values = (n: Node, iri: string) => (Array.isArray(n[iri]) ? (n[iri] as Node[]) : []);
const first = (n: Node, iri: string): unknown => values(n, iri)[0]?.["@value"];
const firstId = (n: Node, iri: string): string | undefined => values(n, iri)[0]?.["@id"] as string | undefined;
const list = (n: Node, iri: string) => values(n, iri).map((x) => x["@value"]);
const langMap = (n: Node, iri: string) => {
  const out: Record<string, string> = {};
  for (const x of values(n, iri)) if (typeof x["@language"] === "string" && typeof x["@value"] === "string") out[(x["@language"] as string).toLowerCase()] = x["@value"] as string;
  if (Object.keys(out).length === 0) { const plain = values(n, iri).find((x) => typeof x["@value"] === "string"); if (plain) out.en = plain["@value"] as string; }
  return out;
};

export type RemoteOffer = {
  id: string; attributedTo: string; updated: string; input: OfferInput;
  /** Where its directory takes hand-overs, and whether it takes one now (absent: it does not say). */
  handover?: { url: string; accepts: boolean };
};
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads a remote Proposal document into an OfferInput; every field is validated. */
export async function parseOfferDocument(doc: unknown, contextLoader: DocumentLoader): Promise<ParseResult<RemoteOffer>> {
  let n: Node | undefined;
  try { n = await expandOne(doc, contextLoader); } catch (e) { return { ok: false, reason: `not JSON-LD: ${(e as Error).message}` }; }
  if (!n) return { ok: false, reason: "expected one object" };
  if (!(n["@type"] as string[] | undefined)?.includes(`${VF}Proposal`)) return { ok: false, reason: "not a Proposal" };
  const id = n["@id"];
  const attributedTo = firstId(n, `${AS}attributedTo`);
  const updated = first(n, `${AS}updated`) ?? first(n, `${AS}published`);
  if (typeof id !== "string" || !attributedTo) return { ok: false, reason: "missing id or attributedTo" };
  const candidate = {
    service: first(n, `${NS}service`), software: first(n, `${NS}software`), title: langMap(n, `${AS}name`), description: langMap(n, `${AS}content`),
    price: first(n, `${NS}price`), registration: first(n, `${NS}registration`), capacity: first(n, `${NS}capacity`) ?? undefined,
    quota: first(n, `${NS}quota`) ?? undefined, dataLocation: first(n, `${NS}dataLocation`), languages: list(n, `${NS}languages`),
    includes: first(n, `${NS}includes`) ?? undefined, audience: list(n, `${NS}audience`), support: list(n, `${NS}support`), signup: first(n, `${NS}signup`) ?? undefined,
  };
  const parsed = v.safeParse(OfferInput, candidate);
  if (!parsed.success) return { ok: false, reason: `invalid offer: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? "(object)"} ${i.message}`).join("; ")}` };
  const when = typeof updated === "string" && !Number.isNaN(Date.parse(updated)) ? iso(Date.parse(updated)) : undefined;
  if (!when) return { ok: false, reason: "missing updated/published date" };
  const endpoint = firstId(n, `${NS}signupEndpoint`);
  const handover = endpoint && /^https?:\/\//.test(endpoint) && endpoint.length <= 2048 ? { url: endpoint, accepts: first(n, `${NS}acceptsSignups`) === true } : undefined;
  return { ok: true, value: { id, attributedTo, updated: when, input: parsed.output, ...(handover ? { handover } : {}) } };
}

export const RemoteProvider = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
  website: v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\//)),
  country: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)),
  orgType: v.picklist(ORG_TYPES),
  chatonsMember: v.boolean(),
});
export type RemoteProvider = v.InferOutput<typeof RemoteProvider>;

/** Reads a remote provider actor; fields we cannot read fall back to neutral values (the actor URL, "collective"). */
export async function parseProviderDocument(doc: unknown, contextLoader: DocumentLoader): Promise<ParseResult<RemoteProvider & { id: string }>> {
  let n: Node | undefined;
  try { n = await expandOne(doc, contextLoader); } catch (e) { return { ok: false, reason: `not JSON-LD: ${(e as Error).message}` }; }
  if (!n || typeof n["@id"] !== "string") return { ok: false, reason: "expected one actor" };
  const id = n["@id"] as string;
  const name = first(n, `${AS}name`) ?? first(n, `${AS}preferredUsername`) ?? new URL(id).host;
  const candidate = {
    name, website: firstId(n, `${NS}website`) ?? firstId(n, `${AS}url`) ?? id, country: first(n, `${NS}country`) ?? "ZZ",
    orgType: first(n, `${NS}orgType`) ?? "collective", chatonsMember: first(n, `${NS}chatonsMember`) ?? false,
  };
  const parsed = v.safeParse(RemoteProvider, candidate);
  if (!parsed.success) return { ok: false, reason: `invalid provider: ${parsed.issues.map((i) => `${v.getDotPath(i)} ${i.message}`).join("; ")}` };
  return { ok: true, value: { ...parsed.output, id } };
}
