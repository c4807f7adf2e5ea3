/**
 * Creating a signup: idempotency, rate limits, choosing the offer, then the signup row, its first status event,
 * its status token (hashed) and its `signup.requested` outbox event in ONE transaction.
 */
import type { Db } from "../../db/client.ts";
import type { SignupRow } from "../../db/database.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { addSignupEvent, addSignupToken, findCandidate, findCandidates, findSignupByIdempotencyKey, insertSignup, type Candidate } from "../../db/queries/signups.ts";
import { enqueue } from "../../delivery/outbox.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { randomToken } from "../../lib/ids.ts";
import { DAY_MS, iso } from "../../lib/time.ts";
import { fail, ok, type DomainError, type Result } from "../errors.ts";
import { fold } from "../text.ts";
import { PICK_RULE, whyNoSignup } from "./eligibility.ts";
import { MAIL_ACCEPTED, SIGNUP_HANDOVER, SIGNUP_REQUESTED } from "./transitions.ts";
import { pickOffer } from "./picker.ts";
import { checkSignupRate, type Rate } from "./ratelimit.ts";
import type { SignupInput } from "./schemas.ts";

/** Unfinished signups younger than this count against an offer's capacity when picking. */
const OPEN_SIGNUP_WINDOW_MS = 30 * DAY_MS;

export type CreateContext = {
  nowMs: number;
  ip: string;
  idempotencyKey?: string;
  limits: { ip: Rate; email: Rate };
  random?: () => number;
  /** Mail is on: the person gets an email with the status link once the request is accepted. */
  mail?: boolean;
  /**
   * Set when another directory hands this signup over (docs/federated-signups.md): that directory's actor, and where
   * it wants status reports. Only this directory's own offers are taken; the person hears from that directory.
   */
  handedOverBy?: { directory: string; callbackUrl: string };
};

export type Accepted = { signup: SignupRow; token: string; providerSlug: string; replayed: boolean };

/** Stable hash of the validated body: key order does not matter, values do. */
async function requestHash(input: SignupInput): Promise<string> {
  const sorted = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(JSON.stringify(sorted));
}

async function replay(db: Db, existing: SignupRow, hash: string): Promise<Result<Accepted>> {
  if (existing.request_hash !== hash) {
    return fail({ kind: "idempotency-mismatch", detail: "This Idempotency-Key was already used with a different request body." });
  }
  // Tokens are stored hashed, so a replay gets a fresh token for the same signup rather than the first one.
  const token = randomToken(32, "st_");
  await addSignupToken(db, existing.id, await sha256Hex(token));
  const p = await findProviderById(db, existing.provider_id);
  return ok({ signup: existing, token, providerSlug: p?.slug ?? "", replayed: true });
}

async function chooseOffer(db: Db, input: SignupInput, nowMs: number, random: () => number, handedOver: boolean): Promise<Result<Candidate>> {
  const since = iso(nowMs - OPEN_SIGNUP_WINDOW_MS);
  if (input.offerId) {
    const c = await findCandidate(db, input.offerId, since);
    // A signup handed over by another directory is taken for this directory's own offers only (no second hop).
    const why = !c || (handedOver && c.source === "federated") ? "federated" : whyNoSignup(c);
    if (!c || why === "federated") return fail({ kind: "not-found", detail: `No offer "${input.offerId}".` });
    if (why === "external") {
      return fail({ kind: "conflict", code: "external", detail: "This provider takes signups on its own website.", extra: { url: c.signup_url ?? undefined, mode: "external" } });
    }
    if (why === "no-account") return fail({ kind: "conflict", code: "no-account", detail: "This service needs no account: use it directly." });
    if (why === "closed" || why === "full") {
      return fail({ kind: "conflict", code: why, detail: `This offer does not take new accounts right now (${why === "closed" ? "registration closed" : "full"}).` });
    }
    if (why === "unreachable") return fail({ kind: "conflict", code: "unreachable", detail: "This provider has not set up signups through the directory yet." });
    return ok(c);
  }
  const cands = await findCandidates(db, PICK_RULE, { service: input.service, software: input.software ? fold(input.software) : undefined }, since);
  const c = pickOffer(cands, { language: input.language, country: input.country }, random);
  if (!c) return fail({ kind: "conflict", code: "none-available", detail: `No provider takes new ${input.software ?? input.service} accounts through the directory right now.` });
  return ok(c);
}

