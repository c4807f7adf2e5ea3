/** Operator view of webhook deliveries (dead letters) and manual redelivery, behind ADMIN_TOKEN. */
import { Hono } from "hono";
import type { Deps } from "../../deps.ts";
import { listDeliveries } from "../../delivery/outbox.ts";
import { requireAdmin } from "../auth.ts";
import { redeliver } from "../../domain/signups/endpoints.ts";
import { DeliveryQuery } from "../../domain/signups/schemas.ts";
import { domainProblem } from "../errors.ts";
import { serializeDelivery } from "../signup-serializers.ts";
import { validate } from "../validate.ts";

export function adminDeliveriesRoutes(deps: Deps) {
  const r = new Hono();
  r.use("*", requireAdmin(deps));

  const slugs = async (ids: number[]) => {
    const rows = ids.length ? await deps.db.selectFrom("providers").select(["id", "slug"]).where("id", "in", [...new Set(ids)]).execute() : [];
    return new Map(rows.map((p) => [p.id, p.slug]));
  };

  r.get("/", validate("query", DeliveryQuery), async (c) => {
    const q = c.req.valid("query");
    const limit = q.limit ?? 20;
    const rows = await listDeliveries(deps.db, { status: q.status, limit, beforeId: q.cursor ? Number(q.cursor) : undefined });
    const page = rows.slice(0, limit);
    const bySlug = await slugs(page.map((d) => d.provider_id));
    return c.json({
      items: page.map((d) => serializeDelivery(d, bySlug.get(d.provider_id) ?? "")),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    }, 200, { "cache-control": "no-store" });
  });

  r.post("/:id/redeliver", async (c) => {
    const result = await redeliver(deps.db, c.req.param("id"), undefined, deps.clock.now());
    if (!result.ok) return domainProblem(result.error);
    deps.wakeSignupWorker?.();
    const bySlug = await slugs([result.value.provider_id]);
    return c.json(serializeDelivery(result.value, bySlug.get(result.value.provider_id) ?? ""), 202);
  });

  return r;
}
