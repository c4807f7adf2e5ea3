/**
 * The operator space under /admin (docs/decisions/0020, 0030): signed in with the admin token, the provider space's
 * session and form-token rules (`sessionArea(deps, "admin", "/admin")`). Pages list the review queue, a provider with
 * its offers, people's reports, what is hidden and the audit log; each form calls the same domain function as the
 * admin API and the CLI, then comes back to the page it was sent from with what happened.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { Deps } from "../../deps.ts";
import { listingPolicy } from "../../domain/catalog/offers.ts";
import { ownListing, ownOffers } from "../../domain/catalog/views.ts";
import { approveProvider, closeReport, hideOffer, hideProvider, unhideOffer, unhideProvider, type Actor } from "../../domain/moderation/actions.ts";
import { operatorOf, operatorSignIn } from "../../domain/moderation/operators.ts";
import { auditLog, hiddenList, operatorCounts, reportList, reviewQueue } from "../../domain/moderation/views.ts";
import { providerForModeration } from "../../domain/moderation/actions.ts";
import type { DomainError, Result } from "../../domain/errors.ts";
import { adminTranslator, type AdminKey } from "../../i18n/admin.ts";
import { clientIp } from "../client-ip.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { durationLabel } from "../pages/format.ts";
import { AdminDisabledPage, AdminOverviewPage, AdminProviderPage, AdminRefusedPage, AdminSigninPage, AuditPage, HiddenPage, ReportsPage, ReviewQueuePage } from "../pages/admin/pages.tsx";
import type { AdminView, Notice, SignedAdmin } from "../pages/admin/shell.tsx";
import { sessionArea, type AreaVars } from "../session.ts";

type AdminVars = { Variables: AreaVars["Variables"] & { operator: string } };

const DONE = ["approved", "hidden", "unhidden", "closed", "signed-out", "expired"] as const;
const PROBLEMS = { reason: "admin.problem.reason", conflict: "admin.problem.conflict", "not-found": "admin.problem.notFound" } as const;
type Problem = keyof typeof PROBLEMS;

/** Where a form may send the operator back to: a page of this space, nothing else. */
const safeBack = (back: string | undefined) => (back && /^\/admin(\/[A-Za-z0-9/_~%.-]*)?(\?show=closed)?$/.test(back) && back.length < 300 ? back : "/admin");

