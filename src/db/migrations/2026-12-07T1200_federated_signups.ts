// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * Signups handed over between directories (docs/federated-signups.md).
 * - offers (federated ones, on the receiving directory): where their own directory takes hand-overs, and whether it
 *   said it would take one now.
 * - signups: on the directory where the person signed up, where it was handed over (`handover_url`, the remote
 *   offer and directory, the remote signup id once known); on the offer's own directory, which directory handed it
 *   over (`remote_directory`) and where to report its status (`callback_url`).
 * - fed_following: the followed actor's display name (directories are shown by name and host, not by actor URL).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table offers add column handover_url text`.execute(db);
  await sql`alter table offers add column remote_accepts integer not null default 0`.execute(db);
  for (const column of ["handover_url", "remote_offer", "remote_directory", "remote_id", "callback_url"]) {
    await sql`alter table signups add column ${sql.raw(column)} text`.execute(db);
  }
  await sql`alter table fed_following add column name text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table fed_following drop column name`.execute(db);
  for (const column of ["callback_url", "remote_id", "remote_directory", "remote_offer", "handover_url"]) {
    await sql`alter table signups drop column ${sql.raw(column)}`.execute(db);
  }
  await sql`alter table offers drop column remote_accepts`.execute(db);
  await sql`alter table offers drop column handover_url`.execute(db);
}
