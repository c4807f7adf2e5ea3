/**
 * One delivery round: claim due outbox events (lease), deliver each — a signup through its provider's adapter
 * (Standard Webhooks or Nextcloud), a follow-up email through the mailer — then record the attempt and move the
 * signup (transitions.ts) in one transaction, fenced by the lease.
 */
import type { Db } from "../../db/client.ts";
import type { OutboxRow, SignupRow } from "../../db/database.ts";
import { disableWebhook, findNextcloud, findWebhook } from "../../db/queries/destinations.ts";
import { attemptOutcomes, finishAttempt, killPendingForProvider } from "../../db/queries/outbox.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { addSignupEvent, addSignupToken, findSignup, signupEvents } from "../../db/queries/signups.ts";
import type { Mailer } from "../../delivery/mail.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import { requestNextcloudAccount } from "../../delivery/nextcloud.ts";
import { claimDue, RETRY_HORIZON_MS, retryDelay, type Claim } from "../../delivery/outbox.ts";
import { postWebhook, type DeliveryOutcome } from "../../delivery/webhooks.ts";
import type { Config } from "../../config.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { randomToken } from "../../lib/ids.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { destinationsChanged } from "../catalog/offers.ts";
import { MAIL_PROVIDER_SIGNIN, sendSigninMail } from "../providers/signin.ts";
import { offerById } from "../catalog/views.ts";
import { composeSignupMail } from "./mail.ts";
import { directoryMessage, HANDOVER_STATUS, isMailEvent, LIVE, MAIL_ACCEPTED, moveSignup, PROVIDER_DELIVERIES, SIGNUP_HANDOVER } from "./transitions.ts";
import { handoverBody, settleHandover, statusSnapshot } from "./handover.ts";
import { postSigned, type HandoverOutcome, type SignedPost } from "../../delivery/handover.ts";

