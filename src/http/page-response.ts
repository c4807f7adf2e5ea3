/**
 * What every HTML page shares: the reader's language (`?lang=`, then the `lang` cookie the switcher sets, then
 * Accept-Language), the answer's headers, and the security headers every HTML response carries (pageSecurity).
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSX } from "hono/jsx/jsx-runtime";
import { pickLocale, translator, type Locale, type T } from "../i18n/index.ts";
import { PUBLIC_CACHE } from "./cache.ts";
import { ErrorPage } from "./pages/errors.tsx";

export const LANG_COOKIE = "lang";

/** Styles are inline; there is no script at all; forms post only here; nobody may frame a page. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The page's language; an explicit `?lang=` is remembered in a cookie for the next pages. */
export function localeOf(c: Context): { locale: Locale; t: T } {
  const param = c.req.query("lang");
  const cookie = getCookie(c, LANG_COOKIE);
  const locale = pickLocale(param ?? (cookie === "fr" || cookie === "en" ? cookie : undefined), c.req.header("accept-language"));
  if ((param === "fr" || param === "en") && cookie !== param) {
    setCookie(c, LANG_COOKIE, param, { path: "/", maxAge: 365 * 86_400, sameSite: "Lax", httpOnly: true });
  }
  return { locale, t: translator(locale) };
}

/** A "back to search" target passed along in `from`: only a path of the search page itself ("/?…") is accepted. */
export function backPath(from: string | undefined): string | undefined {
  return from && from.length <= 2000 && (from === "/" || from.startsWith("/?")) && !/[\r\n]/.test(from) ? from : undefined;
}

/** Sends a page: its language, caching (public only for plain 200 pages) and what it varies on. */
export async function renderPage(c: Context, locale: Locale, node: JSX.Element, status = 200, opts: { cache?: string } = {}): Promise<Response> {
  return c.html(await node.toString(), status as ContentfulStatusCode, {
    "content-language": locale,
    vary: "Accept-Language, Cookie, Accept-Encoding",
    "cache-control": opts.cache ?? (status === 200 ? PUBLIC_CACHE : "no-store"),
  });
}

/** Security headers on every HTML answer, whichever route made it (pages, Fedify's HTML fallbacks, errors). */
export function pageSecurity(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // The API, ActivityPub and well-known documents never answer HTML (wantsHtml): their headers are left unread, so
    // @hono/node-server keeps writing them straight from its response cache.
    if (API_PATH.test(c.req.path)) return;
    if (!/^text\/html/i.test(c.res.headers.get("content-type") ?? "")) return;
    const h = c.res.headers;
    if (!h.has("content-security-policy")) h.set("content-security-policy", PAGE_CSP);
    h.set("x-content-type-options", "nosniff");
    h.set("x-frame-options", "DENY");
    if (!h.has("referrer-policy")) h.set("referrer-policy", "same-origin");
    h.set("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  };
}

/** Paths that never answer HTML: the API, ActivityPub, NodeInfo and well-known documents. */
const API_PATH = /^\/(api|ap|nodeinfo|\.well-known)(\/|$)/;

/** A browser asking for a page (not the API, ActivityPub or well-known documents). */
export function wantsHtml(c: Context): boolean {
  const path = new URL(c.req.url).pathname;
  if (API_PATH.test(path)) return false;
  return (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "POST") && /\btext\/html\b/i.test(c.req.header("accept") ?? "");
}

/** The HTML error page (404 or 500) in the reader's language. */
export async function htmlError(c: Context, kind: "not-found" | "server"): Promise<Response> {
  const { locale, t } = localeOf(c);
  const path = new URL(c.req.url).pathname.slice(0, 300);
  return renderPage(c, locale, ErrorPage({ locale, t, kind, path }) as JSX.Element, kind === "not-found" ? 404 : 500, { cache: "no-store" });
}
