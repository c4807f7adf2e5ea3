/** HTML pages of the signup flow: the form (/signup/{offerId}) with its form handler, and the status page. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { similarOpenOffers } from "../../domain/catalog/alternatives.ts";
import { offerById } from "../../domain/catalog/views.ts";
import type { DomainError } from "../../domain/errors.ts";
import { SignupInput } from "../../domain/signups/schemas.ts";
import { eraseOwnData, readStatus } from "../../domain/signups/status.ts";
import { nextStep, statusPath } from "../../domain/signups/views.ts";
import type { Locale } from "../../i18n/index.ts";
import { signupTranslator, type ST } from "../../i18n/signups.ts";
import { problemHeaders, statusOf } from "../errors.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { durationLabel, localized } from "../pages/format.ts";
import { SignupFormPage, type FormErrors, type FormValues } from "../pages/signup-form.tsx";
import { SignupNotFoundPage, SignupStatusPage } from "../pages/signup-status.tsx";
import { readForm } from "../validate.ts";
import { statusOptions, submitSignup } from "./signups.ts";

/** Each invalid field's message in the page's language (the API's own messages are for developers). */
function formErrors(issues: v.BaseIssue<unknown>[], st: ST): FormErrors {
  const out: FormErrors = {};
  for (const i of issues) {
    const field = String(i.path?.[0]?.key ?? "") as keyof FormErrors;
    if (out[field] !== undefined) continue;
    const tooLong = i.type === "max_length";
    const message = field === "email" ? st(tooLong ? "err.emailLong" : "err.email")
      : field === "name" ? st(tooLong ? "err.nameLong" : "err.nameRequired")
      : field === "username" ? st("err.username")
      : field === "message" ? st("err.messageLong")
      : field === "consent" ? st("err.consent")
      : undefined;
    if (message && ["email", "name", "username", "message", "consent"].includes(field)) out[field] = message;
  }
  return out;
}

/** A refused request, explained in the page's language. */
function notice(e: DomainError, st: ST, locale: Locale): string {
  if (e.kind === "rate-limited") return st(e.scope === "email" ? "notice.rateEmail" : "notice.rateIp", { duration: durationLabel(e.retryAfterSec, locale) });
  if (e.kind === "conflict") return st("notice.unavailable");
  if (e.kind === "not-found") return st("notice.notFound");
  return st("notice.error");
}

export function signupPagesRoutes(deps: Deps) {
  const r = new Hono();
  const retentionDays = Math.max(1, Math.round(deps.config.signupRetentionMs / 86_400_000));

  const renderForm = async (c: Context, status: number, extra: { values?: FormValues; errors?: FormErrors; notice?: string } = {}) => {
    const { locale, t } = localeOf(c);
    const st = signupTranslator(locale);
    const offerId = c.req.param("offerId") ?? "";
    const now = deps.clock.now();
    const offer = await offerById(deps.db, offerId, now);
    c.header("cache-control", "no-store");
    if (!offer) {
      return renderPage(c, locale, <SignupNotFoundPage locale={locale} t={t} st={st} message={st("signup.notFound")} path={`/signup/${encodeURIComponent(offerId.slice(0, 200))}`} />, 404, { cache: "no-store" });
    }
    const step = nextStep(offer);
    const alternatives = step.kind === "unavailable" ? await similarOpenOffers(deps.search, offer, now) : [];
    return renderPage(c, locale, (
      <SignupFormPage locale={locale} t={t} st={st} offer={offer} step={step} alternatives={alternatives} retentionDays={retentionDays}
        mail={deps.mailer !== undefined} {...extra} />
    ), status, { cache: "no-store" });
  };

  r.get("/signup/:offerId", (c) => renderForm(c, 200));

  r.post("/signup/:offerId", async (c) => {
    const { locale } = localeOf(c);
    const st = signupTranslator(locale);
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string).trim() : "");
    const values: FormValues = { email: str("email"), name: str("name"), username: str("username"), message: str("message"), consent: str("consent") !== "" };
    const input = {
      offerId: c.req.param("offerId"), email: values.email, name: values.name, locale,
      ...(values.username ? { username: values.username } : {}), ...(values.message ? { message: values.message } : {}),
      ...(values.consent ? { consent: true } : {}),
    };
    const parsed = v.safeParse(SignupInput, input);
    if (!parsed.success) return renderForm(c, 400, { values, errors: formErrors(parsed.issues, st) });
    const result = await submitSignup(deps, c, parsed.output);
    if (!result.ok) {
      const e = result.error;
      for (const [k, val] of Object.entries(problemHeaders(e))) c.header(k, val);
      return renderForm(c, statusOf(e), { values, notice: notice(e, st, locale) });
    }
    return c.redirect(`${statusPath(result.value.signup.id, result.value.token)}&lang=${locale}`, 303);
  });

  r.get("/signups/:id", async (c) => {
    const { locale, t } = localeOf(c);
    const st = signupTranslator(locale);
    const id = c.req.param("id");
    const token = c.req.query("token");
    const path = token ? statusPath(id, token) : `/signups/${encodeURIComponent(id)}`;
    c.header("referrer-policy", "no-referrer"); // the URL holds the secret token
    const result = await readStatus(deps.db, id, token, statusOptions(deps));
    if (!result.ok) return renderPage(c, locale, <SignupNotFoundPage locale={locale} t={t} st={st} message={st("status.notFound")} path={path} />, 404, { cache: "no-store" });
    const offer = await offerById(deps.db, result.value.offerId, deps.clock.now());
    const shown = offer ? localized(offer.title, locale) : { text: result.value.offerId, lang: locale };
    return renderPage(c, locale, (
      <SignupStatusPage nowMs={deps.clock.now()} locale={locale} t={t} st={st} status={result.value} offerTitle={shown.text} offerTitleLang={shown.lang === locale ? undefined : shown.lang} service={offer?.service ?? ""} retentionDays={retentionDays} path={path} token={token} />
    ), 200, { cache: "no-store" });
  });

  // "Erase my data now" from the status page of a finished signup; the status token (in the body) is the only key.
  r.post("/signups/:id/erase", async (c) => {
    const { locale, t } = localeOf(c);
    const st = signupTranslator(locale);
    const id = c.req.param("id");
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const token = typeof form.token === "string" ? form.token.slice(0, 200) : undefined;
    c.header("referrer-policy", "no-referrer");
    const result = await eraseOwnData(deps.db, id, token, deps.clock.now(), statusOptions(deps));
    if (!result.ok && result.error.kind === "not-found") {
      return renderPage(c, locale, <SignupNotFoundPage locale={locale} t={t} st={st} message={st("status.notFound")} path={`/signups/${encodeURIComponent(id)}`} />, 404, { cache: "no-store" });
    }
    if (!result.ok) {
      return renderPage(c, locale, <SignupNotFoundPage locale={locale} t={t} st={st} message={st("status.eraseNotFinished")} path={statusPath(id, token!)} />, 409, { cache: "no-store" });
    }
    return c.redirect(`${statusPath(id, token!)}&lang=${locale}`, 303);
  });

  return r;
}
