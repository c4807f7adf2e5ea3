import { Hono } from "hono";
import type { Deps } from "../../deps.ts";
import { databaseProblem } from "../../domain/health.ts";
import { localeOf } from "../page-response.ts";
import { buildOpenApi } from "../openapi.ts";
import { DocsPage } from "../pages/docs.tsx";

export function systemRoutes(deps: Deps) {
  const r = new Hono();
  const openapi = buildOpenApi();

  r.get("/healthz", async (c) => {
    const problem = await databaseProblem(deps.db);
    if (!problem) return c.json({ status: "ok", db: "ok" }, 200, { "cache-control": "no-store" });
    deps.log.error("healthz: database unreachable", { error: problem });
    return c.json({ status: "degraded", db: "unreachable" }, 503, { "cache-control": "no-store" });
  });

  // A constant answer: the ceiling the search benchmark compares against (no database, no validation).
  r.get("/api/v1/ping", (c) => c.json({ pong: true }, 200, { "cache-control": "no-store" }));

  r.get("/openapi.json", (c) => c.json(openapi, 200, { "cache-control": "public, max-age=300" }));

  r.get("/docs", (c) => {
    const { locale, t } = localeOf(c);
    return c.html(<DocsPage doc={openapi as never} locale={locale} t={t} />);
  });

  return r;
}
