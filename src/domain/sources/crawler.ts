/**
 * The crawler: pulls due sources with at most `concurrency` fetches in flight, applies each result in its own
 * transaction (queued one at a time: SQLite has one writer, remote libSQL too), updates health and schedule, defers the other sources
 * of a host that just failed at the network level, and hides crawled offers unconfirmed for 30 days.
 * Every source is isolated: one that throws is recorded as failed and the round goes on.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { confirmCrawledOffers, listSources, markCrawledStale, unconfirmedCrawledOffers, updateSource, type DueSource } from "../../db/queries/sources.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { DAY_MS, HOUR_MS, iso } from "../../lib/time.ts";
import { deleteOffer } from "../catalog/offers.ts";
import { applyPulledOffers } from "./apply.ts";
import type { PullReport } from "./document.ts";
import { fetchSource, type Validators } from "./fetch.ts";
import { afterDegraded, afterFailure, afterSuccess, HIDE_AFTER_DAYS } from "./health.ts";
import type { ApplyCounts } from "./apply.ts";
import type { FileFailure } from "./fetch.ts";
import { federationListTick, recordDeclaredMembership, type FederationReport } from "./membership.ts";

export type CrawlDeps = {
  db: Db; http: SafeFetch; clock: Clock; log: Logger; intervalMs: number;
  /** CHATONS_FEDERATION_URL: the collective's member list, refreshed on the same schedule (membership.ts). */
  federationUrl?: string;
  /** STATOOLINFOS_HOSTS: hosts any organization file's service files may be read from. */
  statoolinfosHosts?: string[];
};

export const DEFAULT_CONCURRENCY = 16;
/** How long the other sources of a host that just failed wait before their turn (no health penalty). */
export const HOST_DEFER_MS = HOUR_MS;

