/** Operator view of webhook deliveries (dead letters) and manual redelivery, behind ADMIN_TOKEN. */
import { Hono } from "hono";
import type { Deps } from "../../deps.ts";
import { redeliver } from "../../domain/signups/destinations.ts";
import { DeliveryQuery } from "../../domain/signups/schemas.ts";
import { deliveryList, deliveryView } from "../../domain/signups/views.ts";
import { requireAdmin } from "../auth.ts";
import { domainProblem } from "../errors.ts";
import { validate } from "../validate.ts";

export function adminDeliveriesRoutes(deps: Deps) {
  const r = new Hono();
  r.use("*", requireAdmin(deps));

  r.get("/", validate("query", DeliveryQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await deliveryList(deps.db, { status: q.status, limit: q.limit, cursor: q.cursor }), 200, { "cache-control": "no-store" });
  });

  r.post("/:id/redeliver", async (c) => {
    const result = await redeliver(deps.db, c.req.param("id"), undefined, deps.clock.now());
    if (!result.ok) return domainProblem(result.error);
    deps.wakeSignupWorker?.();
    return c.json(await deliveryView(deps.db, result.value), 202);
  });

  return r;
}
