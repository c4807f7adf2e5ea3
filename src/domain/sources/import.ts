/**
 * `import-statoolinfos`: creates or updates a provider from a StatoolInfos organization file and pulls its offers
 * from the service files its `subs.*` lines point to. An operator command: unlike a provider's own pull, it sets
 * the profile (name, website, type, country, declared CHATONS membership) from the file. From an http(s) URL the file
 * also becomes the provider's pull source, so the crawler keeps the offers fresh.
 *
 * Which provider a file updates never depends on its name alone (two organisations may share one): the provider
 * already imported from (or pulling) that very file, else the one the operator names with `--slug`; otherwise a new
 * provider, whose slug gets a suffix when an unrelated provider already has it.
 *
 * `--federation`: the collective's Federation file; its list is stored (it confirms memberships) and every member's
 * organization file is imported in turn, with progress and a summary.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { federationMembers, findProviderByOrgFile } from "../../db/queries/membership.ts";
import { findProviderBySlug } from "../../db/queries/providers.ts";
import { setSource } from "../../db/queries/sources.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import { randomToken } from "../../lib/ids.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { iso } from "../../lib/time.ts";
import { createProvider, updateProvider } from "../catalog/offers.ts";
import { fail, ok, type Result } from "../errors.ts";
import { applyPulledOffers } from "./apply.ts";
import { pullReport, pullSource } from "./crawler.ts";
import type { PullReport } from "./document.ts";
import { fetchSource } from "./fetch.ts";
import { importedMembership, membershipOf, reconfirmAll, storeFederationList, type FederationReport, type Membership } from "./membership.ts";
import { decodeProperties, parseProperties } from "./properties.ts";
import { readOrganization, slugFromSubId } from "./statoolinfos.ts";

type ImportDeps = { db: Db; http: SafeFetch; clock: Clock; log: Logger; intervalMs: number; statoolinfosHosts?: string[] };

export type ImportResult = {
  provider: ProviderRow; created: boolean; report: PullReport; profileIssues: Array<{ line?: number; message: string }>;
  /** How the file was matched to a provider: the one already tied to this file, the operator's --slug, or none (new). */
  matched: "org-file" | "slug" | "new";
  membership: Membership;
  /** Set when the slug made from the name belonged to an unrelated provider: the new provider's slug differs. */
  renamedFrom?: string;
};

async function getText(http: SafeFetch, url: string): Promise<Result<string>> {
  try {
    const res = await http(url, { timeoutMs: 10_000, maxBytes: 1_000_000 });
    if (res.status !== 200) return fail({ kind: "unavailable", detail: `${url}: HTTP ${res.status}` });
    return ok(decodeProperties(res.body));
  } catch (e) {
    return fail({ kind: "unavailable", detail: `${url}: ${(e as Error).message}` });
  }
}

