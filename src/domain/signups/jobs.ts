/**
 * Background work of the signup flow: delivery rounds and the privacy purge. Node runs `startSignupWorker` (an
 * in-process loop, woken at once when a signup is created); Workers call `runScheduledSignupJobs` from `scheduled`.
 */
import type { Db } from "../../db/client.ts";
import { deleteExpiredRateLimits } from "../../db/queries/rate-limits.ts";
import { deleteOldSigninLinks } from "../../db/queries/sessions.ts";
import { purgeExpiredSessions } from "../sessions.ts";
import { purgeFinalSignups, purgeStuckSignups } from "../../db/queries/signups.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { claimDue } from "../../delivery/outbox.ts";
import { deliverClaim, runDeliveryRound, type DeliveryDeps, type RoundOptions } from "./deliver.ts";
import { purgeReportMessages } from "../moderation/views.ts";
import type { LoopHandle } from "../../lib/loops.ts";

/**
 * A signup that has not moved for this long and is still not finished (a provider took it and never reported back)
 * has its personal data erased too: the directory no longer needs it to deliver anything.
 */
export const STUCK_SIGNUP_MS = 30 * DAY_MS;

/**
 * The privacy purge: erases name, email, username, message (and the idempotency data) of signups final for longer
 * than `retentionMs` and of unfinished ones that have not moved for STUCK_SIGNUP_MS, what people wrote in reports
 * closed 30 days ago, sessions that are over, sign-in links older than a day and rate-limit windows that ended.
 */
export async function purgePersonalData(db: Db, nowMs: number, retentionMs: number): Promise<{ signups: number; reports: number; sessions: number }> {
  const signups = await db.transaction().execute(async (trx) =>
    (await purgeFinalSignups(trx, iso(nowMs - retentionMs), iso(nowMs))) + (await purgeStuckSignups(trx, iso(nowMs - STUCK_SIGNUP_MS), iso(nowMs))));
  const reports = await purgeReportMessages(db, nowMs);
  await deleteExpiredRateLimits(db, nowMs);
  // Sessions that are over and sign-in links older than a day (used or not) are of no use to anyone.
  const sessions = await purgeExpiredSessions(db, nowMs);
  await deleteOldSigninLinks(db, iso(nowMs - DAY_MS));
  return { signups, reports, sessions };
}

/** The purge (purgePersonalData); returns how many signups had their personal data erased. */
export async function purgeSignups(db: Db, nowMs: number, retentionMs: number): Promise<number> {
  return (await purgePersonalData(db, nowMs, retentionMs)).signups;
}

export type SignupWorker = { wake(): void; stop(): Promise<void> };

/**
 * Keeps up to `limit` deliveries in flight: claims more as soon as slots free up, so one slow provider (10 s
 * timeout) never holds back the others; sleeps `idleMs` when nothing is due (or until woken); purges every
 * `purgeEveryMs`.
 */
export function startSignupWorker(deps: DeliveryDeps, opts: RoundOptions & { idleMs?: number; purgeEveryMs?: number; monitor?: LoopHandle } = {}): SignupWorker {
  const idleMs = opts.idleMs ?? 1000;
  const purgeEveryMs = opts.purgeEveryMs ?? 3_600_000;
  const maxInFlight = opts.limit ?? 50;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let lastPurge = 0;
  let wakeUp: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let kicked = false; // a wake() while the loop is busy must not be lost

  const wake = () => { kicked = true; wakeUp?.(); };
  const sleep = () => new Promise<void>((resolve) => {
    wakeUp = resolve;
    timer = setTimeout(resolve, idleMs);
  }).finally(() => { clearTimeout(timer); wakeUp = undefined; });

  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      let claimed = 0;
      let failure: unknown;
      opts.monitor?.started();
      try {
        const free = maxInFlight - inFlight.size;
        if (free > 0) {
          const claims = await claimDue(deps.db, deps.clock.now(), { limit: free, leaseMs: opts.leaseMs });
          claimed = claims.length;
          for (const claim of claims) {
            const p: Promise<unknown> = deliverClaim(deps, claim, opts).finally(() => { inFlight.delete(p); wake(); });
            inFlight.add(p);
          }
        }
        if (Date.now() - lastPurge >= purgeEveryMs) {
          lastPurge = Date.now();
          const purged = await purgeSignups(deps.db, deps.clock.now(), deps.config.signupRetentionMs);
          if (purged) deps.log.info("purged personal data of finished signups", { purged });
        }
      } catch (e) {
        failure = e;
        deps.log.error("signup worker round failed", { error: e instanceof Error ? e.message : String(e) });
      }
      opts.monitor?.finished(failure);
      if (claimed === 0 && !stopped && !kicked) await sleep();
    }
  })();

  return {
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** One bounded pass for a cron trigger: delivery rounds until nothing is due or `budgetMs` is spent, then the purge. */
export async function runScheduledSignupJobs(deps: DeliveryDeps, budgetMs = 20_000): Promise<{ delivered: number; purged: number }> {
  const end = Date.now() + budgetMs;
  let delivered = 0;
  while (Date.now() < end) {
    const s = await runDeliveryRound(deps, { limit: 25 });
    delivered += s.delivered;
    if (s.claimed === 0) break;
  }
  return { delivered, purged: await purgeSignups(deps.db, deps.clock.now(), deps.config.signupRetentionMs) };
}
