/**
 * Signed-in sessions, for every area that signs people in (the provider space now, operator pages later), and the
 * form tokens (CSRF) tied to them. docs/decisions/0020-sessions-and-csrf.md explains the choices.
 *
 * A session is a random secret held by the browser (an HttpOnly cookie set by the HTTP layer) and a row keyed by the
 * secret's SHA-256: a copy of the database signs nobody in. It expires after SESSION_IDLE_MS without use and
 * SESSION_MAX_MS after it began, whichever comes first, and ends at once on sign-out (one browser) or "sign out
 * everywhere" (every browser of the subject).
 *
 * Form tokens are derived from a secret the browser holds in an HttpOnly cookie — the session's, or before signing
 * in a pre-session secret — so a page of another site can neither read nor guess them, and nothing more is stored.
 */
import type { Db } from "../db/client.ts";
import { countLiveSessions, deleteExpiredSessions, deleteSession, deleteSubjectSessions, findLiveSession, insertSession, touchSession } from "../db/queries/sessions.ts";
import { constantTimeEqual, sha256Hex } from "../lib/crypto.ts";
import { randomToken } from "../lib/ids.ts";
import { DAY_MS, HOUR_MS, iso } from "../lib/time.ts";

/** Who a session signs in: a provider (subject = its id) or an operator; `public` forms (reports) only use pre-session form tokens. */
export type SessionKind = "provider" | "admin" | "public";

/** A session unused for this long ends. */
export const SESSION_IDLE_MS = 7 * DAY_MS;
/** …and none lasts longer than this, used or not: then one signs in again. */
export const SESSION_MAX_MS = 30 * DAY_MS;
/** Using a session extends it, but the row is written at most this often. */
const TOUCH_EVERY_MS = HOUR_MS;

export type Session = { kind: SessionKind; subject: string; idHash: string; createdAt: string; expiresAt: string };

/** Starts a session; returns the secret for the cookie (never stored) and when the session ends if unused. */
export async function startSession(db: Db, kind: SessionKind, subject: string, nowMs: number, userAgent?: string): Promise<{ secret: string; expiresAt: string }> {
  const secret = randomToken(32, "ses_");
  const now = iso(nowMs);
  const expiresAt = iso(nowMs + SESSION_IDLE_MS);
  await insertSession(db, {
    id_hash: await sha256Hex(secret), kind, subject, created_at: now, last_seen_at: now, expires_at: expiresAt,
    user_agent: userAgent ? userAgent.slice(0, 200) : null,
  });
  return { secret, expiresAt };
}

/** The live session of `kind` whose secret is `secret`, extended by this use; undefined when unknown or over. */
export async function currentSession(db: Db, secret: string | undefined, kind: SessionKind, nowMs: number): Promise<Session | undefined> {
  if (!secret || secret.length > 200) return undefined;
  const idHash = await sha256Hex(secret);
  const row = await findLiveSession(db, idHash, kind, iso(nowMs));
  if (!row || !constantTimeEqual(row.id_hash, idHash)) return undefined;
  const hardEnd = Date.parse(row.created_at) + SESSION_MAX_MS;
  if (hardEnd <= nowMs) { await deleteSession(db, idHash); return undefined; }
  let expiresAt = row.expires_at;
  if (nowMs - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    expiresAt = iso(Math.min(nowMs + SESSION_IDLE_MS, hardEnd));
    await touchSession(db, idHash, iso(nowMs), expiresAt);
  }
  return { kind, subject: row.subject, idHash, createdAt: row.created_at, expiresAt };
}

/** Ends the session of this secret (sign out). */
export async function endSession(db: Db, secret: string): Promise<void> {
  await deleteSession(db, await sha256Hex(secret));
}

export async function liveSessions(db: Db, kind: SessionKind, subject: string, nowMs: number): Promise<number> {
  return countLiveSessions(db, kind, subject, iso(nowMs));
}

/** Forgets sessions that are over (housekeeping; expired ones are never accepted anyway). */
export async function purgeExpiredSessions(db: Db, nowMs: number): Promise<number> {
  return deleteExpiredSessions(db, iso(nowMs));
}

/** A secret for a browser that has no session yet, so that sign-in and join forms carry a token too. */
export const newPreSessionSecret = () => randomToken(24, "pre_");

/** The form token of a browser holding `secret` (its session's, or its pre-session one). */
export async function formToken(secret: string): Promise<string> {
  return (await sha256Hex(`csrf\u0000${secret}`)).slice(0, 43);
}

/** True when `given` is the form token of `secret`, compared in constant time. */
export async function formTokenMatches(secret: string | undefined, given: string | undefined): Promise<boolean> {
  if (!secret || !given || given.length > 100) return false;
  return constantTimeEqual(await formToken(secret), given);
}
