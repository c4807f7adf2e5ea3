/**
 * The durable outbox table: events inserted in the caller's transaction, claimed with a lease by one atomic
 * `UPDATE … WHERE lease expired RETURNING`, finished under the lease token (delivery/outbox.ts explains the protocol).
 * Times are epoch milliseconds.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { OutboxRow } from "../database.ts";

export async function insertOutboxEvent(trx: Db, e: { webhookId: string; type: string; providerId: number; signupId?: string; nowMs: number }): Promise<OutboxRow> {
  return trx.insertInto("outbox").values({
    webhook_id: e.webhookId, type: e.type, provider_id: e.providerId, signup_id: e.signupId ?? null, status: "pending",
    next_attempt_at: e.nowMs, created_at: e.nowMs, updated_at: e.nowMs,
  }).returningAll().executeTakeFirstOrThrow();
}

/** Leases up to `limit` due events until `until` under `token`, counting an attempt on each. */
export async function leaseDueEvents(db: Db, nowMs: number, until: number, token: string, limit: number): Promise<OutboxRow[]> {
  const r = await sql<OutboxRow>`
    update outbox set lease_until = ${until}, lease_token = ${token}, attempts = attempts + 1, updated_at = ${nowMs}
    where id in (
      select id from outbox
      where status = 'pending' and next_attempt_at <= ${nowMs} and (lease_until is null or lease_until <= ${nowMs})
      order by next_attempt_at, id limit ${limit}
    )
    and status = 'pending' and (lease_until is null or lease_until <= ${nowMs})
    returning *`.execute(db);
  return r.rows;
}

export type AttemptRecord = { outcome: string; httpStatus?: number; error?: string; durationMs: number };

/**
 * Records an attempt's result for a claim still holding its lease. `next` is: "delivered" | "rejected" | "dead" (final),
 * or a number = the time of the next attempt. Returns false (and changes nothing) when the lease was lost.
 */
export async function finishAttempt(trx: Db, claim: OutboxRow & { lease_token: string }, nowMs: number, next: "delivered" | "rejected" | "dead" | number, rec: AttemptRecord): Promise<boolean> {
  const final = typeof next === "string";
  const r = await trx.updateTable("outbox").set({
    status: final ? next : "pending",
    next_attempt_at: final ? claim.next_attempt_at : next,
    lease_until: null, lease_token: null,
    last_status: rec.httpStatus ?? null, last_error: rec.error?.slice(0, 500) ?? null,
    updated_at: nowMs, done_at: final ? nowMs : null,
  }).where("id", "=", claim.id).where("lease_token", "=", claim.lease_token).where("status", "=", "pending").executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await trx.insertInto("delivery_attempts").values({
    outbox_id: claim.id, attempt: claim.attempts, at: nowMs, outcome: rec.outcome, http_status: rec.httpStatus ?? null,
    error: rec.error?.slice(0, 500) ?? null, duration_ms: rec.durationMs,
  }).execute();
  return true;
}

export type DeliveryFilter = { providerId?: number; status?: OutboxRow["status"]; types?: readonly string[]; limit: number; beforeId?: number };

/** Newest first; keyset on id. */
export async function listDeliveries(db: Db, f: DeliveryFilter): Promise<OutboxRow[]> {
  let q = db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(f.limit + 1);
  if (f.providerId !== undefined) q = q.where("provider_id", "=", f.providerId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.types) q = q.where("type", "in", [...f.types]);
  if (f.beforeId !== undefined) q = q.where("id", "<", f.beforeId);
  return q.execute();
}

export async function findDelivery(db: Db, webhookId: string): Promise<OutboxRow | undefined> {
  return db.selectFrom("outbox").selectAll().where("webhook_id", "=", webhookId).executeTakeFirst();
}

/** Puts a finished (dead or rejected) event back in the queue, due now, keeping its webhook-id. */
export async function requeue(trx: Db, id: number, nowMs: number): Promise<boolean> {
  const r = await trx.updateTable("outbox")
    .set({ status: "pending", attempts: 0, next_attempt_at: nowMs, lease_until: null, lease_token: null, done_at: null, updated_at: nowMs })
    .where("id", "=", id).where("status", "in", ["dead", "rejected"]).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Marks every pending event of `types` of a provider dead (its endpoint was disabled); returns their signup ids. */
export async function killPendingForProvider(trx: Db, providerId: number, types: readonly string[], nowMs: number, reason: string): Promise<string[]> {
  const rows = await trx.updateTable("outbox")
    .set({ status: "dead", last_error: reason, lease_until: null, lease_token: null, updated_at: nowMs, done_at: nowMs })
    .where("provider_id", "=", providerId).where("status", "=", "pending").where("type", "in", [...types])
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", nowMs)]))
    .returning("signup_id").execute();
  return rows.map((r) => r.signup_id).filter((s): s is string => s !== null);
}

/** Outcomes of the attempts already recorded for one outbox event, oldest first. */
export async function attemptOutcomes(db: Db, outboxId: number): Promise<string[]> {
  return (await db.selectFrom("delivery_attempts").select("outcome").where("outbox_id", "=", outboxId).orderBy("attempt").execute()).map((r) => r.outcome);
}
