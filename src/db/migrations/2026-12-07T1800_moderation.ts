// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * Listings people can trust (issue 16, docs/decisions/0030): who is public, moderation, reports and the audit log.
 * - providers: `listed` (public now, derived by the domain's one rule), `listed_at` (first time it became public:
 *   the "new" badge), `reviewed_at` (an operator approved it), `hidden_at`/`hidden_reason` (an operator hid it).
 * - offers: `listed` (public now: its provider is listed and the offer is not hidden; an unlisted offer has no tags and
 *   no full-text row, so search never sees it), `hidden_at`/`hidden_reason`.
 * - reports: what people tell the operator about an offer ("Signaler cette offre"), open until closed.
 * - audit_log: every moderation action (who, when, what, why); triggers refuse UPDATE and DELETE (append-only).
 * Everything public before this migration stays public; demo providers count as reviewed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table providers add column listed integer not null default 0`.execute(db);
  await sql`alter table providers add column listed_at text`.execute(db);
  await sql`alter table providers add column reviewed_at text`.execute(db);
  await sql`alter table providers add column hidden_at text`.execute(db);
  await sql`alter table providers add column hidden_reason text`.execute(db);
  await sql`update providers set listed = 1, listed_at = created_at where deleted_at is null`.execute(db);
  await sql`update providers set reviewed_at = created_at where demo = 1`.execute(db);

  await sql`alter table offers add column listed integer not null default 0`.execute(db);
  await sql`alter table offers add column hidden_at text`.execute(db);
  await sql`alter table offers add column hidden_reason text`.execute(db);
  await sql`update offers set listed = 1`.execute(db);

  await db.schema.createTable("reports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("provider_id", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("closed_by", "text")
    .addColumn("closed_note", "text")
    .execute();
  await db.schema.createIndex("reports_status").on("reports").columns(["status", "id"]).execute();

  await db.schema.createTable("audit_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .execute();
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_update`.execute(db);
  await sql`drop trigger if exists audit_log_no_delete`.execute(db);
  await sql`drop table if exists audit_log`.execute(db);
  await sql`drop table if exists reports`.execute(db);
  for (const c of ["hidden_reason", "hidden_at", "listed"]) await sql`alter table offers drop column ${sql.raw(c)}`.execute(db);
  for (const c of ["hidden_reason", "hidden_at", "reviewed_at", "listed_at", "listed"]) await sql`alter table providers drop column ${sql.raw(c)}`.execute(db);
}
