/** Per-IP and per-email signup rate limits (fixed windows in the database, so every instance shares them). */
import type { Db } from "../../db/client.ts";
import { hitRateLimits } from "../../db/queries/rate-limits.ts";
import { sha256Hex } from "../../lib/crypto.ts";

export type Rate = { max: number; windowMs: number };
export type Limited = { limited: true; retryAfterSec: number; scope: "ip" | "email" } | { limited: false };

/** Counts the request against the client address and the email (stored as a hash); the address's limit is reported first. */
export async function checkSignupRate(db: Db, ip: string, email: string, limits: { ip: Rate; email: Rate }, nowMs: number): Promise<Limited> {
  const checks: Array<["ip" | "email", string, Rate]> = [
    ["ip", `signup:ip:${ip}`, limits.ip],
    ["email", `signup:email:${await sha256Hex(email.toLowerCase())}`, limits.email],
  ];
  const counts = await hitRateLimits(db, checks.map(([, key, rate]) => ({ key, windowMs: rate.windowMs })), nowMs);
  for (let i = 0; i < checks.length; i++) {
    const [scope, , rate] = checks[i];
    const { count, resetAt } = counts[i];
    if (count > rate.max) return { limited: true, scope, retryAfterSec: Math.max(1, Math.ceil((resetAt - nowMs) / 1000)) };
  }
  return { limited: false };
}
