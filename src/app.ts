import { Hono } from "hono";
import type { Deps } from "./deps.ts";
import { problemResponse } from "./lib/problem.ts";
import { pageSecurity } from "./http/page-response.ts";
import { requestBodyLimit } from "./http/body-limit.ts";
import { isClientAbort } from "./http/errors.ts";
import { demoRoutes } from "./http/routes/demo.tsx";
import { offersRoutes } from "./http/routes/offers.ts";
import { providersRoutes } from "./http/routes/providers.ts";
import { providerPublishingRoutes } from "./http/routes/provider-publishing.ts";
import { systemRoutes } from "./http/routes/system.tsx";
import { adminRoutes } from "./http/routes/admin.ts";
import { activityNegotiation, fedifyMiddleware, federationRoutes, pageActivityPath } from "./federation/hono.ts";
import { compareRoutes } from "./http/routes/compare.tsx";
import { signupsRoutes } from "./http/routes/signups.ts";
import { providerSignupRoutes } from "./http/routes/provider-signups.ts";
import { adminDeliveriesRoutes } from "./http/routes/admin-deliveries.ts";
import { signupPagesRoutes } from "./http/routes/signup-pages.tsx";
import { catalogPagesRoutes } from "./http/routes/catalog-pages.tsx";
import { infoPagesRoutes } from "./http/routes/info-pages.tsx";
import { federatedSignupRoutes } from "./http/routes/federated-signups.ts";
import { providerArea, providerAuthRoutes } from "./http/routes/provider-auth.tsx";
import { providerSpaceRoutes } from "./http/routes/provider-space.tsx";
import { htmlError, wantsHtml } from "./http/page-response.ts";
import { chatonsInfosRoutes } from "./http/routes/chatonsinfos.ts";
import { adminModerationRoutes } from "./http/routes/admin-moderation.ts";
import { adminPagesRoutes } from "./http/routes/admin-pages.tsx";
import { reportRoutes } from "./http/routes/reports.tsx";
import { observe } from "./http/observe.ts";
import { MetricsRegistry } from "./lib/metrics.ts";

/** Builds the whole HTTP application from its dependencies; no globals, no environment reads. */
export function createApp(deps: Deps) {
  const app = new Hono();
  deps.metrics ??= new MetricsRegistry();
  // First: every answer gets a request id (x-request-id), one JSON log line and its place in /metrics.
  app.use("*", observe(deps));
  app.use("*", pageSecurity());
  app.use("*", requestBodyLimit());

  if (deps.federation) {
    const fedify = fedifyMiddleware(deps.federation, deps.log);
    for (const path of ["/.well-known/*", "/nodeinfo/*", "/ap/*"]) app.use(path, fedify);
    // Provider and offer pages answer ActivityPub JSON to an ActivityPub Accept (pasting a page URL into Mastodon).
    const negotiate = activityNegotiation(deps.federation, pageActivityPath(deps.federation, deps));
    for (const path of ["/providers/*", "/offers/*"]) app.use(path, negotiate);
  }
  app.route("/", systemRoutes(deps));
  app.route("/", federationRoutes());
  app.route("/api/v1/admin", adminRoutes(deps));
  app.route("/api/v1/offers", offersRoutes(deps));
  app.route("/api/v1/providers", providersRoutes(deps));
  app.route("/", compareRoutes(deps));
  app.route("/api/v1/providers", providerSignupRoutes(deps));
  app.route("/api/v1/signups", signupsRoutes(deps));
  app.route("/", federatedSignupRoutes(deps));
  app.route("/api/v1/admin/deliveries", adminDeliveriesRoutes(deps));
  app.route("/api/v1/admin", adminModerationRoutes(deps));
  app.route("/", reportRoutes(deps));
  app.route("/", signupPagesRoutes(deps));
  app.route("/api/v1/providers", providerPublishingRoutes(deps));
  app.route("/", catalogPagesRoutes(deps));
  app.route("/", infoPagesRoutes(deps));
  app.route("/", chatonsInfosRoutes(deps));
  const providerSpace = providerArea(deps);
  app.route("/", providerAuthRoutes(deps, providerSpace));
  app.route("/", providerSpaceRoutes(deps, providerSpace));
  app.route("/", adminPagesRoutes(deps));
  if (deps.demo) app.route("/", demoRoutes(deps.demo));

  const patterns = app.routes
    .filter((r) => r.method !== "ALL")
    // Exactly the routes' paths: "/admin/" is not "/admin" (routing is strict), so it is a 404, not a 405.
    .map((r) => ({ method: r.method, re: new RegExp(`^${r.path.replace(/:[^/]+/g, "[^/]+").replace(/\*/g, ".*")}$`) }));

  app.notFound(async (c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(patterns.filter((p) => p.re.test(path)).map((p) => p.method))];
    if (allowed.length && !allowed.includes(c.req.method)) {
      if (c.req.method === "HEAD" && allowed.includes("GET")) return new Response(null, { status: 200 });
      const allow = allowed.join(", ");
      if (wantsHtml(c)) {
        // A person (a bookmarked form action, a link to a button's address) gets a page with a way on.
        const page = await htmlError(c, "not-found");
        const headers = new Headers(page.headers);
        headers.set("allow", allow);
        return new Response(page.body, { status: 405, headers });
      }
      return problemResponse(405, "method-not-allowed", `${c.req.method} is not allowed here; use ${allow}.`, undefined, { allow });
    }
    // A person following a dead link gets a page in their language with a way on; programs get problem+json.
    if (wantsHtml(c)) return htmlError(c, "not-found");
    return problemResponse(404, "not-found", `Nothing at ${path}.`);
  });

  app.onError((err, c) => {
    if (isClientAbort(err, c.req.raw)) {
      // Nobody is left to read the answer; not a failure of ours.
      deps.log.debug("client closed the connection mid-request", { method: c.req.method, path: new URL(c.req.url).pathname });
      return problemResponse(400, "client-closed-request", "The connection closed before the request was complete.");
    }
    deps.log.error("unhandled error", { requestId: c.get("requestId" as never), method: c.req.method, path: new URL(c.req.url).pathname, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    if (wantsHtml(c)) return htmlError(c, "server");
    return problemResponse(500, "internal", "Something went wrong on our side; it has been logged.");
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
