import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { health, operationalFamilies } from "../../domain/health.ts";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { MetricsRegistry } from "../../lib/metrics.ts";
import { bearer } from "../../domain/providers/accounts.ts";
import { problemResponse } from "../errors.ts";
import { localeOf } from "../page-response.ts";
import { buildOpenApi } from "../openapi.ts";
import { DocsPage } from "../pages/docs.tsx";

/** The Prometheus text format's content type (exposition format 0.0.4). */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** /metrics as text: what this instance counted, the database families, the process's own figures. */
export async function metricsText(deps: Deps): Promise<string> {
  const families = [...(await operationalFamilies(deps.db, deps.clock.now())), ...(deps.processFamilies?.() ?? [])];
  return (deps.metrics ?? new MetricsRegistry()).render(families);
}

export function systemRoutes(deps: Deps) {
  const r = new Hono();
  const openapi = buildOpenApi();

  // 503 when the database does not answer or a background loop is stuck (docs/decisions/0033).
  r.get("/healthz", async (c) => {
    const h = await health(deps.db, deps.loops);
    const { problem, ...body } = h;
    if (problem) deps.log.error("healthz: database unreachable", { error: problem });
    const stuck = Object.entries(h.loops).filter(([, l]) => l.stuck).map(([name]) => name);
    if (stuck.length) deps.log.error("healthz: background loop stuck", { loops: stuck });
    return c.json(body, h.status === "ok" ? 200 : 503, { "cache-control": "no-store" });
  });

  // Behind METRICS_TOKEN on the public listener (METRICS_LISTEN serves it without a token on an operator address).
  r.get("/metrics", async (c: Context) => {
    const expected = deps.config.metricsToken;
    if (!expected) return problemResponse(403, "forbidden", "Metrics are off on this address: set METRICS_TOKEN (or METRICS_LISTEN for an operator-only listener).");
    const given = bearer(c.req.header("authorization"));
    if (!given || !constantTimeEqual(await sha256Hex(given), await sha256Hex(expected))) {
      return problemResponse(401, "unauthorized", "Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.", undefined, { "www-authenticate": 'Bearer realm="chatons-directory-metrics"' });
    }
    return c.body(await metricsText(deps), 200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" });
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
