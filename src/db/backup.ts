/**
 * Backups of the embedded database (docs/decisions/0032). `VACUUM INTO` writes a compact copy of the whole database
 * from one read transaction: consistent even while another process (the server) writes, since WAL readers see a
 * snapshot and do not block writers. The copy is then opened on its own and checked with `PRAGMA integrity_check`.
 */
import { createClient } from "@libsql/client";
import { sql } from "kysely";
import type { Db } from "./client.ts";

/** Writes a consistent copy of the database to `path` (which must not exist). */
export async function backupInto(db: Db, path: string): Promise<void> {
  await sql`vacuum into ${path}`.execute(db);
}

/** Opens a backup file read-only-in-spirit and checks it: SQLite's integrity check and a few row counts. */
export async function verifyBackup(path: string): Promise<{ ok: boolean; messages: string[]; offers: number; providers: number; signups: number }> {
  const client = createClient({ url: `file:${path}` });
  try {
    const integrity = await client.execute("pragma integrity_check");
    const messages = integrity.rows.map((r) => String(Object.values(r)[0]));
    const count = async (table: string) => Number((await client.execute(`select count(*) as n from ${table}`)).rows[0].n);
    return { ok: messages.length === 1 && messages[0] === "ok", messages, offers: await count("offers"), providers: await count("providers"), signups: await count("signups") };
  } finally {
    client.close();
  }
}
