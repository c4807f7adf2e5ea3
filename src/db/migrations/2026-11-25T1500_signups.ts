// Signups, their status events, the delivery outbox, provider endpoints (webhook, Nextcloud) and rate-limit counters.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("provider_webhooks")
    .addColumn("provider_id", "integer", (c) => c.primaryKey().references("providers.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    // Kept as is: the directory must sign with it (HMAC needs the secret itself); see docs/decisions/0004.
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .addColumn("disabled_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.createTable("provider_nextcloud")
    .addColumn("provider_id", "integer", (c) => c.primaryKey().references("providers.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.createTable("signups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("provider_id", "integer", (c) => c.notNull())
    .addColumn("service", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    // Personal data: nulled by the purge job once the signup is final + retention.
    .addColumn("email", "text")
    .addColumn("name", "text")
    .addColumn("username", "text")
    .addColumn("message", "text")
    .addColumn("login_url", "text")
    .addColumn("idempotency_key", "text")
    .addColumn("request_hash", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("final_at", "text")
    .addColumn("purged_at", "text")
    .execute();
  await db.schema.createIndex("signups_idempotency").on("signups").column("idempotency_key").unique().where(sql.ref("idempotency_key"), "is not", null).execute();
  await db.schema.createIndex("signups_provider").on("signups").columns(["provider_id", "status", "created_at"]).execute();
  // The picker counts an offer's unfinished signups on every request.
  await db.schema.createIndex("signups_offer_open").on("signups").columns(["offer_id", "final_at", "created_at"]).execute();
  await db.schema.createIndex("signups_final").on("signups").columns(["purged_at", "final_at"]).execute();

  await db.schema.createTable("signup_tokens")
    .addColumn("signup_id", "text", (c) => c.notNull().references("signups.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("signup_tokens_pk", ["signup_id", "token_hash"])
    .execute();

  await db.schema.createTable("signup_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("signup_id", "text", (c) => c.notNull().references("signups.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("signup_events_signup").on("signup_events").columns(["signup_id", "id"]).execute();

  await db.schema.createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("webhook_id", "text", (c) => c.notNull().unique())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("provider_id", "integer", (c) => c.notNull())
    .addColumn("signup_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "integer", (c) => c.notNull())
    .addColumn("lease_until", "integer")
    .addColumn("lease_token", "text")
    .addColumn("last_status", "integer")
    .addColumn("last_error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("done_at", "integer")
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_provider").on("outbox").columns(["provider_id", "status", "id"]).execute();

  await db.schema.createTable("delivery_attempts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("outbox_id", "integer", (c) => c.notNull().references("outbox.id").onDelete("cascade"))
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("http_status", "integer")
    .addColumn("error", "text")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("delivery_attempts_outbox").on("delivery_attempts").columns(["outbox_id", "id"]).execute();

  await db.schema.createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "integer", (c) => c.notNull())
    .addColumn("window_ms", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["rate_limits", "delivery_attempts", "outbox", "signup_events", "signup_tokens", "signups", "provider_nextcloud", "provider_webhooks"]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
}
