/** Storage of Fedify's key-value store and message queue (federation/kv.ts and mq.ts adapt these to Fedify's interfaces). */
import { sql } from "kysely";
import type { Db } from "../client.ts";

// ---- key-value store: JSON text keys and values, optional expiry in epoch ms ----

export async function kvGet(db: Db, key: string): Promise<{ value: string; expires_at: number | null } | undefined> {
  return db.selectFrom("fed_kv").select(["value", "expires_at"]).where("key", "=", key).executeTakeFirst();
}

export async function kvDeleteIfExpired(db: Db, key: string, nowMs: number): Promise<void> {
  await db.deleteFrom("fed_kv").where("key", "=", key).where("expires_at", "<=", nowMs).execute();
}

export async function kvPut(db: Db, row: { key: string; value: string; expires_at: number | null }): Promise<void> {
  await db.insertInto("fed_kv").values(row).onConflict((oc) => oc.column("key").doUpdateSet({ value: row.value, expires_at: row.expires_at })).execute();
}

export async function kvDelete(db: Db, key: string): Promise<void> {
  await db.deleteFrom("fed_kv").where("key", "=", key).execute();
}

/** Live entries whose key is `exact` or starts with `prefix` (both JSON text), in key order; every live entry without them. */
export async function kvList(db: Db, nowMs: number, match?: { exact: string; prefix: string }): Promise<Array<{ key: string; value: string }>> {
  let q = db.selectFrom("fed_kv").select(["key", "value"]).where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", nowMs)]));
  if (match) q = q.where((eb) => eb.or([eb("key", "=", match.exact), sql<boolean>`substr(${eb.ref("key")}, 1, ${match.prefix.length}) = ${match.prefix}`]));
  return q.orderBy("key").execute();
}

export async function kvPurgeExpired(db: Db, nowMs: number): Promise<number> {
  const r = await db.deleteFrom("fed_kv").where("expires_at", "<=", nowMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- message queue: due time, lease, optional ordering key; times in epoch ms ----

export async function queueInsert(db: Db, rows: Array<{ message: string; ordering_key: string | null; run_at: number; locked_until: null; created_at: number }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto("fed_queue").values(rows.slice(i, i + 200)).execute();
}

export async function queueDepth(db: Db, nowMs: number): Promise<{ queued: number; ready: number }> {
  const r = await db.selectFrom("fed_queue")
    .select((eb) => [eb.fn.countAll<number>().as("queued"), sql<number>`coalesce(sum(case when run_at <= ${nowMs} then 1 else 0 end), 0)`.as("ready")])
    .executeTakeFirstOrThrow();
  return { queued: Number(r.queued), ready: Number(r.ready) };
}

/** Atomically leases the next due message whose ordering key has no earlier message pending. */
export async function queueClaim(db: Db, nowMs: number, leaseMs: number): Promise<{ id: number; message: string } | undefined> {
  const r = await sql<{ id: number; message: string }>`update fed_queue set locked_until = ${nowMs + leaseMs}
    where id = (
      select q.id from fed_queue q
      where q.run_at <= ${nowMs} and (q.locked_until is null or q.locked_until <= ${nowMs})
        and (q.ordering_key is null or not exists (select 1 from fed_queue p where p.ordering_key = q.ordering_key and p.id < q.id))
      order by q.run_at, q.id limit 1)
    and (locked_until is null or locked_until <= ${nowMs})
    returning id, message`.execute(db);
  return r.rows[0];
}

export async function queueDelete(db: Db, id: number): Promise<void> {
  await db.deleteFrom("fed_queue").where("id", "=", id).execute();
}
