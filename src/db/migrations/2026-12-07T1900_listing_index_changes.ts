// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * An offer entering or leaving the public catalog (`offers.listed`, moderation: 2026-12-07T1800) is a change the
 * in-memory search index must catch up with (2026-12-07T1700): stamp it like the other indexed columns. Leaving was
 * already seen through its tags' deletion; entering (tags inserted, no row deleted) was not.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create trigger offers_listed_changed after update of listed on offers begin
    insert into offer_index_changes (seq, at)
      values (new.seq, coalesce((select cast(value as integer) from meta where key = 'catalog_version'), 0))
      on conflict(seq) do update set at = excluded.at where at <> excluded.at;
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists offers_listed_changed`.execute(db);
}