export type DeliveryDeps = {
  db: Db; http: SafeFetch; clock: Clock; log: Logger;
  /** Sends the people's follow-up emails; absent = mail is off (no mail events are queued then). */
  mailer?: Mailer;
  /** Signed POSTs as this directory's actor (hand-overs and their status reports); absent without federation. */
  signedPost?: SignedPost;
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

type Attempt = { outcome: DeliveryOutcome | HandoverOutcome; signup?: SignupRow; mode?: string; loginUrl?: string };

const rejected = (error: string): DeliveryOutcome => ({ kind: "rejected", status: 0, error });

/** One attempt of a claimed event: a signup to its provider (webhook or Nextcloud), or a follow-up email. */
async function attempt(deps: DeliveryDeps, e: OutboxRow, nowMs: number, timeoutMs?: number): Promise<Attempt> {
  if (e.type === MAIL_PROVIDER_SIGNIN) return { outcome: await sendSigninMail(deps, e) };
  const signup = e.signup_id ? await findSignup(deps.db, e.signup_id) : undefined;
  // A status report carries no personal data: it is sent even after the purge.
  if (signup && e.type === HANDOVER_STATUS) {
    if (!deps.signedPost || !signup.callback_url) return { signup, outcome: rejected("federation is not available to report the status") };
    return { signup, outcome: await postSigned(deps.signedPost, signup.callback_url, JSON.stringify(await statusSnapshot(deps.db, signup)), {}, timeoutMs) };
  }
  if (!signup || signup.email === null) return { outcome: rejected("the signup's data is no longer available") };
  if (isMailEvent(e.type)) return { signup, outcome: await sendSignupMail(deps, e, signup) };
  if (e.type === SIGNUP_HANDOVER) {
    if (!deps.signedPost || !signup.handover_url) return { signup, outcome: rejected("federation is not available to hand the signup over") };
    const body = JSON.stringify(handoverBody(signup, deps.config.publicUrl));
    return { signup, mode: "handover", outcome: await postSigned(deps.signedPost, signup.handover_url, body, { "idempotency-key": signup.id }, timeoutMs) };
  }
  if (signup.mode === "nextcloud") {
    const nc = await findNextcloud(deps.db, e.provider_id);
    if (!nc || nc.disabled_at) return { signup, outcome: rejected("the provider has no Nextcloud endpoint configured") };
    let outcome = await requestNextcloudAccount(deps.http, nc, signup.email, nowMs, timeoutMs);
    // "user already exists" after an attempt whose answer never came (timeout, connection lost, 5xx): that earlier
    // request created the account — it is delivered, not refused. On a first attempt the person already had one.
    if (outcome.kind === "rejected" && outcome.reason === "user-exists" && (await attemptOutcomes(deps.db, e.id)).includes("retry")) {
      outcome = { kind: "delivered", status: outcome.status, note: "existing" };
    }
    return { signup, mode: "nextcloud", loginUrl: nc.url, outcome };
  }
  const wh = await findWebhook(deps.db, e.provider_id);
  if (!wh || wh.disabled_at) return { signup, outcome: rejected(`the provider's webhook is ${wh ? "disabled" : "not configured"}`) };
  const body = signupRequestedBody(signup, e.created_at, deps.config.publicUrl);
  return { signup, mode: "webhook", outcome: await postWebhook(deps.http, wh, { id: e.webhook_id, body }, nowMs, timeoutMs) };
}

/** Composes and sends the person's email for `e`, with a fresh status token (tokens are stored hashed only). */
async function sendSignupMail(deps: DeliveryDeps, e: OutboxRow, signup: SignupRow): Promise<DeliveryOutcome> {
  if (!deps.mailer) return rejected("mail is not configured on this directory");
  const provider = await findProviderById(deps.db, signup.provider_id);
  const offer = await offerById(deps.db, signup.offer_id, deps.clock.now());
  const token = randomToken(32, "st_");
  await addSignupToken(deps.db, signup.id, await sha256Hex(token));
  const lastMessage = (await signupEvents(deps.db, signup.id)).filter((ev) => ev.status === signup.status && ev.message && !ev.message.startsWith("directory:")).pop()?.message ?? undefined;
  const message = composeSignupMail(e.type === MAIL_ACCEPTED ? "accepted" : "final", signup, token, {
    publicUrl: deps.config.publicUrl, retentionDays: Math.max(1, Math.round(deps.config.signupRetentionMs / DAY_MS)),
    offer, provider: { name: provider?.name ?? signup.provider_id.toString(), website: provider?.website ?? deps.config.publicUrl }, lastMessage,
  }, `<${e.webhook_id}@${new URL(deps.config.publicUrl).hostname}>`);
  return deps.mailer.send(message);
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
    // A receiver's Retry-After (429/503) is honoured: the next attempt is never earlier than it asks. One that asks
    // for more than the retry horizon (3 days after the event) will not be waited for: the event is dead.
    const asked = o.retryAfterMs === undefined || delay === undefined ? undefined : now + Math.max(delay, o.retryAfterMs);
    next = delay === undefined ? "dead" : asked === undefined ? now + delay : asked > claim.created_at + RETRY_HORIZON_MS ? "dead" : asked;
  } else next = "rejected";

  const id = claim.signup_id;
  // An email's or a status report's outcome is its own: the signup it follows does not move.
  const isReport = isMailEvent(claim.type) || claim.type === HANDOVER_STATUS;
  const ctx = { nowMs: now, mail: deps.mailer !== undefined };
  const kept = await deps.db.transaction().execute(async (trx) => {
    if (!(await finishAttempt(trx, claim, now, next, rec))) return false;
    if (!id || isReport) return true;
    const signup = { id, providerId: claim.provider_id };
    if (claim.type === SIGNUP_HANDOVER) {
      await settleHandover(trx, signup, next, o as HandoverOutcome, ctx);
      return true;
    }
    if (next === "delivered") {
      // As preferred_providers works: the account exists now, Nextcloud has mailed a confirm-your-address link
      // (unconfirmed accounts are disabled after 6 hours) and its background job mails the set-password link a few
      // minutes later. Nothing more will be reported to us: the directory's part is done.
      const nextcloud = a.mode === "nextcloud" ? directoryMessage(o.kind === "delivered" && o.note === "existing" ? "nextcloud-existing" : "nextcloud-verify") : undefined;
      if (!(await moveSignup(trx, signup, { status: "delivered", from: ["pending"], message: nextcloud }, ctx))) await addSignupEvent(trx, id, "delivered", at(now), nextcloud);
      if (a.mode === "nextcloud") {
        await moveSignup(trx, signup, { status: "active", from: LIVE, loginUrl: a.loginUrl, message: directoryMessage("nextcloud-password") }, ctx);
      }
    } else if (next === "dead") {
      await moveSignup(trx, signup, { status: "failed", from: LIVE, message: directoryMessage("unreachable") }, ctx);
    } else if (next === "rejected") {
      const gone = o.kind === "gone";
      if (gone) {
        await disableWebhook(trx, claim.provider_id, o.error, at(now));
        const provider = await findProviderById(trx, claim.provider_id);
        if (provider) await destinationsChanged(trx, provider, ["webhook"], at(now)); // its offers no longer take signups
        for (const other of await killPendingForProvider(trx, claim.provider_id, PROVIDER_DELIVERIES, now, "webhook endpoint disabled (410 Gone)")) {
          await moveSignup(trx, { id: other, providerId: claim.provider_id }, { status: "failed", from: LIVE, message: directoryMessage("gone") }, ctx);
        }
      }
      const status = gone || rec.httpStatus === undefined ? "failed" : "rejected";
      const why = gone ? "gone" : o.kind === "rejected" && o.reason === "user-exists" ? "nextcloud-taken" : status === "rejected" ? "declined" : "undeliverable";
      await moveSignup(trx, signup, { status, from: LIVE, message: directoryMessage(why) }, ctx);
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
