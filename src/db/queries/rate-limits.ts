/** Rate-limit counters: fixed windows in the database, so every instance (and every Worker isolate) shares them. */
import { sql } from "kysely";
import type { Db } from "../client.ts";

/** Counts one hit on each key in its current window (one statement); returns each count and when its window ends. */
export async function hitRateLimits(db: Db, hits: Array<{ key: string; windowMs: number }>, nowMs: number): Promise<Array<{ count: number; resetAt: number }>> {
  const rows = hits.map((h) => sql`(${h.key}, ${Math.floor(nowMs / h.windowMs) * h.windowMs}, ${h.windowMs}, 1)`);
  const r = await sql<{ key: string; count: number; window_start: number; window_ms: number }>`
    insert into rate_limits (key, window_start, window_ms, count) values ${sql.join(rows)}
    on conflict (key) do update set
      count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end,
      window_start = excluded.window_start, window_ms = excluded.window_ms
    returning key, count, window_start, window_ms`.execute(db);
  const byKey = new Map(r.rows.map((row) => [row.key, row]));
  return hits.map((h) => {
    const row = byKey.get(h.key)!;
    return { count: Number(row.count), resetAt: Number(row.window_start) + Number(row.window_ms) };
  });
}

export async function deleteExpiredRateLimits(db: Db, nowMs: number): Promise<void> {
  await db.deleteFrom("rate_limits").where(sql<boolean>`window_start + window_ms <= ${nowMs}`).execute();
}
