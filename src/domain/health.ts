/**
 * What the directory reports about itself: /healthz (the database, each background loop) and the families of
 * /metrics computed from the database when scraped (docs/decisions/0033).
 */
import type { Db } from "../db/client.ts";
import { operationalCounts } from "../db/queries/metrics.ts";
import { pingDatabase } from "../db/queries/meta.ts";
import type { LoopMonitor, LoopState } from "../lib/loops.ts";
import type { Family } from "../lib/metrics.ts";

/** Undefined when the database answers; the error otherwise. */
export async function databaseProblem(db: Db): Promise<string | undefined> {
  try {
    await pingDatabase(db);
    return undefined;
  } catch (e) {
    return String(e);
  }
}

export type Health = { status: "ok" | "degraded"; db: "ok" | "unreachable"; loops: Record<string, LoopState> };

/** `degraded` (and 503) when the database does not answer or a background loop is stuck. */
export async function health(db: Db, loops: LoopMonitor | undefined): Promise<Health & { problem?: string }> {
  const problem = await databaseProblem(db);
  const states = loops?.snapshot() ?? {};
  const stuck = Object.values(states).some((l) => l.stuck);
  return { status: problem || stuck ? "degraded" : "ok", db: problem ? "unreachable" : "ok", loops: states, ...(problem ? { problem } : {}) };
}

/** The families of /metrics read from the database: queues and their oldest entry, outcomes, states, counts. */
export async function operationalFamilies(db: Db, nowMs: number): Promise<Family[]> {
  const c = await operationalCounts(db);
  const age = (oldest: number | null) => (oldest === null ? 0 : Math.max(0, (nowMs - oldest) / 1000));
  return [
    { name: "chatons_outbox_depth", type: "gauge", help: "Outbox events waiting for delivery (webhooks, Nextcloud, mail, hand-overs), by type.",
      samples: c.outboxPending.map((r) => ({ labels: { type: r.type }, value: r.n })) },
    { name: "chatons_outbox_oldest_age_seconds", type: "gauge", help: "Age of the oldest outbox event waiting for delivery, by type.",
      samples: c.outboxPending.map((r) => ({ labels: { type: r.type }, value: age(r.oldest) })) },
    { name: "chatons_outbox_events", type: "gauge", help: "Outbox events kept, by type and outcome (pending, delivered, rejected, dead).",
      samples: c.outboxByStatus.map((r) => ({ labels: { type: r.type, status: r.status }, value: r.n })) },
    { name: "chatons_delivery_attempts_total", type: "counter", help: "Delivery attempts recorded, by outcome (stored with their outbox events).",
      samples: c.attempts.map((r) => ({ labels: { outcome: r.outcome }, value: r.n })) },
    { name: "chatons_sources", type: "gauge", help: "Pull sources by health state (healthy, degraded, unhealthy, dormant).",
      samples: c.sourcesByState.map((r) => ({ labels: { state: r.state }, value: r.n })) },
    { name: "chatons_source_last_crawl", type: "gauge", help: "Pull sources by the result of their last crawl (updated, not-modified, degraded, failed, never).",
      samples: c.sourcesByLastStatus.map((r) => ({ labels: { status: r.status }, value: r.n })) },
    { name: "chatons_federation_queue_depth", type: "gauge", help: "ActivityPub messages waiting in the federation queue (deliveries and inbox work).", samples: [{ value: c.fedQueue.n }] },
    { name: "chatons_federation_queue_oldest_age_seconds", type: "gauge", help: "Age of the oldest message in the federation queue.", samples: [{ value: age(c.fedQueue.oldest) }] },
    { name: "chatons_federation_unpublished_changes", type: "gauge", help: "Offer changes the federation publisher has not sent yet.", samples: [{ value: c.unpublishedChanges }] },
    { name: "chatons_signups", type: "gauge", help: "Signups by status.", samples: c.signupsByStatus.map((r) => ({ labels: { status: r.status }, value: r.n })) },
    { name: "chatons_offers", type: "gauge", help: "Offers in the catalog, by whether the public sees them.",
      samples: c.offers.map((r) => ({ labels: { listed: r.listed === 1 ? "true" : "false" }, value: r.n })) },
    { name: "chatons_providers", type: "gauge", help: "Local providers by listing state (listed, waiting-for-review, hidden, gone).",
      samples: c.providers.map((r) => ({ labels: { state: r.state }, value: r.n })) },
    { name: "chatons_reports_open", type: "gauge", help: "Reports people sent that no operator closed yet.", samples: [{ value: c.reportsOpen }] },
  ];
}
