/**
 * Domain proof: the provider publishes its verification token at `<website>/.well-known/chatons-directory.txt`;
 * the directory fetches it (guarded fetch) and, when a line of the file is the token, marks the provider verified.
 * Verified providers are re-checked every day; a failed re-check is retried hourly and the third failure in a row
 * clears `verified` (a site may be down for an hour, not for the proof to stand forever).
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { providersDueForRecheck, recordVerifyCheck } from "../../db/queries/verification.ts";
import { FetchRefused, type SafeFetch } from "../../delivery/net.ts";
import type { Clock, Logger } from "../../lib/log.ts";
import type { Config } from "../../config.ts";
import { DAY_MS, HOUR_MS, iso } from "../../lib/time.ts";
import { updateProvider } from "../catalog/offers.ts";
import { constantTimeEqual } from "../../lib/crypto.ts";
import { fail, ok, type DomainError, type Result } from "../errors.ts";
import { limitAction, type ActionLimits } from "../ratelimit.ts";
import { verificationUrl } from "./accounts.ts";

export const VERIFY_RECHECK_MS = DAY_MS;
export const VERIFY_RETRY_MS = HOUR_MS;
export const VERIFY_MAX_FAILURES = 3;

type VerifyDeps = { db: Db; http: SafeFetch; clock: Clock; log: Logger; config: Pick<Config, "allowPrivateNetwork"> };

/** Why a proof check failed, for pages to explain in the reader's language. */
export type ProofFailure = { kind: "status"; status: number } | { kind: "missing" } | { kind: "fetch"; message: string } | { kind: "no-token" } | { kind: "not-https" }
  | { kind: "rate-limited"; retryAfterSec: number };

/**
 * Fetches the proof file; ok when one of its lines (trimmed) is the provider's verification token. "Domain verified"
 * means control of an https website: a plain-http address proves nothing about who answers it (anyone on the path
 * can), so it is refused — unless ALLOW_PRIVATE_NETWORK=1 (tests, local networks), where http is how servers talk.
 */
export async function checkProof(http: SafeFetch, provider: Pick<ProviderRow, "website" | "verification_token">, opts: { allowHttp: boolean }): Promise<{ ok: true } | { ok: false; reason: string; why: ProofFailure }> {
  const url = verificationUrl(provider.website);
  const token = provider.verification_token;
  if (!token) return { ok: false, reason: "this provider has no verification token", why: { kind: "no-token" } };
  if (!opts.allowHttp && !/^https:\/\//i.test(provider.website)) return { ok: false, reason: `${provider.website} is not an https address: domain verification needs https`, why: { kind: "not-https" } };
  try {
    const res = await http(url, { timeoutMs: 10_000, maxBytes: 64 * 1024, headers: { accept: "text/plain" } });
    if (res.status !== 200) return { ok: false, reason: `${url} answered HTTP ${res.status}`, why: { kind: "status", status: res.status } };
    const found = res.text().replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).some((line) => constantTimeEqual(line.trim(), token));
    return found ? { ok: true } : { ok: false, reason: `${url} does not contain the verification token on a line of its own`, why: { kind: "missing" } };
  } catch (e) {
    const message = e instanceof FetchRefused ? e.message : "fetch failed";
    return { ok: false, reason: `${url}: ${message}`, why: { kind: "fetch", message } };
  }
}

export type VerifyOutcome = Result<{ verified: true; verifiedAt: string; url: string }, { kind: "conflict"; detail: string; extra: Record<string, unknown>; why: ProofFailure } | DomainError>;

/**
 * Checks the proof now and marks the provider verified when it holds; a failure says why and changes nothing.
 * `limits`: checks per provider and per client address (each one fetches the provider's site).
 */
export async function verifyNow(deps: VerifyDeps, provider: ProviderRow, limits?: ActionLimits): Promise<VerifyOutcome> {
  if (limits) {
    const limited = await limitAction(deps.db, "verification", { ...limits, providerId: provider.id }, deps.clock.now());
    if (!limited.ok) return limited;
  }
  const url = verificationUrl(provider.website);
  const check = await checkProof(deps.http, provider, { allowHttp: deps.config.allowPrivateNetwork });
  if (!check.ok) return fail({ kind: "conflict", detail: `Domain proof failed: ${check.reason}.`, extra: { verificationUrl: url }, why: check.why });
  const now = iso(deps.clock.now());
  const p = await deps.db.transaction().execute((trx) =>
    updateProvider(trx, provider.id, { verified: 1, verified_at: now, verify_failures: 0, verify_checked_at: now, updated_at: now }));
  return ok({ verified: true, verifiedAt: p.verified_at ?? now, url });
}

/** `POST /api/v1/providers/{slug}/verification`. A failure leaves the current state as it is. */
export async function verifyProvider(deps: VerifyDeps, provider: ProviderRow, limits?: ActionLimits): Promise<Result<{ verified: true; verifiedAt: string; url: string }>> {
  const r = await verifyNow(deps, provider, limits);
  if (r.ok) return r;
  if ("why" in r.error) {
    const { why: _why, ...error } = r.error;
    return fail(error);
  }
  return fail(r.error);
}

/** Re-checks the verified providers that are due; returns how many were checked and how many lost `verified`. */
export async function recheckVerifications(deps: VerifyDeps, limit = 50): Promise<{ checked: number; failed: number; cleared: string[] }> {
  const nowMs = deps.clock.now();
  const now = iso(nowMs);
  const due = await providersDueForRecheck(deps.db, nowMs, VERIFY_RECHECK_MS, VERIFY_RETRY_MS, limit);
  const out = { checked: 0, failed: 0, cleared: [] as string[] };
  for (const p of due) {
    out.checked++;
    const check = await checkProof(deps.http, p, { allowHttp: deps.config.allowPrivateNetwork });
    if (check.ok) { await recordVerifyCheck(deps.db, p.id, 0, now); continue; }
    out.failed++;
    const failures = p.verify_failures + 1;
    if (failures >= VERIFY_MAX_FAILURES) {
      await deps.db.transaction().execute((trx) =>
        updateProvider(trx, p.id, { verified: 0, verified_at: null, verify_failures: 0, verify_checked_at: now, updated_at: now }));
      out.cleared.push(p.slug);
      deps.log.warn("domain proof lost", { provider: p.slug, reason: check.reason });
    } else {
      await recordVerifyCheck(deps.db, p.id, failures, now);
    }
  }
  return out;
}
