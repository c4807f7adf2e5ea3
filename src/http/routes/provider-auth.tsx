/**
 * The provider space's doors: /for-providers, joining, signing in (token or emailed link), signing out. The signed-in
 * pages are in provider-space.tsx; both share the area (session cookie, form tokens) built by providerArea().
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import * as valibot from "valibot";
import type { Deps } from "../../deps.ts";
import { liveProvider, signOutEverywhere, type ProviderAccount } from "../../domain/providers/accounts.ts";
import { joinFromForm } from "../../domain/providers/join.ts";
import type { FormFields } from "../../domain/providers/offer-form.ts";
import { peekSigninLink, requestSigninLink, signInWithLink, signInWithToken } from "../../domain/providers/signin.ts";
import { Email } from "../../domain/schemas.ts";
import { providerTranslator, type PT } from "../../i18n/provider.ts";
import { clientIp } from "../client-ip.ts";
import { problemHeaders } from "../errors.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { JoinedPage, JoinPage, LinkConfirmPage, LinkSentPage, RefusedPage, SigninPage, type JoinValues } from "../pages/provider/auth.tsx";
import { ForProvidersPage } from "../pages/provider/for-providers.tsx";
import type { Notice, Signed, SpaceView } from "../pages/provider/shell.tsx";
import { durationLabel } from "../pages/format.ts";
import { sessionArea, type Area, type AreaVars } from "../session.ts";

export type SpaceVars = { Variables: AreaVars["Variables"] & { provider: ProviderAccount } };

/** Notices a page shows after a redirect (`?done=…`): only these known keys, never text from the URL. */
export const DONE = [
  "offer-created", "offer-saved", "offer-deleted", "confirmed", "source-set", "source-pending", "source-removed", "nextcloud-set",
  "nextcloud-removed", "redelivered", "email-saved", "signup-moved", "signed-out", "signed-out-all", "expired",
] as const;
export type Done = (typeof DONE)[number];

export function doneNotice(c: Context, pt: PT): Notice[] {
  const d = c.req.query("done");
  return d && (DONE as readonly string[]).includes(d) ? [{ kind: d === "expired" ? "warn" : "ok", text: pt(`done.${d as Done}`), id: "done" }] : [];
}

/** The provider space's session area and the helpers its routes share. */
export function providerArea(deps: Deps) {
  const area: Area = sessionArea(deps, "provider", "/provider");

  const view = async (c: Context): Promise<SpaceView> => {
    const { locale, t } = localeOf(c);
    return { locale, t, pt: providerTranslator(locale), csrf: await area.token(c), mail: deps.mailer !== undefined, ...(deps.config.operator.contact ? { contact: deps.config.operator.contact } : {}) };
  };
  const signedView = async (c: Context<SpaceVars>): Promise<Signed> => ({ ...(await view(c)), provider: { name: c.var.provider.name, slug: c.var.provider.slug } });
  /** Every page of the space: never cached, never sent as a referrer. */
  const page = (c: Context, node: unknown, status = 200) => {
    c.header("referrer-policy", "no-referrer");
    return renderPage(c, localeOf(c).locale, node as JSX.Element, status, { cache: "no-store" });
  };
  const to = (c: Context, path: string, done?: Done) => {
    const { locale } = localeOf(c);
    return c.redirect(`${path}${path.includes("?") ? "&" : "?"}${done ? `done=${done}&` : ""}lang=${locale}`, 303);
  };
  const refuse = async (c: Context, why: "token" | "too-large") => {
    const back = new URL(c.req.url).pathname.replace(/\/(delete|remove|rotate|test|pull|redeliver|provisioning|active|rejected|use|confirm)$/, "");
    const safeBack = /^\/provider(\/[a-z0-9/_~-]*)?$/i.test(back) && !back.startsWith("/provider/signin/link") ? back : "/provider";
    return page(c, <RefusedPage {...(await view(c))} why={why} back={safeBack} signedIn={c.get("session") !== undefined} />, why === "token" ? 403 : 413);
  };
  const anonymous = area.protect({ anonymous: true, refuse });
  const protect = area.protect({ refuse });

  /** Signed in as a live provider, else to the sign-in page. Sets `c.var.provider`. */
  const signedIn: MiddlewareHandler<SpaceVars> = async (c, next) => {
    const s = c.var.session;
    const provider = s ? await liveProvider(deps.db, Number(s.subject)) : undefined;
    if (!s || !provider) {
      if (s) await area.end(c);
      return to(c, "/provider/signin", "expired");
    }
    c.set("provider", provider);
    await next();
  };

  return { area, view, signedView, page, to, anonymous, protect, signedIn };
}

export type ProviderArea = ReturnType<typeof providerArea>;

function joinValues(f: FormFields): JoinValues {
  const out: JoinValues = {};
  for (const k of ["name", "website", "email", "country", "orgType", "description_fr", "description_en", "slug"] as const) out[k] = (f.get(k) ?? "").slice(0, 4000);
  return out;
}

