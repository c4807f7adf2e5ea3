/**
 * One delivery round: claim due outbox events (lease), deliver each through its provider's adapter (Standard
 * Webhooks or Nextcloud), then record the attempt and move the signup — in one transaction, fenced by the lease.
 */
import type { Db } from "../../db/client.ts";
import type { OutboxRow, SignupRow } from "../../db/database.ts";
import { disableWebhook, findNextcloud, findWebhook } from "../../db/queries/destinations.ts";
import { finishAttempt, killPendingForProvider } from "../../db/queries/outbox.ts";
import { addSignupEvent, findSignup, setSignupStatus } from "../../db/queries/signups.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import { requestNextcloudAccount } from "../../delivery/nextcloud.ts";
import { claimDue, retryDelay, type Claim } from "../../delivery/outbox.ts";
import { postWebhook, type DeliveryOutcome } from "../../delivery/webhooks.ts";
import type { Config } from "../../config.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { iso } from "../../lib/time.ts";

export type DeliveryDeps = {
  db: Db; http: SafeFetch; clock: Clock; log: Logger;
  config: Pick<Config, "publicUrl" | "webhookRetrySchedule" | "webhookRetryRepeat" | "signupRetentionMs">;
};
/** `timeoutMs` (default 10 s, api.md) is shortened only by tests. */
export type RoundOptions = { limit?: number; leaseMs?: number; random?: () => number; timeoutMs?: number };
export type RoundStats = { claimed: number; delivered: number; retried: number; rejected: number; dead: number };

/** The JSON body of `signup.requested` (api.md). Built from the signup at each attempt, so no copy of personal data sits in the outbox. */
export function signupRequestedBody(s: SignupRow, createdAtMs: number, publicUrl: string): string {
  return JSON.stringify({
    type: "signup.requested",
    timestamp: iso(createdAtMs),
    data: {
      signupId: s.id, offerId: s.offer_id, service: s.service,
      account: { email: s.email, name: s.name, username: s.username, locale: s.locale },
      message: s.message,
      callbackUrl: `${publicUrl}/api/v1/signups/${s.id}/events`,
    },
  });
}

type Attempt = { outcome: DeliveryOutcome; signup?: SignupRow; mode?: string; loginUrl?: string };

async function attempt(deps: DeliveryDeps, e: OutboxRow, nowMs: number, timeoutMs?: number): Promise<Attempt> {
  const signup = e.signup_id ? await findSignup(deps.db, e.signup_id) : undefined;
  if (!signup || signup.email === null) return { outcome: { kind: "rejected", status: 0, error: "the signup's data is no longer available" } };
  if (signup.mode === "nextcloud") {
    const nc = await findNextcloud(deps.db, e.provider_id);
    if (!nc || nc.disabled_at) return { signup, outcome: { kind: "rejected", status: 0, error: "the provider has no Nextcloud endpoint configured" } };
    return { signup, mode: "nextcloud", loginUrl: nc.url, outcome: await requestNextcloudAccount(deps.http, nc, signup.email, timeoutMs) };
  }
  const wh = await findWebhook(deps.db, e.provider_id);
  if (!wh || wh.disabled_at) return { signup, outcome: { kind: "rejected", status: 0, error: `the provider's webhook is ${wh ? "disabled" : "not configured"}` } };
  const body = signupRequestedBody(signup, e.created_at, deps.config.publicUrl);
  return { signup, mode: "webhook", outcome: await postWebhook(deps.http, wh, { id: e.webhook_id, body }, nowMs, timeoutMs) };
}

const at = iso;

