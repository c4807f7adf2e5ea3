/**
 * StatoolInfos → our model (mapping in shared/design/statoolinfos.md). Pure functions over parsed properties:
 * no I/O, never throw; every value we cannot use is reported with the file's line number and left out.
 */
import * as v from "valibot";
import { OfferInput } from "../schemas.ts";
import type { OrgType, PriceModel, Registration } from "../vocabulary.ts";
import { prop, propList, subs, type LineIssue, type Properties, type Sub } from "./properties.ts";
import { serviceOfSoftware } from "./software-services.ts";

/** The keys we read (lowercased); anything else in a file is kept in `Properties` but ignored. */
export const FILE_KEYS = ["file.class", "file.protocol", "file.datetime", "file.generator", "file.url"] as const;
export const ORGANIZATION_KEYS = [
  "organization.name", "organization.description", "organization.website", "organization.logo", "organization.startdate",
  "organization.enddate", "organization.legal.url", "organization.type", "organization.status.level", "organization.status.description",
  "organization.country.name", "organization.country.code", "organization.memberof.chatons.status.level",
  "organization.memberof.chatons.startdate", "organization.memberof.chatons.enddate",
] as const;
export const SERVICE_KEYS = [
  "service.name", "service.description", "service.website", "service.logo", "service.legal.url", "service.guide.user",
  "service.guide.technical", "service.contact.url", "service.contact.email", "service.startdate", "service.enddate",
  "service.status.level", "service.registration", "service.registration.load", "service.install.type",
  "software.name", "software.website", "software.license.name", "software.license.url", "software.version", "software.source.url",
  "software.modules", "host.name", "host.description", "host.server.distribution", "host.server.type", "host.provider.type",
  "host.country.name", "host.country.code",
] as const;

const ORG_TYPES: Record<string, OrgType> = {
  ASSOCIATION: "association", COOPERATIVE: "cooperative", COMPANY: "company", MICROCOMPANY: "company",
  INDIVIDUAL: "individual", INFORMAL: "collective", OTHER: "collective",
};

/** A member's status in the collective (ChatonsInfos `organization.memberof.chatons.status.level`). */
export const MEMBER_LEVELS = ["ACTIVE", "IDLE", "AWAY"] as const;
export type MemberLevel = (typeof MEMBER_LEVELS)[number];

export type Organization = {
  name?: string;
  description?: string;
  website?: string;
  logo?: string;
  orgType?: OrgType;
  country?: string;
  /**
   * What the file declares about CHATONS membership: ACTIVE or IDLE (still a member, activity paused); undefined when
   * it declares none, AWAY, or an end date in the past. Only the collective's list confirms it (domain/sources/membership.ts).
   */
  chatonsLevel?: "ACTIVE" | "IDLE";
  /** The organisation's own status.level (ACTIVE | IDLE | AWAY); AWAY (or a past organization.enddate) lists no offer. */
  status?: MemberLevel;
  subs: Sub[];
};

const upper = (s: string | undefined) => s?.trim().toUpperCase();
/** Cuts to at most `n` UTF-16 units without splitting a surrogate pair, then trims (the schemas trim too). */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = /[\uD800-\uDBFF]/.test(s[n - 1]) ? n - 1 : n;
  return s.slice(0, cut).trim();
}
const isPast = (date: string | undefined, nowMs: number) => {
  const t = date ? Date.parse(date) : NaN;
  return Number.isFinite(t) && t < nowMs;
};
const issueAt = (p: Properties, key: string, message: string): LineIssue => ({ line: p.lines.get(key) ?? 0, message: `${key}: ${message}` });
const httpUrl = (s: string | undefined) => {
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
};
const country = (s: string | undefined) => {
  const c = upper(s);
  return c && /^[A-Z]{2}$/.test(c) ? c : undefined;
};

function checkClass(p: Properties, expected: string, issues: LineIssue[]) {
  const cls = prop(p, "file.class");
  if (cls && cls.toLowerCase() !== expected.toLowerCase()) issues.push(issueAt(p, "file.class", `expected ${expected}, found ${cls}`));
}

const isMemberLevel = (s: string | undefined): s is MemberLevel => (MEMBER_LEVELS as readonly string[]).includes(s ?? "");