export function providerAuthRoutes(deps: Deps, a: ProviderArea) {
  const r = new Hono<SpaceVars>();
  const now = () => deps.clock.now();
  const hours = Math.max(1, Math.round(deps.config.crawlIntervalMs / 3_600_000));

  r.get("/for-providers", async (c) => {
    const { locale, t } = localeOf(c);
    return renderPage(c, locale, <ForProvidersPage locale={locale} t={t} intervalHours={hours} />);
  });

  r.use("/provider/*", a.area.load); // "/provider/*" also matches "/provider"

  r.get("/provider", (c) => a.to(c, c.var.session ? "/provider/dashboard" : "/provider/signin"));

  r.get("/provider/join", async (c) => {
    if (c.var.session) return a.to(c, "/provider/dashboard");
    return a.page(c, <JoinPage {...(await a.view(c))} />);
  });

  r.post("/provider/join", a.anonymous, async (c) => {
    const f = c.var.form!;
    // The API's limit on registrations per client address applies here too.
    const result = await joinFromForm(deps.db, f, now(), { ip: clientIp(c, deps.config.clientIpHeader), perIp: deps.config.registrationRateLimitIp });
    const v = await a.view(c);
    if (!result.ok) {
      const e = result.error;
      const notice = e.kind === "rate-limited" ? v.pt("join.rate", { duration: durationLabel(e.retryAfterSec, v.locale) }) : v.pt("join.failed");
      if (e.kind === "rate-limited") c.header("retry-after", String(e.retryAfterSec));
      return a.page(c, <JoinPage {...v} values={joinValues(f)} errors={e.kind === "invalid" ? e.fields : {}}
        notices={e.kind === "invalid" ? [] : [{ kind: "bad", text: notice }]} />, e.kind === "invalid" ? 400 : e.kind === "rate-limited" ? 429 : 409);
    }
    const { provider, token } = result.value;
    await a.area.begin(c, String(provider.id));
    return a.page(c, <JoinedPage {...(await a.view(c))} provider={{ name: provider.name, slug: provider.slug }} token={token} waiting={provider.listed !== 1} />, 201);
  });

  r.get("/provider/signin", async (c) => {
    if (c.var.session && (await liveProvider(deps.db, Number(c.var.session.subject)))) return a.to(c, "/provider/dashboard");
    const v = await a.view(c);
    return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} notices={doneNotice(c, v.pt)} />);
  });

  const rateNotice = (pt: PT, locale: "fr" | "en", seconds: number): Notice => ({ kind: "bad", text: pt("signin.rate", { duration: durationLabel(seconds, locale) }) });

  r.post("/provider/signin", a.anonymous, async (c) => {
    const v = await a.view(c);
    const token = (c.var.form!.get("token") ?? "").trim();
    if (!token) return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} tokenError={v.pt("err.token")} />, 400);
    const result = await signInWithToken(deps.db, token, clientIp(c, deps.config.clientIpHeader), now());
    if (!result.ok) {
      for (const [k, val] of Object.entries(problemHeaders(result.error))) c.header(k, val);
      if (result.error.kind === "rate-limited") return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} notices={[rateNotice(v.pt, v.locale, result.error.retryAfterSec)]} />, 429);
      return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} tokenError={v.pt("signin.wrongToken")} />, 401);
    }
    await a.area.begin(c, String(result.value.id));
    return a.to(c, "/provider/dashboard");
  });

  r.post("/provider/signin/link", a.anonymous, async (c) => {
    const v = await a.view(c);
    const email = (c.var.form!.get("email") ?? "").trim().slice(0, 300);
    if (!deps.mailer) return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} />, 404);
    if (!valibot.is(Email, email)) return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} email={email} emailError={v.pt("err.email")} />, 400);
    const result = await requestSigninLink(deps.db, email, v.locale, clientIp(c, deps.config.clientIpHeader), now());
    if (!result.ok) {
      for (const [k, val] of Object.entries(problemHeaders(result.error))) c.header(k, val);
      const wait = result.error.kind === "rate-limited" ? result.error.retryAfterSec : 60;
      return a.page(c, <SigninPage {...v} mail={deps.mailer !== undefined} email={email} notices={[rateNotice(v.pt, v.locale, wait)]} />, 429);
    }
    if (result.value.queued) deps.wakeSignupWorker?.();
    return a.page(c, <LinkSentPage {...v} email={email} />);
  });

  r.get("/provider/signin/link", async (c) => {
    const token = c.req.query("token")?.slice(0, 200);
    const p = await peekSigninLink(deps.db, token, now());
    return a.page(c, <LinkConfirmPage {...(await a.view(c))} token={token ?? ""} linkFor={p ? { name: p.name } : undefined} />, p ? 200 : 410);
  });

  r.post("/provider/signin/link/use", a.anonymous, async (c) => {
    const result = await signInWithLink(deps.db, c.var.form!.get("token")?.slice(0, 200), now());
    if (!result.ok) return a.page(c, <LinkConfirmPage {...(await a.view(c))} token="" />, 410);
    await a.area.begin(c, String(result.value.id));
    return a.to(c, "/provider/dashboard");
  });

  r.post("/provider/signout", a.protect, async (c) => {
    await a.area.end(c);
    return a.to(c, "/provider/signin", "signed-out");
  });

  r.post("/provider/signout-everywhere", a.protect, async (c) => {
    const s = c.var.session;
    if (s) await signOutEverywhere(deps.db, { id: Number(s.subject) });
    await a.area.end(c);
    return a.to(c, "/provider/signin", "signed-out-all");
  });

  return r;
}

