/**
 * The offer editor's rules: form fields ↔ an offer's input, prices typed in euros (or the offer's currency) stored
 * in minor units, which field each problem belongs to, the preview card, and saving with the page's version.
 * Everything is checked by the API's own schema (OfferInput), so a page and the API accept exactly the same offers.
 */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { providerReach } from "../../db/queries/destinations.ts";
import type { OfferWithProvider } from "../../db/queries/offers.ts";
import { offerSlugsOf } from "../../db/queries/provider-space.ts";
import { iso } from "../../lib/time.ts";
import { listingPolicy, offerId, toOfferRow } from "../catalog/offers.ts";
import { ownOfferById, presentOffer, type Offer, type OwnOffer } from "../catalog/views.ts";
import { fail, ok, type Result } from "../errors.ts";
import { OfferInput, Slug } from "../schemas.ts";
import { fold } from "../text.ts";
import { offerVersion, putOffer, removeOffer } from "./offers.ts";

/** Languages an offer's title and description are written in on the editor (others stay as the API set them). */
export const EDITOR_LANGUAGES = ["fr", "en"] as const;
/** At most this many bundled services (the schema's limit). */
export const MAX_INCLUDES = 10;

/** A form: every value of every field, as posted. */
export type FormFields = { get(name: string): string | undefined; all(name: string): string[] };

/** What is wrong with a field, for the page to say in its language. */
export type FieldProblem =
  | { code: "required" } | { code: "too-long"; max: number } | { code: "choose" } | { code: "amount" } | { code: "number" }
  | { code: "url" } | { code: "slug" } | { code: "slug-taken" } | { code: "one-language" } | { code: "currency" } | { code: "invalid" }
  | { code: "private" } | { code: "nc-token" } | { code: "email" };
export type FormErrors = Record<string, FieldProblem>;

/**
 * An amount typed by a person ("5", "5,00", "4.5", "1 234,50 €") in minor units (cents); undefined when it is not
 * one (more than two decimals, negative, letters).
 */
export function parseAmount(text: string): number | undefined {
  const s = text.replace(/[\s\u00a0\u202f€£]|EUR|CHF|GBP/gi, "");
  // An integer part (digits, or groups of three after a separator: "1.234", "1,234"), then up to two decimals.
  const m = /^(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const cents = Number(m[1].replace(/[.,]/g, "")) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  return Number.isSafeInteger(cents) && cents <= 100_000_000 ? cents : undefined;
}

/** An amount in minor units as the editor shows it: "5,00" in French, "5.00" in English, no grouping. */
export function amountText(minor: number, locale: "fr" | "en"): string {
  const s = (minor / 100).toFixed(2);
  return locale === "fr" ? s.replace(".", ",") : s;
}

/** A slug made from a name or title: "Nuage d'École" → "nuage-d-ecole" (2–63 lowercase letters, digits, hyphens). */
export function slugify(text: string): string {
  const s = fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/g, "");
  return s.length >= 2 ? s : `${s}${s ? "-" : ""}offre`.slice(0, 50);
}

const num = (text: string | undefined) => {
  const t = (text ?? "").trim().replace(",", ".");
  return t === "" ? undefined : /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
};

/** The offer a posted editor form describes (not yet checked), and problems found before the schema looks. */
export function inputFromForm(f: FormFields): { input: Record<string, unknown>; errors: FormErrors } {
  const errors: FormErrors = {};
  const text = (name: string) => (f.get(name) ?? "").trim();
  const localized = (field: string) => Object.fromEntries(EDITOR_LANGUAGES.map((l) => [l, text(`${field}_${l}`)]).filter(([, s]) => s !== ""));
  const model = text("priceModel");
  const amountRaw = text("priceAmount");
  const amount = amountRaw === "" ? undefined : parseAmount(amountRaw);
  if (amountRaw !== "" && amount === undefined) errors.priceAmount = { code: "amount" };
  const priced = model !== "free" && amount !== undefined;
  const quota: Record<string, number> = {};
  for (const [field, key] of [["storageGB", "storageGB"], ["users", "users"]] as const) {
    const n = num(f.get(field));
    if (Number.isNaN(n)) errors[field] = { code: "number" };
    else if (n !== undefined) quota[key] = n;
  }
  const includes: Array<{ service: string; software: string }> = [];
  for (let i = 0; i < MAX_INCLUDES; i++) {
    const service = text(`include_service_${i}`);
    const software = text(`include_software_${i}`);
    if (service === "" && software === "") continue;
    includes.push({ service, software });
  }
  const mode = text("signupMode") || "webhook";
  const input: Record<string, unknown> = {
    service: text("service"),
    software: { name: text("software"), ...(text("softwareVersion") ? { version: text("softwareVersion") } : {}), ...(text("softwareLicense") ? { license: text("softwareLicense") } : {}) },
    title: localized("title"),
    description: localized("description"),
    price: { model, ...(priced ? { amount, currency: text("priceCurrency") || "EUR", ...(text("pricePeriod") ? { period: text("pricePeriod") } : {}) } : {}) },
    registration: text("registration"),
    capacity: text("capacity") || "available",
    ...(Object.keys(quota).length ? { quota } : {}),
    dataLocation: text("dataLocation"),
    languages: f.all("languages").filter(Boolean),
    includes,
    audience: f.all("audience").filter(Boolean),
    support: f.all("support").filter(Boolean),
    signup: { mode, ...(mode === "external" && text("signupUrl") ? { url: text("signupUrl") } : {}) },
  };
  return { input, errors };
}

