/**
 * SEED=demo only: the receiver standing in for the demo providers (domain/demo.ts), and the page their "login" links
 * open. Clearly marked as a demo; absent from any other directory.
 */
import { Hono } from "hono";
import type { DemoReceiver } from "../../domain/demo.ts";
import { MAX_JSON_BODY_BYTES } from "../../lib/body-limits.ts";
import { readRequestBody } from "../../lib/bytes.ts";
import { problemResponse } from "../errors.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { DemoLoginPage } from "../pages/demo.tsx";
import { readForm } from "../validate.ts";

export function demoRoutes(demo: DemoReceiver) {
  const r = new Hono();

  r.post("/demo/providers/:slug/webhook", async (c) => {
    const bytes = await readRequestBody(c.req.raw.body, MAX_JSON_BODY_BYTES);
    if (!bytes) return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_JSON_BODY_BYTES} bytes.`);
    const body = new TextDecoder().decode(bytes);
    const reply = await demo.webhook(c.req.param("slug"), {
      id: c.req.header("webhook-id"), timestamp: c.req.header("webhook-timestamp"), signature: c.req.header("webhook-signature"),
    }, body);
    return c.json(reply.body, reply.status as 200);
  });

  // preferred_providers' account request: <instance>/…/account/request/<token>, form field `email`.
  r.post("/demo/providers/:slug/nextcloud/*", async (c) => {
    const token = decodeURIComponent(new URL(c.req.url).pathname.split("/").pop() ?? "");
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const reply = demo.nextcloud(c.req.param("slug"), token, form.email ?? "");
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
