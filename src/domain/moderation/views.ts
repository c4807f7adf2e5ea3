/**
 * What people tell the operator ("Signaler cette offre"), and what the operator reads: the review queue, open and
 * closed reports, what is hidden, the audit log. Reports are rate limited per client address; the offer must be
 * public (nobody can report what they cannot see). What people wrote is erased 30 days after the report is closed.
 */
import type { Db } from "../../db/client.ts";
import type { AuditRow } from "../../db/database.ts";
import { findOfferById } from "../../db/queries/offers.ts";
import { auditRows, eraseClosedReportMessages, hiddenRows, insertReport, moderationCounts, reportRows, reviewQueueRows, type ReportWithOffer } from "../../db/queries/moderation.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import { limitAction, type Rate } from "../ratelimit.ts";
import { membershipOf } from "../sources/membership-rule.ts";
import type { ReportInput, ReportReason } from "./schemas.ts";

/** What people wrote in a report is kept this long after the report is closed. */
export const REPORT_MESSAGE_KEPT_MS = 30 * DAY_MS;

/** A person reports a public offer; counted against REPORT_RATE_LIMIT_IP whatever the outcome. */
export async function reportOffer(db: Db, offerId: string, input: ReportInput, locale: string, limits: { ip: string; perIp: Rate }, nowMs: number): Promise<Result<{ id: number }>> {
  const limited = await limitAction(db, "report", limits, nowMs);
  if (!limited.ok) return limited;
  const offer = offerId.length <= 200 ? await findOfferById(db, offerId) : undefined;
  if (!offer) return fail({ kind: "not-found", detail: `No offer with id "${offerId.slice(0, 200)}".` });
  const r = await insertReport(db, { offer_id: offer.id, provider_id: offer.provider_id, reason: input.reason, message: input.message || null, locale, created_at: iso(nowMs) });
  return ok({ id: r.id });
}

export type ReportView = {
  id: number; offerId: string; offerTitle: string | null; provider: { slug: string; name: string } | null; reason: ReportReason; message: string | null;
  locale: string; status: "open" | "closed"; createdAt: string; closedAt: string | null; closedBy: string | null; closedNote: string | null;
};

function reportView(r: ReportWithOffer): ReportView {
  const titles = r.o_title_json ? (JSON.parse(r.o_title_json) as Record<string, string>) : undefined;
  return {
    id: r.id, offerId: r.offer_id, offerTitle: titles ? titles.fr ?? titles.en ?? Object.values(titles)[0] ?? null : null,
    provider: r.p_slug && r.p_name ? { slug: r.p_slug, name: r.p_name } : null, reason: r.reason as ReportReason, message: r.message, locale: r.locale,
    status: r.status as "open" | "closed", createdAt: r.created_at, closedAt: r.closed_at, closedBy: r.closed_by, closedNote: r.closed_note,
  };
}

/** Reports, newest first; `cursor` is the last id seen. */
export async function reportList(db: Db, q: { status?: "open" | "closed" | "all"; limit?: number; cursor?: string }): Promise<{ items: ReportView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const rows = await reportRows(db, q.status === "all" ? undefined : q.status ?? "open", limit + 1, q.cursor ? Number(q.cursor) : undefined);
  const page = rows.slice(0, limit);
  return { items: page.map(reportView), nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null };
}

export type QueueEntryView = {
  slug: string; name: string; website: string; country: string; orgType: string; email: string | null; description: Record<string, string>;
  verified: boolean; chatonsMembership: ReturnType<typeof membershipOf>; offerCount: number; createdAt: string;
};

/** Providers waiting for review, oldest first. */
export async function reviewQueue(db: Db, limit = 100): Promise<{ items: QueueEntryView[]; total: number }> {
  const rows = await reviewQueueRows(db, limit);
  const counts = await moderationCounts(db);
  return {
    total: counts.waiting,
    items: rows.map((p) => ({
      slug: p.slug, name: p.name, website: p.website, country: p.country, orgType: p.org_type, email: p.email,
      description: JSON.parse(p.description_json) as Record<string, string>, verified: p.verified === 1, chatonsMembership: membershipOf(p),
      offerCount: Number(p.offer_count), createdAt: p.created_at,
    })),
  };
}

/** What is hidden now, most recent first. */
export async function hiddenList(db: Db, limit = 200) {
  const { providers, offers } = await hiddenRows(db, limit);
  return {
    providers: providers.map((p) => ({ slug: p.slug, name: p.name, hiddenAt: p.hidden_at!, reason: p.hidden_reason })),
    offers: offers.map((o) => {
      const t = JSON.parse(o.title_json) as Record<string, string>;
      return { id: o.id, title: t.fr ?? t.en ?? Object.values(t)[0] ?? o.id, provider: o.p_name, hiddenAt: o.hidden_at!, reason: o.hidden_reason };
    }),
  };
}

export const operatorCounts = moderationCounts;

export type AuditView = { id: number; at: string; actor: string; via: string; action: string; targetType: string; target: string; reason: string | null };
const auditView = (r: AuditRow): AuditView => ({ id: r.id, at: r.at, actor: r.actor, via: r.via, action: r.action, targetType: r.target_type, target: r.target, reason: r.reason });

/** The audit log, newest first; `cursor` is the last id seen. */
export async function auditLog(db: Db, q: { limit?: number; cursor?: string; target?: string }): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const limit = q.limit ?? 50;
  const rows = await auditRows(db, limit + 1, q.cursor ? Number(q.cursor) : undefined, q.target);
  const page = rows.slice(0, limit);
  return { items: page.map(auditView), nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null };
}

/** The privacy purge's part: what people wrote in reports closed more than REPORT_MESSAGE_KEPT_MS ago. */
export async function purgeReportMessages(db: Db, nowMs: number): Promise<number> {
  return eraseClosedReportMessages(db, iso(nowMs - REPORT_MESSAGE_KEPT_MS));
}
