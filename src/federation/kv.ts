/** Fedify `KvStore` on libSQL/Kysely: JSON values, millisecond TTLs, compare-and-swap, prefix listing. */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { Db } from "../db/client.ts";
import { kvDelete, kvDeleteIfExpired, kvGet, kvList, kvPurgeExpired, kvPut } from "../db/queries/fedify-store.ts";

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
    const row = await kvGet(this.db, encode(key));
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now()) {
      await kvDeleteIfExpired(this.db, encode(key), this.now());
      return undefined;
    }
    return JSON.parse(row.value) as T;
  }

  #row(key: KvKey, value: unknown, options?: KvStoreSetOptions) {
    const ttl = ttlMs(options);
    return { key: encode(key), value: JSON.stringify(value ?? null), expires_at: ttl === undefined ? null : this.now() + ttl };
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await kvPut(this.db, this.#row(key, value, options));
  }

  async delete(key: KvKey): Promise<void> {
    await kvDelete(this.db, encode(key));
  }

  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await kvGet(trx, encode(key));
      const live = row && (row.expires_at === null || row.expires_at > this.now());
      const current = live ? JSON.parse(row.value) : undefined;
      if (!deepEqual(current, expectedValue)) return false;
      await kvPut(trx, this.#row(key, newValue, options));
      return true;
    });
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const exact = prefix && prefix.length > 0 ? encode(prefix) : undefined;
    const rows = await kvList(this.db, this.now(), exact ? { exact, prefix: exact.slice(0, -1) + "," } : undefined);
    for (const r of rows) yield { key: JSON.parse(r.key) as KvKey, value: JSON.parse(r.value) };
  }

  /** Deletes expired entries; called from the queue loop now and then. */
  async purgeExpired(): Promise<number> {
    return kvPurgeExpired(this.db, this.now());
  }
}
