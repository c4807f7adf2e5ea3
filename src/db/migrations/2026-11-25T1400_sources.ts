// Pull sources (crawler state per provider), verification re-check state, and the `stale_since` mark on offers.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("provider_sources")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("provider_id", "integer", (c) => c.notNull().unique().references("providers.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    // {url: {etag?, lastModified?}} of each fetched file, sent back as If-None-Match / If-Modified-Since.
    .addColumn("validators_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("health", "integer", (c) => c.notNull().defaultTo(100))
    .addColumn("state", "text", (c) => c.notNull().defaultTo("healthy"))
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_crawl_at", "text", (c) => c.notNull())
    .addColumn("last_crawl_at", "text")
    .addColumn("last_success_at", "text")
    .addColumn("last_status", "text")
    .addColumn("last_error", "text")
    .addColumn("last_report_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("provider_sources_due").on("provider_sources").columns(["next_crawl_at"]).execute();

  await db.schema.alterTable("providers").addColumn("verify_failures", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("providers").addColumn("verify_checked_at", "text").execute();
  await db.schema.alterTable("offers").addColumn("stale_since", "text").execute();
  // Every crawl round looks for crawled offers unconfirmed for 30 days: a range over old confirmations only.
  // (Not led by `source`: the planner would then prefer it to the provider index for per-provider updates.)
  await db.schema.createIndex("offers_confirmed").on("offers").columns(["confirmed_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists offers_confirmed`.execute(db);
  await sql`drop table if exists provider_sources`.execute(db);
  await db.schema.alterTable("offers").dropColumn("stale_since").execute();
  await db.schema.alterTable("providers").dropColumn("verify_checked_at").execute();
  await db.schema.alterTable("providers").dropColumn("verify_failures").execute();
}
