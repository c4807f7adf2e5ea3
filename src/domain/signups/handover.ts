/**
 * Signups handed over between directories (docs/federated-signups.md). On the directory where the person signed up
 * (B): what is sent to the offer's directory, what its answer does to the signup, how its status reports are applied.
 * On the offer's directory (A): taking a hand-over in, and the status snapshot it reports back. Signing and verifying
 * are the federation's; these functions get the verified actor.
 */
import type { Db } from "../../db/client.ts";
import type { SignupRow } from "../../db/database.ts";
import { federatesWith, isBlockedHost } from "../../db/queries/federation.ts";
import { addSignupEvent, findSignup, setSignupRemoteId, signupEvents } from "../../db/queries/signups.ts";
import type { HandoverOutcome } from "../../delivery/handover.ts";
import { iso } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import { createSignup } from "./create.ts";
import type { Rate } from "./ratelimit.ts";
import type { HandoverRequest, HandoverStatus } from "./schemas.ts";
import { DIRECTORY_MESSAGES, directoryMessage, LIVE, moveSignup, type MoveContext } from "./transitions.ts";

/** Where a directory takes status reports for the signups it handed over. */
export const statusCallbackUrl = (publicUrl: string, signupId: string) => `${publicUrl}/api/v1/federation/signups/${encodeURIComponent(signupId)}/status`;

/** B → A: the hand-over request, built from the signup at each attempt (no copy of personal data waits in the outbox). */
export function handoverBody(s: SignupRow, publicUrl: string): HandoverRequest {
  return {
    offer: s.remote_offer ?? "",
    account: { email: s.email ?? "", name: s.name ?? "", username: s.username, locale: s.locale },
    message: s.message,
    consent: true,
    callbackUrl: statusCallbackUrl(publicUrl, s.id),
  };
}

/**
 * B: what the offer's directory's answer does. Taken: the remote id is kept and a step says so (the signup stays
 * pending until that directory reports the provider has it). Refused for good: the offer takes no signup now
 * ("rejected"), or the directory refused us or no longer has the offer ("failed"). Out of retries: "failed".
 */
export async function settleHandover(trx: Db, signup: { id: string; providerId: number }, next: "delivered" | "rejected" | "dead" | number, o: HandoverOutcome, ctx: MoveContext): Promise<void> {
  if (next === "delivered") {
    if (o.kind === "delivered" && o.remoteId) await setSignupRemoteId(trx, signup.id, o.remoteId);
    await addSignupEvent(trx, signup.id, "pending", iso(ctx.nowMs), directoryMessage("handed-over"));
  } else if (next === "dead") {
    await moveSignup(trx, signup, { status: "failed", from: LIVE, message: directoryMessage("unreachable") }, ctx);
  } else if (next === "rejected") {
    const refusal = o.kind !== "delivered" && "refusal" in o && o.refusal ? o.refusal : "undeliverable";
    await moveSignup(trx, signup, { status: refusal === "remote-closed" ? "rejected" : "failed", from: LIVE, message: directoryMessage(refusal) }, ctx);
  }
}

