/**
 * CHATONS membership, confirmed by the collective itself (docs/decisions/0011). A provider's own organization file
 * declares a level (ACTIVE, IDLE; AWAY or an end date in the past declares none); the collective's Federation file
 * (`CHATONS_FEDERATION_URL`, or `import-statoolinfos --federation`) lists the organization files of its members.
 * A provider is a "CHATONS member" (`chatons_member`, the `member=true` filter) only when its file is listed AND
 * declares ACTIVE; IDLE listed is shown as a member whose activity is paused; a declaration the list does not confirm
 * is shown as "declares membership (not confirmed)". Demo providers keep the membership the operator's seeds give.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow, ProviderUpdate } from "../../db/database.ts";
import { getMeta, setMeta } from "../../db/queries/meta.ts";
import { countFederationList, isListedOrgUrl, listedOrgUrls, providersWithOrgFile, replaceFederationList } from "../../db/queries/membership.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { iso } from "../../lib/time.ts";
import { updateProvider } from "../catalog/offers.ts";
import { fetchText, type FileResult } from "./fetch.ts";
import { parseProperties, prop, subs, type LineIssue, type Properties } from "./properties.ts";
import type { Organization } from "./statoolinfos.ts";

export { membershipOf, type Membership } from "./membership-rule.ts";

/** The columns for a declared level and whether the collective lists the file. */
export function membershipColumns(level: Organization["chatonsLevel"], listed: boolean): Pick<ProviderUpdate, "chatons_level" | "chatons_listed" | "chatons_member"> {
  return { chatons_level: level ?? null, chatons_listed: listed ? 1 : 0, chatons_member: listed && level === "ACTIVE" ? 1 : 0 };
}

const changed = (p: ProviderRow, patch: ReturnType<typeof membershipColumns>) =>
  p.chatons_level !== patch.chatons_level || p.chatons_listed !== patch.chatons_listed || p.chatons_member !== patch.chatons_member;

/**
 * A pull read the provider's organization file: when it is the file the operator imported the provider from, its
 * declared level is taken (AWAY, an end date or a removed memberof line end the membership). Other files (a provider
 * may point its source anywhere) never touch membership.
 */
export async function recordDeclaredMembership(trx: Db, provider: ProviderRow, fileUrl: string, org: Organization | undefined, now: string): Promise<ProviderRow> {
  if (!org || provider.chatons_org_url === null || provider.chatons_org_url !== fileUrl) return provider;
  const patch = membershipColumns(org.chatonsLevel, await isListedOrgUrl(trx, fileUrl));
  return changed(provider, patch) ? updateProvider(trx, provider.id, { ...patch, updated_at: now }) : provider;
}

/** The columns for a provider imported from `orgUrl` with what the file declares. */
export async function importedMembership(db: Db, orgUrl: string, org: Organization) {
  return { chatons_org_url: orgUrl, ...membershipColumns(org.chatonsLevel, await isListedOrgUrl(db, orgUrl)) };
}

// ---- the collective's Federation file ----

export type FederationFile = { name?: string; members: Array<{ id: string; url: string; line: number }>; issues: LineIssue[] };

/** Reads a StatoolInfos Federation file (`file.class = Federation`): its `subs.*` lines name the members' organization files. */
export function readFederation(p: Properties, baseUrl: string): FederationFile {
  const issues: LineIssue[] = [...p.issues];
  const cls = prop(p, "file.class");
  if (cls && cls.toLowerCase() !== "federation") issues.push({ line: p.lines.get("file.class") ?? 0, message: `file.class: expected Federation, found ${cls}` });
  const members: FederationFile["members"] = [];
  for (const s of subs(p)) {
    if (s.note) issues.push({ line: s.line, message: s.note });
    try { members.push({ id: s.id, url: new URL(s.url, baseUrl).href, line: s.line }); }
    catch { issues.push({ line: s.line, message: `subs.${s.id}: not a URL: ${s.url}` }); }
  }
  return { name: prop(p, "federation.name"), members, issues };
}

