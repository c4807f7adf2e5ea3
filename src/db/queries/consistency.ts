/**
 * A consistency check of the whole database: SQLite's integrity check, then the invariants the write paths keep in
 * one transaction — each offer has its search row, tags and tag counts agree, every signup has its steps and its
 * one hand-over in the outbox, nothing points at a row that is gone. `npm run cli -- check` prints it; the fuzz
 * and crash tests run it after their attacks. Each entry names what is wrong and how many rows are concerned.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";

export type ConsistencyProblem = { check: string; rows: number };

/** Counts of rows that violate an invariant, one query each (0 = holds). */
const INVARIANTS: Array<[check: string, query: ReturnType<typeof sql<{ n: number }>>]> = [
  ["listed offers without their full-text row", sql`select count(*) as n from offers where listed = 1 and seq not in (select rowid from offers_fts)`],
  ["unlisted offers with a full-text row or tags (search would find them)", sql`select count(*) as n from offers
      where listed = 0 and (seq in (select rowid from offers_fts) or seq in (select offer_seq from offer_tags))`],
  ["listed offers of providers that are not listed", sql`select count(*) as n from offers o join providers p on p.id = o.provider_id where o.listed = 1 and p.listed = 0`],
  ["full-text rows without their offer", sql`select count(*) as n from offers_fts where rowid not in (select seq from offers)`],
  ["tags of offers that are gone", sql`select count(*) as n from offer_tags where offer_seq not in (select seq from offers)`],
  ["listed offers without tags", sql`select count(*) as n from offers where listed = 1 and seq not in (select offer_seq from offer_tags)`],
  ["tag counts that disagree with the tags", sql`select count(*) as n from (
      select field, value, n from offer_tag_counts
      except select field, value, count(*) from offer_tags group by field, value
    ) union all select count(*) from (
      select field, value, count(*) from offer_tags group by field, value
      except select field, value, n from offer_tag_counts
    )`],
  ["offers of providers that are gone", sql`select count(*) as n from offers where provider_id not in (select id from providers)`],
  ["signups without a step", sql`select count(*) as n from signups s where not exists (select 1 from signup_events e where e.signup_id = s.id)`],
  ["signups whose status is not their last step", sql`select count(*) as n from signups s
      where s.status != (select e.status from signup_events e where e.signup_id = s.id order by e.id desc limit 1)`],
  ["signups without exactly one hand-over in the outbox", sql`select count(*) as n from signups s
      where (select count(*) from outbox o where o.signup_id = s.id and o.type = 'signup.requested') != 1`],
  ["final signups without final_at, or unfinished ones with it", sql`select count(*) as n from signups
      where (status in ('active', 'rejected', 'failed')) != (final_at is not null)`],
  ["signup steps, tokens or outbox events of signups that are gone", sql`select
      (select count(*) from signup_events where signup_id not in (select id from signups))
      + (select count(*) from signup_tokens where signup_id not in (select id from signups))
      + (select count(*) from outbox where signup_id is not null and signup_id not in (select id from signups)) as n`],
  ["outbox events with two rows for one webhook-id", sql`select count(*) as n from (select webhook_id from outbox group by webhook_id having count(*) > 1)`],
  ["delivered or finished outbox events without done_at", sql`select count(*) as n from outbox where status != 'pending' and done_at is null`],
];

/** Every broken invariant with how many rows break it; empty when the database is consistent. */
export async function consistencyProblems(db: Db): Promise<ConsistencyProblem[]> {
  const out: ConsistencyProblem[] = [];
  // SQLite 3.45's FTS5 integrity check trusts the index structure an earlier check cached on this connection; when
  // another connection has changed the index since, it reports "malformed inverted index" for a sound database. Any
  // read of the table reloads the structure (test/integration/consistency.test.ts).
  await sql`select count(*) as n from offers_fts`.execute(db);
  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  const messages = integrity.rows.map((r) => Object.values(r)[0]);
  if (!(messages.length === 1 && messages[0] === "ok")) out.push({ check: `integrity_check: ${messages.slice(0, 5).join("; ")}`, rows: messages.length });
  for (const [check, query] of INVARIANTS) {
    const r = await query.execute(db);
    const rows = r.rows.reduce((sum, row) => sum + Number(row.n), 0);
    if (rows > 0) out.push({ check, rows });
  }
  return out;
}

/** Row counts the public API's totals must equal: listed offers; listed providers, federated ones excluded. */
export async function catalogRowCounts(db: Db): Promise<{ offers: number; localProviders: number }> {
  const r = await sql<{ offers: number; providers: number }>`select
    (select count(*) from offers where listed = 1) as offers, (select count(*) from providers where source != 'federated' and listed = 1) as providers`.execute(db);
  return { offers: Number(r.rows[0].offers), localProviders: Number(r.rows[0].providers) };
}