/** A slug not used by any provider: `base`, else `base-2`, `base-3`… */
async function freeSlug(db: Db, base: string): Promise<string> {
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, 60)}-${i}`;
    if (!(await findProviderBySlug(db, candidate))) return candidate;
  }
}

export async function importStatoolInfos(deps: ImportDeps, rawUrl: string, opts: { slug?: string; suggestedSlug?: string } = {}): Promise<Result<ImportResult>> {
  let url = rawUrl;
  try { url = new URL(rawUrl).href; } catch { return fail({ kind: "invalid", detail: `${rawUrl}: not a URL` }); }
  const nowMs = deps.clock.now();
  const now = iso(nowMs);
  const text = await getText(deps.http, url);
  if (!text.ok) return text;
  const props = parseProperties(text.value);
  const { organization: org, issues } = readOrganization(props, nowMs);
  const profileIssues: ImportResult["profileIssues"] = [...props.issues, ...issues];
  if (!org.name || !org.website) {
    return fail({ kind: "invalid", detail: `${url}: organization.name and organization.website are required to create a provider.` });
  }

  // Which provider: the one tied to this very file, else the operator's explicit --slug, else a new one.
  let existing = await findProviderByOrgFile(deps.db, url);
  let matched: ImportResult["matched"] = existing ? "org-file" : "new";
  let slug = existing?.slug;
  let renamedFrom: string | undefined;
  if (!existing && opts.slug) {
    const named = await findProviderBySlug(deps.db, opts.slug);
    if (named?.source === "federated") return fail({ kind: "conflict", detail: `"${opts.slug}" is a federated provider; choose another --slug.` });
    if (named?.chatons_org_url && named.chatons_org_url !== url) {
      return fail({ kind: "conflict", detail: `"${opts.slug}" was imported from another organization file (${named.chatons_org_url}); choose another --slug.` });
    }
    existing = named;
    matched = named ? "slug" : "new";
    slug = opts.slug;
  }
  if (!slug) {
    const base = slugFromSubId(opts.suggestedSlug ?? "") ?? slugFromSubId(org.name);
    if (!base) return fail({ kind: "invalid", detail: "Cannot make a provider slug from organization.name; pass --slug." });
    // Same name is not same organisation: an unrelated provider keeps its slug and its data.
    slug = (await findProviderBySlug(deps.db, base)) ? await freeSlug(deps.db, base) : base;
    if (slug !== base) {
      renamedFrom = base;
      profileIssues.push({ message: `another provider already uses the slug "${base}" (same name, not this organization file): created as "${slug}"` });
    }
  }

  if (!org.country) profileIssues.push({ message: "organization.country.code missing: FR assumed" });
  const profile = {
    name: org.name.slice(0, 120), website: org.website, country: org.country ?? "FR", org_type: org.orgType ?? "collective",
    description_json: JSON.stringify(org.description ? { fr: org.description.slice(0, 2000) } : {}),
    ...(await importedMembership(deps.db, url, org)), updated_at: now,
  };
  // The domain proof was for the old website: a new one must be proven again.
  const unverify = existing && existing.website !== profile.website ? { verified: 0, verified_at: null } : {};
  const provider = await deps.db.transaction().execute((trx) => existing
    ? updateProvider(trx, existing.id, { ...profile, ...unverify })
    : createProvider(trx, { slug: slug!, ...profile, email: null, verification_token: randomToken(24, "chatons-directory-verification="), created_at: now }, now));

  let report: PullReport;
  if (/^https?:/i.test(url)) {
    const row = await setSource(deps.db, provider.id, url, "statoolinfos", now);
    report = await pullSource(deps, { ...row, provider });
  } else {
    // A local file cannot be crawled later: pull once, without saving a source.
    const outcome = await fetchSource(deps.http, { url, format: "statoolinfos", validators: {} }, { nowMs, fallbackCountry: provider.country, fallbackWebsite: provider.website, subHosts: deps.statoolinfosHosts });
    if (outcome.kind !== "fetched") return fail({ kind: "unavailable", detail: outcome.kind === "failed" ? outcome.error : `${url}: not modified` });
    const counts = await deps.db.transaction().execute((trx) => applyPulledOffers(trx, provider, outcome, nowMs));
    report = pullReport(now, counts, outcome);
  }
  return ok({ provider, created: !existing, report, profileIssues, matched, membership: membershipOf(provider), ...(renamedFrom ? { renamedFrom } : {}) });
}

export type FederationImportProgress = { done: number; total: number; url: string; result: Result<ImportResult> };
export type FederationImportSummary = {
  list: FederationReport; members: number; created: number; updated: number; failed: number; degraded: number;
  offers: { created: number; updated: number; deleted: number };
  failures: Array<{ url: string; error: string }>;
};

/**
 * Imports the collective's Federation file: stores its member list (which confirms memberships), then imports every
 * member's organization file (created or updated, offers pulled), one member failing never stopping the others.
 */
export async function importFederation(deps: ImportDeps, url: string, onProgress?: (p: FederationImportProgress) => void): Promise<Result<FederationImportSummary>> {
  const text = await getText(deps.http, url);
  if (!text.ok) return text;
  const list = await storeFederationList(deps, url, text.value);
  if (list.status === "failed") return fail({ kind: "invalid", detail: list.error ?? `${url}: not a Federation file` });
  const members = await federationMembers(deps.db);
  const summary: FederationImportSummary = { list, members: members.length, created: 0, updated: 0, failed: 0, degraded: 0, offers: { created: 0, updated: 0, deleted: 0 }, failures: [] };
  let done = 0;
  for (const { url: member, id } of members) {
    // The list's own id for the member (`subs.<id>`) names a new provider better than its display name.
    const result = await importStatoolInfos(deps, member, { suggestedSlug: id }).catch((e): Result<ImportResult> => fail({ kind: "unavailable", detail: `${member}: ${(e as Error).message}` }));
    done++;
    if (result.ok) {
      summary[result.value.created ? "created" : "updated"]++;
      if (result.value.report.status === "degraded") summary.degraded++;
      summary.offers.created += result.value.report.created;
      summary.offers.updated += result.value.report.updated;
      summary.offers.deleted += result.value.report.deleted;
    } else {
      summary.failed++;
      summary.failures.push({ url: member, error: result.error.detail });
    }
    onProgress?.({ done, total: members.length, url: member, result });
  }
  // Counted again now that every member's own file has been read.
  Object.assign(summary.list, await reconfirmAll(deps, iso(deps.clock.now())));
  return ok(summary);
}
