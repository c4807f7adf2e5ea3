// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * An operator's hide mark lived only on the offer's row (2026-12-07T1800), so deleting the offer and publishing it
 * again (by the API, a pull source leaving it out once, or its own directory's Delete + Create) made it public again.
 * A hidden offer that is deleted leaves its mark here, keyed by the offer's id; an offer created with that id takes it
 * back (and the row here goes).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table offer_hide_marks (
    offer_id text primary key,
    hidden_at text not null,
    hidden_reason text
  ) without rowid`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists offer_hide_marks`.execute(db);
}
