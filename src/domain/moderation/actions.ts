/**
 * What an operator does (docs/decisions/0030): approve a provider waiting for review, hide or unhide a provider or an
 * offer (with a reason), read people's reports and close them. Each action changes the catalog through the one write
 * path — hiding takes offers out of search, pages, the API, exports and federation (a `Delete` to followers), unhiding
 * puts them back (a new `Create`) — and appends one entry to the audit log in the same transaction.
 * The admin API, the admin pages and the CLI all call these functions.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow, ReportRow } from "../../db/database.ts";
import { findOfferRow, setOfferHidden } from "../../db/queries/offers.ts";
import { appendAudit, closeReportRow, findReport, setProviderModeration } from "../../db/queries/moderation.ts";
import { findProviderBySlug } from "../../db/queries/providers.ts";
import { iso } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import { listingPolicy, syncListing } from "../catalog/offers.ts";
import { providerListing } from "../catalog/listing.ts";
import type { AuditAction } from "./schemas.ts";
import { membershipOf } from "../sources/membership-rule.ts";

/** Who acts: the name an operator gave (or a default per channel), and through what. */
export type Actor = { name: string; via: "api" | "web" | "cli" };

export type ProviderModeration = { slug: string; listing: "listed" | "waiting-for-review" | "hidden"; reviewedAt: string | null; hiddenAt: string | null; hiddenReason: string | null };
export type OfferModeration = { id: string; listed: boolean; hiddenAt: string | null; hiddenReason: string | null };

const audit = (trx: Db, actor: Actor, action: AuditAction, targetType: "provider" | "offer" | "report", target: string, reason: string | undefined | null, now: string) =>
  appendAudit(trx, { at: now, actor: actor.name, via: actor.via, action, target_type: targetType, target, reason: reason ?? null });

async function moderationView(db: Db, p: ProviderRow): Promise<ProviderModeration> {
  const listing = p.listed === 1 ? "listed" : providerListing(p, await listingPolicy(db)) === "hidden" ? "hidden" : "waiting-for-review";
  return { slug: p.slug, listing, reviewedAt: p.reviewed_at, hiddenAt: p.hidden_at, hiddenReason: p.hidden_reason };
}

/** A local provider an operator can act on (federated providers belong to their own directory; gone ones are gone). */
async function localLive(db: Db, slug: string): Promise<Result<ProviderRow>> {
  const p = slug.length <= 200 ? await findProviderBySlug(db, slug) : undefined;
  if (!p || p.deleted_at !== null) return fail({ kind: "not-found", detail: `No provider "${slug.slice(0, 200)}".` });
  if (p.source === "federated") return fail({ kind: "conflict", code: "federated", detail: "This provider belongs to another directory: hide its offers one by one, or block its domain." });
  return ok(p);
}

/** Approves a provider (LISTING_POLICY=reviewed): it becomes public with its offers, unless it is hidden. */
export async function approveProvider(db: Db, slug: string, actor: Actor, reason: string | undefined, nowMs: number): Promise<Result<ProviderModeration>> {
  const found = await localLive(db, slug);
  if (!found.ok) return found;
  if (found.value.hidden_at !== null) return fail({ kind: "conflict", code: "hidden", detail: "This provider is hidden: unhide it instead (approving does not undo a hide)." });
  const now = iso(nowMs);
  const p = await db.transaction().execute(async (trx) => {
    if (found.value.reviewed_at === null) await setProviderModeration(trx, found.value.id, { reviewed_at: now });
    const synced = (await syncListing(trx, found.value.id, now))!;
    await audit(trx, actor, "approve", "provider", synced.slug, reason, now);
    return synced;
  });
  return ok(await moderationView(db, p));
}

/** Hides a provider and all its offers (a federated `Delete` for each public one); the provider sees why in its space. */
export async function hideProvider(db: Db, slug: string, actor: Actor, reason: string, nowMs: number): Promise<Result<ProviderModeration>> {
  const found = await localLive(db, slug);
  if (!found.ok) return found;
  const now = iso(nowMs);
  const p = await db.transaction().execute(async (trx) => {
    // A profile change for followers too: its actor now shows only its name (the publisher sends the Update).
    await setProviderModeration(trx, found.value.id, { hidden_at: now, hidden_reason: reason, updated_at: now });
    const synced = (await syncListing(trx, found.value.id, now))!;
    await audit(trx, actor, "hide-provider", "provider", synced.slug, reason, now);
    return synced;
  });
  return ok(await moderationView(db, p));
}

