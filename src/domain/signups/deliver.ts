/**
 * One delivery round: claim due outbox events (lease), deliver each — a signup through its provider's adapter
 * (Standard Webhooks or Nextcloud), a follow-up email through the mailer — then record the attempt and move the
 * signup (transitions.ts) in one transaction, fenced by the lease.
 */
import type { Db } from "../../db/client.ts";
import type { OutboxRow, SignupRow } from "../../db/database.ts";
import { disableWebhook, findNextcloud, findWebhook } from "../../db/queries/destinations.ts";
import { finishAttempt, killPendingForProvider } from "../../db/queries/outbox.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { addSignupEvent, addSignupToken, findSignup, signupEvents } from "../../db/queries/signups.ts";
import type { Mailer } from "../../delivery/mail.ts";
import type { SafeFetch } from "../../delivery/net.ts";
import { requestNextcloudAccount } from "../../delivery/nextcloud.ts";
import { claimDue, retryDelay, type Claim } from "../../delivery/outbox.ts";
import { postWebhook, type DeliveryOutcome } from "../../delivery/webhooks.ts";
import type { Config } from "../../config.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { randomToken } from "../../lib/ids.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { reindexProvider } from "../catalog/offers.ts";
import { MAIL_PROVIDER_SIGNIN, sendSigninMail } from "../providers/signin.ts";
import { offerById } from "../catalog/views.ts";
import { composeSignupMail } from "./mail.ts";
import { directoryMessage, isMailEvent, LIVE, MAIL_ACCEPTED, moveSignup, PROVIDER_DELIVERIES } from "./transitions.ts";

export type DeliveryDeps = {
  db: Db; http: SafeFetch; clock: Clock; log: Logger;
  /** Sends the people's follow-up emails; absent = mail is off (no mail events are queued then). */
  mailer?: Mailer;
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

const rejected = (error: string): DeliveryOutcome => ({ kind: "rejected", status: 0, error });

/** One attempt of a claimed event: a signup to its provider (webhook or Nextcloud), or a follow-up email. */
async function attempt(deps: DeliveryDeps, e: OutboxRow, nowMs: number, timeoutMs?: number): Promise<Attempt> {
  if (e.type === MAIL_PROVIDER_SIGNIN) return { outcome: await sendSigninMail(deps, e) };
  const signup = e.signup_id ? await findSignup(deps.db, e.signup_id) : undefined;
  if (!signup || signup.email === null) return { outcome: rejected("the signup's data is no longer available") };
  if (isMailEvent(e.type)) return { signup, outcome: await sendSignupMail(deps, e, signup) };
  if (signup.mode === "nextcloud") {
    const nc = await findNextcloud(deps.db, e.provider_id);
    if (!nc || nc.disabled_at) return { signup, outcome: rejected("the provider has no Nextcloud endpoint configured") };
    return { signup, mode: "nextcloud", loginUrl: nc.url, outcome: await requestNextcloudAccount(deps.http, nc, signup.email, timeoutMs) };
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
    next = delay === undefined ? "dead" : now + delay;
  } else next = "rejected";

  const id = claim.signup_id;
  const isMail = isMailEvent(claim.type);
  const ctx = { nowMs: now, mail: deps.mailer !== undefined };
  const kept = await deps.db.transaction().execute(async (trx) => {
    if (!(await finishAttempt(trx, claim, now, next, rec))) return false;
    // An email's outcome is the email's: the signup it follows does not move.
    if (!id || isMail) return true;
    const signup = { id, providerId: claim.provider_id };
    if (next === "delivered") {
      if (!(await moveSignup(trx, signup, { status: "delivered", from: ["pending"] }, ctx))) await addSignupEvent(trx, id, "delivered", at(now));
      if (a.mode === "nextcloud") {
        // Nextcloud created the account and emailed a set-password link: nothing more will be reported.
        await moveSignup(trx, signup, { status: "active", from: LIVE, loginUrl: a.loginUrl, message: directoryMessage("nextcloud-email") }, ctx);
      }
    } else if (next === "dead") {
      await moveSignup(trx, signup, { status: "failed", from: LIVE, message: directoryMessage("unreachable") }, ctx);
    } else if (next === "rejected") {
      const gone = o.kind === "gone";
      if (gone) {
        await disableWebhook(trx, claim.provider_id, o.error, at(now));
        const provider = await findProviderById(trx, claim.provider_id);
        if (provider) await reindexProvider(trx, provider); // its offers no longer take signups
        for (const other of await killPendingForProvider(trx, claim.provider_id, PROVIDER_DELIVERIES, now, "webhook endpoint disabled (410 Gone)")) {
          await moveSignup(trx, { id: other, providerId: claim.provider_id }, { status: "failed", from: LIVE, message: directoryMessage("gone") }, ctx);
        }
      }
      const status = gone || rec.httpStatus === undefined ? "failed" : "rejected";
      await moveSignup(trx, signup, { status, from: LIVE, message: directoryMessage(gone ? "gone" : status === "rejected" ? "declined" : "undeliverable") }, ctx);
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
