/** Fedify `KvStore` on libSQL/Kysely: JSON values, millisecond TTLs, compare-and-swap, prefix listing. */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { sql } from "kysely";
import type { Db } from "../db/client.ts";

const encode = (key: KvKey) => JSON.stringify(key);
/** Duration → milliseconds; days count as 24 h (Fedify's TTLs are hours and days). */
export function durationMs(d: KvStoreSetOptions["ttl"] | undefined): number | undefined {
  if (!d) return undefined;
  try {
    return d.total({ unit: "millisecond" });
  } catch {
    return ((((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds) * 1000 + d.milliseconds;
  }
}
const ttlMs = (options?: KvStoreSetOptions) => durationMs(options?.ttl);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Times use the real clock (`now`), not the app's test clock: TTLs are about wall time. */
export class LibsqlKvStore implements KvStore {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const row = await this.db.selectFrom("fed_kv").select(["value", "expires_at"]).where("key", "=", encode(key)).executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now()) {
      await this.db.deleteFrom("fed_kv").where("key", "=", encode(key)).where("expires_at", "<=", this.now()).execute();
      return undefined;
    }
    return JSON.parse(row.value) as T;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const ttl = ttlMs(options);
    const row = { key: encode(key), value: JSON.stringify(value ?? null), expires_at: ttl === undefined ? null : this.now() + ttl };
    await this.db.insertInto("fed_kv").values(row).onConflict((oc) => oc.column("key").doUpdateSet({ value: row.value, expires_at: row.expires_at })).execute();
  }

  async delete(key: KvKey): Promise<void> {
    await this.db.deleteFrom("fed_kv").where("key", "=", encode(key)).execute();
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("fed_kv").select(["value", "expires_at"]).where("key", "=", encode(key)).executeTakeFirst();
      const live = row && (row.expires_at === null || row.expires_at > this.now());
      const current = live ? JSON.parse(row.value) : undefined;
      if (!deepEqual(current, expectedValue)) return false;
      const ttl = ttlMs(options);
      const next = { key: encode(key), value: JSON.stringify(newValue ?? null), expires_at: ttl === undefined ? null : this.now() + ttl };
      await trx.insertInto("fed_kv").values(next).onConflict((oc) => oc.column("key").doUpdateSet({ value: next.value, expires_at: next.expires_at })).execute();
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    let q = this.db.selectFrom("fed_kv").select(["key", "value"]).where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", this.now())]));
    if (prefix && prefix.length > 0) {
      const exact = encode(prefix);
      const start = exact.slice(0, -1) + ",";
      q = q.where((eb) => eb.or([eb("key", "=", exact), sql<boolean>`substr(${eb.ref("key")}, 1, ${start.length}) = ${start}`]));
    }
    const rows = await q.orderBy("key").execute();
    for (const r of rows) yield { key: JSON.parse(r.key) as KvKey, value: JSON.parse(r.value) };
  }

  /** Deletes expired entries; called from the queue loop now and then. */
  async purgeExpired(): Promise<number> {
    const r = await this.db.deleteFrom("fed_kv").where("expires_at", "<=", this.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
