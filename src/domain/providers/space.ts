/**
 * What the provider space shows a signed-in provider: its offers with their state, this month's views and signups,
 * and what needs its attention (a failing webhook, a pull source with errors, offers about to become stale…).
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { findNextcloud, findWebhook } from "../../db/queries/destinations.ts";
import { findOffersByProvider } from "../../db/queries/offers.ts";
import { attemptsOf, catalogSoftwareNames, confirmLocalOffers, countOfferView, outboxIdsByWebhookId, deliveryTrouble, offerViewsOfProvider, signupCountsSince, signupStatusCounts } from "../../db/queries/provider-space.ts";
import { findSource } from "../../db/queries/sources.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { STALE_AFTER_DAYS } from "../catalog/freshness.ts";
import { ownListing, presentOwnOffer, type Offer, type OwnOffer } from "../catalog/views.ts";
import { listingPolicy } from "../catalog/offers.ts";
import { sourceView, type SourceView } from "../sources/manage.ts";
import { PROVIDER_DELIVERIES } from "../signups/transitions.ts";

/** How an offer stands in the catalog, as its provider sees it. */
export type OfferState = "listed" | "stale" | "full" | "closed" | "waiting" | "moderated";

/**
 * Not public first (waiting for the directory's review, or hidden by an operator); then closed and full say why
 * nobody can join; stale says the offer needs confirming; listed is all good.
 */
export function offerState(o: Pick<OwnOffer, "registration" | "capacity" | "stale" | "listing">): OfferState {
  if (o.listing?.state === "waiting-for-review") return "waiting";
  if (o.listing) return "moderated";
  if (o.registration === "closed") return "closed";
  if (o.capacity === "full") return "full";
  return o.stale ? "stale" : "listed";
}

/** An offer counts as "about to become stale" this many days before it does. */
export const STALE_WARNING_DAYS = 7;

/** 'YYYY-MM' of an instant (UTC): the view counter's month. */
export const monthOf = (nowMs: number) => iso(nowMs).slice(0, 7);
/** The first instant of the instant's month (UTC). */
export const monthStart = (nowMs: number) => `${monthOf(nowMs)}-01T00:00:00.000Z`;

/** Counts one view of an offer's page (the dashboard's "views this month"). */
export async function recordOfferView(db: Db, offerId: string, nowMs: number): Promise<void> {
  await countOfferView(db, offerId, monthOf(nowMs));
}

export type DashboardOffer = {
  offer: OwnOffer; slug: string; state: OfferState; views: number; signups: number;
  /** When the offer becomes stale if nobody confirms it (only when that is within STALE_WARNING_DAYS). */
  staleOn?: string;
};

export type Attention =
  | { kind: "waiting-for-review" }
  | { kind: "provider-hidden"; reason?: string }
  | { kind: "webhook-disabled"; at: string; reason: string | null }
  | { kind: "deliveries-failing"; dead: number; retrying: number; lastError: string | null }
  | { kind: "no-destination"; mode: "webhook" | "nextcloud"; offers: Offer[] }
  | { kind: "source-failing"; source: SourceView }
  | { kind: "source-problems"; source: SourceView; count: number }
  | { kind: "stale-soon"; offers: DashboardOffer[] }
  | { kind: "stale"; offers: DashboardOffer[] }
  | { kind: "not-verified" }
  | { kind: "signups-waiting"; count: number };

export type Dashboard = {
  offers: DashboardOffer[];
  /** Entries of the provider's file that the last pull left out because a pushed offer has the same slug, with why. */
  hidden: Array<{ slug: string; reason: string }>;
  month: string; views: number; signups: number;
  attention: Attention[];
};

