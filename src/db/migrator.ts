import { Migrator, type Kysely, type MigrationProvider } from "kysely";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./database.ts";

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's name. Returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Branches developed in parallel land their (independent) migrations in any order: a database already at a later
  // timestamp must still receive an earlier one merged after it (e.g. 1300_search_counts after 1400/1500).
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(failed ? `migration ${failed.migrationName} failed: ${message}` : `migrations failed: ${message}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
