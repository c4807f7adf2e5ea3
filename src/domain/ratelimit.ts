/**
 * Fixed-window rate limits kept in the database (every instance and every Worker isolate shares them): signups
 * (per client address and per email), provider registrations (per address), pull-source changes and domain-proof
 * checks (per provider and per address) — the requests that make the directory fetch or write on someone's behalf.
 */
import type { Db } from "../db/client.ts";
import { hitRateLimits } from "../db/queries/rate-limits.ts";
import { fail, type DomainError, type Result } from "./errors.ts";

export type Rate = { max: number; windowMs: number };
export type LimitScope = "ip" | "email" | "provider";
export type Limited = { limited: true; retryAfterSec: number; scope: LimitScope } | { limited: false };

/** Counts one hit on each key; the first check over its limit (in the order given) is reported. */
export async function hitLimits(db: Db, checks: Array<{ scope: LimitScope; key: string; rate: Rate }>, nowMs: number): Promise<Limited> {
  const counts = await hitRateLimits(db, checks.map((c) => ({ key: c.key, windowMs: c.rate.windowMs })), nowMs);
  for (let i = 0; i < checks.length; i++) {
    const { count, resetAt } = counts[i];
    if (count > checks[i].rate.max) return { limited: true, scope: checks[i].scope, retryAfterSec: Math.max(1, Math.ceil((resetAt - nowMs) / 1000)) };
  }
  return { limited: false };
}

/** Limits of one action: `what` names it in keys and messages ("registration", "source", "verification"). */
export type ActionLimits = { ip: string; perIp: Rate; providerId?: number; perProvider?: Rate };

/** Counts one `what` action against its limits; a Result failure (429 with Retry-After) when over one of them. */
export async function limitAction(db: Db, what: string, limits: ActionLimits, nowMs: number): Promise<Result<void, Extract<DomainError, { kind: "rate-limited" }>>> {
  const checks: Array<{ scope: LimitScope; key: string; rate: Rate }> = [];
  if (limits.providerId !== undefined && limits.perProvider) checks.push({ scope: "provider", key: `${what}:provider:${limits.providerId}`, rate: limits.perProvider });
  checks.push({ scope: "ip", key: `${what}:ip:${limits.ip}`, rate: limits.perIp });
  const r = await hitLimits(db, checks, nowMs);
  if (!r.limited) return { ok: true, value: undefined };
  const who = r.scope === "provider" ? "for this provider" : "from this address";
  return fail({ kind: "rate-limited", scope: r.scope, retryAfterSec: r.retryAfterSec, detail: `Too many ${what} requests ${who}; try again in ${r.retryAfterSec} s.` });
}
