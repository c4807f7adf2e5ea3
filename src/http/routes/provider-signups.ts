/**
 * A provider's side of the signup flow, under /api/v1/providers/{slug}: its webhook (URL, secret, rotation, test),
 * its Nextcloud instance, its signups and its deliveries (dead letters, redelivery). Bearer token of that provider.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { decodeJsonCursor, encodeJsonCursor } from "../../domain/cursor.ts";
import { listDeliveries } from "../../delivery/outbox.ts";
import { requireProvider, type ProviderVars } from "../auth.ts";
import { describeWebhook, pingWebhook, redeliver, rotateWebhookSecret, setNextcloud, setWebhook } from "../../domain/signups/endpoints.ts";
import { DeliveryQuery, NextcloudInput, SIGNUP_STATUSES, WebhookInput } from "../../domain/signups/schemas.ts";
import { providerSignups } from "../../domain/signups/status.ts";
import { deleteNextcloud, findNextcloud } from "../../db/queries/signups.ts";
import { isPrivateUrlHost } from "../../delivery/net.ts";
import { domainProblem, problem } from "../errors.ts";
import { serializeDelivery } from "../signup-serializers.ts";
import { validate, validationProblem } from "../validate.ts";

const SignupListQuery = v.object({
  status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l.flatMap((s) => s.split(",")).filter(Boolean)), v.array(v.picklist(SIGNUP_STATUSES)))),
  limit: DeliveryQuery.entries.limit,
  cursor: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.maxLength(300))),
});

const encode = encodeJsonCursor;
function decode(s: string): { at: string; id: string } | undefined {
  const o = decodeJsonCursor(s) as { at?: unknown; id?: unknown } | undefined;
  return typeof o?.at === "string" && typeof o?.id === "string" ? { at: o.at, id: o.id } : undefined;
}

/** Refuses loopback/private literals and local names up front (delivery's SSRF guard also checks resolved names). */
function privateTarget(url: string, allowPrivate: boolean): boolean {
  return !allowPrivate && isPrivateUrlHost(new URL(url));
}

export function providerSignupRoutes(deps: Deps) {
  const r = new Hono<ProviderVars>();
  const now = () => deps.clock.now();
  const auth = requireProvider(deps);

  r.get("/:slug/webhook", auth, async (c) => {
    const wh = await describeWebhook(deps.db, c.var.provider);
    if (!wh) return problem(c, 404, "not-found", "No webhook set; PUT {url} to set one.");
    return c.json(wh, 200, { "cache-control": "no-store" });
  });

  r.put("/:slug/webhook", auth, validate("json", WebhookInput), async (c) => {
    const { url } = c.req.valid("json");
    if (privateTarget(url, deps.config.allowPrivateNetwork)) return validationProblem([{ path: "url", message: "must be a public address" }]);
    return c.json(await setWebhook(deps.db, c.var.provider, url, now()), 200, { "cache-control": "no-store" });
  });

  r.post("/:slug/webhook/rotate", auth, async (c) => {
    const result = await rotateWebhookSecret(deps.db, c.var.provider, now());
    if (!result.ok) return domainProblem(result.error);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  });

  r.post("/:slug/webhook/test", auth, async (c) => {
    const result = await pingWebhook(deps.db, deps.http, c.var.provider, now());
    if (!result.ok) return domainProblem(result.error);
    const o = result.value.outcome;
    return c.json({
      webhookId: result.value.webhookId, delivered: o.kind === "delivered", outcome: o.kind,
      ...("status" in o && o.status ? { status: o.status } : {}), ...("error" in o ? { error: o.error } : {}),
    }, 200, { "cache-control": "no-store" });
  });

  r.put("/:slug/nextcloud", auth, validate("json", NextcloudInput), async (c) => {
    const { url, token } = c.req.valid("json");
    if (privateTarget(url, deps.config.allowPrivateNetwork)) return validationProblem([{ path: "url", message: "must be a public address" }]);
    return c.json(await setNextcloud(deps.db, c.var.provider, url, token, now()), 200, { "cache-control": "no-store" });
  });

  r.get("/:slug/nextcloud", auth, async (c) => {
    const nc = await findNextcloud(deps.db, c.var.provider.id);
    if (!nc) return problem(c, 404, "not-found", "No Nextcloud instance set; PUT {url, token} to set one.");
    return c.json({ url: nc.url, updatedAt: nc.updated_at }, 200, { "cache-control": "no-store" });
  });

  r.delete("/:slug/nextcloud", auth, async (c) => {
    if (!(await deleteNextcloud(deps.db, c.var.provider.id))) return problem(c, 404, "not-found", "No Nextcloud instance set.");
    return c.body(null, 204);
  });

  r.get("/:slug/signups", auth, validate("query", SignupListQuery), async (c) => {
    const q = c.req.valid("query");
    const before = q.cursor ? decode(q.cursor) : undefined;
    if (q.cursor && !before) return validationProblem([{ path: "cursor", message: "is not a valid cursor" }]);
    const statuses = q.status?.length ? q.status : ["pending", "delivered", "provisioning"];
    const { items, next } = await providerSignups(deps.db, c.var.provider.id, statuses, q.limit ?? 20, before);
    return c.json({ items, nextCursor: next ? encode(next) : null }, 200, { "cache-control": "no-store" });
  });

  r.get("/:slug/deliveries", auth, validate("query", DeliveryQuery), async (c) => {
    const q = c.req.valid("query");
    const limit = q.limit ?? 20;
    const rows = await listDeliveries(deps.db, { providerId: c.var.provider.id, status: q.status, limit, beforeId: q.cursor ? Number(q.cursor) : undefined });
    const page = rows.slice(0, limit);
    return c.json({
      items: page.map((d) => serializeDelivery(d, c.var.provider.slug)),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    }, 200, { "cache-control": "no-store" });
  });

  r.post("/:slug/deliveries/:id/redeliver", auth, async (c) => {
    const result = await redeliver(deps.db, c.req.param("id"), c.var.provider.id, now());
    if (!result.ok) return domainProblem(result.error);
    deps.wakeSignupWorker?.();
    return c.json(serializeDelivery(result.value, c.var.provider.slug), 202);
  });

  return r;
}
