/** `/about`, `/privacy`, `/badges` and `/providers` (HTML): what the directory is, what it does with data, who is listed. */
import { Hono } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { listedProviderCountries, listProviderViews } from "../../domain/catalog/views.ts";
import { STUCK_SIGNUP_MS } from "../../domain/signups/jobs.ts";
import { ProviderQuery } from "../../domain/schemas.ts";
import { DAY_MS } from "../../lib/time.ts";
import { localeOf, renderPage } from "../page-response.ts";
import { AboutPage, BadgesPage, PrivacyPage } from "../pages/info.tsx";
import { ProvidersPage, type ProvidersFilter } from "../pages/providers-list.tsx";

export function infoPagesRoutes(deps: Deps) {
  const r = new Hono();
  const days = (ms: number) => Math.max(1, Math.round(ms / DAY_MS));

  r.get("/about", async (c) => {
    const { locale, t } = localeOf(c);
    const now = deps.clock.now();
    const offers = await deps.search.search({ limit: 1 }, now);
    const providers = await listProviderViews(deps.db, { limit: 1 }, now);
    return renderPage(c, locale, (
      <AboutPage locale={locale} t={t} operator={deps.config.operator} mail={deps.mailer !== undefined} demo={deps.demo !== undefined}
        offers={offers.ok ? offers.value.total : 0} providers={providers.ok ? providers.value.total : 0} />
    ));
  });

  r.get("/privacy", (c) => {
    const { locale, t } = localeOf(c);
    return renderPage(c, locale, (
      <PrivacyPage locale={locale} t={t} operator={deps.config.operator} mail={deps.mailer !== undefined}
        retentionDays={days(deps.config.signupRetentionMs)} stuckDays={days(STUCK_SIGNUP_MS)} ipWindowSec={deps.config.signupRateLimitIp.windowMs / 1000} />
    ));
  });

  r.get("/badges", (c) => {
    const { locale, t } = localeOf(c);
    return renderPage(c, locale, <BadgesPage locale={locale} t={t} />);
  });

  r.get("/providers", async (c) => {
    const { locale, t } = localeOf(c);
    const raw = (k: string) => { const x = c.req.query(k); return x === undefined || x === "" ? undefined : x.slice(0, 300); };
    const wanted: ProvidersFilter = { q: raw("q"), country: raw("country"), orgType: raw("orgType"), member: raw("member") === "true", cursor: raw("cursor") };
    // Each setting is checked on its own: one that is not understood is dropped (and said), the others still apply.
    const filter: ProvidersFilter = {};
    let invalid = false;
    for (const [k, val] of Object.entries(wanted) as Array<[keyof ProvidersFilter, string | boolean | undefined]>) {
      if (val === undefined || val === false) continue;
      const check = v.safeParse(ProviderQuery, { [k]: [String(val)] });
      if (check.success) (filter as Record<string, unknown>)[k] = val;
      else invalid = true;
    }
    const query = v.parse(ProviderQuery, Object.fromEntries(Object.entries(filter).map(([k, val]) => [k, [String(val)]])));
    let result = await listProviderViews(deps.db, { ...query, limit: 20 }, deps.clock.now());
    if (!result.ok) { // a stale cursor: the first page
      delete filter.cursor;
      invalid = true;
      result = await listProviderViews(deps.db, { ...query, cursor: undefined, limit: 20 }, deps.clock.now());
    }
    const page = result.ok ? result.value : { items: [], total: 0, nextCursor: null };
    return renderPage(c, locale, (
      <ProvidersPage locale={locale} t={t} filter={filter} countries={await listedProviderCountries(deps.db)} items={page.items}
        total={page.total} nextCursor={page.nextCursor} invalid={invalid} />
    ), invalid ? 400 : 200);
  });

  return r;
}
