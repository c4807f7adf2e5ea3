/**
 * `import-statoolinfos`: creates or updates a provider from a StatoolInfos organization file and pulls its offers
 * from the service files its `subs.*` lines point to. An operator command: unlike a provider's own pull, it sets
 * the profile (name, website, type, country, CHATONS membership) from the file. From an http(s) URL the file also
 * becomes the provider's pull source, so the crawler keeps the offers fresh.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { findProviderBySlug, insertProvider } from "../../db/queries/providers.ts";
import { setSource } from "../../db/queries/sources.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import { randomToken } from "../../lib/ids.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { iso } from "../../lib/time.ts";
import { updateProvider } from "../catalog/offers.ts";
import { fail, ok, type Result } from "../errors.ts";
import { applyPulledOffers } from "./apply.ts";
import { pullSource } from "./crawler.ts";
import type { PullReport } from "./document.ts";
import { fetchSource } from "./fetch.ts";
import { parseProperties } from "./properties.ts";
import { readOrganization, slugFromSubId } from "./statoolinfos.ts";

type ImportDeps = { db: Db; http: SafeFetch; clock: Clock; log: Logger; intervalMs: number; statoolinfosHosts?: string[] };

export type ImportResult = { provider: ProviderRow; created: boolean; report: PullReport; profileIssues: Array<{ line?: number; message: string }> };

export async function importStatoolInfos(deps: ImportDeps, url: string, opts: { slug?: string } = {}): Promise<Result<ImportResult>> {
  const nowMs = deps.clock.now();
  const now = iso(nowMs);
  let text: string;
  try {
    const res = await deps.http(url, { timeoutMs: 10_000, maxBytes: 1_000_000 });
    if (res.status !== 200) return fail({ kind: "unavailable", detail: `${url}: HTTP ${res.status}` });
    text = res.text();
  } catch (e) {
    return fail({ kind: "unavailable", detail: `${url}: ${(e as Error).message}` });
  }
  const props = parseProperties(text);
  const { organization: org, issues } = readOrganization(props, nowMs);
  const profileIssues: ImportResult["profileIssues"] = [...props.issues, ...issues];
  const slug = opts.slug ?? slugFromSubId(org.name ?? "");
  if (!slug) return fail({ kind: "invalid", detail: "Cannot make a provider slug from organization.name; pass --slug." });
  if (!org.name || !org.website) {
    return fail({ kind: "invalid", detail: `${url}: organization.name and organization.website are required to create a provider.` });
  }
  if (!org.country) profileIssues.push({ message: "organization.country.code missing: FR assumed" });
  const profile = {
    name: org.name.slice(0, 120), website: org.website, country: org.country ?? "FR", org_type: org.orgType ?? "collective",
    description_json: JSON.stringify(org.description ? { fr: org.description.slice(0, 2000) } : {}), chatons_member: org.chatonsMember ? 1 : 0, updated_at: now,
  };
  const existing = await findProviderBySlug(deps.db, slug);
  if (existing && existing.source === "federated") return fail({ kind: "conflict", detail: `"${slug}" is a federated provider; choose another --slug.` });
  // The domain proof was for the old website: a new one must be proven again.
  const unverify = existing && existing.website !== profile.website ? { verified: 0, verified_at: null } : {};
  const provider = await deps.db.transaction().execute((trx) => existing
    ? updateProvider(trx, existing.id, { ...profile, ...unverify })
    : insertProvider(trx, { slug, ...profile, email: null, verification_token: randomToken(24, "chatons-directory-verification="), created_at: now }));

  let report: PullReport;
  if (/^https?:/i.test(url)) {
    const row = await setSource(deps.db, provider.id, url, "statoolinfos", now);
    report = await pullSource(deps, { ...row, provider });
  } else {
    // A local file cannot be crawled later: pull once, without saving a source.
    const outcome = await fetchSource(deps.http, { url, format: "statoolinfos", validators: {} }, { nowMs, fallbackCountry: provider.country, fallbackWebsite: provider.website, subHosts: deps.statoolinfosHosts });
    if (outcome.kind !== "fetched") return fail({ kind: "unavailable", detail: outcome.kind === "failed" ? outcome.error : `${url}: not modified` });
    const counts = await deps.db.transaction().execute((trx) => applyPulledOffers(trx, provider, outcome, nowMs));
    report = { status: "updated", at: now, ...counts, issues: outcome.issues };
  }
  return ok({ provider, created: !existing, report, profileIssues });
}
