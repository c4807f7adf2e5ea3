/**
 * The durable outbox protocol: events are inserted in the caller's transaction (with the row they announce), then
 * claimed by delivery workers with a lease. A claim is one atomic update, so two workers never hold the same event at
 * once; a worker that dies mid-delivery loses its lease and the event is claimed again (same `webhook_id`). Finishing
 * an attempt is fenced by the lease token: a worker whose lease was taken over cannot overwrite the newer attempt's
 * result. The SQL lives in db/queries/outbox.ts.
 */
import type { Db } from "../db/client.ts";
import type { OutboxRow } from "../db/database.ts";
import { insertOutboxEvent, leaseDueEvents } from "../db/queries/outbox.ts";
import { randomHex } from "../lib/ids.ts";
import { DAY_MS } from "../lib/time.ts";

export const DEFAULT_LEASE_MS = 30_000; // > the 10 s delivery timeout, with room for slow databases
export const RETRY_HORIZON_MS = 3 * DAY_MS;
const JITTER = 0.1;

/** Inserts an event due now. Call it inside the transaction that writes what the event announces. */
export async function enqueue(trx: Db, e: { type: string; providerId: number; signupId?: string; nowMs: number }): Promise<OutboxRow> {
  return insertOutboxEvent(trx, { ...e, webhookId: randomHex("msg_") });
}

/** When an event created at `createdAtMs` stops being retried (the schedule's end, or 3 days with a repeating one). */
export function retryDeadline(schedule: number[], repeat: boolean, createdAtMs: number): number {
  return createdAtMs + (repeat ? RETRY_HORIZON_MS : schedule.reduce((a, b) => a + b, 0));
}

export type Claim = OutboxRow & { lease_token: string };

/** Claims up to `limit` due events for `leaseMs`; each returned row has its attempt counted and a fresh lease token. */
export async function claimDue(db: Db, nowMs: number, opts: { limit?: number; leaseMs?: number } = {}): Promise<Claim[]> {
  const token = randomHex("lease_", 8);
  const rows = await leaseDueEvents(db, nowMs, nowMs + (opts.leaseMs ?? DEFAULT_LEASE_MS), token, opts.limit ?? 20);
  return rows.map((row) => ({ ...row, lease_token: token })).sort((a, b) => a.id - b.id);
}

/**
 * Delay before the next attempt after `attempts` failed ones, with ±10 % jitter; undefined once the schedule is over
 * (then the event is dead). With `repeat`, the last delay repeats until 3 days after the event was created.
 */
export function retryDelay(schedule: number[], repeat: boolean, attempts: number, elapsedMs: number, random: () => number = Math.random): number | undefined {
  let base: number | undefined = schedule[attempts - 1];
  if (base === undefined && repeat) {
    const last = schedule[schedule.length - 1];
    if (elapsedMs + last <= RETRY_HORIZON_MS) base = last;
  }
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + (random() * 2 - 1) * JITTER)));
}
