// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * The provider space (docs/decisions/0020, 0021): server-side sessions shared by every signed-in area (`kind`
 * 'provider' now, 'admin' later), one-time sign-in links sent by email, a monthly view counter per offer, and the
 * mark of a provider that deleted its account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The cookie holds a random secret; only its SHA-256 is stored. `subject` is whom the session signs in (a provider id).
  await db.schema.createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_subject").on("sessions").columns(["kind", "subject"]).execute();
  await db.schema.createIndex("sessions_expiry").on("sessions").columns(["expires_at"]).execute();

  // A sign-in link is asked for (row + outbox mail event in one transaction); the token is made when the mail is
  // composed (`mail_id` = the outbox event's webhook_id), stored hashed, valid for minutes, usable once.
  await db.schema.createTable("signin_links")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("mail_id", "text", (c) => c.notNull().unique())
    .addColumn("token_hash", "text", (c) => c.unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("used_at", "text")
    .execute();

  // How many times each offer's page was opened, per calendar month (UTC, 'YYYY-MM').
  await db.schema.createTable("offer_views")
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("offer_views_pk", ["offer_id", "month"])
    .modifyEnd(sql`without rowid`)
    .execute();

  // A provider that deleted its account stays as a tombstone (slug, name) so the federated Delete of its offers can
  // still be signed by its actor and its past signups keep a name on their status pages; its personal data is erased.
  await db.schema.alterTable("providers").addColumn("deleted_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["offer_views", "signin_links", "sessions"]) await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  await db.schema.alterTable("providers").dropColumn("deleted_at").execute();
}
