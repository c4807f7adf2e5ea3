// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * Which offers changed since a catalog version, so the in-memory search index (domain/catalog/facet-index.ts) catches
 * up after a write by re-reading those offers instead of reloading the whole catalog (docs/decisions/0025). One row
 * per offer seq, stamped with the catalog version current when it changed (before the write's own bump): an index
 * built at version V re-reads the seqs stamped V or later. Kept by triggers, so no write path can forget it. New
 * offers need no row (their seq is above every seq the index has seen: `seq` is AUTOINCREMENT).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("offer_index_changes")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("offer_index_changes_at").on("offer_index_changes").columns(["at", "seq"]).execute();
  const stamp = (seq: string) => sql.raw(`insert into offer_index_changes (seq, at)
      values (${seq}, coalesce((select cast(value as integer) from meta where key = 'catalog_version'), 0))
      on conflict(seq) do update set at = excluded.at where at <> excluded.at;`);
  // Only the columns the index reads (sort keys and the inputs of staleness and availability tiers).
  await sql`create trigger offers_index_changed after update of capacity, registration, confirmed_at, stale_since, sort_name, updated_at, price_monthly on offers
    begin ${stamp("new.seq")} end`.execute(db);
  await sql`create trigger offers_index_deleted after delete on offers begin ${stamp("old.seq")} end`.execute(db);
  // Tags are replaced by delete + insert (writeOfferIndex): the delete marks the offer.
  await sql`create trigger offer_tags_index_deleted after delete on offer_tags begin ${stamp("old.offer_seq")} end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["offers_index_changed", "offers_index_deleted", "offer_tags_index_deleted"]) await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
  await db.schema.dropTable("offer_index_changes").ifExists().execute();
}