export function readOrganization(p: Properties, nowMs: number): { organization: Organization; issues: LineIssue[] } {
  const issues: LineIssue[] = [];
  checkClass(p, "Organization", issues);
  const rawType = upper(prop(p, "organization.type"));
  const orgType = rawType ? ORG_TYPES[rawType] : undefined;
  if (rawType && !orgType) issues.push(issueAt(p, "organization.type", `unknown value ${rawType}`));
  const rawCountry = prop(p, "organization.country.code");
  if (rawCountry && !country(rawCountry)) issues.push(issueAt(p, "organization.country.code", `not an ISO 3166-1 alpha-2 code: ${rawCountry}`));
  const website = httpUrl(prop(p, "organization.website"));
  if (prop(p, "organization.website") && !website) issues.push(issueAt(p, "organization.website", "not an http(s) URL"));

  // The organisation itself: ACTIVE, IDLE (paused) or AWAY (closed); a past end date means AWAY too.
  const rawStatus = upper(prop(p, "organization.status.level"));
  let status: MemberLevel | undefined = isMemberLevel(rawStatus) ? rawStatus : undefined;
  if (rawStatus && !status) issues.push(issueAt(p, "organization.status.level", `unknown value ${rawStatus} (expected ACTIVE, IDLE or AWAY)`));
  if (isPast(prop(p, "organization.enddate"), nowMs)) status = "AWAY";
  if (status === "AWAY") issues.push(issueAt(p, p.values.has("organization.status.level") ? "organization.status.level" : "organization.enddate", "the organisation is AWAY (closed): none of its services is listed"));

  // Membership as the file declares it: ACTIVE is a member, IDLE a member whose activity is paused, AWAY or an end
  // date in the past is not a member. A start date without a level (older files) reads as ACTIVE.
  const rawLevel = upper(prop(p, "organization.memberof.chatons.status.level"));
  let chatonsLevel: Organization["chatonsLevel"];
  if (rawLevel === "ACTIVE" || rawLevel === "IDLE") chatonsLevel = rawLevel;
  else if (rawLevel && rawLevel !== "AWAY") issues.push(issueAt(p, "organization.memberof.chatons.status.level", `unknown value ${rawLevel} (expected ACTIVE, IDLE or AWAY); not read as a member`));
  else if (!rawLevel && prop(p, "organization.memberof.chatons.startdate") !== undefined) chatonsLevel = "ACTIVE";
  if (chatonsLevel && isPast(prop(p, "organization.memberof.chatons.enddate"), nowMs)) chatonsLevel = undefined;
  if (status === "AWAY") chatonsLevel = undefined; // a closed organisation is nobody's member any more
  return {
    organization: {
      name: prop(p, "organization.name"), description: prop(p, "organization.description"), website, logo: httpUrl(prop(p, "organization.logo")), orgType,
      country: country(rawCountry), chatonsLevel, status, subs: subs(p),
    },
    issues,
  };
}

/** How open a registration value is: the most open one listed wins (a service "Free;Member" is open to all). */
const REGISTRATION: Record<string, { registration: Registration; price: PriceModel; rank: number }> = {
  NONE: { registration: "open", price: "free", rank: 0 },
  FREE: { registration: "open", price: "free", rank: 1 },
  MEMBER: { registration: "members", price: "membership", rank: 2 },
  CLIENT: { registration: "approval", price: "fixed", rank: 3 },
};

export type MappedService = { offer: OfferInput; issues: LineIssue[] } | { offer?: undefined; skipped: string; issues: LineIssue[] };

/**
 * `service.status.level` as written by both vocabularies in use: ChatonsInfos templates (OK, WARNING, ALERT, ERROR,
 * OVER, VOID) and StatoolInfos' GENERAL.md (ON, MAINTENANCE, DOWN, OFF, DRAFT). `listed` services are shown,
 * `closed` ones shown but closed to registration, `gone` ones not listed.
 */
export const SERVICE_STATUS: Record<string, "listed" | "closed" | "gone"> = {
  OK: "listed", ON: "listed", WARNING: "listed", MAINTENANCE: "listed", ALERT: "listed", VOID: "listed",
  ERROR: "closed", DOWN: "closed",
  OVER: "gone", OFF: "gone", DRAFT: "gone",
};

/**
 * Maps one service file to an offer. Services that ended (enddate past, status OVER/OFF/DRAFT) are skipped;
 * ERROR/DOWN services stay listed but closed to registration; unknown status values are reported and read as listed.
 * Country: host, else organization, else `fallbackCountry`.
 */
