/** Wire shapes of the signup flow (api.md names): accepted signups and deliveries. */
import type { OutboxRow } from "../db/database.ts";

export function statusPath(id: string, token: string): string {
  return `/signups/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
}

export function serializeDelivery(d: OutboxRow, providerSlug: string) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: d.webhook_id,
    type: d.type,
    ...(d.signup_id ? { signupId: d.signup_id } : {}),
    provider: providerSlug,
    status: d.status,
    attempts: d.attempts,
    ...(d.last_status ? { lastStatus: d.last_status } : {}),
    ...(d.last_error ? { lastError: d.last_error } : {}),
    ...(d.status === "pending" ? { nextAttemptAt: iso(Math.max(d.next_attempt_at, d.lease_until ?? 0)) } : {}),
    createdAt: iso(d.created_at),
    updatedAt: iso(d.updated_at),
  };
}
