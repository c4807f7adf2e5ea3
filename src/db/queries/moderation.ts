/** Moderation state: the providers' and offers' marks, people's reports, and the append-only audit log. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { AuditRow, ProviderRow, ReportRow } from "../database.ts";

/** Sets or clears a provider's moderation columns (the domain then re-applies the listing rule). */
export async function setProviderModeration(trx: Db, id: number, patch: Partial<Pick<ProviderRow, "reviewed_at" | "hidden_at" | "hidden_reason" | "updated_at">>): Promise<ProviderRow> {
  return trx.updateTable("providers").set(patch).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
}

export type QueueRow = ProviderRow & { offer_count: number };

/** Providers waiting for review (never listed, not hidden, not gone), oldest first, with how many offers they prepared. */
export async function reviewQueueRows(db: Db, limit: number): Promise<QueueRow[]> {
  return db.selectFrom("providers as p").selectAll("p")
    .select(sql<number>`(select count(*) from offers o where o.provider_id = p.id)`.as("offer_count"))
    .where("p.listed", "=", 0).where("p.listed_at", "is", null).where("p.hidden_at", "is", null).where("p.deleted_at", "is", null)
    .where("p.source", "!=", "federated").orderBy("p.created_at").orderBy("p.id").limit(limit).execute();
}

/** Hidden providers and hidden offers (with their provider's slug), most recently hidden first. */
export async function hiddenRows(db: Db, limit: number) {
  const providers = await db.selectFrom("providers").selectAll().where("hidden_at", "is not", null).where("deleted_at", "is", null)
    .orderBy("hidden_at", "desc").limit(limit).execute();
  const offers = await db.selectFrom("offers as o").innerJoin("providers as p", "p.id", "o.provider_id")
    .select(["o.id", "o.title_json", "o.hidden_at", "o.hidden_reason", "p.slug as p_slug", "p.name as p_name"])
    .where("o.hidden_at", "is not", null).orderBy("o.hidden_at", "desc").limit(limit).execute();
  return { providers, offers };
}

/** Counts an operator's dashboard shows. */
export async function moderationCounts(db: Db): Promise<{ waiting: number; openReports: number; hiddenProviders: number; hiddenOffers: number }> {
  const r = await sql<{ waiting: number; reports: number; hp: number; ho: number }>`select
    (select count(*) from providers where listed = 0 and listed_at is null and hidden_at is null and deleted_at is null and source != 'federated') as waiting,
    (select count(*) from reports where status = 'open') as reports,
    (select count(*) from providers where hidden_at is not null and deleted_at is null) as hp,
    (select count(*) from offers where hidden_at is not null) as ho`.execute(db);
  const x = r.rows[0];
  return { waiting: Number(x.waiting), openReports: Number(x.reports), hiddenProviders: Number(x.hp), hiddenOffers: Number(x.ho) };
}

// ---- reports ----

export async function insertReport(db: Db, row: { offer_id: string; provider_id: number; reason: string; message: string | null; locale: string; created_at: string }): Promise<ReportRow> {
  return db.insertInto("reports").values(row).returningAll().executeTakeFirstOrThrow();
}

export type ReportWithOffer = ReportRow & { o_title_json: string | null; p_slug: string | null; p_name: string | null };

/** Reports of one status, newest first, keyset on id (`beforeId`). */
export async function reportRows(db: Db, status: "open" | "closed" | undefined, limit: number, beforeId?: number): Promise<ReportWithOffer[]> {
  let q = db.selectFrom("reports as r").leftJoin("offers as o", "o.id", "r.offer_id").leftJoin("providers as p", "p.id", "r.provider_id")
    .selectAll("r").select(["o.title_json as o_title_json", "p.slug as p_slug", "p.name as p_name"]);
  if (status) q = q.where("r.status", "=", status);
  if (beforeId !== undefined) q = q.where("r.id", "<", beforeId);
  return q.orderBy("r.id", "desc").limit(limit).execute();
}

export async function findReport(db: Db, id: number): Promise<ReportRow | undefined> {
  return db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Closes an open report; undefined when it was not open (already closed, or unknown). */
export async function closeReportRow(trx: Db, id: number, by: string, note: string | null, now: string): Promise<ReportRow | undefined> {
  return trx.updateTable("reports").set({ status: "closed", closed_at: now, closed_by: by, closed_note: note })
    .where("id", "=", id).where("status", "=", "open").returningAll().executeTakeFirst();
}

/** Erases what people wrote in reports closed before `cutoff` (the privacy purge); returns how many. */
export async function eraseClosedReportMessages(db: Db, cutoff: string): Promise<number> {
  const r = await db.updateTable("reports").set({ message: null }).where("status", "=", "closed").where("closed_at", "<", cutoff).where("message", "is not", null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- audit log ----

export async function appendAudit(trx: Db, row: Omit<AuditRow, "id">): Promise<AuditRow> {
  return trx.insertInto("audit_log").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Audit entries newest first, keyset on id; optionally about one target. */
export async function auditRows(db: Db, limit: number, beforeId?: number, target?: string): Promise<AuditRow[]> {
  let q = db.selectFrom("audit_log").selectAll();
  if (beforeId !== undefined) q = q.where("id", "<", beforeId);
  if (target !== undefined) q = q.where("target", "=", target);
  return q.orderBy("id", "desc").limit(limit).execute();
}
