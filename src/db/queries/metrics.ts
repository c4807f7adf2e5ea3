/** What /metrics reads from the database when scraped: queues, outcomes, states, counts (one grouped query each). */
import { sql } from "kysely";
import type { Db } from "../client.ts";

export type OperationalCounts = {
  outboxPending: Array<{ type: string; n: number; oldest: number | null }>;
  outboxByStatus: Array<{ type: string; status: string; n: number }>;
  attempts: Array<{ outcome: string; n: number }>;
  sourcesByState: Array<{ state: string; n: number }>;
  sourcesByLastStatus: Array<{ status: string; n: number }>;
  fedQueue: { n: number; oldest: number | null };
  unpublishedChanges: number;
  signupsByStatus: Array<{ status: string; n: number }>;
  offers: Array<{ listed: number; n: number }>;
  providers: Array<{ state: string; n: number }>;
  reportsOpen: number;
};

export async function operationalCounts(db: Db): Promise<OperationalCounts> {
  const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows;
  const outboxPending = await rows(sql<{ type: string; n: number; oldest: number | null }>`select type, count(*) as n, min(created_at) as oldest from outbox where status = 'pending' group by type`);
  const outboxByStatus = await rows(sql<{ type: string; status: string; n: number }>`select type, status, count(*) as n from outbox group by type, status`);
  const attempts = await rows(sql<{ outcome: string; n: number }>`select outcome, count(*) as n from delivery_attempts group by outcome`);
  const sourcesByState = await rows(sql<{ state: string; n: number }>`select state, count(*) as n from provider_sources group by state`);
  const sourcesByLastStatus = await rows(sql<{ status: string; n: number }>`select coalesce(last_status, 'never') as status, count(*) as n from provider_sources group by 1`);
  const [fedQueue] = await rows(sql<{ n: number; oldest: number | null }>`select count(*) as n, min(created_at) as oldest from fed_queue`);
  const [unpublished] = await rows(sql<{ n: number }>`select count(*) as n from offer_changes where published_at is null`);
  const signupsByStatus = await rows(sql<{ status: string; n: number }>`select status, count(*) as n from signups group by status`);
  const offers = await rows(sql<{ listed: number; n: number }>`select listed, count(*) as n from offers group by listed`);
  const providers = await rows(sql<{ state: string; n: number }>`select case when deleted_at is not null then 'gone' when hidden_at is not null then 'hidden'
      when listed = 1 then 'listed' else 'waiting-for-review' end as state, count(*) as n from providers where source != 'federated' group by 1`);
  const [reports] = await rows(sql<{ n: number }>`select count(*) as n from reports where status = 'open'`);
  const n = <T extends { n: number }>(x: T): T => ({ ...x, n: Number(x.n) });
  return {
    outboxPending: outboxPending.map((r) => ({ ...n(r), oldest: r.oldest === null ? null : Number(r.oldest) })),
    outboxByStatus: outboxByStatus.map(n), attempts: attempts.map(n), sourcesByState: sourcesByState.map(n), sourcesByLastStatus: sourcesByLastStatus.map(n),
    fedQueue: { n: Number(fedQueue.n), oldest: fedQueue.oldest === null ? null : Number(fedQueue.oldest) },
    unpublishedChanges: Number(unpublished.n), signupsByStatus: signupsByStatus.map(n), offers: offers.map((r) => ({ listed: Number(r.listed), n: Number(r.n) })),
    providers: providers.map(n), reportsOpen: Number(reports.n),
  };
}
