/**
 * Background work of the signup flow: delivery rounds and the privacy purge. Node runs `startSignupWorker` (an
 * in-process loop, woken at once when a signup is created); Workers call `runScheduledSignupJobs` from `scheduled`.
 */
import type { Db } from "../../db/client.ts";
import { deleteExpiredRateLimits, purgeFinalSignups } from "../../db/queries/signups.ts";
import { runDeliveryRound, type DeliveryDeps, type RoundOptions } from "./deliver.ts";

/** Erases name, email, username, message (and the idempotency data) of signups final for longer than `retentionMs`. */
export async function purgeSignups(db: Db, nowMs: number, retentionMs: number): Promise<number> {
  const purged = await db.transaction().execute((trx) => purgeFinalSignups(trx, new Date(nowMs - retentionMs).toISOString(), new Date(nowMs).toISOString()));
  await deleteExpiredRateLimits(db, nowMs);
  return purged;
}

export type SignupWorker = { wake(): void; stop(): Promise<void> };

/** Runs delivery rounds back to back while there is work, else sleeps `idleMs` (or until woken); purges every `purgeEveryMs`. */
export function startSignupWorker(deps: DeliveryDeps, opts: RoundOptions & { idleMs?: number; purgeEveryMs?: number } = {}): SignupWorker {
  const idleMs = opts.idleMs ?? 1000;
  const purgeEveryMs = opts.purgeEveryMs ?? 3_600_000;
  let stopped = false;
  let lastPurge = 0;
  let wakeUp: (() => void) | undefined;
  let kicked = false; // a wake() during a round must not be lost
  let timer: ReturnType<typeof setTimeout> | undefined;

  const sleep = () => new Promise<void>((resolve) => {
    wakeUp = resolve;
    timer = setTimeout(resolve, idleMs);
  }).finally(() => { clearTimeout(timer); wakeUp = undefined; });

  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      let busy = false;
      try {
        const stats = await runDeliveryRound(deps, { limit: opts.limit ?? 50, leaseMs: opts.leaseMs, random: opts.random });
        busy = stats.claimed > 0;
        if (Date.now() - lastPurge >= purgeEveryMs) {
          lastPurge = Date.now();
          const purged = await purgeSignups(deps.db, deps.clock.now(), deps.config.signupRetentionMs);
          if (purged) deps.log.info("purged personal data of finished signups", { purged });
        }
      } catch (e) {
        deps.log.error("signup worker round failed", { error: e instanceof Error ? e.message : String(e) });
      }
      if (!busy && !stopped && !kicked) await sleep();
    }
  })();

  return {
    wake: () => { kicked = true; wakeUp?.(); },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
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
