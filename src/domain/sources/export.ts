/**
 * Our catalog as StatoolInfos (docs/decisions/0012), so the collective's own tools can read what we hold:
 * `/.well-known/chatonsinfos/federation.properties` (a Federation-class file listing our providers' organization
 * files), `/.well-known/chatonsinfos/<provider>.properties` (Organization) and
 * `/.well-known/chatonsinfos/<provider>/<offer>.properties` (Service) for each local provider that publishes offers
 * through our API. Standard ChatonsInfos keys carry what the format has words for; the rest of an offer travels in
 * `directory.*` keys (other readers ignore unknown keys), which our importer reads back: our export imported by our
 * importer gives the same offers (test/integration/statoolinfos-export.test.ts).
 */
import type { Db } from "../../db/client.ts";
import type { OfferWithProvider } from "../../db/queries/offers.ts";
import { findProviderBySlug } from "../../db/queries/providers.ts";
import { localOffersOf, providersPublishingLocally } from "../../db/queries/statoolinfos-export.ts";
import { formatProperties } from "./properties.ts";
import { membershipOf } from "./membership.ts";
import type { ProviderRow } from "../../db/database.ts";

export const EXPORT_PREFIX = "/.well-known/chatonsinfos";
const PROTOCOL = "ChatonsInfos-0.5";
const GENERATOR = "chatons-directory";

const ORG_TYPE: Record<string, string> = { association: "ASSOCIATION", cooperative: "COOPERATIVE", company: "COMPANY", collective: "INFORMAL", individual: "INDIVIDUAL", public: "OTHER" };
const dateTime = (iso: string) => iso.slice(0, 19);
const fileSection = (cls: string, url: string, at: string): Array<[string, string]> =>
  [["file.class", cls], ["file.protocol", PROTOCOL], ["file.datetime", dateTime(at)], ["file.generator", GENERATOR], ["file.url", url]];
const first = (m: Record<string, string>) => m.fr ?? m.en ?? Object.values(m)[0] ?? "";

export const orgFileUrl = (publicUrl: string, slug: string) => `${publicUrl}${EXPORT_PREFIX}/${encodeURIComponent(slug)}.properties`;
export const serviceFileUrl = (publicUrl: string, slug: string, offerSlug: string) => `${publicUrl}${EXPORT_PREFIX}/${encodeURIComponent(slug)}/${encodeURIComponent(offerSlug)}.properties`;

/** The directory's Federation-class file. */
export async function federationFile(db: Db, publicUrl: string, name: string): Promise<string> {
  const providers = await providersPublishingLocally(db);
  const at = providers.map((p) => p.updated_at).sort().pop() ?? "1970-01-01T00:00:00";
  return formatProperties([
    ...fileSection("Federation", `${publicUrl}${EXPORT_PREFIX}/federation.properties`, at),
    ["federation.name", name], ["federation.description", "Offers published through this directory"], ["federation.website", `${publicUrl}/`],
    ...providers.map((p): [string, string] => [`subs.${p.slug}`, orgFileUrl(publicUrl, p.slug)]),
  ]);
}

function organization(p: ProviderRow, offers: OfferWithProvider[], publicUrl: string): string {
  const at = [p.updated_at, ...offers.map((o) => o.updated_at)].sort().pop()!;
  const description = JSON.parse(p.description_json) as Record<string, string>;
  const membership = membershipOf(p);
  return formatProperties([
    ...fileSection("Organization", orgFileUrl(publicUrl, p.slug), at),
    ["organization.name", p.name], ["organization.description", first(description)], ["organization.website", p.website],
    ["organization.type", ORG_TYPE[p.org_type] ?? "OTHER"], ["organization.status.level", "ACTIVE"],
    ["organization.country.code", p.country], ["organization.startdate", p.created_at.slice(0, 10)],
    // Only what the collective confirmed: an unconfirmed declaration is not repeated as a fact.
    ...(membership === "member" || membership === "idle" ? [["organization.memberof.chatons.status.level", membership === "idle" ? "IDLE" : "ACTIVE"] as [string, string]] : []),
    ...offers.map((o): [string, string] => [`subs.${o.slug}`, serviceFileUrl(publicUrl, p.slug, o.slug)]),
  ]);
}

/** StatoolInfos registration words for our values (the exact value also travels in `directory.registration`). */
function registrationWords(o: OfferWithProvider): string {
  if (o.registration === "none") return "None";
  if (o.registration === "members") return "Member";
  if (o.price_model === "fixed") return "Client";
  return "Free";
}

function service(o: OfferWithProvider, publicUrl: string): string {
  const at = o.updated_at;
  const title = JSON.parse(o.title_json) as Record<string, string>;
  const description = JSON.parse(o.description_json) as Record<string, string>;
  const quota: Array<[string, string]> = [];
  if (o.quota_storage_gb !== null) quota.push(["directory.quota.storagegb", String(o.quota_storage_gb)]);
  if (o.quota_users !== null) quota.push(["directory.quota.users", String(o.quota_users)]);
  const lang = (prefix: string, m: Record<string, string>) => Object.entries(m).map(([l, text]): [string, string] => [`${prefix}.${l}`, text]);
  return formatProperties([
    ...fileSection("Service", serviceFileUrl(publicUrl, o.p_slug, o.slug), at),
    ["service.name", first(title)], ["service.description", first(description)],
    ["service.website", `${publicUrl}/offers/${encodeURIComponent(o.id)}`],
    ["service.status.level", o.registration === "closed" ? "ERROR" : "OK"],
    ["service.registration", registrationWords(o)], ["service.registration.load", o.capacity === "full" || o.registration === "closed" ? "FULL" : "OPEN"],
    ["software.name", o.software_name], ...(o.software_version ? [["software.version", o.software_version] as [string, string]] : []),
    ...(o.software_license ? [["software.license.name", o.software_license] as [string, string]] : []),
    ["host.country.code", o.data_location],
    // Our fields, for readers that know them (ours): the importer rebuilds the same offer from them.
    ["directory.service", o.service], ["directory.registration", o.registration], ["directory.price.model", o.price_model],
    ...(o.price_amount !== null ? [["directory.price.amount", String(o.price_amount)] as [string, string]] : []),
    ...(o.price_currency ? [["directory.price.currency", o.price_currency] as [string, string]] : []),
    ...(o.price_period ? [["directory.price.period", o.price_period] as [string, string]] : []),
    ...lang("directory.title", title), ...lang("directory.description", description), ...quota,
    ["directory.languages", (JSON.parse(o.languages_json) as string[]).join(";")],
    ["directory.audience", (JSON.parse(o.audience_json) as string[]).join(";")],
    ["directory.support", (JSON.parse(o.support_json) as string[]).join(";")],
    ["directory.includes", (JSON.parse(o.includes_json) as Array<{ service: string; software: string }>).map((i) => `${i.service}:${i.software}`).join(";")],
  ]);
}

/** `<slug>.properties` or `<slug>/<offer>.properties` under the export prefix; undefined when we do not export it. */
export async function exportedFile(db: Db, publicUrl: string, path: string): Promise<string | undefined> {
  const m = /^([a-z0-9-]+)(?:\/([a-z0-9-]+))?\.properties$/.exec(path);
  if (!m) return undefined;
  const p = await findProviderBySlug(db, m[1]);
  if (!p || p.source === "federated" || p.demo === 1) return undefined;
  const offers = await localOffersOf(db, p.id);
  if (offers.length === 0) return undefined;
  if (!m[2]) return organization(p, offers, publicUrl);
  const o = offers.find((x) => x.slug === m[2]);
  return o ? service(o, publicUrl) : undefined;
}
