/** Node-side wiring shared by the server and the CLI: open the database, migrate, read the seed files. */
import { createClient, type Client } from "@libsql/client";
import { lookup } from "node:dns/promises";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.ts";
import { createDb, type Db } from "../db/client.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { applyListingPolicy, ensureIndexCurrent } from "../domain/catalog/offers.ts";
import { loadSeeds, parseSeeds, type SeedFiles } from "../domain/catalog/seeding.ts";

/** The project folder (holding package.json): two levels up from src/runtime/, one up from the built build/. */
export const ROOT = projectRoot(dirname(fileURLToPath(import.meta.url)));

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return resolve(from, "../..");
  }
}

/** All addresses a name resolves to, so the SSRF guard sees every one of them. */
export const resolveHost = async (host: string) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Opens libSQL (creating the directory of a `file:` database) and wraps it in Kysely. `busyTimeoutMs` is how long a
 * connection waits on SQLite's write lock (writes are queued in-process first, so it is only a safety net).
 */
export async function openDatabase(url: string, authToken?: string, opts: { busyTimeoutMs?: number } = {}): Promise<{ client: Client; db: Db }> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0];
    if (path) mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken, timeout: opts.busyTimeoutMs ?? 5000 } as Parameters<typeof createClient>[0]);
  if (url.startsWith("file:")) {
    await client.execute("pragma journal_mode = wal");
    await client.execute("pragma synchronous = normal");
  }
  await client.execute("pragma foreign_keys = on");
  return { client, db: createDb(client, { serializeWrites: url.startsWith("file:") }) };
}

export function readSeedFiles(dir = resolve(ROOT, "seeds/demo")): SeedFiles {
  const read = (name: string) => {
    const file = `seeds/demo/${name}`;
    try {
      return { file, data: JSON.parse(readFileSync(resolve(dir, name), "utf8")) as unknown };
    } catch (e) {
      throw new Error(`${file}: ${e instanceof SyntaxError ? `invalid JSON (${e.message})` : (e as Error).message}`);
    }
  };
  return { providers: read("providers.json"), offers: read("offers.json") };
}

/**
 * Migrates, reindexes offers built by older index rules, records LISTING_POLICY (listing the providers waiting for
 * review when it is `open`), then loads the demo seeds when asked and the catalog is empty.
 */
export async function prepareDatabase(db: Db, config: Pick<Config, "seed" | "listingPolicy">, nowMs: number) {
  const migrated = await migrateToLatest(db);
  const reindexed = await ensureIndexCurrent(db);
  const listedNow = await applyListingPolicy(db, config.listingPolicy, nowMs);
  const seeded = config.seed === "demo" ? await loadSeeds(db, parseSeeds(readSeedFiles()), nowMs) : false;
  return { migrated, reindexed, seeded, listedNow };
}
