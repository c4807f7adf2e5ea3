/**
 * The signed-in provider space under /provider: dashboard, offer editor, publishing by file, receiving signups,
 * signups, domain verification, account. Every route acts on the signed-in provider only (nothing names another
 * provider: an id that is not its own is simply not found), and every form is checked against its session's token.
 */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { ownOfferById } from "../../domain/catalog/views.ts";
import { listingPolicy } from "../../domain/catalog/offers.ts";
import { clientIp } from "../client-ip.ts";
import { durationLabel } from "../pages/format.ts";
import { rotateToken, updateContactEmail, verificationUrl } from "../../domain/providers/accounts.ts";
import { deleteProviderAccount } from "../../domain/providers/deletion.ts";
import { checkOfferForm, deleteFromEditor, formFromOffer, newOfferSlug, ownOffer, previewOffer, saveFromEditor, type FormErrors } from "../../domain/providers/offer-form.ts";
import { offerVersion } from "../../domain/providers/offers.ts";
import { catalogSoftware, confirmOffers, deliveryAttempts, providerDashboard } from "../../domain/providers/space.ts";
import { verifyNow } from "../../domain/providers/verification.ts";
import { liveSessions } from "../../domain/sessions.ts";
import { SourceInput } from "../../domain/sources/document.ts";
import { providerSource, removeProviderSource, setProviderSource } from "../../domain/sources/manage.ts";
import { describeNextcloud, describeWebhook, pingWebhook, redeliver, removeNextcloud, rotateWebhookSecret, setNextcloud, setWebhook } from "../../domain/signups/destinations.ts";
import { NextcloudInput, SignupEventInput, WebhookInput } from "../../domain/signups/schemas.ts";
import { providerSignups, reportSignupEvent } from "../../domain/signups/status.ts";
import { deliveryList } from "../../domain/signups/views.ts";
import { AccountPage, DeletedPage, DeletePage, VerificationPage } from "../pages/provider/account.tsx";
import { DashboardPage } from "../pages/provider/dashboard.tsx";
import { editorValues, OfferEditorPage, type EditorValues } from "../pages/provider/offer-editor.tsx";
import { PublishingPage } from "../pages/provider/publishing.tsx";
import { ReceivingPage, type Ping } from "../pages/provider/receiving.tsx";
import { SpaceLayout, type Notice } from "../pages/provider/shell.tsx";
import { SignupsPage, type SignupFilter } from "../pages/provider/signups.tsx";
import { localized } from "../pages/format.ts";
import { doneNotice, type ProviderArea, type SpaceVars } from "./provider-auth.tsx";
import { statusOptions } from "./signups.ts";

const FILTERS: Record<SignupFilter, string[]> = {
  open: ["pending", "delivered", "provisioning"], done: ["active", "rejected", "failed"], all: ["pending", "delivered", "provisioning", "active", "rejected", "failed"],
};

