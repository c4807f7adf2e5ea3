/**
 * The first middleware of the app (docs/decisions/0033): gives each request an id — the caller's `x-request-id` when
 * it is a sane token, else a new one — sends it back in the `x-request-id` header, logs one JSON line per answer
 * (`request`, with method, route template, status and milliseconds) and counts it in /metrics by route template.
 * Route templates (`/api/v1/offers/:id`), never raw paths, keep the number of metric series bounded.
 */
import type { Context, MiddlewareHandler } from "hono";
import { randomHex } from "../lib/ids.ts";
import type { Logger } from "../lib/log.ts";
import type { MetricsRegistry } from "../lib/metrics.ts";

const SANE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The route template that answered, or `(unmatched)` for answers no route claimed (404s of unknown paths). */
export function routeTemplate(c: Context): string {
  const path = c.req.routePath;
  return !path || path === "*" || path === "/*" ? "(unmatched)" : path;
}

/** `deps.log` and `deps.metrics` are read at each request (tests and runtimes may swap them after start). */
export function observe(deps: { metrics?: MetricsRegistry; log: Logger }): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && SANE_ID.test(given) ? given : randomHex("req_", 8);
    c.set("requestId" as never, id as never);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const status = c.res?.status ?? 500;
      const route = routeTemplate(c);
      try { c.res.headers.set("x-request-id", id); } catch {
        // A response with immutable headers (one fetched from elsewhere): answer a copy carrying the id.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set("x-request-id", id);
      }
      deps.metrics?.request(c.req.method, route, status, ms / 1000);
      deps.log.info("request", { requestId: id, method: c.req.method, route, path: new URL(c.req.url).pathname.slice(0, 300), status, ms: Math.round(ms * 10) / 10 });
    }
  };
}
