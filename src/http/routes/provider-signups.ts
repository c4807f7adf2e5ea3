/**
 * A provider's side of the signup flow, under /api/v1/providers/{slug}: its webhook (URL, secret, rotation, test),
 * its Nextcloud instance, its signups and its deliveries (dead letters, redelivery). Bearer token of that provider.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { describeNextcloud, describeWebhook, pingWebhook, redeliver, removeNextcloud, rotateWebhookSecret, setNextcloud, setWebhook } from "../../domain/signups/destinations.ts";
import { DeliveryQuery, NextcloudInput, WebhookInput } from "../../domain/signups/schemas.ts";
import { SignupListQuery } from "../../domain/api-schemas.ts";
import { providerSignups } from "../../domain/signups/status.ts";
import { deliveryList, presentDelivery } from "../../domain/signups/views.ts";
import { requireProvider, type ProviderVars } from "../auth.ts";
import { domainProblem, problem } from "../errors.ts";
import { validate } from "../validate.ts";


export function providerSignupRoutes(deps: Deps) {
  const r = new Hono<ProviderVars>();
  const now = () => deps.clock.now();
  const auth = requireProvider(deps);

  r.get("/:slug/webhook", auth, async (c) => {
    const wh = await describeWebhook(deps.db, c.var.provider, now());
    if (!wh) return problem(c, 404, "not-found", "No webhook set; PUT {url} to set one.");
    return c.json(wh, 200, { "cache-control": "no-store" });
  });

  r.put("/:slug/webhook", auth, validate("json", WebhookInput), async (c) => {
    const result = await setWebhook(deps.db, c.var.provider, c.req.valid("json").url, now(), { allowPrivate: deps.config.allowPrivateNetwork });
    if (!result.ok) return domainProblem(result.error);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  });

  r.post("/:slug/webhook/rotate", auth, async (c) => {
    const result = await rotateWebhookSecret(deps.db, c.var.provider, now(), deps.config.webhookSecretOverlapMs);
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
    const result = await setNextcloud(deps.db, c.var.provider, url, token, now(), { allowPrivate: deps.config.allowPrivateNetwork });
    if (!result.ok) return domainProblem(result.error);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  });

  r.get("/:slug/nextcloud", auth, async (c) => {
    const nc = await describeNextcloud(deps.db, c.var.provider);
    if (!nc) return problem(c, 404, "not-found", "No Nextcloud instance set; PUT {url, token} to set one.");
    return c.json(nc, 200, { "cache-control": "no-store" });
  });

  r.delete("/:slug/nextcloud", auth, async (c) => {
    if (!(await removeNextcloud(deps.db, c.var.provider, deps.clock.now()))) return problem(c, 404, "not-found", "No Nextcloud instance set.");
    return c.body(null, 204);
  });

  r.get("/:slug/signups", auth, validate("query", SignupListQuery), async (c) => {
    const q = c.req.valid("query");
    const statuses = q.status?.length ? q.status : ["pending", "delivered", "provisioning"];
    const result = await providerSignups(deps.db, c.var.provider.id, statuses, q.limit ?? 20, q.cursor);
    if (!result.ok) return domainProblem(result.error);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  });

  r.get("/:slug/deliveries", auth, validate("query", DeliveryQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await deliveryList(deps.db, { providerId: c.var.provider.id, status: q.status, limit: q.limit, cursor: q.cursor }), 200, { "cache-control": "no-store" });
  });

  r.post("/:slug/deliveries/:id/redeliver", auth, async (c) => {
    const result = await redeliver(deps.db, c.req.param("id"), c.var.provider.id, now());
    if (!result.ok) return domainProblem(result.error);
    deps.wakeSignupWorker?.();
    return c.json(presentDelivery(result.value, c.var.provider.slug), 202);
  });

  return r;
}
