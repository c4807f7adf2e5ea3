/**
 * Operators signing in to the admin pages (docs/decisions/0020, 0030): with the admin token, as a name they give for
 * the audit log. The session's subject holds a fingerprint of the token it was opened with, so changing ADMIN_TOKEN
 * signs every operator out at once; attempts are limited per client address like the provider space's.
 */
import type { Db } from "../../db/client.ts";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { fail, ok, type Result } from "../errors.ts";
import { limitAction } from "../ratelimit.ts";
import { MINUTE_MS } from "../../lib/time.ts";

/** Sign-in attempts per client address (the provider space's rule). */
export const OPERATOR_SIGNIN_LIMIT = { max: 30, windowMs: 15 * MINUTE_MS };

const fingerprint = async (adminToken: string) => (await sha256Hex(`admin-session\u0000${adminToken}`)).slice(0, 16);

/** The name an operator signs in as: what they typed (trimmed, one line, at most 80 characters), else "operator". */
export function operatorName(typed: string | undefined): string {
  const clean = (typed ?? "").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim().slice(0, 80);
  return clean || "operator";
}

/** Checks the admin token (constant time); the session subject to start when it is right. */
export async function operatorSignIn(db: Db, adminToken: string, given: string, name: string, ip: string, nowMs: number): Promise<Result<{ subject: string }>> {
  const limited = await limitAction(db, "admin-signin", { ip, perIp: OPERATOR_SIGNIN_LIMIT }, nowMs);
  if (!limited.ok) return limited;
  if (!given || !constantTimeEqual(await sha256Hex(given), await sha256Hex(adminToken))) return fail({ kind: "unauthorized", detail: "This is not the admin token." });
  return ok({ subject: `${await fingerprint(adminToken)}:${operatorName(name)}` });
}

/** The operator a session subject names, if it was opened with the current admin token. */
export async function operatorOf(subject: string, adminToken: string | undefined): Promise<string | undefined> {
  if (!adminToken) return undefined;
  const i = subject.indexOf(":");
  if (i < 0) return undefined;
  return constantTimeEqual(subject.slice(0, i), await fingerprint(adminToken)) ? subject.slice(i + 1) : undefined;
}
