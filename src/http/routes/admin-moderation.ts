/**
 * Moderation through the admin API (Bearer ADMIN_TOKEN; docs/decisions/0030): the review queue, approving, hiding
 * and unhiding providers and offers, people's reports, what is hidden, the audit log. The admin pages (/admin) and
 * the CLI call the same domain functions.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { approveProvider, closeReport, hideOffer, hideProvider, providerModeration, unhideOffer, unhideProvider, type Actor } from "../../domain/moderation/actions.ts";
import { CloseReportInput, HideInput, ListQuery, ModerationInput } from "../../domain/moderation/schemas.ts";
import { auditLog, hiddenList, reportList, reviewQueue } from "../../domain/moderation/views.ts";
import { requireAdmin } from "../auth.ts";
import { domainProblem, problemResponse } from "../errors.ts";
import { fieldErrors, jsonFromText, MAX_BODY_BYTES, readLimited, validate, validationProblem } from "../validate.ts";

/** Who acts through the API: the `by` of the body, else "admin API". */
const apiActor = (by: string | undefined): Actor => ({ name: by ?? "admin API", via: "api" });

/** A JSON body that may be left out entirely (then `{}`), validated like `validate("json", …)` otherwise. */
function optionalJson<S extends v.GenericSchema<unknown, unknown>>(schema: S): MiddlewareHandler {
  return async (c, next) => {
    if (Number(c.req.header("content-length") ?? "0") > MAX_BODY_BYTES) return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
    const text = await readLimited(c.req.raw, MAX_BODY_BYTES);
    if (text === undefined) return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
    // No body at all, whatever the content type says: the same as `{}`. A body must be JSON.
    let body: unknown = {};
    if (text.trim() !== "") {
      if (!/^application\/([a-z.+-]*\+)?json\b/i.test(c.req.header("content-type") ?? "")) return problemResponse(415, "unsupported-media-type", "Send the body as application/json.");
      body = jsonFromText(text);
      if (body instanceof Response) return body;
    }
    const r = v.safeParse(schema, body, { abortPipeEarly: true });
    if (!r.success) return validationProblem(fieldErrors(r.issues));
    c.req.addValidatedData("json", r.output as object);
    await next();
  };
}

export function adminModerationRoutes(deps: Deps) {
  const r = new Hono();
  r.use("*", requireAdmin(deps));
  const now = () => deps.clock.now();
  const json = (c: Context) => c.req.valid("json" as never) as { reason?: string; by?: string; note?: string };

  r.get("/review", async (c) => c.json(await reviewQueue(deps.db)));

  r.get("/providers/:slug", async (c) => {
    const result = await providerModeration(deps.db, c.req.param("slug"));
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.post("/providers/:slug/approve", optionalJson(ModerationInput), async (c) => {
    const b = json(c);
    const result = await approveProvider(deps.db, c.req.param("slug"), apiActor(b.by), b.reason, now());
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.post("/providers/:slug/hide", validate("json", HideInput), async (c) => {
    const b = c.req.valid("json");
    const result = await hideProvider(deps.db, c.req.param("slug"), apiActor(b.by), b.reason, now());
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.post("/providers/:slug/unhide", optionalJson(ModerationInput), async (c) => {
    const b = json(c);
    const result = await unhideProvider(deps.db, c.req.param("slug"), apiActor(b.by), b.reason, now());
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.post("/offers/:id/hide", validate("json", HideInput), async (c) => {
    const b = c.req.valid("json");
    const result = await hideOffer(deps.db, c.req.param("id"), apiActor(b.by), b.reason, now());
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.post("/offers/:id/unhide", optionalJson(ModerationInput), async (c) => {
    const b = json(c);
    const result = await unhideOffer(deps.db, c.req.param("id"), apiActor(b.by), b.reason, now());
    return result.ok ? c.json(result.value) : domainProblem(result.error);
  });

  r.get("/hidden", async (c) => c.json(await hiddenList(deps.db)));

  r.get("/reports", validate("query", ListQuery), async (c) => c.json(await reportList(deps.db, c.req.valid("query"))));

  r.post("/reports/:id/close", optionalJson(CloseReportInput), async (c) => {
    const b = json(c);
    const id = c.req.param("id");
    if (!/^\d{1,15}$/.test(id)) return validationProblem([{ path: "id", message: "must be a report number" }]);
    const result = await closeReport(deps.db, Number(id), apiActor(b.by), b.note, now());
    if (!result.ok) return domainProblem(result.error);
    const page = await reportList(deps.db, { status: "all", limit: 1, cursor: String(result.value.id + 1) });
    return c.json(page.items[0]);
  });

  r.get("/audit", validate("query", v.object({ limit: ListQuery.entries.limit, cursor: ListQuery.entries.cursor })), async (c) => c.json(await auditLog(deps.db, c.req.valid("query"))));

  return r;
}