/** Shows a hidden provider again: listed if it was before (or the policy lets it), else back in the review queue. */
export async function unhideProvider(db: Db, slug: string, actor: Actor, reason: string | undefined, nowMs: number): Promise<Result<ProviderModeration>> {
  const found = await localLive(db, slug);
  if (!found.ok) return found;
  if (found.value.hidden_at === null) return fail({ kind: "conflict", code: "not-hidden", detail: "This provider is not hidden." });
  const now = iso(nowMs);
  const p = await db.transaction().execute(async (trx) => {
    await setProviderModeration(trx, found.value.id, { hidden_at: null, hidden_reason: null, updated_at: now });
    const synced = (await syncListing(trx, found.value.id, now))!;
    await audit(trx, actor, "unhide-provider", "provider", synced.slug, reason, now);
    return synced;
  });
  return ok(await moderationView(db, p));
}

/** Hides one offer (local, crawled or federated): out of search, pages, the API and exports; followers get a `Delete`. */
export async function hideOffer(db: Db, id: string, actor: Actor, reason: string, nowMs: number): Promise<Result<OfferModeration>> {
  return setOfferMark(db, id, actor, { at: iso(nowMs), reason }, nowMs);
}

/** Shows a hidden offer again (if its provider is public): followers get a new `Create`. */
export async function unhideOffer(db: Db, id: string, actor: Actor, reason: string | undefined, nowMs: number): Promise<Result<OfferModeration>> {
  return setOfferMark(db, id, actor, null, nowMs, reason);
}

async function setOfferMark(db: Db, id: string, actor: Actor, hidden: { at: string; reason: string } | null, nowMs: number, unhideReason?: string): Promise<Result<OfferModeration>> {
  const row = id.length <= 200 ? await findOfferRow(db, id) : undefined;
  if (!row) return fail({ kind: "not-found", detail: `No offer "${id.slice(0, 200)}".` });
  if (!hidden && row.hidden_at === null) return fail({ kind: "conflict", code: "not-hidden", detail: "This offer is not hidden." });
  const now = iso(nowMs);
  const o = await db.transaction().execute(async (trx) => {
    const marked = await setOfferHidden(trx, row.seq, hidden);
    await syncListing(trx, marked.provider_id, now);
    await audit(trx, actor, hidden ? "hide-offer" : "unhide-offer", "offer", row.id, hidden?.reason ?? unhideReason, now);
    return (await findOfferRow(trx, row.id))!;
  });
  return ok({ id: o.id, listed: o.listed === 1, hiddenAt: o.hidden_at, hiddenReason: o.hidden_reason });
}

/** Closes an open report, with what was done about it. */
export async function closeReport(db: Db, id: number, actor: Actor, note: string | undefined, nowMs: number): Promise<Result<ReportRow>> {
  const existing = Number.isSafeInteger(id) ? await findReport(db, id) : undefined;
  if (!existing) return fail({ kind: "not-found", detail: `No report ${id}.` });
  const now = iso(nowMs);
  const closed = await db.transaction().execute(async (trx) => {
    const r = await closeReportRow(trx, id, actor.name, note ?? null, now);
    if (r) await audit(trx, actor, "close-report", "report", String(id), note, now);
    return r;
  });
  if (!closed) return fail({ kind: "conflict", code: "closed", detail: `Report ${id} is already closed.` });
  return ok(closed);
}

/** A local provider an operator can act on, with its membership (the admin pages). */
export async function providerForModeration(db: Db, slug: string): Promise<(ProviderRow & { membership: ReturnType<typeof membershipOf> }) | undefined> {
  const found = await localLive(db, slug);
  return found.ok ? { ...found.value, membership: membershipOf(found.value) } : undefined;
}

/** The moderation state of one provider (the admin API's answer to GET). */
export async function providerModeration(db: Db, slug: string): Promise<Result<ProviderModeration>> {
  const found = await localLive(db, slug);
  return found.ok ? ok(await moderationView(db, found.value)) : found;
}
