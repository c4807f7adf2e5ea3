/**
 * The HTML pages a person uses: `/` (search), `/offers/{id}`, `/providers/{slug}`; `?lang=fr|en` or Accept-Language.
 * Bad input never fails the page: invalid parameters are dropped and named in a notice (status 400).
 */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import type { SearchOutcome } from "../../domain/catalog/search.ts";
import { similarOpenOffers } from "../../domain/catalog/alternatives.ts";
import { directoryLabel, offerById, providerWithOffers, type Offer } from "../../domain/catalog/views.ts";
import { nextStep } from "../../domain/signups/views.ts";
import { recordOfferView } from "../../domain/providers/space.ts";
import { SearchQuery } from "../../domain/schemas.ts";
import { isMessageKey, type Locale, type T } from "../../i18n/index.ts";
import { backPath, localeOf, renderPage } from "../page-response.ts";
import { OfferPage } from "../pages/offer.tsx";
import { NotFoundPage, ProviderPage } from "../pages/provider.tsx";
import { SearchPage, type PageParams } from "../pages/search.tsx";

/** Page parameters the search form knows; `language` is the support-language filter (the API's `lang`). */
const PAGE_FIELDS = [
  "q", "service", "software", "country", "dataLocation", "language", "price", "registration", "audience", "orgType",
  "available", "member", "verified", "sort", "limit", "cursor",
] as const;
/** At most this many offers are compared side by side (the API's limit). */
const MAX_COMPARE = 5;
const apiName = (f: string) => (f === "language" ? "lang" : f);
const pageName = (f: string) => (f === "lang" ? "language" : f);


/** How a page parameter is named to a person ("Price", "page"…), for the notice about ignored settings. */
function fieldLabel(t: T, field: string): string {
  for (const key of [`field.${field}`, `facet.${apiName(field)}`]) if (isMessageKey(key)) return t(key);
  return field;
}


/** Keeps the known page parameters (bounded), so unknown ones never reach links or validation. */
function pageParams(c: Context): PageParams {
  const all = c.req.queries() ?? {};
  const out: PageParams = {};
  for (const f of PAGE_FIELDS) {
    const values = (all[f] ?? []).filter((x) => x !== "").slice(0, 20);
    if (values.length) out[f] = values;
  }
  return out;
}

/**
 * Validates page params with the API's SearchQuery. Fields that fail are dropped (and reported) rather than
 * failing the page, so a person with a stale or hand-edited link still gets results.
 */
function parseSearch(params: PageParams, locale: Locale): { query: SearchQuery; params: PageParams; invalid: string[] } {
  const kept: PageParams = { ...params };
  const invalid: string[] = [];
  for (let round = 0; round <= PAGE_FIELDS.length; round++) {
    const input: Record<string, string[]> = { locale: [locale] };
    for (const [k, vals] of Object.entries(kept)) input[apiName(k)] = vals;
    const r = v.safeParse(SearchQuery, input);
    if (r.success) return { query: r.output, params: kept, invalid };
    const bad = new Set(r.issues.map((i) => pageName(String(i.path?.[0]?.key ?? ""))).filter((k) => k in kept));
    if (bad.size === 0) break;
    for (const k of bad) { delete kept[k]; invalid.push(k); }
  }
  return { query: { locale }, params: {}, invalid: Object.keys(params) };
}

