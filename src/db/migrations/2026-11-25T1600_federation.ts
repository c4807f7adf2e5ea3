// Federation storage: Fedify's key-value store and message queue, actor keys, followers, follows, domain blocks.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("fed_kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", "integer")
    .execute();
  await db.schema.createIndex("fed_kv_expires").on("fed_kv").columns(["expires_at"]).execute();

  await db.schema.createTable("fed_queue")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("ordering_key", "text")
    .addColumn("run_at", "integer", (c) => c.notNull())
    .addColumn("locked_until", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("fed_queue_due").on("fed_queue").columns(["run_at", "id"]).execute();
  await db.schema.createIndex("fed_queue_ordering").on("fed_queue").columns(["ordering_key", "id"]).execute();

  await db.schema.createTable("fed_keys")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    .addColumn("private_jwk", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("fed_keys_pk", ["actor", "algorithm"])
    .execute();

  await db.schema.createTable("fed_followers")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("follower_id", "text", (c) => c.notNull())
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("shared_inbox", "text")
    .addColumn("follow_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("fed_followers_pk", ["actor", "follower_id"])
    .execute();

  await db.schema.createTable("fed_following")
    .addColumn("actor_id", "text", (c) => c.primaryKey())
    .addColumn("handle", "text")
    .addColumn("inbox", "text", (c) => c.notNull())
    .addColumn("outbox", "text")
    .addColumn("follow_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .execute();

  await db.schema.createTable("fed_blocks")
    .addColumn("domain", "text", (c) => c.primaryKey())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["fed_blocks", "fed_following", "fed_followers", "fed_keys", "fed_queue", "fed_kv"]) await db.schema.dropTable(t).ifExists().execute();
}