export function providerSpaceRoutes(deps: Deps, a: ProviderArea) {
  const r = new Hono<SpaceVars>();
  const now = () => deps.clock.now();
  const hours = Math.max(1, Math.round(deps.config.crawlIntervalMs / 3_600_000));
  // "/x/*" also matches "/x" itself.
  const SIGNED = ["/provider/dashboard", "/provider/offers/*", "/provider/publishing/*", "/provider/receiving/*", "/provider/signups/*", "/provider/verification/*", "/provider/account/*"];
  for (const path of SIGNED) r.use(path, a.signedIn, a.protect);

  const notFound = async (c: Context<SpaceVars>) => {
    const v = await a.signedView(c);
    return a.page(c, (
      <SpaceLayout {...v} title={v.pt("notFound.title")} path="/provider/dashboard">
        <h1>{v.pt("notFound.title")}</h1>
        <p class="lead">{v.pt("notFound.text")}</p>
        <p><a class="btn" href={`/provider/dashboard?lang=${v.locale}`}>{v.pt("nav.dashboard")}</a></p>
      </SpaceLayout>
    ), 404);
  };

  // ---- dashboard ----

  r.get("/provider/dashboard", async (c) => {
    const v = await a.signedView(c);
    const dash = await providerDashboard(deps.db, c.var.provider, now());
    return a.page(c, <DashboardPage {...v} dash={dash} notices={doneNotice(c, v.pt)} />);
  });

  r.post("/provider/offers/confirm", async (c) => {
    await confirmOffers(deps.db, c.var.provider, now());
    return a.to(c, "/provider/dashboard", "confirmed");
  });

  // ---- offer editor ----

  const editor = async (c: Context<SpaceVars>, o: { slug?: string; version: string; values: EditorValues; errors?: FormErrors; preview?: Awaited<ReturnType<typeof previewOffer>>; notices?: Notice[]; publicId?: string; listing?: { state: string; reason?: string } }, status = 200) => {
    const v = await a.signedView(c);
    return a.page(c, <OfferEditorPage {...v} {...o} notices={[...doneNotice(c, v.pt), ...(o.notices ?? [])]} software={await catalogSoftware(deps.db)} />, status);
  };

  r.get("/provider/offers/new", async (c) => {
    const p = c.var.provider;
    const { locale } = await a.view(c);
    return editor(c, { version: "new", values: { priceModel: "free", priceCurrency: "EUR", pricePeriod: "month", registration: "open", capacity: "available", signupMode: "webhook", dataLocation: p.country, languages: [locale] } });
  });

  /** Preview or save of a posted editor form; `slug` undefined = a new offer. */
  const submit = async (c: Context<SpaceVars>, slug: string | undefined) => {
    const p = c.var.provider;
    const f = c.var.form!;
    const v = await a.signedView(c);
    const version = (f.get("version") ?? "").slice(0, 64) || "new";
    const values = editorValues(f);
    const checked = checkOfferForm(f);
    const base = { slug, version, values };
    if (!checked.ok) return editor(c, { ...base, errors: checked.error.fields }, 400);
    const input = checked.value;
    let offerSlug = slug;
    if (offerSlug === undefined) {
      const s = await newOfferSlug(deps.db, p, (f.get("slug") ?? "").trim().toLowerCase(), input.title[v.locale] ?? Object.values(input.title)[0] ?? "");
      if (!s.ok) return editor(c, { ...base, errors: s.error.fields }, 400);
      offerSlug = s.value;
    }
    if (f.get("action") === "preview") return editor(c, { ...base, preview: await previewOffer(deps.db, p, offerSlug, input, now()) });
    const saved = await saveFromEditor(deps.db, p, offerSlug, input, slug === undefined ? "new" : version, now());
    if (!saved.ok) {
      if (saved.error.kind !== "precondition-failed") throw new Error(saved.error.detail);
      // Another tab (or the API) changed the offer since this page was shown: nothing is saved. The current version
      // is shown as the preview; the person's values stay in the form, and saving again replaces the current one.
      const current = await ownOffer(deps.db, p, offerSlug, now());
      if (!current) return slug === undefined ? editor(c, { ...base, errors: { slug: { code: "slug-taken" } } }, 409) : notFound(c);
      return editor(c, {
        ...base, version: await offerVersion(current), preview: current, publicId: current.id,
        notices: [{ kind: "bad", id: "stale-edit", text: <><strong>{v.pt("editor.staleTitle")}</strong> {v.pt("editor.stale")}</> }],
      }, 409);
    }
    return a.to(c, `/provider/offers/${encodeURIComponent(offerSlug)}`, slug === undefined ? "offer-created" : "offer-saved");
  };

  r.post("/provider/offers/new", (c) => submit(c, undefined));

  r.get("/provider/offers/:slug", async (c) => {
    const { locale } = await a.view(c);
    const offer = await ownOffer(deps.db, c.var.provider, c.req.param("slug"), now());
    if (!offer) return notFound(c);
    return editor(c, { slug: c.req.param("slug"), version: await offerVersion(offer), values: formFromOffer(offer, locale), preview: offer, publicId: offer.id, listing: offer.listing });
  });

  r.post("/provider/offers/:slug", async (c) => {
    if (!(await ownOffer(deps.db, c.var.provider, c.req.param("slug"), now()))) return notFound(c);
    return submit(c, c.req.param("slug"));
  });

  r.post("/provider/offers/:slug/delete", async (c) => {
    const slug = c.req.param("slug");
    const offer = await ownOffer(deps.db, c.var.provider, slug, now());
    if (!offer) return notFound(c);
    const v = await a.signedView(c);
    const f = c.var.form!;
    const again = async (text: string) => editor(c, { slug, version: await offerVersion(offer), values: formFromOffer(offer, v.locale), preview: offer, publicId: offer.id, notices: [{ kind: "bad", text }] }, 409);
    if (f.get("confirm") !== "yes") return again(v.pt("editor.deleteUnconfirmed"));
    const r2 = await deleteFromEditor(deps.db, c.var.provider, slug, (f.get("version") ?? "").slice(0, 64), now());
    if (!r2.ok) return again(v.pt("editor.stale"));
    return a.to(c, "/provider/dashboard", "offer-deleted");
  });

  // ---- publishing by file ----

  const publishing = async (c: Context<SpaceVars>, extra: { values?: { url?: string; format?: string }; errors?: FormErrors; retryAfterSec?: number } = {}, status = 200) => {
    const v = await a.signedView(c);
    const source = await providerSource(deps.db, c.var.provider);
    const { retryAfterSec, ...rest } = extra;
    const limited: Notice[] = retryAfterSec ? [{ kind: "bad", text: v.pt("limit.source", { duration: durationLabel(retryAfterSec, v.locale) }), id: "limited" }] : [];
    return a.page(c, <PublishingPage {...v} source={source} intervalHours={hours} notices={[...doneNotice(c, v.pt), ...limited]} {...rest} />, status);
  };
  // The API's limits: each change pulls the file at once (docs/decisions/0019).
  const sourceLimits = (c: Context) => ({ ip: clientIp(c, deps.config.clientIpHeader), perIp: deps.config.sourceRateLimitIp, perProvider: deps.config.sourceRateLimitProvider });
  const background = (c: Context) => (p: Promise<unknown>) => { try { c.executionCtx.waitUntil(p); } catch { /* Node: it runs on */ } };

  r.get("/provider/publishing", (c) => publishing(c));

  r.post("/provider/publishing", async (c) => {
    const f = c.var.form!;
    const values = { url: (f.get("url") ?? "").trim().slice(0, 2100), format: f.get("format") ?? "" };
    const parsed = v.safeParse(SourceInput, values);
    if (!parsed.success) {
      const errors: FormErrors = {};
      for (const i of parsed.issues) {
        const k = String(i.path?.[0]?.key ?? "url");
        errors[k] ??= k === "format" ? { code: "choose" } : values.url === "" ? { code: "required" } : { code: "url" };
      }
      return publishing(c, { values, errors }, 400);
    }
    const result = await setProviderSource(deps, c.var.provider, parsed.output, { background: background(c), limits: sourceLimits(c) });
    if (!result.ok) {
      if (result.error.kind === "rate-limited") return publishing(c, { values, retryAfterSec: result.error.retryAfterSec }, 429);
      return publishing(c, { values, errors: { url: { code: "private" } } }, 400);
    }
    return a.to(c, "/provider/publishing", result.value.pending ? "source-pending" : "source-set");
  });

  r.post("/provider/publishing/pull", async (c) => {
    const source = await providerSource(deps.db, c.var.provider);
    if (!source) return a.to(c, "/provider/publishing");
    const result = await setProviderSource(deps, c.var.provider, { url: source.url, format: source.format }, { background: background(c), limits: sourceLimits(c) });
    if (!result.ok) return publishing(c, result.error.kind === "rate-limited" ? { retryAfterSec: result.error.retryAfterSec } : {}, result.error.kind === "rate-limited" ? 429 : 400);
    return a.to(c, "/provider/publishing", result.value.pending ? "source-pending" : "source-set");
  });

  r.post("/provider/publishing/remove", async (c) => {
    const result = await removeProviderSource(deps, c.var.provider, sourceLimits(c));
    if (!result.ok && result.error.kind === "rate-limited") return publishing(c, { retryAfterSec: result.error.retryAfterSec }, 429);
    return a.to(c, "/provider/publishing", "source-removed");
  });

  // ---- receiving signups ----

  const receiving = async (c: Context<SpaceVars>, extra: { secret?: string; ping?: Ping; errors?: FormErrors; values?: { url?: string; ncUrl?: string }; notices?: Notice[] } = {}, status = 200) => {
    const v = await a.signedView(c);
    const p = c.var.provider;
    const cursor = c.req.query("cursor");
    const list = await deliveryList(deps.db, { providerId: p.id, limit: 20, cursor: cursor && /^\d{1,15}$/.test(cursor) ? cursor : undefined });
    return a.page(c, (
      <ReceivingPage {...v} webhook={await describeWebhook(deps.db, p, now())} nextcloud={await describeNextcloud(deps.db, p)} deliveries={list.items}
        attempts={await deliveryAttempts(deps.db, list.items.map((d) => d.id))} nextCursor={list.nextCursor} {...extra}
        notices={[...doneNotice(c, v.pt), ...(extra.notices ?? [])]} />
    ), status);
  };

  r.get("/provider/receiving", (c) => receiving(c));

  r.post("/provider/receiving/webhook", async (c) => {
    const url = (c.var.form!.get("url") ?? "").trim().slice(0, 2100);
    const parsed = v.safeParse(WebhookInput, { url });
    if (!parsed.success) return receiving(c, { values: { url }, errors: { url: url ? { code: "url" } : { code: "required" } } }, 400);
    const result = await setWebhook(deps.db, c.var.provider, parsed.output.url, now(), { allowPrivate: deps.config.allowPrivateNetwork });
    if (!result.ok) return receiving(c, { values: { url }, errors: { url: { code: "private" } } }, 400);
    return receiving(c, { secret: result.value.secret });
  });

  r.post("/provider/receiving/webhook/rotate", async (c) => {
    const result = await rotateWebhookSecret(deps.db, c.var.provider, now(), deps.config.webhookSecretOverlapMs);
    if (!result.ok) return receiving(c, {}, 404);
    return receiving(c, { secret: result.value.secret });
  });

  r.post("/provider/receiving/webhook/test", async (c) => {
    const result = await pingWebhook(deps.db, deps.http, c.var.provider, now());
    if (!result.ok) return receiving(c, {}, 404);
    const o = result.value.outcome;
    return receiving(c, { ping: { delivered: o.kind === "delivered", outcome: o.kind, ...("status" in o && o.status ? { status: o.status } : {}), ...("error" in o ? { error: o.error } : {}) } });
  });

  r.post("/provider/receiving/nextcloud", async (c) => {
    const f = c.var.form!;
    const values = { url: (f.get("url") ?? "").trim().slice(0, 2100), token: (f.get("token") ?? "").trim().slice(0, 200) };
    const parsed = v.safeParse(NextcloudInput, values);
    if (!parsed.success) {
      const errors: FormErrors = {};
      for (const i of parsed.issues) {
        if (i.path?.[0]?.key === "token") errors.ncToken ??= values.token ? { code: "nc-token" } : { code: "required" };
        else errors.ncUrl ??= values.url ? { code: "url" } : { code: "required" };
      }
      return receiving(c, { values: { ncUrl: values.url }, errors }, 400);
    }
    const result = await setNextcloud(deps.db, c.var.provider, parsed.output.url, parsed.output.token, now(), { allowPrivate: deps.config.allowPrivateNetwork });
    if (!result.ok) return receiving(c, { values: { ncUrl: values.url }, errors: { ncUrl: { code: "private" } } }, 400);
    return a.to(c, "/provider/receiving", "nextcloud-set");
  });

  r.post("/provider/receiving/nextcloud/remove", async (c) => {
    await removeNextcloud(deps.db, c.var.provider, now());
    return a.to(c, "/provider/receiving", "nextcloud-removed");
  });

  r.post("/provider/receiving/deliveries/:id/redeliver", async (c) => {
    const result = await redeliver(deps.db, c.req.param("id").slice(0, 100), c.var.provider.id, now());
    if (!result.ok) {
      if (result.error.kind === "not-found") return notFound(c);
      const v2 = await a.signedView(c);
      return receiving(c, { notices: [{ kind: "bad", text: v2.pt("recv.redeliverRefused") }] }, 409);
    }
    deps.wakeSignupWorker?.();
    return a.to(c, "/provider/receiving", "redelivered");
  });

  // ---- signups ----

  const signups = async (c: Context<SpaceVars>, extra: { problems?: Record<string, string>; values?: Record<string, { loginUrl?: string; message?: string }> } = {}, status = 200) => {
    const v = await a.signedView(c);
    const show = (c.req.query("show") ?? "open") as SignupFilter;
    const filter: SignupFilter = Object.hasOwn(FILTERS, show) ? show : "open";
    const cursor = c.req.query("cursor")?.slice(0, 300);
    let page = await providerSignups(deps.db, c.var.provider.id, FILTERS[filter], 20, cursor);
    if (!page.ok) page = await providerSignups(deps.db, c.var.provider.id, FILTERS[filter], 20);
    const items = page.ok ? page.value.items : [];
    const titles = new Map<string, { text: string; lang?: string }>();
    const policy = await listingPolicy(deps.db);
    for (const id of new Set(items.map((s) => s.offerId))) {
      const o = await ownOfferById(deps.db, id, now(), policy);
      if (o) { const l = localized(o.title, v.locale); titles.set(id, { text: l.text, lang: l.lang === v.locale ? undefined : l.lang }); }
    }
    return a.page(c, <SignupsPage {...v} filter={filter} items={items} titles={titles} nextCursor={page.ok ? page.value.nextCursor : null} notices={doneNotice(c, v.pt)} {...extra} />, status);
  };

  r.get("/provider/signups", (c) => signups(c));

  r.post("/provider/signups/:id/:status", async (c) => {
    const status = c.req.param("status");
    const id = c.req.param("id").slice(0, 100);
    if (!["provisioning", "active", "rejected"].includes(status)) return notFound(c);
    const f = c.var.form!;
    const v2 = await a.signedView(c);
    const loginUrl = (f.get("loginUrl") ?? "").trim().slice(0, 2100);
    const message = (f.get("message") ?? "").trim().slice(0, 1100);
    const input = { status, ...(status === "active" && loginUrl ? { loginUrl } : {}), ...(status === "rejected" && message ? { message } : {}) };
    const parsed = v.safeParse(SignupEventInput, input);
    if (!parsed.success) {
      const tooLong = parsed.issues.some((i) => i.type === "max_length");
      return signups(c, { problems: { [id]: tooLong ? v2.pt("err.tooLong", { max: 1000 }) : v2.pt("err.url") }, values: { [id]: { loginUrl, message } } }, 400);
    }
    const result = await reportSignupEvent(deps.db, c.var.provider, id, parsed.output, { nowMs: now(), mail: deps.mailer !== undefined }, statusOptions(deps));
    if (!result.ok) {
      // Another provider's signup answers exactly like an unknown one.
      if (result.error.kind === "not-found" || result.error.kind === "forbidden") return notFound(c);
      return signups(c, { problems: { [id]: v2.pt("signups.alreadyFinal") } }, 409);
    }
    if (deps.mailer) deps.wakeSignupWorker?.();
    return a.to(c, "/provider/signups", "signup-moved");
  });

  // ---- domain verification ----

  const verification = async (c: Context<SpaceVars>, extra: { failure?: Parameters<typeof VerificationPage>[0]["failure"]; justVerified?: boolean } = {}, status = 200) => {
    const v = await a.signedView(c);
    const p = c.var.provider;
    return a.page(c, <VerificationPage {...v} verified={p.verified === 1} verifiedAt={p.verified_at} url={verificationUrl(p.website)} token={p.verification_token} {...extra} />, status);
  };

  r.get("/provider/verification", (c) => verification(c));

  r.post("/provider/verification/check", async (c) => {
    // The same limits as the API's: each check fetches the provider's site.
    const result = await verifyNow(deps, c.var.provider, { ip: clientIp(c, deps.config.clientIpHeader), perIp: deps.config.verificationRateLimitIp, perProvider: deps.config.verificationRateLimitProvider });
    if (!result.ok) {
      const e = result.error;
      const failure = "why" in e ? e.why : e.kind === "rate-limited" ? { kind: "rate-limited" as const, retryAfterSec: e.retryAfterSec } : { kind: "fetch" as const, message: e.detail };
      return verification(c, { failure }, e.kind === "rate-limited" ? 429 : 409);
    }
    c.set("provider", { ...c.var.provider, verified: 1, verified_at: result.value.verifiedAt });
    return verification(c, { justVerified: true });
  });

  // ---- account ----

  const account = async (c: Context<SpaceVars>, extra: { newToken?: string; emailError?: string; emailValue?: string } = {}, status = 200) => {
    const v = await a.signedView(c);
    const p = c.var.provider;
    return a.page(c, (
      <AccountPage {...v} email={p.email} createdAt={p.created_at} sessions={await liveSessions(deps.db, "provider", String(p.id), now())}
        notices={doneNotice(c, v.pt)} {...extra} />
    ), status);
  };

  r.get("/provider/account", (c) => account(c));

  r.post("/provider/account/email", async (c) => {
    const email = (c.var.form!.get("email") ?? "").trim().slice(0, 300);
    const result = await updateContactEmail(deps.db, c.var.provider, email, now());
    if (!result.ok) return account(c, { emailError: (await a.view(c)).pt("err.email"), emailValue: email }, 400);
    return a.to(c, "/provider/account", "email-saved");
  });

  r.post("/provider/account/token", async (c) => {
    // A new token because the old one may have leaked: browsers signed in elsewhere are signed out too.
    const token = await rotateToken(deps.db, c.var.provider, now(), c.var.session?.idHash);
    return account(c, { newToken: token });
  });

  r.get("/provider/account/delete", async (c) => {
    const dash = await providerDashboard(deps.db, c.var.provider, now());
    return a.page(c, <DeletePage {...(await a.signedView(c))} offers={dash.offers.length} />);
  });

  r.post("/provider/account/delete", async (c) => {
    const p = c.var.provider;
    const v2 = await a.signedView(c);
    if ((c.var.form!.get("confirm") ?? "").trim().toLowerCase() !== p.slug) {
      const dash = await providerDashboard(deps.db, p, now());
      return a.page(c, <DeletePage {...v2} offers={dash.offers.length} error={v2.pt("delete.mismatch")} />, 400);
    }
    await deleteProviderAccount(deps.db, p, { nowMs: now(), mail: deps.mailer !== undefined });
    if (deps.mailer) deps.wakeSignupWorker?.();
    await a.area.end(c);
    return a.page(c, <DeletedPage locale={v2.locale} t={v2.t} pt={v2.pt} csrf={await a.area.token(c)} mail={v2.mail} name={p.name} />);
  });

  return r;
}

