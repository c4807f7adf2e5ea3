/** Domain-proof bookkeeping on providers (columns from migration 2026-11-25T1400). */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { ProviderRow } from "../database.ts";
import { iso } from "../../lib/time.ts";

/**
 * Verified providers whose proof is due for a re-check: `recheckMs` after a good check, `retryMs` after a failed one.
 */
export async function providersDueForRecheck(db: Db, nowMs: number, recheckMs: number, retryMs: number, limit: number): Promise<ProviderRow[]> {
  const okBefore = iso(nowMs - recheckMs);
  const retryBefore = iso(nowMs - retryMs);
  return db.selectFrom("providers").selectAll()
    .where("verified", "=", 1).where("source", "!=", "federated")
    .where((eb) => eb.or([
      eb("verify_checked_at", "is", null),
      eb.and([eb("verify_failures", "=", 0), eb("verify_checked_at", "<=", okBefore)]),
      eb.and([eb("verify_failures", ">", 0), eb("verify_checked_at", "<=", retryBefore)]),
    ]))
    .orderBy(sql`coalesce(verify_checked_at, '')`).orderBy("id").limit(limit).execute();
}

export async function recordVerifyCheck(db: Db, providerId: number, failures: number, now: string): Promise<void> {
  await db.updateTable("providers").set({ verify_failures: failures, verify_checked_at: now }).where("id", "=", providerId).execute();
}
