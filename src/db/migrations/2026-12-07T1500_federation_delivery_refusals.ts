// FROZEN once landed: never edit; add a new migration instead.
import type { Kysely } from "kysely";

/**
 * Deliveries the outbound policy refused (an inbox on a loopback, private, link-local or metadata address, or not
 * http(s)): recorded as failed instead of being attempted. docs/decisions/0015-one-outbound-policy.md.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("fed_delivery_refusals")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("activity_id", "text")
    .addColumn("activity_type", "text")
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("fed_delivery_refusals_at").on("fed_delivery_refusals").columns(["at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("fed_delivery_refusals").ifExists().execute();
}