/** See the module comment. The caller wakes the delivery worker after a success. */
export async function createSignup(db: Db, input: SignupInput, ctx: CreateContext): Promise<Result<Accepted>> {
  const hash = await requestHash(input);
  if (ctx.idempotencyKey) {
    const existing = await findSignupByIdempotencyKey(db, ctx.idempotencyKey);
    if (existing) return replay(db, existing, hash);
  }

  const chosen = await chooseOffer(db, input, ctx.nowMs, ctx.random ?? Math.random, ctx.handedOverBy !== undefined);
  if (!chosen.ok) return chosen;
  const offer = chosen.value;

  // Counted only for requests that would create a signup: a refused offer costs nothing.
  const rate = await checkSignupRate(db, ctx.ip, input.email, ctx.limits, ctx.nowMs);
  if (rate.limited) {
    return fail({ kind: "rate-limited", retryAfterSec: rate.retryAfterSec, scope: rate.scope, detail: `Too many signups from this ${rate.scope === "ip" ? "address" : "email"}; try again in ${rate.retryAfterSec} s.` });
  }

  const now = iso(ctx.nowMs);
  const token = randomToken(32, "st_");
  const tokenHash = await sha256Hex(token); // outside the transaction: keep the write lock short
  // A federated offer's signup is handed over to the offer's own directory, which routes it to the provider.
  const origin = offer.source === "federated" && offer.origin_json ? (JSON.parse(offer.origin_json) as { id: string; directory: string }) : undefined;
  const handover = origin && offer.handover_url ? { url: offer.handover_url, offer: origin.id, directory: origin.directory } : undefined;
  const signup: SignupRow = {
    id: randomToken(12, "su_"), offer_id: offer.id, provider_id: offer.provider_id, service: offer.service, mode: handover ? "handover" : offer.signup_mode,
    status: "pending", locale: input.locale, email: input.email, name: input.name, username: input.username ?? null, message: input.message ?? null,
    login_url: null, idempotency_key: ctx.idempotencyKey ?? null, request_hash: hash, created_at: now, updated_at: now, final_at: null, purged_at: null,
    handover_url: handover?.url ?? null, remote_offer: handover?.offer ?? null, remote_id: null,
    remote_directory: handover?.directory ?? ctx.handedOverBy?.directory ?? null, callback_url: ctx.handedOverBy?.callbackUrl ?? null,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertSignup(trx, signup);
      await addSignupToken(trx, signup.id, tokenHash);
      await addSignupEvent(trx, signup.id, "pending", now);
      await enqueue(trx, { type: handover ? SIGNUP_HANDOVER : SIGNUP_REQUESTED, providerId: offer.provider_id, signupId: signup.id, nowMs: ctx.nowMs });
      if (ctx.mail) await enqueue(trx, { type: MAIL_ACCEPTED, providerId: offer.provider_id, signupId: signup.id, nowMs: ctx.nowMs });
    });
  } catch (e) {
    // Two requests with one Idempotency-Key raced: the loser answers like a replay of the winner.
    if (ctx.idempotencyKey && /UNIQUE constraint failed: signups\.idempotency_key/.test(String(e))) {
      const winner = await findSignupByIdempotencyKey(db, ctx.idempotencyKey);
      if (winner) return replay(db, winner, hash);
    }
    throw e;
  }
  return ok({ signup, token, providerSlug: offer.provider_slug, replayed: false });
}