export function adminPagesRoutes(deps: Deps) {
  const r = new Hono<AdminVars>();
  const area = sessionArea(deps, "admin", "/admin");
  const now = () => deps.clock.now();

  const view = async (c: Context): Promise<AdminView> => {
    const { locale, t } = localeOf(c);
    return { locale, t, at: adminTranslator(locale), csrf: await area.token(c) };
  };
  const signed = async (c: Context<AdminVars>): Promise<SignedAdmin> => ({ ...(await view(c)), operator: c.var.operator });
  /** Every page of this space: never cached, never sent as a referrer. */
  const page = (c: Context, node: unknown, status = 200) => {
    c.header("referrer-policy", "no-referrer");
    return renderPage(c, localeOf(c).locale, node as JSX.Element, status, { cache: "no-store" });
  };
  const to = (c: Context, path: string, query: string) => {
    const { locale } = localeOf(c);
    return c.redirect(`${path}${path.includes("?") ? "&" : "?"}${query ? `${query}&` : ""}lang=${locale}`, 303);
  };
  const notices = (c: Context, at: AdminView["at"]): Notice[] => {
    const done = c.req.query("done");
    const problem = c.req.query("problem");
    const out: Notice[] = [];
    if (done && (DONE as readonly string[]).includes(done)) out.push({ kind: done === "expired" ? "warn" : "ok", text: at(`admin.done.${done as (typeof DONE)[number]}`), id: "done" });
    if (problem && Object.hasOwn(PROBLEMS, problem)) out.push({ kind: "bad", text: at(PROBLEMS[problem as Problem]), id: "problem" });
    return out;
  };
  const refuse = async (c: Context, why: "token" | "too-large") => {
    const path = new URL(c.req.url).pathname;
    const back = safeBack(c.var.form?.get("back") ?? path.replace(/\/(approve|hide|unhide|close|signout|signin)$/, "").replace(/\/(offers|reports)\/[^/]+$/, ""));
    return page(c, <AdminRefusedPage {...(await view(c))} why={why} back={back} />, why === "token" ? 403 : 413);
  };

  const enabled: MiddlewareHandler = async (c, next) => {
    if (!deps.config.adminToken) return page(c, <AdminDisabledPage {...(await view(c))} />, 403);
    await next();
  };
  /** Signed in with the current admin token, else to the sign-in page. */
  const signedIn: MiddlewareHandler<AdminVars> = async (c, next) => {
    const s = c.var.session;
    const operator = s ? await operatorOf(s.subject, deps.config.adminToken) : undefined;
    if (!s || operator === undefined) {
      if (s) await area.end(c);
      return to(c, "/admin/signin", c.req.method === "GET" && !s ? "" : "done=expired");
    }
    c.set("operator", operator);
    await next();
  };
  const anonymous = area.protect({ anonymous: true, refuse });
  const protect = area.protect({ refuse });

  r.use("/admin/*", enabled, area.load); // "/admin/*" also matches "/admin"
  const SIGNED = ["/admin", "/admin/review", "/admin/find", "/admin/providers/*", "/admin/offers/*", "/admin/reports", "/admin/reports/*", "/admin/hidden", "/admin/audit", "/admin/signout"];
  for (const path of SIGNED) r.use(path, signedIn, protect);

  // ---- signing in and out ----

  r.get("/admin/signin", async (c) => {
    if (c.var.session && (await operatorOf(c.var.session.subject, deps.config.adminToken)) !== undefined) return to(c, "/admin", "");
    const v = await view(c);
    return page(c, <AdminSigninPage {...v} notices={notices(c, v.at)} />);
  });

  r.post("/admin/signin", anonymous, async (c) => {
    const v = await view(c);
    const f = c.var.form!;
    const token = (f.get("token") ?? "").trim();
    const name = f.get("name") ?? "";
    if (!token) return page(c, <AdminSigninPage {...v} name={name} tokenError={v.at("admin.signin.required")} />, 400);
    const result = await operatorSignIn(deps.db, deps.config.adminToken!, token, name, clientIp(c, deps.config.clientIpHeader), now());
    if (!result.ok) {
      if (result.error.kind === "rate-limited") {
        c.header("retry-after", String(result.error.retryAfterSec));
        return page(c, <AdminSigninPage {...v} name={name} notices={[{ kind: "bad", text: v.at("admin.signin.rate", { duration: durationLabel(result.error.retryAfterSec, v.locale) }) }]} />, 429);
      }
      return page(c, <AdminSigninPage {...v} name={name} tokenError={v.at("admin.signin.wrong")} />, 401);
    }
    await area.begin(c, result.value.subject);
    return to(c, "/admin", "");
  });

  r.post("/admin/signout", async (c) => {
    await area.end(c);
    return to(c, "/admin/signin", "done=signed-out");
  });

  // ---- pages ----

  r.get("/admin", async (c) => {
    const v = await signed(c);
    return page(c, <AdminOverviewPage {...v} counts={await operatorCounts(deps.db)} policy={await listingPolicy(deps.db)} notices={notices(c, v.at)} />);
  });

  r.get("/admin/find", async (c) => {
    const slug = (c.req.query("slug") ?? "").trim().toLowerCase().slice(0, 63);
    const found = slug ? await providerForModeration(deps.db, slug) : undefined;
    if (found) return to(c, `/admin/providers/${encodeURIComponent(found.slug)}`, "");
    const v = await signed(c);
    return page(c, <AdminOverviewPage {...v} counts={await operatorCounts(deps.db)} policy={await listingPolicy(deps.db)} find={slug} findError={v.at("admin.problem.notFound")} />, 404);
  });

  r.get("/admin/review", async (c) => {
    const v = await signed(c);
    const q = await reviewQueue(deps.db);
    return page(c, <ReviewQueuePage {...v} items={q.items} total={q.total} notices={notices(c, v.at)} />);
  });

  r.get("/admin/providers/:slug", async (c) => {
    const v = await signed(c);
    const p = await providerForModeration(deps.db, c.req.param("slug"));
    if (!p) return page(c, <AdminOverviewPage {...v} counts={await operatorCounts(deps.db)} policy={await listingPolicy(deps.db)} findError={v.at("admin.problem.notFound")} />, 404);
    const policy = await listingPolicy(deps.db);
    const offers = await ownOffers(deps.db, p.id, now(), policy);
    const history = (await auditLog(deps.db, { limit: 20, target: p.slug })).items;
    return page(c, <AdminProviderPage {...v} notices={notices(c, v.at)} history={history} offers={offers} provider={{
      slug: p.slug, name: p.name, website: p.website, country: p.country, orgType: p.org_type, email: p.email, verified: p.verified === 1,
      membership: p.membership, state: ownListing(p, policy).state, reviewedAt: p.reviewed_at, hiddenAt: p.hidden_at, hiddenReason: p.hidden_reason,
    }} />);
  });

  r.get("/admin/reports", async (c) => {
    const v = await signed(c);
    const show = c.req.query("show") === "closed" ? "closed" : "open";
    const cursor = c.req.query("cursor");
    const list = await reportList(deps.db, { status: show, limit: 50, cursor: cursor && /^\d{1,15}$/.test(cursor) ? cursor : undefined });
    return page(c, <ReportsPage {...v} show={show} items={list.items} nextCursor={list.nextCursor} notices={notices(c, v.at)} />);
  });

  r.get("/admin/hidden", async (c) => {
    const v = await signed(c);
    const h = await hiddenList(deps.db);
    return page(c, <HiddenPage {...v} providers={h.providers} offers={h.offers} notices={notices(c, v.at)} />);
  });

  r.get("/admin/audit", async (c) => {
    const v = await signed(c);
    const cursor = c.req.query("cursor");
    const log = await auditLog(deps.db, { limit: 50, cursor: cursor && /^\d{1,15}$/.test(cursor) ? cursor : undefined });
    return page(c, <AuditPage {...v} items={log.items} nextCursor={log.nextCursor} />);
  });

  // ---- actions: the domain's functions, then back to the page with what happened ----

  const actor = (c: Context<AdminVars>): Actor => ({ name: c.var.operator, via: "web" });
  const text = (c: Context<AdminVars>, name: string) => (c.var.form!.get(name) ?? "").trim().slice(0, 500) || undefined;
  const after = (c: Context<AdminVars>, result: Result<unknown, DomainError>, done: (typeof DONE)[number]) => {
    const back = safeBack(c.var.form!.get("back"));
    if (result.ok) return to(c, back, `done=${done}`);
    const problem: Problem = result.error.kind === "not-found" ? "not-found" : result.error.kind === "invalid" ? "reason" : "conflict";
    return to(c, back, `problem=${problem}`);
  };
  const needReason = (c: Context<AdminVars>) => to(c, safeBack(c.var.form!.get("back")), "problem=reason");

  r.post("/admin/providers/:slug/approve", async (c) => after(c, await approveProvider(deps.db, c.req.param("slug"), actor(c), text(c, "reason"), now()), "approved"));
  r.post("/admin/providers/:slug/hide", async (c) => {
    const reason = text(c, "reason");
    if (!reason) return needReason(c);
    return after(c, await hideProvider(deps.db, c.req.param("slug"), actor(c), reason, now()), "hidden");
  });
  r.post("/admin/providers/:slug/unhide", async (c) => after(c, await unhideProvider(deps.db, c.req.param("slug"), actor(c), text(c, "reason"), now()), "unhidden"));
  r.post("/admin/offers/:id/hide", async (c) => {
    const reason = text(c, "reason");
    if (!reason) return needReason(c);
    return after(c, await hideOffer(deps.db, c.req.param("id"), actor(c), reason, now()), "hidden");
  });
  r.post("/admin/offers/:id/unhide", async (c) => after(c, await unhideOffer(deps.db, c.req.param("id"), actor(c), text(c, "reason"), now()), "unhidden"));
  r.post("/admin/reports/:id/close", async (c) => {
    const id = c.req.param("id");
    if (!/^\d{1,15}$/.test(id)) return to(c, safeBack(c.var.form!.get("back")), "problem=not-found");
    return after(c, await closeReport(deps.db, Number(id), actor(c), text(c, "note"), now()), "closed");
  });

  return r;
}

export type { AdminKey };
