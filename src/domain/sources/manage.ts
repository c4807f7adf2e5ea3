/** What the provider API does with pull sources: set (and pull at once), read, remove. */
import type { Config } from "../../config.ts";
import type { Db } from "../../db/client.ts";
import type { ProviderRow, SourceRow } from "../../db/database.ts";
import { deleteSourceRow, findSource, providerOfferSources, setSource } from "../../db/queries/sources.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { iso } from "../../lib/time.ts";
import { deleteOffer } from "../catalog/offers.ts";
import type { PullReport, SourceInput } from "./document.ts";
import { pullSource, type CrawlDeps } from "./crawler.ts";
import { isPrivateUrlHost } from "../../delivery/net.ts";
import { fail, ok, type Result } from "../errors.ts";
import { limitAction, type ActionLimits } from "../ratelimit.ts";

type SourceDeps = { db: Db; http: SafeFetch; clock: Clock; log: Logger; config: Pick<Config, "crawlIntervalMs" | "chatonsFederationUrl" | "allowPrivateNetwork" | "statoolinfosHosts"> };

/** How long `PUT …/source` waits for the first pull before answering 202 with the pull still running. */
export const SET_SOURCE_WAIT_MS = 8_000;

export const crawlDeps = (deps: SourceDeps): CrawlDeps =>
  ({ db: deps.db, http: deps.http, clock: deps.clock, log: deps.log, intervalMs: deps.config.crawlIntervalMs, federationUrl: deps.config.chatonsFederationUrl, statoolinfosHosts: deps.config.statoolinfosHosts });

export type SourceView = ReturnType<typeof sourceView>;

export function sourceView(s: SourceRow) {
  let lastPull: PullReport | null = null;
  try { lastPull = s.last_report_json ? (JSON.parse(s.last_report_json) as PullReport) : null; } catch { /* old or broken report */ }
  return {
    url: s.url, format: s.format, health: s.health, state: s.state, nextPullAt: s.next_crawl_at,
    lastPullAt: s.last_crawl_at, lastSuccessAt: s.last_success_at, lastPull,
  };
}

/**
 * Saves the source and pulls it at once. Resolves with the finished pull, or after `waitMs` with the pull still
 * running (`pending`): `background` receives that promise so the runtime can keep it alive (Workers' waitUntil).
 */
/** The provider's pull source with the crawler's state, or undefined when it has none. */
export async function providerSource(db: Db, provider: ProviderRow): Promise<SourceView | undefined> {
  const s = await findSource(db, provider.id);
  return s ? sourceView(s) : undefined;
}

export async function setProviderSource(
  deps: SourceDeps, provider: ProviderRow, input: SourceInput, opts: { waitMs?: number; background?: (p: Promise<unknown>) => void; limits?: ActionLimits } = {},
): Promise<Result<{ source: SourceView; pending: boolean }>> {
  if (!deps.config.allowPrivateNetwork && isPrivateUrlHost(new URL(input.url))) {
    return fail({ kind: "invalid", detail: "Some fields are invalid; see errors.", errors: [{ path: "url", message: "must be a public address" }] });
  }
  if (opts.limits) {
    const limited = await limitAction(deps.db, "source", { ...opts.limits, providerId: provider.id }, deps.clock.now());
    if (!limited.ok) return limited;
  }
  const now = iso(deps.clock.now());
  const row = await setSource(deps.db, provider.id, input.url, input.format, now);
  const pull = pullSource(crawlDeps(deps), { ...row, provider }).catch((e) => {
    deps.log.error("first pull failed unexpectedly", { provider: provider.slug, error: String((e as Error)?.stack ?? e) });
    return undefined;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"pending">((resolve) => { timer = setTimeout(() => resolve("pending"), opts.waitMs ?? SET_SOURCE_WAIT_MS); });
  const first = await Promise.race([pull, timeout]);
  clearTimeout(timer);
  if (first === "pending") opts.background?.(pull);
  const current = (await findSource(deps.db, provider.id)) ?? row;
  const view = sourceView(current);
  if (first === "pending") view.lastPull = { status: "pending", at: now, created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: [], issues: [] };
  return ok({ source: view, pending: first === "pending" });
}

/** Removes the source and the offers it published (one change event each); pushed offers stay. */
export async function removeProviderSource(deps: Pick<SourceDeps, "db" | "clock">, provider: ProviderRow, limits?: ActionLimits): Promise<Result<{ removed: boolean; deleted: number }>> {
  if (limits) {
    const limited = await limitAction(deps.db, "source", { ...limits, providerId: provider.id }, deps.clock.now());
    if (!limited.ok) return limited;
  }
  const now = iso(deps.clock.now());
  return ok(await deps.db.transaction().execute(async (trx) => {
    const removed = await deleteSourceRow(trx, provider.id);
    let deleted = 0;
    if (removed) {
      for (const o of await providerOfferSources(trx, provider.id)) {
        if (o.source === "crawled" && (await deleteOffer(trx, o.id, now))) deleted++;
      }
    }
    return { removed, deleted };
  }));
}
