/** Provider accounts: registration, API tokens (hashed at rest, shown once), authentication. */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { findActiveToken, findProviderById, findProviderBySlug, insertToken, revokeTokens } from "../../db/queries/providers.ts";
import { deleteSubjectSessions, deleteSubjectSigninLinks } from "../../db/queries/sessions.ts";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { randomToken } from "../../lib/ids.ts";
import { iso } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import * as v from "valibot";
import { createProvider, updateProvider } from "../catalog/offers.ts";
import { limitAction, type ActionLimits } from "../ratelimit.ts";
import { Email, type ProviderInput } from "../schemas.ts";

export const TOKEN_PREFIX = "cdp_";
export const VERIFICATION_PATH = "/.well-known/chatons-directory.txt";

export function verificationUrl(website: string): string {
  return new URL(VERIFICATION_PATH, website).toString();
}

/** The provider row every provider-facing layer works with. */
export type ProviderAccount = ProviderRow;

export type ProviderRegistration = { provider: ProviderRow; token: string; verification: { url: string; token: string } };

/** Registers a provider; `limits` (the API: per client address) counts the attempt first, whatever its outcome. */
export async function registerProvider(db: Db, input: ProviderInput, nowMs: number, limits?: ActionLimits): Promise<Result<ProviderRegistration>> {
  if (limits) {
    const limited = await limitAction(db, "registration", limits, nowMs);
    if (!limited.ok) return limited;
  }
  if (await findProviderBySlug(db, input.slug)) {
    return fail({ kind: "conflict", detail: `The slug "${input.slug}" is already taken.` });
  }
  const now = iso(nowMs);
  const token = randomToken(32, TOKEN_PREFIX);
  const verificationToken = randomToken(24, "chatons-directory-verification=");
  try {
    const provider = await db.transaction().execute(async (trx) => {
      const p = await createProvider(trx, {
        slug: input.slug, name: input.name, website: input.website, email: input.email, country: input.country, org_type: input.orgType,
        description_json: JSON.stringify(input.description ?? {}), verification_token: verificationToken, created_at: now, updated_at: now,
      }, now);
      await insertToken(trx, p.id, await sha256Hex(token), now);
      return p;
    });
    return ok({ provider, token, verification: { url: verificationUrl(input.website), token: verificationToken } });
  } catch (e) {
    if (/UNIQUE constraint failed: providers\.slug/.test(String(e))) {
      return fail({ kind: "conflict", detail: `The slug "${input.slug}" is already taken.` });
    }
    throw e;
  }
}

/**
 * Issues a new API token and revokes every previous one. A new token because the old one may have leaked: whoever
 * signed in with it is signed out (every browser session of the provider but `keepSessionHash`, the one asking in its
 * space) and unused sign-in links stop working.
 */
export async function rotateToken(db: Db, provider: ProviderRow, nowMs: number, keepSessionHash?: string): Promise<string> {
  const now = iso(nowMs);
  const token = randomToken(32, TOKEN_PREFIX);
  const tokenHash = await sha256Hex(token);
  await db.transaction().execute(async (trx) => {
    await revokeTokens(trx, provider.id, now);
    await insertToken(trx, provider.id, tokenHash, now);
    await signOutEverywhere(trx, provider, keepSessionHash);
  });
  return token;
}

/** Revokes every token of the provider (e.g. after a leak), signing every browser out; it then needs an operator to get a new one. */
export async function revokeAllTokens(db: Db, provider: ProviderRow, nowMs: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const n = await revokeTokens(trx, provider.id, iso(nowMs));
    await signOutEverywhere(trx, provider);
    return n;
  });
}

/** Ends the provider's browser sessions (all, or all but `keepSessionHash`) and its unused sign-in links. */
export async function signOutEverywhere(db: Db, provider: Pick<ProviderRow, "id">, keepSessionHash?: string): Promise<void> {
  await deleteSubjectSessions(db, "provider", String(provider.id), keepSessionHash);
  await deleteSubjectSigninLinks(db, "provider", String(provider.id));
}

/** Changes the provider's contact email (where sign-in links go; never shown publicly). */
export async function updateContactEmail(db: Db, provider: ProviderRow, email: string, nowMs: number): Promise<Result<ProviderRow>> {
  const parsed = v.safeParse(Email, email);
  if (!parsed.success) return fail({ kind: "invalid", detail: "Some fields are invalid; see errors.", errors: [{ path: "email", message: "must be an email address" }] });
  const p = await db.transaction().execute(async (trx) => {
    // Links already sent went to the old address: they stop working.
    if (parsed.output !== provider.email) await deleteSubjectSigninLinks(trx, "provider", String(provider.id));
    return updateProvider(trx, provider.id, { email: parsed.output, updated_at: iso(nowMs) });
  });
  return ok(p);
}

/** Extracts the token of an `Authorization: Bearer …` header. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}

/**
 * Checks that `token` is an active token of the provider `slug`. A valid token of another provider is 403;
 * no token or an unknown one is 401. Tokens are looked up by their SHA-256 and compared in constant time.
 */
export async function authenticateProvider(db: Db, slug: string, token: string | undefined): Promise<Result<ProviderRow>> {
  if (!token) return fail({ kind: "unauthorized", detail: "Send the provider's API token as Authorization: Bearer <token>." });
  const hash = await sha256Hex(token);
  const row = await findActiveToken(db, hash);
  if (!row || !constantTimeEqual(row.token_hash, hash)) return fail({ kind: "unauthorized", detail: "The token is unknown or revoked." });
  const provider = await findProviderBySlug(db, slug);
  if (!provider) return fail({ kind: "not-found", detail: `No provider "${slug}".` });
  if (provider.id !== row.provider_id) return fail({ kind: "forbidden", detail: "This token belongs to another provider." });
  return ok(provider);
}

/** A provider that can sign in: local and not deleted (a session's subject is checked again on every request). */
export async function liveProvider(db: Db, id: number): Promise<ProviderRow | undefined> {
  const p = Number.isSafeInteger(id) ? await findProviderById(db, id) : undefined;
  return p && p.deleted_at === null && p.source !== "federated" ? p : undefined;
}

/** The provider a token belongs to, whatever the URL (signup events, listing one's own signups). */
export async function providerOfToken(db: Db, token: string | undefined): Promise<ProviderRow | undefined> {
  if (!token) return undefined;
  const row = await findActiveToken(db, await sha256Hex(token));
  if (!row) return undefined;
  return findProviderById(db, row.provider_id);
}
