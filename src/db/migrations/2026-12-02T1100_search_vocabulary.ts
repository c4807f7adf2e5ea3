// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * The catalog's own vocabulary, for "did you mean" when a query finds nothing: FTS5's `fts5vocab` view of the
 * offers index (one row per term, with how many offers contain it). A view, so it costs nothing on writes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table offers_fts_vocab using fts5vocab('offers_fts', 'row')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists offers_fts_vocab`.execute(db);
}
