/**
 * Background freshness work, one "tick" at a time: crawl the due sources, re-check due domain proofs.
 * Node runs ticks in a loop (startFreshnessLoop); Workers run one tick per cron trigger (scheduled()).
 * Per-source schedules live in the database (next_crawl_at), so ticks can be frequent and cheap.
 */
import { recheckVerifications } from "../providers/verification.ts";
import { crawlRound, type CrawlSummary } from "./crawler.ts";
import { crawlDeps } from "./manage.ts";
import type { LoopHandle } from "../../lib/loops.ts";

type TickDeps = Parameters<typeof crawlDeps>[0];

export async function freshnessTick(deps: TickDeps, opts: { limit?: number } = {}): Promise<{ crawl: CrawlSummary; verification: Awaited<ReturnType<typeof recheckVerifications>> }> {
  const crawl = await crawlRound(crawlDeps(deps), { limit: opts.limit });
  if (crawl.total || crawl.hidden) {
    deps.log.info("crawl round", { sources: crawl.total, updated: crawl.updated, notModified: crawl.notModified, failed: crawl.failed, deferred: crawl.deferred, hidden: crawl.hidden, ms: crawl.ms });
  }
  const verification = await recheckVerifications(deps, opts.limit ?? 50);
  return { crawl, verification };
}

/** Starts ticking every `tickMs` (first tick soon after start). `stop()` waits for a running tick to finish. */
export function startFreshnessLoop(deps: TickDeps, tickMs = Math.min(60_000, deps.config.crawlIntervalMs), monitor?: LoopHandle): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      monitor?.started();
      running = freshnessTick(deps, { limit: 500 })
        .then(() => monitor?.finished(), (e) => { monitor?.finished(e); deps.log.error("freshness tick failed", { error: String((e as Error)?.stack ?? e) }); })
        .finally(() => schedule(tickMs));
    }, ms);
    timer.unref?.();
  };
  schedule(Math.min(5_000, tickMs));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
