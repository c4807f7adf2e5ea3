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
import { fedifyMiddleware, federationRoutes } from "./federation/hono.ts";
import { compareRoutes } from "./http/routes/compare.tsx";
import { signupsRoutes } from "./http/routes/signups.ts";
import { providerSignupRoutes } from "./http/routes/provider-signups.ts";
import { adminDeliveriesRoutes } from "./http/routes/admin-deliveries.ts";
import { signupPagesRoutes } from "./http/routes/signup-pages.tsx";
import { catalogPagesRoutes } from "./http/routes/catalog-pages.tsx";

/** Builds the whole HTTP application from its dependencies; no globals, no environment reads. */
export function createApp(deps: Deps) {
  const app = new Hono();
  app.use("*", pageSecurity());
  app.use("*", requestBodyLimit());

  if (deps.federation) {
    const fedify = fedifyMiddleware(deps.federation, deps.log);
    for (const path of ["/.well-known/*", "/nodeinfo/*", "/ap/*"]) app.use(path, fedify);
  }
  app.route("/", systemRoutes(deps));
  app.route("/", federationRoutes());
  app.route("/api/v1/admin", adminRoutes(deps));
  app.route("/api/v1/offers", offersRoutes(deps));
  app.route("/api/v1/providers", providersRoutes(deps));
  app.route("/", compareRoutes(deps));
  app.route("/api/v1/providers", providerSignupRoutes(deps));
  app.route("/api/v1/signups", signupsRoutes(deps));
  app.route("/api/v1/admin/deliveries", adminDeliveriesRoutes(deps));
  app.route("/", signupPagesRoutes(deps));
  app.route("/api/v1/providers", providerPublishingRoutes(deps));
  app.route("/", catalogPagesRoutes(deps));
  if (deps.demo) app.route("/", demoRoutes(deps.demo));

  const patterns = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, re: new RegExp(`^${r.path.replace(/\/+$/, "").replace(/:[^/]+/g, "[^/]+").replace(/\*/g, ".*")}/?$`) }));

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(patterns.filter((p) => p.re.test(path)).map((p) => p.method))];
    if (allowed.length) {
      if (c.req.method === "HEAD" && allowed.includes("GET")) return new Response(null, { status: 200 });
      return problemResponse(405, "method-not-allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`, undefined, { allow: allowed.join(", ") });
    }
    return problemResponse(404, "not-found", `Nothing at ${path}.`);
  });

  app.onError((err, c) => {
    if (isClientAbort(err, c.req.raw)) {
      // Nobody is left to read the answer; not a failure of ours.
      deps.log.debug("client closed the connection mid-request", { method: c.req.method, path: new URL(c.req.url).pathname });
      return problemResponse(400, "client-closed-request", "The connection closed before the request was complete.");
    }
    deps.log.error("unhandled error", { method: c.req.method, path: new URL(c.req.url).pathname, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    return problemResponse(500, "internal", "Something went wrong on our side; it has been logged.");
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
