/** GET /api/v1/compare?ids=… (JSON) and GET /compare?ids=… (HTML page): 2–5 offers side by side. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { compareOffers } from "../../domain/catalog/compare.ts";
import { CompareQuery } from "../../domain/schemas.ts";
import { compareTranslator } from "../../i18n/compare.ts";
import { localeOf } from "../page-response.ts";
import { cachedJson } from "../cache.ts";
import { domainProblem } from "../errors.ts";
import { ComparePage, CompareErrorPage } from "../pages/compare.tsx";
import { queryLists, validate } from "../validate.ts";

export function compareRoutes(deps: Deps) {
  const r = new Hono();

  r.get("/api/v1/compare", validate("query", CompareQuery), async (c) => {
    const now = deps.clock.now();
    const result = await compareOffers(deps.db, c.req.valid("query").ids, now);
    if (!result.ok) return domainProblem(result.error);
    const { offers, comparison, differences } = result.value;
    return cachedJson(c, { items: offers, comparison, differences });
  });

  r.get("/compare", async (c: Context) => {
    const { locale, t } = localeOf(c);
    const ct = compareTranslator(locale);
    const url = new URL(c.req.url);
    const path = `/compare${url.searchParams.has("ids") ? `?ids=${encodeURIComponent(url.searchParams.getAll("ids").join(","))}` : ""}`;
    const parsed = v.safeParse(CompareQuery, queryLists(c));
    if (!parsed.success) return c.html(<CompareErrorPage locale={locale} t={t} ct={ct} path={path} message={ct("compare.bad")} />, 400);
    const now = deps.clock.now();
    const result = await compareOffers(deps.db, parsed.output.ids, now);
    if (!result.ok) {
      return c.html(<CompareErrorPage locale={locale} t={t} ct={ct} path={path} message={ct("compare.missing", { ids: result.error.missing.join(", ") })} />, 404);
    }
    const { offers, comparison, differences } = result.value;
    return c.html(<ComparePage locale={locale} t={t} ct={ct} path={path} offers={offers} comparison={comparison} differences={differences} />);
  });

  return r;
}
