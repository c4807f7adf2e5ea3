/** HTML pages of the signup flow: the form (/signup/{offerId}) with its form handler, and the status page. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { offerById } from "../../domain/catalog/views.ts";
import { SignupInput } from "../../domain/signups/schemas.ts";
import { readStatus } from "../../domain/signups/status.ts";
import { pickLocale as pickText } from "../../domain/text.ts";
import { pickLocale, translator, type Locale } from "../../i18n/index.ts";
import { signupTranslator } from "../../i18n/signups.ts";
import { SignupFormPage, type FormValues } from "../pages/signup-form.tsx";
import { SignupNotFoundPage, SignupStatusPage } from "../pages/signup-status.tsx";
import { signupFormState, statusPath } from "../../domain/signups/views.ts";
import { problemHeaders, statusOf } from "../errors.ts";
import { fieldErrors } from "../validate.ts";
import { submitSignup } from "./signups.ts";

export function signupPagesRoutes(deps: Deps) {
  const r = new Hono();
  const locale = (c: Context): Locale => pickLocale(c.req.query("lang"), c.req.header("accept-language"));

  const offerContext = async (offerId: string, loc: Locale) => {
    const offer = await offerById(deps.db, offerId, deps.clock.now());
    if (!offer || offer.source === "federated") return undefined;
    return { offer, state: signupFormState(offer), title: pickText(offer.title, loc), providerName: offer.provider.name };
  };

  const renderForm = async (c: Context, status: number, extra: { values?: FormValues; errors?: ReturnType<typeof fieldErrors>; notice?: string } = {}) => {
    const loc = locale(c);
    const t = translator(loc);
    const st = signupTranslator(loc);
    const offerId = c.req.param("offerId") ?? "";
    const ctx = await offerContext(offerId, loc);
    c.header("cache-control", "no-store");
    if (!ctx) return c.html(<SignupNotFoundPage locale={loc} t={t} st={st} message={st("signup.notFound")} path={`/signup/${encodeURIComponent(offerId)}`} />, 404);
    return c.html(
      <SignupFormPage locale={loc} t={t} st={st} retentionDays={Math.max(1, Math.round(deps.config.signupRetentionMs / 86_400_000))} offerId={ctx.offer.id} offerTitle={ctx.title} providerName={ctx.providerName}
        state={ctx.state} externalUrl={ctx.offer.signup.url} {...extra} />,
      status as ContentfulStatusCode,
    );
  };

  r.get("/signup/:offerId", (c) => renderForm(c, 200));

  r.post("/signup/:offerId", async (c) => {
    const loc = locale(c);
    let form: Record<string, string | File | (string | File)[]>;
    try { form = await c.req.parseBody(); } catch { form = {}; }
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string).trim() : "");
    const values: FormValues = { email: str("email"), name: str("name"), username: str("username"), message: str("message"), consent: str("consent") !== "" };
    const input = {
      offerId: c.req.param("offerId"), email: values.email, name: values.name, locale: loc,
      ...(values.username ? { username: values.username } : {}), ...(values.message ? { message: values.message } : {}),
      ...(values.consent ? { consent: true } : {}),
    };
    const parsed = v.safeParse(SignupInput, input);
    if (!parsed.success) return renderForm(c, 400, { values, errors: fieldErrors(parsed.issues) });
    const result = await submitSignup(deps, c, parsed.output);
    if (!result.ok) {
      const e = result.error;
      for (const [k, val] of Object.entries(problemHeaders(e))) c.header(k, val);
      return renderForm(c, statusOf(e), { values, notice: e.detail });
    }
    return c.redirect(`${statusPath(result.value.signup.id, result.value.token)}&lang=${loc}`, 303);
  });

  r.get("/signups/:id", async (c) => {
    const loc = locale(c);
    const t = translator(loc);
    const st = signupTranslator(loc);
    const id = c.req.param("id");
    const token = c.req.query("token");
    const path = token ? statusPath(id, token) : `/signups/${encodeURIComponent(id)}`;
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer"); // the URL holds the secret token
    const result = await readStatus(deps.db, id, token);
    if (!result.ok) return c.html(<SignupNotFoundPage locale={loc} t={t} st={st} message={st("status.notFound")} path={path} />, 404);
    const offer = await offerById(deps.db, result.value.offerId, deps.clock.now());
    const title = offer ? pickText(offer.title, loc) : result.value.offerId;
    return c.html(<SignupStatusPage locale={loc} t={t} st={st} status={result.value} offerTitle={title} providerName={offer?.provider.name ?? result.value.provider} path={path} />);
  });

  return r;
}
