/**
 * SEED=demo only: the receiver standing in for the demo providers (domain/demo.ts), and the page their "login" links
 * open. Clearly marked as a demo; absent from any other directory.
 */
import { Hono } from "hono";
import type { DemoReceiver } from "../../domain/demo.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { DemoLoginPage } from "../pages/demo.tsx";

const MAX_BODY = 256 * 1024;

export function demoRoutes(demo: DemoReceiver) {
  const r = new Hono();

  r.post("/demo/providers/:slug/webhook", async (c) => {
    const body = await c.req.text();
    if (body.length > MAX_BODY) return c.json({ error: "too large" }, 413);
    const reply = await demo.webhook(c.req.param("slug"), {
      id: c.req.header("webhook-id"), timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature"),
    }, body);
    return c.json(reply.body, reply.status as 200);
  });

  // preferred_providers' account request: <instance>/…/account/request/<token>, form field `email`.
  r.post("/demo/providers/:slug/nextcloud/*", async (c) => {
    const token = decodeURIComponent(new URL(c.req.url).pathname.split("/").pop() ?? "");
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const reply = demo.nextcloud(c.req.param("slug"), token, typeof form.email === "string" ? form.email : "");
    return c.json(reply.body, reply.status as 200);
  });

  r.get("/demo/providers/:slug/login", (c) => {
    const { locale, t } = localeOf(c);
    const slug = c.req.param("slug");
    if (!demo.isDemo(slug)) return c.notFound();
    return renderPage(c, locale, <DemoLoginPage locale={locale} t={t} slug={slug} />);
  });

  return r;
}