export type FederationReport = {
  status: "updated" | "not-modified" | "failed"; at: string; url: string;
  members: number; confirmed: number; unconfirmed: number; error?: string; issues: LineIssue[];
};

type ListDeps = { db: Db; http: SafeFetch; clock: Clock; log: Logger };
const VALIDATORS = "chatons_federation_validators";
const NEXT_AT = "chatons_federation_next_at";
const REPORT = "chatons_federation_report";

/** Re-derives every local provider's membership from the stored list; returns how many are confirmed members. */
export async function reconfirmAll(deps: { db: Db }, now: string): Promise<{ confirmed: number; unconfirmed: number }> {
  const listed = await listedOrgUrls(deps.db);
  let confirmed = 0;
  let unconfirmed = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const p of await providersWithOrgFile(trx)) {
      const patch = membershipColumns((p.chatons_level ?? undefined) as Organization["chatonsLevel"], listed.has(p.chatons_org_url!));
      if (changed(p, patch)) await updateProvider(trx, p.id, { ...patch, updated_at: now });
      if (patch.chatons_member === 1) confirmed++;
      else if (patch.chatons_level && !patch.chatons_listed) unconfirmed++;
    }
  });
  return { confirmed, unconfirmed };
}

/**
 * Stores the list a Federation file gives, then re-derives memberships. A failed fetch or a file that lists no
 * member keeps the previous list: an outage of the collective's site must not strip every member.
 */
export async function storeFederationList(deps: ListDeps, url: string, text: string): Promise<FederationReport> {
  const now = iso(deps.clock.now());
  const file = readFederation(parseProperties(text), url);
  if (file.members.length === 0) {
    return { status: "failed", at: now, url, members: await countFederationList(deps.db), confirmed: 0, unconfirmed: 0, error: `${url}: not a Federation file (no subs.* lines)`, issues: file.issues };
  }
  await deps.db.transaction().execute((trx) => replaceFederationList(trx, url, file.members.map((m) => ({ orgUrl: m.url, memberId: m.id })), now));
  const r = await reconfirmAll(deps, now);
  return { status: "updated", at: now, url, members: file.members.length, ...r, issues: file.issues };
}

/** Pulls the Federation file (conditional GET) and stores its list. */
export async function refreshFederationList(deps: ListDeps, url: string): Promise<FederationReport> {
  const now = iso(deps.clock.now());
  let known: { etag?: string; lastModified?: string } | undefined;
  try { known = JSON.parse((await getMeta(deps.db, VALIDATORS)) ?? "null")?.[url]; } catch { /* start over */ }
  let file: FileResult;
  try { file = await fetchText(deps.http, url, known); }
  catch (e) { return { status: "failed", at: now, url, members: await countFederationList(deps.db), confirmed: 0, unconfirmed: 0, error: (e as Error).message, issues: [] }; }
  if (file.status === 304) return { status: "not-modified", at: now, url, members: await countFederationList(deps.db), confirmed: 0, unconfirmed: 0, issues: [] };
  const report = await storeFederationList(deps, url, file.text);
  if (report.status === "updated") await setMeta(deps.db, VALIDATORS, JSON.stringify({ [url]: file.validators ?? {} }));
  return report;
}

/** On the crawl schedule: refreshes the list when due (every crawl interval), records the report. */
export async function federationListTick(deps: ListDeps & { intervalMs: number }, url: string | undefined): Promise<FederationReport | undefined> {
  if (!url) return undefined;
  const nowMs = deps.clock.now();
  const next = await getMeta(deps.db, NEXT_AT);
  if (next && Date.parse(next) > nowMs) return undefined;
  const report = await refreshFederationList(deps, url);
  await setMeta(deps.db, NEXT_AT, iso(nowMs + deps.intervalMs));
  await setMeta(deps.db, REPORT, JSON.stringify(report));
  if (report.status === "failed") deps.log.warn("CHATONS federation list not refreshed; the previous list is kept", { url, error: report.error });
  return report;
}
