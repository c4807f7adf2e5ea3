/**
 * Fetching a pull source: conditional GETs through the guarded fetch, then the format's reader. Returns what was
 * found (offers, per-file issues) or why it failed; applying it to the database is apply.ts's job.
 */
import * as v from "valibot";
import { canonicalHost, FetchRefused, type SafeFetch } from "../../delivery/net.ts";
import { isRetryableStatus } from "../../lib/http-status.ts";
import type { OfferInput } from "../schemas.ts";
import { OfferDocumentEntry, MAX_DOCUMENT_OFFERS, type SourceFormat } from "./document.ts";
import { jsonValueLines, lineOf } from "./json-lines.ts";
import { decodeProperties, parseProperties } from "./properties.ts";
import { mapService, readOrganization, slugFromSubId, type Organization } from "./statoolinfos.ts";

export const FETCH_TIMEOUT_MS = 10_000;
export const FETCH_MAX_BYTES = 1_000_000;
const MAX_SUBS = 100;
const SUB_CONCURRENCY = 4;

export type Validators = Record<string, { etag?: string; lastModified?: string }>;
export type FileIssue = { file: string; line?: number; message: string };
/** A service file that could not be read: which `subs.*` line, the URL tried, and the HTTP status or error. */
export type FileFailure = { slug: string; sub: string; file: string; line: number; url?: string; status?: number; error: string };
export type PulledOffer = { slug: string; input: OfferInput };

export type FetchOutcome =
  | { kind: "not-modified"; validators: Validators }
  | { kind: "fetched"; offers: PulledOffer[]; keep: string[]; failures: FileFailure[]; issues: FileIssue[]; validators: Validators; organization?: Organization }
  | { kind: "failed"; error: string; transient: boolean; status?: number };

/**
 * `subHosts`: hosts (and their subdomains) whose service files any organization file may point to; besides them,
 * `subs.*` lines are followed only on the organization file's own host (STATOOLINFOS_HOSTS, docs/decisions/0019).
 */
export type SourceContext = { nowMs: number; fallbackCountry: string; fallbackWebsite: string; subHosts?: string[] };

/** Whether a service file at `subUrl` may be read for the organization file at `orgUrl`. */
export function subFileAllowed(subUrl: URL, orgUrl: URL, subHosts: string[] = []): boolean {
  const host = canonicalHost(subUrl.hostname);
  return host === canonicalHost(orgUrl.hostname) || subHosts.some((h) => host === h || host.endsWith(`.${h}`));
}

class FileFailed extends Error {
  constructor(message: string, readonly transient: boolean, readonly status?: number) { super(message); }
}

export type FileResult = { status: 200; text: string; validators?: { etag?: string; lastModified?: string } } | { status: 304 };

/** GET with If-None-Match/If-Modified-Since when `known` is given; 304 → { status: 304 }, other non-2xx → FileFailed. */
export async function fetchText(http: SafeFetch, url: string, known?: { etag?: string; lastModified?: string }): Promise<FileResult> {
  const headers: Record<string, string> = { accept: "application/json, text/plain;q=0.9, */*;q=0.5" };
  if (known?.etag) headers["if-none-match"] = known.etag;
  if (known?.lastModified) headers["if-modified-since"] = known.lastModified;
  let res;
  try {
    res = await http(url, { headers, timeoutMs: FETCH_TIMEOUT_MS, maxBytes: FETCH_MAX_BYTES });
  } catch (e) {
    if (e instanceof FetchRefused) throw new FileFailed(`${url}: ${e.message}`, e.reason === "timeout" || e.reason === "network");
    throw new FileFailed(`${url}: ${(e as Error).message}`, true);
  }
  if (res.status === 304 && known) return { status: 304 };
  if (res.status < 200 || res.status > 299) {
    throw new FileFailed(`${url}: HTTP ${res.status}`, isRetryableStatus(res.status), res.status);
  }
  const etag = res.headers.get("etag") ?? undefined;
  const lastModified = res.headers.get("last-modified") ?? undefined;
  return { status: 200, text: decodeProperties(res.body), validators: etag || lastModified ? { etag, lastModified } : undefined };
}

