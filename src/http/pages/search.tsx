/** `/`: the search page — a GET form, facet links with counts, results with a compare selection, pagination. */
import type { Offer } from "../../domain/schemas.ts";
import { AUDIENCES, PRICE_MODELS, REGISTRATIONS, SERVICES, SORTS } from "../../domain/vocabulary.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { mark, Name, OfferCard, rich, type View } from "./components.tsx";
import { fold } from "../../domain/text.ts";
import { withoutWordsOf } from "../../domain/catalog/query.ts";
import { colon, countryName, languageName, localized, numberLabel, vocab } from "./format.ts";
import { Layout } from "./layout.tsx";

/** Query parameters of the page, by their page names (the support-language filter is `language`: `lang` is the UI's). */
export type PageParams = Record<string, string[]>;

export type SearchView = View & {
  params: PageParams;
  items: Offer[];
  /** Offers picked for comparison (kept across searches in `compare`). */
  selection: Offer[];
  total: number;
  facets: Record<string, Array<{ value: string; count: number }>>;
  nextCursor: string | null;
  notices: string[];
  /** A corrected query when nothing matched ("nexcloud" → "nextcloud"). */
  suggestion?: string;
  /** Filters some words of the query named. */
  understood?: { price?: string[]; audience?: string[]; place?: string[] };
};

/** Builds `/?…` from page params, always carrying the UI language. */
export function searchHref(params: PageParams, locale: string, change: PageParams = {}): string {
  const merged: PageParams = { ...params, ...change };
  const qs = new URLSearchParams();
  for (const [k, values] of Object.entries(merged)) for (const v of values) if (v !== "") qs.append(k, v);
  qs.append("lang", locale);
  return `/?${qs.toString()}`;
}

/** The page URL without `lang` (for the language switch). */
export function pathWithoutLang(params: PageParams): string {
  const qs = new URLSearchParams();
  for (const [k, values] of Object.entries(params)) for (const v of values) if (v !== "") qs.append(k, v);
  const s = qs.toString();
  return s ? `/?${s}` : "/";
}

function toggle(params: PageParams, field: string, value: string): PageParams {
  const current = params[field] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { [field]: next, cursor: [] };
}

type FacetDef = { field: string; page: string; label: MessageKey; show: (value: string) => string };

function HiddenInputs(props: { params: PageParams; fields: string[] }) {
  return <>{props.fields.flatMap((f) => (props.params[f] ?? []).map((v) => <input type="hidden" name={f} value={v} />))}</>;
}

/** A single-choice select; further values of a repeated parameter ride along as hidden inputs. */
function Select(props: { name: string; label: string; any: string; values: readonly string[]; selected: string[]; show: (v: string) => string }) {
  const [first, ...rest] = props.selected;
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">{props.any}</option>
        {props.values.map((v) => <option value={v} selected={v === first}>{props.show(v)}</option>)}
      </select>
      {rest.map((v) => <input type="hidden" name={props.name} value={v} />)}
    </label>
  );
}

function totalLabel(v: View, n: number): string {
  return n === 0 ? v.t("search.total.zero") : n === 1 ? v.t("search.total.one") : v.t("search.total.many", { n: numberLabel(n, v.locale) });
}

