/**
 * A cookie-keeping client for the provider space in integration tests: it sends what a browser sends for pages
 * (cookies, `accept: text/html`), keeps the cookies the app sets (with their attributes, so tests can check them),
 * reads forms' hidden token, and posts urlencoded forms like an HTML form does.
 */
import type { TestEnv } from "./deps.ts";

export type Cookie = { name: string; value: string; attrs: string };

export function textOf(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/g, "").replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\s+/g, " ").trim();
}

/** The form token of the first form of a page (every form of one page carries the same). */
export function tokenIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no form token on this page");
  return m[1];
}

export function client(app: TestEnv["app"], opts: { lang?: "fr" | "en" } = {}) {
  const jar = new Map<string, Cookie>();
  const withLang = (path: string) => (opts.lang && !/[?&]lang=/.test(path) ? `${path}${path.includes("?") ? "&" : "?"}lang=${opts.lang}` : path);
  async function request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("accept", "text/html");
    if (jar.size) headers.set("cookie", [...jar.values()].map((c) => `${c.name}=${c.value}`).join("; "));
    const res = await app.request(withLang(path), { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0\b/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, { name, value, attrs: attrs.join(";").trim() });
    }
    return res;
  }
  const self = {
    jar,
    async get(path: string) {
      const res = await request(path);
      return { res, status: res.status, html: await res.text(), location: res.headers.get("location") };
    },
    /** Posts `fields` as a form (add `_csrf` yourself, or use `submit`). */
    async post(path: string, fields: Record<string, string | string[]>) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      const res = await request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
      return { res, status: res.status, html: await res.text(), location: res.headers.get("location") };
    },
    /** Opens `page`, then posts its form to `action` with the page's token and `fields`. */
    async submit(page: string, action: string, fields: Record<string, string | string[]>) {
      const { html } = await self.get(page);
      return self.post(action, { _csrf: tokenIn(html), ...fields });
    },
    /** Follows a redirect answer (303) with a GET. */
    async follow(r: { location: string | null }) {
      if (!r.location) throw new Error("no redirect");
      return self.get(r.location.replace(/^https?:\/\/[^/]+/, ""));
    },
  };
  return self;
}

export type SpaceClient = ReturnType<typeof client>;

export const JOIN = (name: string, over: Record<string, string> = {}) => ({
  name, website: `https://${name.toLowerCase().replace(/[^a-z]+/g, "-")}.example`, email: `contact@${name.toLowerCase().replace(/[^a-z]+/g, "-")}.example`,
  country: "FR", orgType: "association", description_fr: "Une association qui héberge des services libres.", ...over,
});

/** Joins through the form; returns the client (signed in) and the token shown once. */
export async function joinedProvider(env: TestEnv, name: string, over: Record<string, string> = {}, lang?: "fr" | "en") {
  const c = client(env.app, { lang });
  const r = await c.submit("/provider/join", "/provider/join", JOIN(name, over));
  if (r.status !== 201) throw new Error(`join ${name}: ${r.status} ${textOf(r.html).slice(0, 400)}`);
  const token = /id="api-token"[^>]*>(cdp_[A-Za-z0-9_-]+)</.exec(r.html)![1];
  const slug = /\/providers\/([a-z0-9-]+)/.exec((await c.get("/provider/account")).html)![1];
  return { c, token, slug };
}

/** The editor's fields for an offer at `euros` a month (the amount as a person types it). */
export const OFFER_FORM = (over: Record<string, string | string[]> = {}) => ({
  version: "new", action: "save", service: "storage", software: "Nextcloud", softwareVersion: "30", title_fr: "Nuage du Lot", title_en: "Lot cloud",
  description_fr: "Vos fichiers, hébergés dans le Lot.", description_en: "Your files, hosted in the Lot.", priceModel: "fixed", priceAmount: "5",
  priceCurrency: "EUR", pricePeriod: "month", registration: "open", capacity: "available", signupMode: "webhook", dataLocation: "FR",
  languages: ["fr"], audience: ["associations"], support: ["email"], storageGB: "10", users: "1", ...over,
});
