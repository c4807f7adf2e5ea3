// FROZEN: this migration has landed. Never edit it; add a new migration instead.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("providers")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("website", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("org_type", "text", (c) => c.notNull())
    .addColumn("description_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("chatons_member", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("verified", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("verification_token", "text")
    .addColumn("verified_at", "text")
    .addColumn("demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("source", "text", (c) => c.notNull().defaultTo("local"))
    .addColumn("origin_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.createTable("offers")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("provider_id", "integer", (c) => c.notNull().references("providers.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("service", "text", (c) => c.notNull())
    .addColumn("software_name", "text", (c) => c.notNull())
    .addColumn("software_version", "text")
    .addColumn("software_license", "text")
    .addColumn("title_json", "text", (c) => c.notNull())
    .addColumn("description_json", "text", (c) => c.notNull())
    .addColumn("sort_name", "text", (c) => c.notNull())
    .addColumn("price_model", "text", (c) => c.notNull())
    .addColumn("price_amount", "integer")
    .addColumn("price_currency", "text")
    .addColumn("price_period", "text")
    .addColumn("price_monthly", "integer")
    .addColumn("registration", "text", (c) => c.notNull())
    .addColumn("capacity", "text", (c) => c.notNull())
    .addColumn("quota_storage_gb", "real")
    .addColumn("quota_users", "integer")
    .addColumn("data_location", "text", (c) => c.notNull())
    .addColumn("languages_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("includes_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("audience_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("support_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("signup_mode", "text", (c) => c.notNull())
    .addColumn("signup_url", "text")
    .addColumn("source", "text", (c) => c.notNull().defaultTo("local"))
    .addColumn("origin_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text", (c) => c.notNull())
    .addUniqueConstraint("offers_provider_slug", ["provider_id", "slug"])
    .execute();
  await db.schema.createIndex("offers_updated").on("offers").columns(["updated_at", "seq"]).execute();
  await db.schema.createIndex("offers_name").on("offers").columns(["sort_name", "seq"]).execute();
  await db.schema.createIndex("offers_price").on("offers").columns(["price_monthly", "seq"]).execute();

  await db.schema.createTable("offer_tags")
    .addColumn("offer_seq", "integer", (c) => c.notNull().references("offers.seq").onDelete("cascade"))
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("offer_tags_pk", ["field", "value", "offer_seq"])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema.createIndex("offer_tags_offer").on("offer_tags").columns(["offer_seq"]).execute();

  // Standalone FTS5 table whose rowid is offers.seq; the write path (db/queries/offers.ts) keeps it in sync.
  await sql`create virtual table offers_fts using fts5(
    title, software, provider, description, keywords,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
  )`.execute(db);

  await db.schema.createTable("provider_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("provider_id", "integer", (c) => c.notNull().references("providers.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();

  await db.schema.createTable("offer_changes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("offer_id", "text", (c) => c.notNull())
    .addColumn("provider_id", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .execute();
  await db.schema.createIndex("offer_changes_unpublished").on("offer_changes").columns(["published_at", "id"]).execute();

  await db.schema.createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["meta", "offer_changes", "provider_tokens", "offers_fts", "offer_tags", "offers", "providers"]) {
    await sql`drop table if exists ${sql.raw(t)}`.execute(db);
  }
}
