/** Read side of the signup flow: deliveries (with their providers' slugs) and the person's status path. */
import type { Db } from "../../db/client.ts";
import type { OutboxRow } from "../../db/database.ts";
import { listDeliveries } from "../../db/queries/outbox.ts";
import { providerSlugs } from "../../db/queries/providers.ts";
import { iso } from "../../lib/time.ts";
import { safeHttpUrl as safeUrl } from "../../lib/url.ts";
import type { Offer } from "../catalog/views.ts";
import { PROVIDER_DELIVERIES } from "./transitions.ts";

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
  // A provider sees the signups sent to it; the operator also sees the follow-up emails sent to people.
  const types = f.providerId !== undefined ? PROVIDER_DELIVERIES : undefined;
  const rows = await listDeliveries(db, { providerId: f.providerId, status: f.status, types, limit, beforeId: f.cursor ? Number(f.cursor) : undefined });
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

/**
 * What a person can do about an offer, so that no button leads to a refusal: sign up through the directory (the one
 * eligibility rule, `acceptsSignups`), use it at once (no account needed), sign up on the provider's own page, or —
 * closed, full, or not reachable through the directory and no page of its own — nothing here: the pages then show
 * similar open offers and a link to the provider.
 */
export type NextStep =
  | { kind: "signup"; note?: "approval" | "members" }
  | { kind: "no-account"; url?: string }
  | { kind: "provider-page"; url: string }
  | { kind: "unavailable"; reason: "closed" | "full" | "not-here" };

export function nextStep(o: Pick<Offer, "acceptsSignups" | "signup" | "registration" | "capacity">): NextStep {
  if (o.acceptsSignups) return { kind: "signup", ...(o.registration === "approval" || o.registration === "members" ? { note: o.registration } : {}) };
  if (o.registration === "closed") return { kind: "unavailable", reason: "closed" };
  if (o.capacity === "full") return { kind: "unavailable", reason: "full" };
  if (o.registration === "none") return { kind: "no-account", ...(safeUrl(o.signup.url) ? { url: o.signup.url } : {}) };
  const url = safeUrl(o.signup.url);
  return url ? { kind: "provider-page", url } : { kind: "unavailable", reason: "not-here" };
}