const failed = (e: unknown): FetchOutcome => e instanceof FileFailed
  ? { kind: "failed", error: e.message, transient: e.transient, status: e.status }
  : { kind: "failed", error: String((e as Error)?.message ?? e), transient: true };

/** Fetches a source. With `validators` from the previous pull, unchanged files cost one 304 each. */
export async function fetchSource(http: SafeFetch, source: { url: string; format: SourceFormat; validators: Validators }, ctx: SourceContext): Promise<FetchOutcome> {
  try {
    return source.format === "json" ? await fetchJson(http, source.url, source.validators) : await fetchStatoolInfos(http, source.url, source.validators, ctx);
  } catch (e) {
    return failed(e);
  }
}

async function fetchJson(http: SafeFetch, url: string, validators: Validators): Promise<FetchOutcome> {
  const file = await fetchText(http, url, validators[url]);
  if (file.status === 304) return { kind: "not-modified", validators };
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (e) {
    return { kind: "failed", error: `${url}: not valid JSON (${(e as Error).message})`, transient: false };
  }
  const list = (data as { offers?: unknown })?.offers;
  if (!data || typeof data !== "object" || !Array.isArray(list)) return { kind: "failed", error: `${url}: expected {"offers": [...]}`, transient: false };
  if (list.length > MAX_DOCUMENT_OFFERS) return { kind: "failed", error: `${url}: more than ${MAX_DOCUMENT_OFFERS} offers`, transient: false };
  const offers: PulledOffer[] = [];
  const keep: string[] = [];
  const issues: FileIssue[] = [];
  const seen = new Set<string>();
  const lines = jsonValueLines(file.text);
  const at = (path: string) => { const line = lineOf(lines, path); return line ? { line } : {}; };
  list.forEach((entry, i) => {
    const r = v.safeParse(OfferDocumentEntry, entry);
    const rawSlug = (entry as { slug?: unknown })?.slug;
    if (!r.success) {
      for (const issue of r.issues) {
        const dot = v.getDotPath(issue) ?? "";
        issues.push({ file: url, ...at(`offers.${i}${dot ? `.${dot}` : ""}`), message: `offers[${i}].${dot}: ${issue.message}`.replace(/\.:/, ":") });
      }
      // An invalid entry does not delete the offer it used to describe: the provider is probably mid-edit.
      if (typeof rawSlug === "string") keep.push(rawSlug);
      return;
    }
    const { slug, ...input } = r.output;
    if (seen.has(slug)) {
      issues.push({ file: url, ...at(`offers.${i}.slug`), message: `offers[${i}].slug: "${slug}" is listed twice; the first entry wins` });
      return;
    }
    seen.add(slug);
    offers.push({ slug, input });
  });
  return { kind: "fetched", offers, keep, failures: [], issues, validators: file.validators ? { [url]: file.validators } : {} };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

async function fetchStatoolInfos(http: SafeFetch, url: string, validators: Validators, ctx: SourceContext): Promise<FetchOutcome> {
  // Cheap path: the organization file and every service file answer 304.
  if (validators[url]) {
    const org = await fetchText(http, url, validators[url]);
    if (org.status === 304) {
      const others = Object.keys(validators).filter((u) => u !== url);
      const results = await mapLimit(others, SUB_CONCURRENCY, (u) => fetchText(http, u, validators[u]).then((r) => r.status, () => 0));
      if (results.every((s) => s === 304)) return { kind: "not-modified", validators };
    }
  }
  const orgFile = await fetchText(http, url);
  if (orgFile.status === 304) throw new FileFailed(`${url}: unexpected 304`, true);
  const orgProps = parseProperties(orgFile.text);
  const { organization, issues: orgIssues } = readOrganization(orgProps, ctx.nowMs);
  if (!organization.name && organization.subs.length === 0) {
    // Probably an HTML error page served with 200: failing keeps the offers instead of deleting them all.
    return { kind: "failed", error: `${url}: not a StatoolInfos organization file (no organization.name, no subs.* lines)`, transient: false };
  }
  const issues: FileIssue[] = [...orgProps.issues, ...orgIssues].map((i) => ({ file: url, ...(i.line ? { line: i.line } : {}), message: i.message }));
  for (const sub of organization.subs) if (sub.note) issues.push({ file: url, line: sub.line, message: sub.note });
  const next: Validators = orgFile.validators ? { [url]: orgFile.validators } : {};
  // A closed organisation lists nothing (its crawled offers go); the file is still remembered for the 304 path.
  if (organization.status === "AWAY") return { kind: "fetched", offers: [], keep: [], failures: [], issues, validators: next, organization };
  if (organization.subs.length === 0) issues.push({ file: url, message: "no subs.* lines: no service files to read" });
  const list = organization.subs.slice(0, MAX_SUBS);
  if (organization.subs.length > MAX_SUBS) issues.push({ file: url, message: `more than ${MAX_SUBS} subs.* lines; the rest are ignored` });
  const ctxOrg = { ...ctx, fallbackCountry: organization.country ?? ctx.fallbackCountry, fallbackWebsite: organization.website ?? ctx.fallbackWebsite };
  const offers: PulledOffer[] = [];
  const keep: string[] = [];
  const failures: FileFailure[] = [];
  const seen = new Set<string>();
  const files = await mapLimit(list, SUB_CONCURRENCY, async (sub) => {
    let subUrl: string;
    try { subUrl = new URL(sub.url, url).toString(); } catch { return { sub, error: `not a URL: ${sub.url}` }; }
    if (!/^https?:|^file:/.test(subUrl)) return { sub, error: `not an http(s) URL: ${sub.url}` };
    if (!subFileAllowed(new URL(subUrl), new URL(url), ctx.subHosts)) {
      return { sub, subUrl, refused: `subs.${sub.id}: ${new URL(subUrl).host} is not this file's host; service files are read only from ${new URL(url).host}${ctx.subHosts?.length ? ` or ${ctx.subHosts.join(", ")}` : ""}` };
    }
    try { return { sub, subUrl, file: await fetchText(http, subUrl) }; } catch (e) { return { sub, subUrl, error: (e as Error).message, status: (e as FileFailed).status }; }
  });
  for (const f of files) {
    const slug = slugFromSubId(f.sub.id);
    if (!slug) { issues.push({ file: url, line: f.sub.line, message: `subs.${f.sub.id}: cannot make an offer slug from this id` }); continue; }
    if (seen.has(slug)) { issues.push({ file: url, line: f.sub.line, message: `subs.${f.sub.id}: another sub already maps to offer "${slug}"` }); continue; }
    seen.add(slug);
    if ("refused" in f) { issues.push({ file: url, line: f.sub.line, message: `${f.refused}; not listed` }); continue; }
    if (!("file" in f) || !f.file || f.file.status !== 200) {
      const error = (f.error ?? "not fetched").replace(`${f.subUrl}: `, "");
      failures.push({ slug, sub: `subs.${f.sub.id}`, file: url, line: f.sub.line, ...(f.subUrl ? { url: f.subUrl } : {}), ...("status" in f && f.status ? { status: f.status } : {}), error });
      // The offer this file described (if any) is kept, unconfirmed, until the file answers again.
      keep.push(slug);
      // Remembered without validators: the next 304 fast path re-requests it, sees it still failing, and re-reads
      // everything rather than confirming an offer whose file is gone.
      if (f.subUrl) next[f.subUrl] = {};
      continue;
    }
    // Recorded even without validators, so the 304 fast path re-checks this file (and sees a 200) too.
    next[f.subUrl] = f.file.validators ?? {};
    const props = parseProperties(f.file.text);
    const mapped = mapService(props, organization, ctxOrg);
    for (const i of [...props.issues, ...mapped.issues]) issues.push({ file: f.subUrl, ...(i.line ? { line: i.line } : {}), message: i.message });
    if (mapped.offer) offers.push({ slug, input: mapped.offer });
    else issues.push({ file: f.subUrl, message: `not listed: ${mapped.skipped}` });
  }
  return { kind: "fetched", offers, keep, failures, issues, validators: next, organization };
}
