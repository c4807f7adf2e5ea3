/** Authentication middleware shared by every provider route: 401 / 403 / 404 before the body is read. */
import type { MiddlewareHandler } from "hono";
import type { Deps } from "../deps.ts";
import { constantTimeEqual, sha256Hex } from "../lib/crypto.ts";
import { authenticateProvider, bearer, type ProviderAccount } from "../domain/providers/accounts.ts";
import { domainProblem, problemResponse } from "./errors.ts";

export type ProviderVars = { Variables: { provider: ProviderAccount } };

/** Requires `Authorization: Bearer <token>` of the provider named by the `:slug` path parameter; sets `c.var.provider`. */
export function requireProvider(deps: Pick<Deps, "db">): MiddlewareHandler<ProviderVars> {
  return async (c, next) => {
    const a = await authenticateProvider(deps.db, c.req.param("slug") ?? "", bearer(c.req.header("authorization")));
    if (!a.ok) return domainProblem(a.error);
    c.set("provider", a.value);
    await next();
  };
}

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`: 403 when no ADMIN_TOKEN is configured (the admin API is disabled),
 * 401 for a missing or wrong token. Admin answers are never cached.
 */
export function requireAdmin(deps: Pick<Deps, "config">): MiddlewareHandler {
  return async (c, next) => {
    const expected = deps.config.adminToken;
    if (!expected) return problemResponse(403, "forbidden", "The admin API is disabled: set ADMIN_TOKEN to enable it.");
    const given = bearer(c.req.header("authorization"));
    // Hash both sides so the comparison time depends on neither the token's content nor its length.
    if (!given || !constantTimeEqual(await sha256Hex(given), await sha256Hex(expected))) {
      return problemResponse(401, "unauthorized", "Send the admin token as Authorization: Bearer <ADMIN_TOKEN>.", undefined, { "www-authenticate": 'Bearer realm="chatons-directory-admin"' });
    }
    c.header("cache-control", "no-store");
    await next();
  };
}
