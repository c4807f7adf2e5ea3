/** HTML pages of the signup flow: the form (/signup/{offerId}) with its form handler, and the status page. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { findOfferById } from "../../db/queries/offers.ts";
import { findCandidate } from "../../db/queries/signups.ts";
import { SignupInput } from "../../domain/signups/schemas.ts";
import { readStatus } from "../../domain/signups/status.ts";
import { pickLocale as pickText } from "../../domain/text.ts";
import { pickLocale, translator, type Locale } from "../../i18n/index.ts";
import { signupTranslator } from "../../i18n/signups.ts";
import { SignupFormPage, type FormValues } from "../pages/signup-form.tsx";
import { SignupNotFoundPage, SignupStatusPage } from "../pages/signup-status.tsx";
import { statusPath } from "../signup-serializers.ts";
import { fieldErrors } from "../validate.ts";
import { submitSignup } from "./signups.ts";

export function signupPagesRoutes(deps: Deps) {
  const r = new Hono();
  const locale = (c: Context): Locale => pickLocale(c.req.query("lang"), c.req.header("accept-language"));

  const offerContext = async (offerId: string, loc: Locale) => {
    const offer = await findOfferById(deps.db, offerId);
    if (!offer || offer.source === "federated") return undefined;
    const cand = await findCandidate(deps.db, offerId, new Date(0).toISOString());
    const state: "open" | "external" | "unavailable" = offer.signup_mode === "external" ? "external"
      : offer.registration === "closed" || offer.capacity === "full" || Number(cand?.reachable) !== 1 ? "unavailable" : "open";
    return { offer, state, title: pickText(JSON.parse(offer.title_json), loc), providerName: offer.p_name };
  };

  const renderForm = async (c: Context, status: 200 | 400 | 404 | 409 | 429 | 503, extra: { values?: FormValues; errors?: ReturnType<typeof fieldErrors>; notice?: string } = {}) => {
    const loc = locale(c);
    const t = translator(loc);
    const st = signupTranslator(loc);
    const offerId = c.req.param("offerId") ?? "";
    const ctx = await offerContext(offerId, loc);
    c.header("cache-control", "no-store");
    if (!ctx) return c.html(<SignupNotFoundPage locale={loc} t={t} st={st} message={st("signup.notFound")} path={`/signup/${encodeURIComponent(offerId)}`} />, 404);
    return c.html(
      <SignupFormPage locale={loc} t={t} st={st} retentionDays={Math.max(1, Math.round(deps.config.signupRetentionMs / 86_400_000))} offerId={ctx.offer.id} offerTitle={ctx.title} providerName={ctx.providerName}
        state={ctx.state} externalUrl={ctx.offer.signup_url ?? undefined} {...extra} />,
      status,
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
      if (e.kind === "rate-limited") c.header("retry-after", String(e.retryAfterSec));
      const status = e.kind === "rate-limited" ? 429 : e.kind === "not-found" ? 404 : e.kind === "unavailable" ? 503 : e.kind === "invalid" ? 400 : 409;
      return renderForm(c, status, { values, notice: e.detail });
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
    const offer = await findOfferById(deps.db, result.value.offerId);
    const title = offer ? pickText(JSON.parse(offer.title_json), loc) : result.value.offerId;
    return c.html(<SignupStatusPage locale={loc} t={t} st={st} status={result.value} offerTitle={title} providerName={offer?.p_name ?? result.value.provider} path={path} />);
  });

  return r;
}
