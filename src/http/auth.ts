/** Authentication middleware shared by every provider route: 401 / 403 / 404 before the body is read. */
import type { MiddlewareHandler } from "hono";
import type { ProviderRow } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { authenticateProvider, bearer } from "../domain/providers/accounts.ts";
import { domainProblem } from "./errors.ts";

export type ProviderVars = { Variables: { provider: ProviderRow } };

/** Requires `Authorization: Bearer <token>` of the provider named by the `:slug` path parameter; sets `c.var.provider`. */
export function requireProvider(deps: Pick<Deps, "db">): MiddlewareHandler<ProviderVars> {
  return async (c, next) => {
    const a = await authenticateProvider(deps.db, c.req.param("slug") ?? "", bearer(c.req.header("authorization")));
    if (!a.ok) return domainProblem(a.error);
    c.set("provider", a.value);
    await next();
  };
}