/** Software facet values are folded ("jitsi meet"); shown as spelled in an offer of the page when one has it. */
function titleCase(s: string): string {
  return s.replace(/(^|[\s.-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

export function SearchPage(props: SearchView) {
  const { locale, t, params } = props;
  const softwareNames = new Map<string, string>();
  for (const o of props.items) {
    for (const name of [o.software.name, ...o.includes.map((i) => i.software)]) softwareNames.set(fold(name), name);
  }
  const p = (f: string) => params[f] ?? [];
  const facetDefs: FacetDef[] = [
    { field: "service", page: "service", label: "facet.service", show: (x) => vocab(t, "service", x) },
    { field: "software", page: "software", label: "facet.software", show: (x) => softwareNames.get(x) ?? titleCase(x) },
    { field: "price", page: "price", label: "facet.price", show: (x) => vocab(t, "pricemodel", x) },
    { field: "registration", page: "registration", label: "facet.registration", show: (x) => vocab(t, "registration", x) },
    { field: "audience", page: "audience", label: "facet.audience", show: (x) => vocab(t, "audience", x) },
    { field: "orgType", page: "orgType", label: "facet.orgType", show: (x) => vocab(t, "orgType", x) },
    { field: "country", page: "country", label: "facet.country", show: (x) => countryName(x, locale) },
    { field: "dataLocation", page: "dataLocation", label: "facet.dataLocation", show: (x) => countryName(x, locale) },
    { field: "lang", page: "language", label: "facet.lang", show: (x) => languageName(x, locale) },
  ];
  const flags = [
    ...(["available", "member", "verified"] as const).map((f) => ({
      field: f as string, value: "true", label: t(`facet.${f}`), count: props.facets[f]?.find((x) => x.value === "true")?.count ?? 0, active: p(f).includes("true"),
    })),
    // "No account needed" (CHATONS' service.registration = None) is the registration value `none`.
    { field: "registration", value: "none", label: t("facet.noAccount"), count: props.facets.registration?.find((x) => x.value === "none")?.count ?? 0, active: p("registration").includes("none") },
  ].filter((f) => f.count > 0 || f.active);
  const dataLocations = [...new Set([...(props.facets.dataLocation ?? []).map((x) => x.value), ...p("dataLocation")])].sort();
  const selected = new Set(props.selection.map((o) => o.id));
  const onPage = new Set(props.items.map((o) => o.id));
  const q = p("q")[0];
  const countries = [...new Set([...(props.facets.country ?? []).map((x) => x.value), ...p("country")])].sort();
  const hasFilters = Object.entries(params).some(([k, v]) => k !== "sort" && v.length > 0);
  return (
    <Layout locale={locale} t={t} title={p("q")[0] ? `${p("q")[0]} · ${t("search.title")}` : t("search.title")} path={pathWithoutLang(params)}>
      <h1>{t("search.title")}</h1>
      <p class="lead">{t("search.intro")}</p>
      <form class="search panel" method="get" action="/" role="search">
        <input type="hidden" name="lang" value={locale} />
        <HiddenInputs params={params} fields={["software", "orgType", "language", "member", "verified", "compare"]} />
        <label class="big" for="q">{t("search.q")}</label>
        <div class="row">
          <input type="search" id="q" name="q" value={p("q")[0] ?? ""} placeholder={t("search.qPlaceholder")} maxlength={200} />
          <button class="btn" type="submit">{t("search.submit")}</button>
        </div>
        <div class="filters">
          <Select name="service" label={t("search.service")} any={t("search.any")} values={SERVICES} selected={p("service")} show={(x) => vocab(t, "service", x)} />
          <Select name="price" label={t("search.price")} any={t("search.any")} values={PRICE_MODELS} selected={p("price")} show={(x) => vocab(t, "pricemodel", x)} />
          <Select name="registration" label={t("search.registration")} any={t("search.any")} values={REGISTRATIONS} selected={p("registration")} show={(x) => vocab(t, "registration", x)} />
          <Select name="audience" label={t("search.audience")} any={t("search.any")} values={AUDIENCES} selected={p("audience")} show={(x) => vocab(t, "audience", x)} />
          <Select name="country" label={t("search.country")} any={t("search.any")} values={countries} selected={p("country")} show={(x) => countryName(x, locale)} />
          <Select name="dataLocation" label={t("search.dataLocation")} any={t("search.any")} values={dataLocations} selected={p("dataLocation")} show={(x) => countryName(x, locale)} />
          <label>
            {t("search.sort")}
            <select name="sort">
              {SORTS.map((s) => <option value={s === "relevance" ? "" : s} selected={(p("sort")[0] ?? "") === (s === "relevance" ? "" : s)}>{t(`sort.${s}`)}</option>)}
            </select>
          </label>
          <label class="check"><input type="checkbox" name="available" value="true" checked={p("available").includes("true")} /> {t("search.available")}</label>
        </div>
      </form>

      {props.notices.map((n) => <p class="notice" role="alert">{n}</p>)}
      {props.suggestion ? (
        <p class="notice" id="did-you-mean">
          {t("search.didYouMean", { q: "\u0000" }).split("\u0000").map((part, i) => (
            <>{i > 0 ? <a href={searchHref(params, locale, { q: [props.suggestion!], cursor: [] })}><strong translate="no">{props.suggestion}</strong></a> : null}{part}</>
          ))}
        </p>
      ) : null}
      {props.understood && q ? (
        <div class="small understood" id="understood">
          <span>{t("search.understood")}</span>
          <ul class="chips">
            {(["price", "audience", "place"] as const).flatMap((field) => (props.understood![field] ?? []).map((x) => {
              const label = field === "price" ? vocab(t, "pricemodel", x)
                : field === "audience" ? `${t("facet.audience")}${colon(locale)}${vocab(t, "audience", x)}`
                : t("search.understoodPlace", { country: countryName(x, locale) });
              return (
                <li><span>{label}</span> <a href={searchHref(params, locale, { q: [withoutWordsOf(q, field)], cursor: [] })}
                  aria-label={t("search.understoodRemove", { label })} title={t("search.understoodRemove", { label })}>✕</a></li>
              );
            }))}
          </ul>
        </div>
      ) : null}
      {props.selection.length ? (
        <section class="panel selection" aria-labelledby="selection-title">
          <h2 id="selection-title" class="h3">{t("search.selection")}</h2>
          <ul class="chips">
            {props.selection.map((o) => {
              const { text: title, lang: shown } = localized(o.title, locale);
              const titleLang = shown === locale ? undefined : shown;
              const rest = props.selection.filter((x) => x.id !== o.id).map((x) => x.id);
              return (
                <li><span lang={titleLang}>{title}</span> <a href={searchHref(params, locale, { compare: rest })}>
                  <span aria-hidden="true">✕</span><span class="sr">{rich(t("search.selectionRemove", mark("title")), { title: <span lang={titleLang}>{title}</span> })}</span>
                </a></li>
              );
            })}
          </ul>
          {props.selection.length >= 2 ? (
            <a class="btn" href={`/compare?ids=${props.selection.map((o) => encodeURIComponent(o.id)).join(",")}&lang=${locale}`}>{t("search.selectionCompare", { n: props.selection.length })}</a>
          ) : null}
          <p class="small">{t(props.selection.length >= 5 ? "search.selectionFull" : "search.selectionMore")}</p>
        </section>
      ) : null}

      <div class="layout">
        <nav class="facets panel" aria-labelledby="facets-title">
          <h2 id="facets-title">{t("search.refine")}</h2>
          {hasFilters ? <p class="small"><a href={searchHref({}, locale)}>{t("search.reset")}</a></p> : null}
          {flags.length ? <h3>{t("facet.flags")}</h3> : null}
          <ul>
            {flags.map((f) => (
              <li><a href={searchHref(params, locale, toggle(params, f.field, f.value))} aria-current={f.active ? "true" : undefined}>
                <span>{f.active ? "✓ " : ""}{f.label}</span><span class="count">{f.count}</span>
              </a></li>
            ))}
          </ul>
          {facetDefs.map((d) => {
            const values = props.facets[d.field] ?? [];
            if (values.length === 0) return null;
            return (
              <>
                <h3>{t(d.label)}</h3>
                <ul>
                  {values.slice(0, 12).map((x) => {
                    const active = p(d.page).includes(x.value);
                    return (
                      <li><a href={searchHref(params, locale, toggle(params, d.page, x.value))} aria-current={active ? "true" : undefined}>
                        <span>{active ? "✓ " : ""}{d.field === "software" ? <Name>{d.show(x.value)}</Name> : d.show(x.value)}</span><span class="count">{x.count}</span>
                      </a></li>
                    );
                  })}
                </ul>
              </>
            );
          })}
        </nav>

        <section aria-labelledby="results-title">
          <form method="get" action="/">
            <input type="hidden" name="lang" value={locale} />
            <HiddenInputs params={params} fields={Object.keys(params).filter((k) => k !== "compare")} />
            {props.selection.filter((o) => !onPage.has(o.id)).map((o) => <input type="hidden" name="compare" value={o.id} />)}
            <div class="summary">
              <h2 id="results-title" class="sr">{t("search.results")}</h2>
              <p id="total">{totalLabel(props, props.total)}</p>
              {props.items.length + props.selection.length > 1 ? <button class="btn alt" type="submit" name="go" value="compare">{t("search.compare")}</button> : null}
            </div>
            {props.items.length === 0 ? <p class="panel">{t(q ? "search.empty" : "search.emptyFilters")}</p> : (
              <ol class="results">
                {props.items.map((o) => <OfferCard offer={o} locale={locale} t={t} compare checked={selected.has(o.id)} from={searchHref(params, locale)} />)}
              </ol>
            )}
            {props.items.length > 1 ? <p class="small">{t("search.compareHint")}</p> : null}
          </form>
          <div class="pager">
            {p("cursor").length ? <a href={searchHref(params, locale, { cursor: [] })}>← {t("search.first")}</a> : <span />}
            {props.nextCursor ? <a class="btn alt" rel="next" href={searchHref(params, locale, { cursor: [props.nextCursor] })}>{t("search.next")} →</a> : null}
          </div>
        </section>
      </div>
    </Layout>
  );
}
