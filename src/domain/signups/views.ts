/** Read side of the signup flow: deliveries (with their providers' slugs) and the person's status path. */
import type { Db } from "../../db/client.ts";
import type { OutboxRow } from "../../db/database.ts";
import { listDeliveries } from "../../db/queries/outbox.ts";
import { providerSlugs } from "../../db/queries/providers.ts";
import { iso } from "../../lib/time.ts";
import type { Offer } from "../catalog/views.ts";

/** The person's status page (and, with /api/v1 in front, the status API): the token is its only key. */
export function statusPath(id: string, token: string): string {
  return `/signups/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`;
}

export type DeliveryView = {
  id: string; type: string; signupId?: string; provider: string; status: OutboxRow["status"]; attempts: number;
  lastStatus?: number; lastError?: string; nextAttemptAt?: string; createdAt: string; updatedAt: string;
};

export function presentDelivery(d: OutboxRow, providerSlug: string): DeliveryView {
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

/** A page of deliveries, newest first (one provider's, or every one for the operator); the cursor is the last id. */
export async function deliveryList(db: Db, f: { providerId?: number; status?: OutboxRow["status"]; limit?: number; cursor?: string }): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const limit = f.limit ?? 20;
  const rows = await listDeliveries(db, { providerId: f.providerId, status: f.status, limit, beforeId: f.cursor ? Number(f.cursor) : undefined });
  const page = rows.slice(0, limit);
  const slugs = await providerSlugs(db, page.map((d) => d.provider_id));
  return {
    items: page.map((d) => presentDelivery(d, slugs.get(d.provider_id) ?? "")),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  };
}

/** One delivery as the API shows it. */
export async function deliveryView(db: Db, d: OutboxRow): Promise<DeliveryView> {
  return presentDelivery(d, (await providerSlugs(db, [d.provider_id])).get(d.provider_id) ?? "");
}

/** What the signup form of an offer can offer the person, from the one eligibility rule (`acceptsSignups`). */
export type SignupFormState = "open" | "external" | "unavailable";

export function signupFormState(o: Pick<Offer, "acceptsSignups" | "signup">): SignupFormState {
  return o.acceptsSignups ? "open" : o.signup.mode === "external" ? "external" : "unavailable";
}
