/**
 * People report an offer to the people who run the directory: `POST /api/v1/offers/{id}/reports` and the page behind
 * "Signaler cette offre" (`/offers/{id}/report`, a form with a token against cross-site posts). Rate limited per
 * client address (REPORT_RATE_LIMIT_IP); the operator reads them in /admin/reports or GET /api/v1/admin/reports.
 */
import { Hono, type Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { offerById } from "../../domain/catalog/views.ts";
import { ReportInput } from "../../domain/moderation/schemas.ts";
import { reportOffer } from "../../domain/moderation/views.ts";
import { adminTranslator } from "../../i18n/admin.ts";
import { clientIp } from "../client-ip.ts";
import { domainProblem } from "../errors.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { durationLabel } from "../pages/format.ts";
import { ReportPage, ReportSentPage, type ReportValues } from "../pages/report.tsx";
import { NotFoundPage } from "../pages/provider.tsx";
import { sessionArea, type AreaVars } from "../session.ts";
import { validate } from "../validate.ts";

export function reportRoutes(deps: Deps) {
  const r = new Hono<AreaVars>();
  const now = () => deps.clock.now();
  const limits = (c: Context) => ({ ip: clientIp(c, deps.config.clientIpHeader), perIp: deps.config.reportRateLimitIp });

  r.post("/api/v1/offers/:id/reports", validate("json", ReportInput), async (c) => {
    const { locale } = localeOf(c);
    const result = await reportOffer(deps.db, c.req.param("id"), c.req.valid("json"), locale, limits(c), now());
    if (!result.ok) return domainProblem(result.error);
    return c.json({ id: result.value.id, status: "open" as const }, 201, { "cache-control": "no-store" });
  });

  // The form's token comes from a pre-session secret in an HttpOnly cookie limited to /offers (http/session.ts).
  const area = sessionArea(deps, "public", "/offers");
  const page = (c: Context, node: unknown, status = 200) => renderPage(c, localeOf(c).locale, node as JSX.Element, status, { cache: "no-store" });
  const missing = (c: Context) => {
    const { locale, t } = localeOf(c);
    return page(c, <NotFoundPage locale={locale} t={t} message={adminTranslator(locale)("report.notFound")} path={new URL(c.req.url).pathname.slice(0, 300)} />, 404);
  };
  const form = async (c: Context, status: number, extra: { values?: ReportValues; errors?: { reason?: string; message?: string }; notice?: string } = {}) => {
    const { locale, t } = localeOf(c);
    const offer = await offerById(deps.db, c.req.param("id") ?? "", now());
    if (!offer) return missing(c);
    const at = adminTranslator(locale);
    return page(c, <ReportPage locale={locale} t={t} at={at} csrf={await area.token(c)} offer={offer} values={extra.values} errors={extra.errors}
      notices={extra.notice ? [{ kind: "bad", text: extra.notice, id: "report-problem" }] : []} />, status);
  };
  const refuse = async (c: Context) => {
    const { locale } = localeOf(c);
    return form(c, 403, { notice: adminTranslator(locale)("report.refused") });
  };

  r.get("/offers/:id/report", (c) => form(c, 200));

  r.post("/offers/:id/report", area.protect({ anonymous: true, refuse }), async (c) => {
    const { locale, t } = localeOf(c);
    const at = adminTranslator(locale);
    const f = c.var.form!;
    const values: ReportValues = { reason: (f.get("reason") ?? "").slice(0, 40), message: (f.get("message") ?? "").slice(0, 4000) };
    const parsed = v.safeParse(ReportInput, { reason: values.reason, ...(values.message?.trim() ? { message: values.message } : {}) });
    if (!parsed.success) {
      const errors: { reason?: string; message?: string } = {};
      for (const i of parsed.issues) {
        const field = String(i.path?.[0]?.key ?? "");
        if (field === "reason") errors.reason = at("report.chooseReason");
        if (field === "message") errors.message = at("report.tooLong");
      }
      return form(c, 400, { values, errors });
    }
    const result = await reportOffer(deps.db, c.req.param("id"), parsed.output, locale, limits(c), now());
    if (!result.ok && result.error.kind === "not-found") return missing(c);
    if (!result.ok) {
      if (result.error.kind === "rate-limited") c.header("retry-after", String(result.error.retryAfterSec));
      const wait = result.error.kind === "rate-limited" ? result.error.retryAfterSec : 60;
      return form(c, 429, { values, notice: at("report.rate", { duration: durationLabel(wait, locale) }) });
    }
    const offer = (await offerById(deps.db, c.req.param("id"), now()))!;
    return page(c, <ReportSentPage locale={locale} t={t} at={at} offer={offer} />, 201);
  });

  return r;
}