export type HandoverContext = {
  nowMs: number;
  /** Our public URL: offers are named `<publicUrl>/ap/offers/<id>`. */
  publicUrl: string;
  /** Our directory actor's identifier in the federation tables (its followers are directories we federate with). */
  directoryIdentifier: string;
  limits: { directory: Rate; email: Rate };
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A: takes a signup handed over by the directory `signer` (its actor, verified from the request's signature) for one
 * of our own offers. It must be a directory we federate with and have not blocked; the status callback must be on
 * its origin; the idempotency key (scoped to the signer) makes retries answer the same signup. Rate limited per
 * directory and per email like local signups; the person is not emailed from here (their directory does it).
 */
export async function acceptHandover(db: Db, signer: string, key: string | undefined, req: HandoverRequest, ctx: HandoverContext): Promise<Result<{ id: string; status: string; replayed: boolean }>> {
  const host = new URL(signer).hostname;
  if (await isBlockedHost(db, host)) return fail({ kind: "forbidden", detail: "This directory does not federate with yours (blocked)." });
  if (!(await federatesWith(db, ctx.directoryIdentifier, signer))) return fail({ kind: "forbidden", detail: "This directory does not federate with yours: follow it first." });
  if (!key || !IDEMPOTENCY_KEY.test(key)) return fail({ kind: "invalid", detail: "An Idempotency-Key header is required.", errors: [{ path: "Idempotency-Key", message: "must be 1–255 visible ASCII characters" }] });
  if (new URL(req.callbackUrl).origin !== new URL(signer).origin) {
    return fail({ kind: "invalid", detail: "The status callback must be on the handing directory's origin.", errors: [{ path: "callbackUrl", message: "must be on the same origin as the signing actor" }] });
  }
  const prefix = `${ctx.publicUrl}/ap/offers/`;
  const offerId = req.offer.startsWith(prefix) ? decodeURIComponent(req.offer.slice(prefix.length)) : undefined;
  if (!offerId || offerId.includes("/")) return fail({ kind: "not-found", detail: `No offer ${req.offer} here.` });
  const result = await createSignup(db, {
    offerId, email: req.account.email, name: req.account.name, locale: req.account.locale, consent: true,
    ...(req.account.username ? { username: req.account.username } : {}), ...(req.message ? { message: req.message } : {}),
  }, {
    nowMs: ctx.nowMs, ip: `directory:${signer}`, idempotencyKey: `handover:${signer}:${key}`,
    limits: { ip: ctx.limits.directory, email: ctx.limits.email }, mail: false, handedOverBy: { directory: signer, callbackUrl: req.callbackUrl },
  });
  if (!result.ok) return result;
  return ok({ id: result.value.signup.id, status: result.value.signup.status, replayed: result.value.replayed });
}

/** A: what the handing directory is told — the status, its steps and the login link; nothing about the person. */
export async function statusSnapshot(db: Db, s: SignupRow): Promise<HandoverStatus> {
  const events = (await signupEvents(db, s.id)).map((e) => ({ status: e.status as HandoverStatus["status"], at: e.at, ...(e.message ? { message: e.message } : {}) }));
  return { id: s.id, status: s.status as HandoverStatus["status"], events, ...(s.login_url ? { loginUrl: s.login_url } : {}) };
}

const RANK: Record<string, number> = { pending: 0, delivered: 1, provisioning: 2, active: 3, rejected: 3, failed: 3 };
const KNOWN = new Set<string>(DIRECTORY_MESSAGES.map((c) => directoryMessage(c)));

/** A step message from the other directory: its codes are ours when we know them, anything else is the provider's text. */
const remoteMessage = (m: string | null | undefined) => (m && (!m.startsWith("directory:") || KNOWN.has(m)) ? m : undefined);

/**
 * B: applies a status report from the offer's directory. Only that directory (the one the signup was handed to) may
 * report, only about the signup it took; reports are snapshots, so late or repeated ones change nothing: the signup
 * only moves forward, and each step is recorded once with the other directory's time.
 */
export async function applyRemoteStatus(db: Db, id: string, signer: string, report: HandoverStatus, ctx: MoveContext): Promise<Result<{ status: string }>> {
  const s = await findSignup(db, id);
  if (!s || s.mode !== "handover") return fail({ kind: "not-found", detail: `No signup ${id} was handed over.` });
  if (s.remote_directory !== signer) return fail({ kind: "forbidden", detail: "This signup was not handed over to your directory." });
  if (s.remote_id && s.remote_id !== report.id) return fail({ kind: "forbidden", detail: "This report is about another signup." });
  await db.transaction().execute(async (trx) => {
    const current = (await findSignup(trx, id))!;
    if (!s.remote_id) await setSignupRemoteId(trx, id, report.id);
    if (!(LIVE as readonly string[]).includes(current.status) || RANK[report.status] <= RANK[current.status]) return;
    const seen = new Set((await signupEvents(trx, id)).map((e) => e.status));
    const target = report.status;
    // Steps between ours and the reported one, as the other directory saw them.
    for (const e of report.events) {
      if (e.status === target || seen.has(e.status) || RANK[e.status] <= RANK[current.status] || RANK[e.status] >= RANK[target]) continue;
      await addSignupEvent(trx, id, e.status, e.at, remoteMessage(e.message));
      seen.add(e.status);
    }
    const last = [...report.events].reverse().find((e) => e.status === target);
    await moveSignup(trx, { id, providerId: s.provider_id }, {
      status: target, from: LIVE, message: remoteMessage(last?.message), ...(target === "active" && report.loginUrl ? { loginUrl: report.loginUrl } : {}),
    }, ctx);
  });
  return ok({ status: (await findSignup(db, id))!.status });
}
