/** GET /api/v1/compare?ids=… (JSON) and GET /compare?ids=… (HTML page): 2–5 offers side by side. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { compareOffers } from "../../domain/catalog/compare.ts";
import { offerById, type Offer } from "../../domain/catalog/views.ts";
import { CompareQuery } from "../../domain/schemas.ts";
import { compareTranslator } from "../../i18n/compare.ts";
import { localeOf, renderPage } from "../page-response.ts";
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
    const now = deps.clock.now();
    // The offers of the request that exist, in its order (at most 10 looked up): kept on every error page.
    const asked = [...new Set(url.searchParams.getAll("ids").flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "" && s.length <= 200))];
    const kept = async () => (await Promise.all(asked.slice(0, 10).map((id) => offerById(deps.db, id, now)))).filter((o): o is Offer => o !== undefined);
    const parsed = v.safeParse(CompareQuery, queryLists(c));
    if (!parsed.success) {
      return renderPage(c, locale, <CompareErrorPage locale={locale} t={t} ct={ct} path={path} message={ct("compare.bad")} kept={await kept()} />, 400);
    }
    const result = await compareOffers(deps.db, parsed.output.ids, now);
    if (!result.ok) {
      return renderPage(c, locale, <CompareErrorPage locale={locale} t={t} ct={ct} path={path} message={ct("compare.missing", { ids: result.error.missing.join(", ") })} kept={await kept()} />, 404);
    }
    const { offers, comparison, differences } = result.value;
    return renderPage(c, locale, <ComparePage locale={locale} t={t} ct={ct} path={path} offers={offers} comparison={comparison} differences={differences} />);
  });

  return r;
}
