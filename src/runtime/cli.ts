/** `npm run cli -- <command>`: operator commands against any DATABASE_URL (local file or remote libSQL). */
import { ConfigError, parseConfig } from "../config.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { loadSeeds, parseSeeds, SeedError } from "../domain/catalog/seeding.ts";
import { systemClock } from "../lib/log.ts";
import { openDatabase, readSeedFiles } from "./shared.ts";
import { sourceCommands } from "./cli-sources.ts";
import { consistencyProblems } from "../db/queries/consistency.ts";

const HELP = `chatons-directory command line

Usage: npm run cli -- <command> [options]

Commands:
  migrate            apply pending database migrations
  seed               load the demo seeds (only into an empty catalog)
  crawl [--provider slug] [--concurrency n]
                     pull every provider's source now (or one provider's), with progress and a summary
  import-statoolinfos <url-or-file> [--slug slug]
                     create or update a provider from a StatoolInfos organization file and pull its services
  token <slug>       issue a new API token for a provider (revokes its other tokens); prints it once
  check              check the database: SQLite's integrity check and the catalog, signup and outbox invariants
  help, --help       show this help

Environment: DATABASE_URL (default file:data/directory.db), DATABASE_AUTH_TOKEN for remote libSQL.`;

type Command = (args: string[]) => Promise<void>;

export const commands: Record<string, Command> = {
  async migrate() {
    const config = parseConfig(process.env);
    const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database is up to date");
    client.close();
  },
  async seed() {
    const config = parseConfig(process.env);
    const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    await migrateToLatest(db);
    const result = await loadSeeds(db, parseSeeds(readSeedFiles()), systemClock.now());
    console.log(result ? `loaded ${result.providers} providers and ${result.offers} offers` : "the catalog is not empty: seeds not loaded");
    client.close();
  },
  async check() {
    const config = parseConfig(process.env);
    const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    try {
      const problems = await consistencyProblems(db);
      for (const p of problems) console.log(`${p.check}: ${p.rows} row(s)`);
      if (problems.length) throw new Error(`${problems.length} check(s) failed`);
      console.log("database is consistent");
    } finally {
      client.close();
    }
  },
  ...sourceCommands,
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(HELP);
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"; run: npm run cli -- --help`);
    return 2;
  }
  try {
    await command(args);
    return 0;
  } catch (e) {
    const message = e instanceof ConfigError || e instanceof SeedError ? e.message : `${name} failed: ${e instanceof Error ? e.message : String(e)}`;
    console.error(message);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