export function catalogPagesRoutes(deps: Deps) {
  const r = new Hono();

  r.get("/", async (c) => {
    const { locale, t } = localeOf(c);
    const notices: string[] = [];
    let status: 200 | 400 = 200;

    // Offers picked for comparison ride along as repeated `compare` (ticked boxes, or "compare with others" from an
    // offer page). The results form's button adds `go=compare`: with 2–5 picked, on to /compare?ids=a,b; otherwise
    // the page says why and keeps the selection.
    const picked = [...new Set((c.req.queries("compare") ?? []).filter((x) => x !== "" && x.length <= 200))].slice(0, 20);
    if (c.req.query("go") === "compare") {
      if (picked.length >= 2 && picked.length <= MAX_COMPARE) {
        return c.redirect(`/compare?ids=${picked.map(encodeURIComponent).join(",")}&lang=${locale}`, 303);
      }
      notices.push(t("search.compareCount"));
      status = 400;
    }

    const parsed = parseSearch(pageParams(c), locale);
    let { params, query } = parsed;
    const now = deps.clock.now();
    const selection = (await Promise.all(picked.map((id) => offerById(deps.db, id, now)))).filter((o): o is Offer => o !== undefined);
    if (selection.length) params = { ...params, compare: selection.map((o) => o.id) };
    if (parsed.invalid.length) {
      notices.push(t("search.invalid", { fields: parsed.invalid.map((f) => fieldLabel(t, f)).join(", ") }));
      status = 400;
    }
    let result = await deps.search.search(query, now);
    if (!result.ok && query.cursor) {
      // An expired or foreign cursor (e.g. after the daily fair-order reshuffle): show the first page instead.
      notices.push(t("search.invalidCursor"));
      query = { ...query, cursor: undefined };
      params = Object.fromEntries(Object.entries(params).filter(([k]) => k !== "cursor"));
      result = await deps.search.search(query, now);
    }
    const value: SearchOutcome = result.ok ? result.value : { items: [], total: 0, facets: {}, nextCursor: null };
    return renderPage(c, locale, (
      <SearchPage locale={locale} t={t} params={params} items={value.items} selection={selection}
        total={value.total} facets={value.facets} nextCursor={value.nextCursor} notices={notices}
        suggestion={value.suggestion} understood={value.understood} />
    ), status);
  });

  r.get("/offers/:id", async (c) => {
    const { locale, t } = localeOf(c);
    const id = c.req.param("id");
    const now = deps.clock.now();
    const offer = await offerById(deps.db, id, now);
    if (!offer) return renderPage(c, locale, <NotFoundPage locale={locale} t={t} message={t("notFound.offer")} path={`/offers/${encodeURIComponent(id.slice(0, 200))}`} />, 404);
    const alternatives = nextStep(offer).kind === "unavailable" ? await similarOpenOffers(deps.search, offer, now) : [];
    const origin = offer.origin ? await directoryLabel(deps.db, offer.origin.directory) : undefined;
    // For Mastodon (its FetchResourceService follows this link): the offer's current post, a Note it can show.
    const activityJson = deps.federation && offer.source !== "federated" ? `${deps.config.publicUrl}/ap/offers/${encodeURIComponent(offer.id)}/notes/${Date.parse(offer.updatedAt)}` : undefined;
    // The provider's dashboard shows this month's views; a failed count never fails the page.
    if (c.req.method === "GET") await recordOfferView(deps.db, offer.id, now).catch((e) => deps.log.warn("offer view not counted", { error: String(e) }));
    return renderPage(c, locale, <OfferPage locale={locale} t={t} offer={offer} alternatives={alternatives} back={backPath(c.req.query("from"))} origin={origin} activityJson={activityJson} />);
  });

  r.get("/providers/:slug", async (c) => {
    const { locale, t } = localeOf(c);
    const slug = c.req.param("slug").slice(0, 100);
    const page = await providerWithOffers(deps.db, slug, deps.clock.now());
    if (!page) return renderPage(c, locale, <NotFoundPage locale={locale} t={t} message={t("notFound.provider")} path={`/providers/${encodeURIComponent(slug)}`} />, 404);
    const origin = page.provider.origin ? await directoryLabel(deps.db, page.provider.origin.directory) : undefined;
    // Only this directory's own providers are actors here; another directory's are linked to their page there.
    const activityJson = deps.federation && !origin ? `${deps.config.publicUrl}/ap/providers/${encodeURIComponent(page.provider.slug)}` : undefined;
    return renderPage(c, locale, <ProviderPage locale={locale} t={t} provider={page.provider} offers={page.offers} origin={origin} activityJson={activityJson} />);
  });

  return r;
}