/** Which editor field a schema problem belongs to, and what kind of problem it is. */
function problemOf(issue: v.BaseIssue<unknown>): [string, FieldProblem] {
  const path = (issue.path ?? []).map((p) => String(p.key));
  const [a, b, c] = path;
  let field: string;
  if (a === "software") field = b === "version" ? "softwareVersion" : b === "license" ? "softwareLicense" : "software";
  else if (a === "title" || a === "description") field = b && EDITOR_LANGUAGES.includes(b as never) ? `${a}_${b}` : a;
  else if (a === "price") field = b === "amount" ? "priceAmount" : b === "currency" ? "priceCurrency" : b === "period" ? "pricePeriod" : "priceModel";
  else if (a === "quota") field = b === "users" ? "users" : "storageGB";
  else if (a === "includes") field = b !== undefined ? `include_${c === "service" ? "service" : "software"}_${b}` : "includes";
  else if (a === "signup") field = b === "url" ? "signupUrl" : "signupMode";
  else field = a ?? "form";
  const t = issue.type;
  const max = (issue as { requirement?: unknown }).requirement;
  const problem: FieldProblem =
    (a === "title" || a === "description") && !b ? { code: "one-language" }
    : t === "max_length" && typeof max === "number" ? { code: "too-long", max }
    : t === "min_length" || (t === "string" && issue.input === undefined) ? { code: "required" }
    : t === "picklist" ? (issue.input === "" || issue.input === undefined ? { code: "choose" } : { code: "invalid" })
    : field === "signupUrl" && t === "check" ? { code: "required" } // "is required when mode is external"
    : t === "url" || field === "signupUrl" ? { code: issue.input === undefined || issue.input === "" ? "required" : "url" }
    : field === "priceCurrency" ? { code: "currency" }
    : t === "regex" && field === "dataLocation" ? { code: "choose" }
    : t === "number" || t === "min_value" || t === "max_value" || t === "integer" ? { code: "number" }
    : { code: "invalid" };
  return [field, problem];
}

/** Checks a posted form: the offer's input, or each problem by field. */
export function checkOfferForm(f: FormFields): Result<OfferInput, { kind: "invalid"; detail: string; fields: FormErrors }> {
  const { input, errors } = inputFromForm(f);
  const parsed = v.safeParse(OfferInput, input);
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const [field, problem] = problemOf(issue);
      errors[field] ??= problem;
    }
  }
  if (Object.keys(errors).length || !parsed.success) return fail({ kind: "invalid", detail: "Some fields are invalid.", fields: errors });
  return ok(parsed.output);
}

/** The editor's fields for an existing offer (amounts as the page's language writes them). */
export function formFromOffer(o: Offer, locale: "fr" | "en"): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {
    service: o.service, software: o.software.name, softwareVersion: o.software.version ?? "", softwareLicense: o.software.license ?? "",
    priceModel: o.price.model, priceAmount: o.price.amount !== undefined ? amountText(o.price.amount, locale) : "",
    priceCurrency: o.price.currency ?? "EUR", pricePeriod: o.price.period ?? "", registration: o.registration, capacity: o.capacity,
    storageGB: o.quota.storageGB !== undefined ? String(o.quota.storageGB) : "", users: o.quota.users !== undefined ? String(o.quota.users) : "",
    dataLocation: o.dataLocation, languages: o.languages, audience: o.audience, support: o.support,
    signupMode: o.signup.mode, signupUrl: o.signup.url ?? "",
  };
  for (const l of EDITOR_LANGUAGES) { out[`title_${l}`] = o.title[l] ?? ""; out[`description_${l}`] = o.description[l] ?? ""; }
  o.includes.forEach((inc, i) => { out[`include_service_${i}`] = inc.service; out[`include_software_${i}`] = inc.software; });
  return out;
}