export async function providerDashboard(db: Db, provider: ProviderRow, nowMs: number): Promise<Dashboard> {
  const month = monthOf(nowMs);
  const policy = await listingPolicy(db);
  const rows = await findOffersByProvider(db, provider.id, { unlisted: true });
  const views = await offerViewsOfProvider(db, provider.id, month);
  const signups = await signupCountsSince(db, provider.id, monthStart(nowMs));
  const staleAt = (confirmed: string) => Date.parse(confirmed) + STALE_AFTER_DAYS * DAY_MS;
  const offers: DashboardOffer[] = rows.map((r) => {
    const offer = presentOwnOffer(r, nowMs, policy);
    const at = staleAt(r.confirmed_at);
    const soon = !offer.stale && at - nowMs <= STALE_WARNING_DAYS * DAY_MS;
    return { offer, slug: r.slug, state: offerState(offer), views: views.get(r.id) ?? 0, signups: signups.get(r.id) ?? 0, ...(soon ? { staleOn: iso(at) } : {}) };
  });

  const attention: Attention[] = [];
  const listing = ownListing(provider, policy);
  if (listing.state === "waiting-for-review") attention.push({ kind: "waiting-for-review" });
  if (listing.state === "hidden") attention.push({ kind: "provider-hidden", ...(listing.reason ? { reason: listing.reason } : {}) });
  const wh = await findWebhook(db, provider.id);
  const nc = await findNextcloud(db, provider.id);
  if (wh?.disabled_at) attention.push({ kind: "webhook-disabled", at: wh.disabled_at, reason: wh.disabled_reason });
  const trouble = await deliveryTrouble(db, provider.id, PROVIDER_DELIVERIES, nowMs - 30 * DAY_MS);
  if (trouble.dead || trouble.retrying) attention.push({ kind: "deliveries-failing", ...trouble });
  for (const mode of ["webhook", "nextcloud"] as const) {
    const set = mode === "webhook" ? wh && !wh.disabled_at : nc && !nc.disabled_at;
    const waiting = offers.filter((o) => o.offer.signup.mode === mode && o.state !== "closed").map((o) => o.offer);
    if (!set && waiting.length) attention.push({ kind: "no-destination", mode, offers: waiting });
  }
  const src = await findSource(db, provider.id);
  const source = src ? sourceView(src) : undefined;
  if (source && (source.state !== "healthy" || source.lastPull?.status === "failed")) attention.push({ kind: "source-failing", source });
  const problems = (source?.lastPull?.issues.length ?? 0) + (source?.lastPull?.skipped.length ?? 0);
  if (source && problems) attention.push({ kind: "source-problems", source, count: problems });
  const soon = offers.filter((o) => o.staleOn);
  if (soon.length) attention.push({ kind: "stale-soon", offers: soon });
  const stale = offers.filter((o) => o.offer.stale);
  if (stale.length) attention.push({ kind: "stale", offers: stale });
  if (provider.verified !== 1) attention.push({ kind: "not-verified" });
  const counts = await signupStatusCounts(db, provider.id);
  const waiting = (counts.delivered ?? 0) + (counts.provisioning ?? 0);
  if (waiting) attention.push({ kind: "signups-waiting", count: waiting });

  return {
    offers, month, attention,
    hidden: source?.lastPull?.skipped ?? [],
    views: offers.reduce((a, o) => a + o.views, 0),
    signups: [...signups.values()].reduce((a, n) => a + n, 0),
  };
}

/** "Still current": the provider confirms its pushed offers without changing them (they are no longer stale). */
export async function confirmOffers(db: Db, provider: ProviderRow, nowMs: number): Promise<number> {
  return db.transaction().execute((trx) => confirmLocalOffers(trx, provider.id, iso(nowMs)));
}

export type DeliveryAttempt = { attempt: number; at: number; outcome: string; httpStatus: number | null; error: string | null; durationMs: number };

/** Every attempt of the given deliveries (by their public ids), oldest first. */
export async function deliveryAttempts(db: Db, webhookIds: string[]): Promise<Map<string, DeliveryAttempt[]>> {
  const ids = await outboxIdsByWebhookId(db, webhookIds);
  const byOutbox = new Map([...ids].map(([w, id]) => [id, w]));
  const out = new Map<string, DeliveryAttempt[]>();
  for (const a of await attemptsOf(db, [...ids.values()])) {
    const w = byOutbox.get(a.outbox_id)!;
    const list = out.get(w) ?? [];
    list.push({ attempt: a.attempt, at: a.at, outcome: a.outcome, httpStatus: a.http_status, error: a.error, durationMs: a.duration_ms });
    out.set(w, list);
  }
  return out;
}

/** Software names the catalog already uses (the offer editor suggests them). */
export async function catalogSoftware(db: Db): Promise<string[]> {
  return catalogSoftwareNames(db);
}