export function mapService(p: Properties, org: Organization, ctx: { nowMs: number; fallbackCountry: string; fallbackWebsite: string }): MappedService {
  const issues: LineIssue[] = [];
  checkClass(p, "Service", issues);
  const status = upper(prop(p, "service.status.level"));
  const level = status ? SERVICE_STATUS[status] : "listed";
  if (status && !level) issues.push(issueAt(p, "service.status.level", `unknown value ${status} (expected one of ${Object.keys(SERVICE_STATUS).join(", ")}); listed as is`));
  if (level === "gone") return { skipped: `service.status.level is ${status}`, issues };
  if (isPast(prop(p, "service.enddate"), ctx.nowMs)) return { skipped: `service.enddate ${prop(p, "service.enddate")} is past`, issues };
  const software = prop(p, "software.name");
  const name = prop(p, "service.name") ?? software;
  if (!name) return { skipped: "no service.name nor software.name", issues: [...issues, { line: 0, message: "service.name: missing" }] };

  let reg = { registration: "approval" as Registration, price: "free" as PriceModel, rank: 9 };
  for (const r of propList(p, "service.registration")) {
    const m = REGISTRATION[r.toUpperCase()];
    if (!m) issues.push(issueAt(p, "service.registration", `unknown value ${r}`));
    else if (m.rank < reg.rank) reg = m;
  }
  if (reg.rank === 9 && prop(p, "service.registration") === undefined) issues.push({ line: 0, message: "service.registration: missing; listed as on approval" });
  const load = upper(prop(p, "service.registration.load"));
  if (load && load !== "OPEN" && load !== "FULL") issues.push(issueAt(p, "service.registration.load", `unknown value ${load}`));
  const rawHostCountry = prop(p, "host.country.code");
  if (rawHostCountry && !country(rawHostCountry)) issues.push(issueAt(p, "host.country.code", `not an ISO 3166-1 alpha-2 code: ${rawHostCountry}`));
  const website = httpUrl(prop(p, "service.website")) ?? org.website ?? ctx.fallbackWebsite;
  const description = prop(p, "service.description") ?? (software && software !== name ? `${name} (${software})` : name);

  const candidate = {
    service: serviceOfSoftware(software ?? name),
    software: { name: clip(software ?? name, 80), version: clip(prop(p, "software.version") ?? "", 40) || undefined, license: clip(prop(p, "software.license.name") ?? "", 80) || undefined },
    title: { fr: clip(name, 140) },
    description: { fr: clip(description, 4000) },
    price: { model: reg.price },
    registration: level === "closed" ? "closed" : reg.registration,
    capacity: load === "FULL" ? "full" : "available",
    dataLocation: country(rawHostCountry) ?? org.country ?? ctx.fallbackCountry,
    languages: ["fr"],
    signup: { mode: "external", url: website },
  };
  const r = v.safeParse(OfferInput, { ...candidate, ...directoryFields(p) });
  if (!r.success) {
    return { skipped: "the mapped offer is invalid", issues: [...issues, ...r.issues.map((i) => ({ line: 0, message: `${v.getDotPath(i) ?? "offer"}: ${i.message}` }))] };
  }
  return { offer: r.output, issues };
}

/** A slug for an offer from its `subs.<id>` (stable across crawls), folded to our slug alphabet. */
export function slugFromSubId(id: string): string | undefined {
  const s = id.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return s.length >= 2 ? s : undefined;
}

/**
 * The `directory.*` keys our own export writes (domain/sources/export.ts): the offer's fields the StatoolInfos
 * vocabulary has no word for. Present only in files a chatons-directory wrote; validated with the rest of the offer.
 */
function directoryFields(p: Properties): Record<string, unknown> {
  if (prop(p, "directory.service") === undefined) return {};
  const langs = (prefix: string) => {
    const out: Record<string, string> = {};
    for (const [k, val] of p.values) if (k.startsWith(`${prefix}.`) && val !== "") out[k.slice(prefix.length + 1)] = val;
    return out;
  };
  const num = (k: string) => (prop(p, k) !== undefined && /^\d+$/.test(prop(p, k)!) ? Number(prop(p, k)) : undefined);
  const quota = { storageGB: num("directory.quota.storagegb"), users: num("directory.quota.users") };
  return {
    service: prop(p, "directory.service"), registration: prop(p, "directory.registration"),
    price: { model: prop(p, "directory.price.model"), amount: num("directory.price.amount"), currency: prop(p, "directory.price.currency"), period: prop(p, "directory.price.period") },
    title: langs("directory.title"), description: langs("directory.description"),
    ...(quota.storageGB !== undefined || quota.users !== undefined ? { quota } : {}),
    languages: propList(p, "directory.languages"), audience: propList(p, "directory.audience"), support: propList(p, "directory.support"),
    includes: propList(p, "directory.includes").map((i) => ({ service: i.split(":")[0], software: i.split(":").slice(1).join(":") })),
  };
}