/** Runs `fn` calls one at a time (write transactions), in call order. */
export function serialize(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

type Write = ReturnType<typeof serialize>;

/**
 * Groups small writes (the bookkeeping of 304 answers) into one transaction per `size`, so an all-304 round costs
 * a few commits instead of one per source. A failed batch is logged; its sources are simply due again.
 */
export function batcher(db: Db, write: Write, log: Logger, size = 100) {
  let queue: Array<(trx: Db) => Promise<void>> = [];
  let pending: Promise<void> = Promise.resolve();
  const flush = () => {
    const q = queue;
    queue = [];
    if (q.length === 0) return pending;
    pending = write(() => db.transaction().execute(async (trx) => { for (const fn of q) await fn(trx); }))
      .catch((e) => log.error("crawl: batched write failed", { sources: q.length, error: String((e as Error)?.message ?? e) }));
    return pending;
  };
  return {
    add(fn: (trx: Db) => Promise<void>) { queue.push(fn); if (queue.length >= size) void flush(); },
    async drain() { await flush(); await pending; },
  };
}

type Io = { write: Write; batch?: ReturnType<typeof batcher> };

const emptyReport = (status: PullReport["status"], at: string): PullReport =>
  ({ status, at, created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: [], issues: [] });

/**
 * The report of an applied pull: `degraded` as soon as one service file failed, each failure listed with its
 * `subs.*` line, URL and status, and what became of its offer — kept as it was, or none created (first import).
 */
export function pullReport(at: string, counts: ApplyCounts, outcome: { issues: PullReport["issues"]; failures: FileFailure[] }): PullReport {
  const { kept, ...rest } = counts;
  const failures = outcome.failures.map((f) => ({ ...f, offer: kept.includes(f.slug) ? "kept" as const : "not-created" as const }));
  const issues = [...outcome.issues, ...failures.map((f) => ({
    file: f.url ?? f.file, ...(f.url ? {} : { line: f.line }),
    message: `${f.error}; ${f.offer === "kept" ? `offer "${f.slug}" kept as it was (unconfirmed)` : `no offer "${f.slug}" created`}`,
  }))].slice(0, 200);
  return { ...emptyReport(failures.length ? "degraded" : "updated", at), ...rest, issues, ...(failures.length ? { failures } : {}) };
}

/**
 * Pulls one source now and records the outcome (offers, health, schedule, report). Never throws for a source
 * problem; `write` serialises database writes when called from a round.
 */
export async function pullSource(deps: CrawlDeps, source: DueSource, io: Io = { write: serialize() }): Promise<PullReport & { transient?: boolean }> {
  const { write } = io;
  const nowMs = deps.clock.now();
  const now = iso(nowMs);
  const provider: ProviderRow = source.provider;
  let validators: Validators = {};
  try { validators = JSON.parse(source.validators_json) as Validators; } catch { /* start without validators */ }
  const outcome = await fetchSource(deps.http, { url: source.url, format: source.format, validators },
    { nowMs, fallbackCountry: provider.country, fallbackWebsite: provider.website, subHosts: deps.statoolinfosHosts });

  if (outcome.kind === "failed") {
    const h = afterFailure(source, nowMs, deps.intervalMs);
    const report = { ...emptyReport("failed", now), error: outcome.error };
    await write(async () => {
      await updateSource(deps.db, source.id, {
        health: h.health, failures: h.failures, state: h.state, next_crawl_at: iso(h.nextMs), last_crawl_at: now,
        last_status: "failed", last_error: outcome.error, last_report_json: JSON.stringify(report), updated_at: now,
      });
      if (h.state === "dormant") {
        const n = await markCrawledStale(deps.db, provider.id, now);
        if (n) deps.log.warn("source dormant: offers marked stale", { provider: provider.slug, offers: n });
      }
    });
    return { ...report, transient: outcome.transient };
  }

  const degraded = outcome.kind === "fetched" && outcome.failures.length > 0;
  const h = degraded ? afterDegraded(source, nowMs, deps.intervalMs) : afterSuccess(source, nowMs, deps.intervalMs);
  const done = { health: h.health, failures: 0, state: h.state, next_crawl_at: iso(h.nextMs), last_crawl_at: now, last_success_at: now, last_error: null, updated_at: now };
  if (outcome.kind === "not-modified") {
    const report = emptyReport("not-modified", now);
    const record = async (trx: Db) => {
      await confirmCrawledOffers(trx, provider.id, now);
      await updateSource(trx, source.id, { ...done, last_status: "not-modified" });
    };
    if (io.batch) io.batch.add(record);
    else await write(() => deps.db.transaction().execute(record));
    return report;
  }
  return write(() => deps.db.transaction().execute(async (trx) => {
    const counts = await applyPulledOffers(trx, provider, outcome, nowMs);
    const report = pullReport(now, counts, outcome);
    await updateSource(trx, source.id, { ...done, validators_json: JSON.stringify(outcome.validators), last_status: report.status, last_error: report.failures ? `${report.failures.length} service file(s) failed` : null, last_report_json: JSON.stringify(report) });
    await recordDeclaredMembership(trx, provider, source.url, outcome.organization, now);
    return report;
  }));
}

export type CrawlProgress = { done: number; total: number; failed: number; deferred: number; slug?: string; report?: PullReport };
export type CrawlSummary = {
  total: number; updated: number; degraded: number; notModified: number; failed: number; deferred: number;
  created: number; changed: number; deleted: number; hidden: number; ms: number; concurrency: number;
  failures: Array<{ provider: string; error: string }>;
  /** The collective's list, when it was due this round. */
  federation?: FederationReport;
};

/**
 * One crawl round. By default only due sources (`next_crawl_at <= now`); `force` pulls every source (CLI),
 * `providerSlug` only that provider's. `limit` bounds the round (Workers' scheduled runs).
 */
export async function crawlRound(deps: CrawlDeps, opts: { force?: boolean; providerSlug?: string; limit?: number; concurrency?: number; onProgress?: (p: CrawlProgress) => void } = {}): Promise<CrawlSummary> {
  const started = Date.now();
  const nowMs = deps.clock.now();
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  // The list first: memberships confirmed by it apply to the pulls of this round.
  const federation = opts.providerSlug ? undefined : await federationListTick(deps, deps.federationUrl).catch((e) => {
    deps.log.error("CHATONS federation list failed unexpectedly", { error: String((e as Error)?.stack ?? e) });
    return undefined;
  });
  const sources = await listSources(deps.db, { now: opts.force ? undefined : iso(nowMs), providerSlug: opts.providerSlug, limit: opts.limit });
  const summary: CrawlSummary = { total: sources.length, updated: 0, degraded: 0, notModified: 0, failed: 0, deferred: 0, created: 0, changed: 0, deleted: 0, hidden: 0, ms: 0, concurrency, failures: [], ...(federation ? { federation } : {}) };
  const write = serialize();
  const batch = batcher(deps.db, write, deps.log);
  const failingHosts = new Set<string>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sources.length) {
      const source = sources[next++];
      const host = hostOf(source.url);
      let report: PullReport | undefined;
      if (failingHosts.has(host)) {
        summary.deferred++;
        await write(() => updateSource(deps.db, source.id, { next_crawl_at: iso(nowMs + Math.min(HOST_DEFER_MS, deps.intervalMs)) }));
      } else {
        try {
          const r = await pullSource(deps, source, { write, batch });
          if (r.status === "failed" && r.transient) failingHosts.add(host);
          report = r;
        } catch (e) {
          // Unexpected (a database error): log it, count the source as failed, keep crawling the others.
          deps.log.error("crawl: source failed unexpectedly", { provider: source.provider.slug, error: String((e as Error)?.stack ?? e) });
          report = { ...emptyReport("failed", iso(nowMs)), error: String((e as Error)?.message ?? e) };
        }
        if (report.status === "failed") {
          summary.failed++;
          summary.failures.push({ provider: source.provider.slug, error: report.error ?? "failed" });
        } else if (report.status === "not-modified") summary.notModified++;
        else {
          summary.updated++;
          if (report.status === "degraded") { summary.degraded++; summary.failures.push({ provider: source.provider.slug, error: `degraded: ${(report.failures ?? []).map((f) => `${f.sub} ${f.url ?? ""} ${f.status ? `HTTP ${f.status}` : f.error}`.replace(/\s+/g, " ").trim()).join("; ")}` }); }
        }
        summary.created += report.created;
        summary.changed += report.updated;
        summary.deleted += report.deleted;
      }
      done++;
      opts.onProgress?.({ done, total: sources.length, failed: summary.failed, deferred: summary.deferred, slug: source.provider.slug, report });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
  await batch.drain();
  summary.hidden = await hideUnconfirmed(deps.db, nowMs);
  summary.ms = Date.now() - started;
  return summary;
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** Deletes (through the write path, with change events) crawled offers unconfirmed for HIDE_AFTER_DAYS. */
export async function hideUnconfirmed(db: Db, nowMs: number): Promise<number> {
  const cutoff = iso(nowMs - HIDE_AFTER_DAYS * DAY_MS);
  const ids = await unconfirmedCrawledOffers(db, cutoff);
  if (ids.length === 0) return 0;
  const now = iso(nowMs);
  await db.transaction().execute(async (trx) => { for (const id of ids) await deleteOffer(trx, id, now); });
  return ids.length;
}