/** How the offer would look in the results (the card people see), before it is saved. */
export async function previewOffer(db: Db, provider: ProviderRow, slug: string, input: OfferInput, nowMs: number): Promise<Offer> {
  const row = toOfferRow(provider, slug, input, iso(nowMs));
  const reach = await providerReach(db, provider.id);
  const reachable = row.signup_mode === "webhook" ? reach.webhook : row.signup_mode === "nextcloud" ? reach.nextcloud : false;
  const full: OfferWithProvider = {
    ...(row as Omit<OfferWithProvider, "seq" | "stale_since" | "p_slug" | "p_name" | "p_country" | "p_org_type" | "p_chatons_member" | "p_verified" | "reachable">),
    seq: 0, stale_since: null, source: "local", origin_json: null,
    p_slug: provider.slug, p_name: provider.name, p_country: provider.country, p_org_type: provider.org_type,
    p_chatons_member: provider.chatons_member, p_verified: provider.verified, reachable: reachable ? 1 : 0,
    p_chatons_level: provider.chatons_level, p_chatons_listed: provider.chatons_listed, p_reviewed_at: provider.reviewed_at, p_listed_at: provider.listed_at,
    p_source: provider.source, p_listed: provider.listed, p_hidden_at: provider.hidden_at, p_hidden_reason: provider.hidden_reason,
    p_deleted_at: provider.deleted_at, p_demo: provider.demo, listed: 1, hidden_at: null, hidden_reason: null,
  } as OfferWithProvider;
  return presentOffer(full, nowMs);
}

/** A new offer's slug: the one asked for, else one made from its title that the provider does not use yet. */
export async function newOfferSlug(db: Db, provider: ProviderRow, asked: string, title: string): Promise<Result<string, { kind: "invalid"; detail: string; fields: FormErrors }>> {
  const taken = new Set(await offerSlugsOf(db, provider.id));
  const bad = (problem: FieldProblem) => fail({ kind: "invalid" as const, detail: "The offer's address is not valid.", fields: { slug: problem } });
  if (asked) {
    if (!v.is(Slug, asked)) return bad({ code: "slug" });
    return taken.has(asked) ? bad({ code: "slug-taken" }) : ok(asked);
  }
  const base = slugify(title);
  for (let i = 1; i < 1000; i++) {
    const s = i === 1 ? base : `${base.slice(0, 58)}-${i}`;
    if (!taken.has(s)) return ok(s);
  }
  return bad({ code: "slug-taken" });
}

/**
 * Saves an offer from the editor. `version` is what the page showed ("new" for a new offer): a save from a page
 * showing an older version is refused (precondition-failed), so two tabs never overwrite each other unknowingly.
 */
export async function saveFromEditor(db: Db, provider: ProviderRow, slug: string, input: OfferInput, version: string, nowMs: number): Promise<Result<OwnOffer>> {
  const precondition = async (current: OwnOffer | undefined) =>
    version === "new" ? current === undefined : current !== undefined && (await offerVersion(current)) === version;
  const saved = await putOffer(db, provider, slug, input, nowMs, precondition);
  if (!saved.ok) return saved;
  return ok((await ownOfferById(db, offerId(provider.slug, slug), nowMs, await listingPolicy(db)))!);
}

/** Deletes an offer from the editor, if the page showed its current version. */
export async function deleteFromEditor(db: Db, provider: ProviderRow, slug: string, version: string, nowMs: number): Promise<Result<true>> {
  return removeOffer(db, provider, slug, nowMs, async (current) => current !== undefined && (await offerVersion(current)) === version);
}

/** The provider's own offer by slug (never another provider's: the id is built from the signed-in provider). */
export async function ownOffer(db: Db, provider: ProviderRow, slug: string, nowMs: number): Promise<OwnOffer | undefined> {
  if (!v.is(Slug, slug)) return undefined;
  const o = await ownOfferById(db, offerId(provider.slug, slug), nowMs, await listingPolicy(db));
  return o && o.source !== "federated" ? o : undefined;
}
