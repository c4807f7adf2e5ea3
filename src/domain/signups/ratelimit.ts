/** Per-IP and per-email signup rate limits (fixed windows in the database, so every instance shares them). */
import type { Db } from "../../db/client.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { hitLimits, type Limited, type Rate } from "../ratelimit.ts";

export type { Limited, Rate };

/** Counts the request against the client address and the email (stored as a hash); the address's limit is reported first. */
export async function checkSignupRate(db: Db, ip: string, email: string, limits: { ip: Rate; email: Rate }, nowMs: number): Promise<Limited> {
  return hitLimits(db, [
    { scope: "ip", key: `signup:ip:${ip}`, rate: limits.ip },
    { scope: "email", key: `signup:email:${await sha256Hex(email.toLowerCase())}`, rate: limits.email },
  ], nowMs);
}
