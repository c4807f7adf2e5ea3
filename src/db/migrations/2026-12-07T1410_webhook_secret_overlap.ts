// FROZEN once landed: never edit; add a new migration instead.
// Standard Webhooks secret rotation with an overlap window (issue 14, docs/decisions/0013).
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // After a rotation, deliveries are signed with the new secret and this one until `previous_secret_until` (epoch ms).
  await db.schema.alterTable("provider_webhooks").addColumn("previous_secret", "text").execute();
  await db.schema.alterTable("provider_webhooks").addColumn("previous_secret_until", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("provider_webhooks").dropColumn("previous_secret_until").execute();
  await db.schema.alterTable("provider_webhooks").dropColumn("previous_secret").execute();
}