async function settle(deps: DeliveryDeps, claim: Claim, a: Attempt, startedMs: number, random: () => number): Promise<keyof Omit<RoundStats, "claimed"> | "lost"> {
  const now = deps.clock.now();
  const o = a.outcome;
  const rec = { outcome: o.kind, httpStatus: "status" in o && o.status ? o.status : undefined, error: "error" in o ? o.error : undefined, durationMs: Math.max(0, now - startedMs) };
  let next: "delivered" | "rejected" | "dead" | number;
  if (o.kind === "delivered") next = "delivered";
  else if (o.kind === "retry") {
    const delay = retryDelay(deps.config.webhookRetrySchedule, deps.config.webhookRetryRepeat, claim.attempts, now - claim.created_at, random);
    next = delay === undefined ? "dead" : now + delay;
  } else next = "rejected";

  const id = claim.signup_id;
  const kept = await deps.db.transaction().execute(async (trx) => {
    if (!(await finishAttempt(trx, claim, now, next, rec))) return false;
    if (!id) return true;
    const live = ["pending", "delivered", "provisioning"];
    if (next === "delivered") {
      await addSignupEvent(trx, id, "delivered", at(now));
      await setSignupStatus(trx, id, "delivered", at(now), { onlyFrom: ["pending"] });
      if (a.mode === "nextcloud") {
        // Nextcloud created the account and emailed a set-password link: nothing more will be reported.
        if (await setSignupStatus(trx, id, "active", at(now), { final: true, onlyFrom: live, loginUrl: a.loginUrl })) {
          await addSignupEvent(trx, id, "active", at(now), "Check your email for the link to set your password.");
        }
      }
    } else if (next === "dead") {
      if (await setSignupStatus(trx, id, "failed", at(now), { final: true, onlyFrom: live })) {
        await addSignupEvent(trx, id, "failed", at(now), "The provider could not be reached.");
      }
    } else if (next === "rejected") {
      const gone = o.kind === "gone";
      if (gone) {
        await disableWebhook(trx, claim.provider_id, o.error, at(now));
        for (const other of await killPendingForProvider(trx, claim.provider_id, now, "webhook endpoint disabled (410 Gone)")) {
          if (await setSignupStatus(trx, other, "failed", at(now), { final: true, onlyFrom: live })) await addSignupEvent(trx, other, "failed", at(now), "The provider's signup endpoint is gone.");
        }
      }
      const status = gone || rec.httpStatus === undefined ? "failed" : "rejected";
      if (await setSignupStatus(trx, id, status, at(now), { final: true, onlyFrom: live })) {
        await addSignupEvent(trx, id, status, at(now), gone ? "The provider's signup endpoint is gone." : status === "rejected" ? "The provider declined the request." : "The signup could not be delivered.");
      }
    }
    return true;
  });
  if (!kept) return "lost";
  return next === "delivered" ? "delivered" : next === "dead" ? "dead" : next === "rejected" ? "rejected" : "retried";
}

export type DeliveryResult = keyof Omit<RoundStats, "claimed"> | "lost" | "error";

/** Delivers one claimed event and records the result. Never throws: on an unexpected error the lease runs out and a later round retries. */
export async function deliverClaim(deps: DeliveryDeps, claim: Claim, opts: RoundOptions = {}): Promise<DeliveryResult> {
  const started = deps.clock.now();
  try {
    const result = await settle(deps, claim, await attempt(deps, claim, started, opts.timeoutMs), started, opts.random ?? Math.random);
    if (result === "lost") deps.log.warn("delivery lease lost; a newer attempt owns the event", { webhookId: claim.webhook_id });
    return result;
  } catch (e) {
    deps.log.error("delivery failed unexpectedly", { webhookId: claim.webhook_id, error: e instanceof Error ? e.message : String(e) });
    return "error";
  }
}

/** Claims and delivers up to `limit` due events concurrently, waiting for all of them. Safe to run from several workers at once. */
export async function runDeliveryRound(deps: DeliveryDeps, opts: RoundOptions = {}): Promise<RoundStats> {
  const claims = await claimDue(deps.db, deps.clock.now(), { limit: opts.limit, leaseMs: opts.leaseMs });
  const stats: RoundStats = { claimed: claims.length, delivered: 0, retried: 0, rejected: 0, dead: 0 };
  for (const result of await Promise.all(claims.map((claim) => deliverClaim(deps, claim, opts)))) {
    if (result !== "lost" && result !== "error") stats[result]++;
  }
  return stats;
}
