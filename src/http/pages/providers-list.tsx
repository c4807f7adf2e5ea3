/** `/providers`: every provider this directory lists, filterable by name, country, kind of organisation, membership. */
import type { ProviderView } from "../../domain/catalog/views.ts";
import { ORG_TYPES } from "../../domain/vocabulary.ts";
import type { Locale, T } from "../../i18n/index.ts";
import { pagesTranslator } from "../../i18n/pages.ts";
import { ProviderBadges, providerHref } from "./components.tsx";
import { countryName, localized, numberLabel, vocab } from "./format.ts";
import { Layout } from "./layout.tsx";

export type ProvidersFilter = { q?: string; country?: string; orgType?: string; member?: boolean; cursor?: string };

/** `/providers?…` for a filter, always with the page language. */
export function providersHref(f: ProvidersFilter, locale: Locale): string {
  const qs = new URLSearchParams();
  if (f.q) qs.set("q", f.q);
  if (f.country) qs.set("country", f.country);
  if (f.orgType) qs.set("orgType", f.orgType);
  if (f.member) qs.set("member", "true");
  if (f.cursor) qs.set("cursor", f.cursor);
  qs.set("lang", locale);
  return `/providers?${qs.toString()}`;
}

function excerpt(text: string, max = 180): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

export function ProvidersPage(props: {
  locale: Locale; t: T; filter: ProvidersFilter; countries: string[]; items: ProviderView[]; total: number; nextCursor: string | null; invalid: boolean;
}) {
  const { locale, t, filter: f } = props;
  const pt = pagesTranslator(locale);
  const total = props.total === 0 ? pt("providers.total.zero") : props.total === 1 ? pt("providers.total.one") : pt("providers.total.many", { n: numberLabel(props.total, locale) });
  const offers = (n: number) => (n === 0 ? pt("providers.offers.zero") : n === 1 ? pt("providers.offers.one") : pt("providers.offers.many", { n: numberLabel(n, locale) }));
  const path = providersHref({ ...f, cursor: undefined }, locale).replace(/[?&]lang=\w+$/, "");
  return (
    <Layout locale={locale} t={t} title={pt("providers.title")} path={path === "/providers?" ? "/providers" : path}>
      <h1>{pt("providers.title")}</h1>
      <p class="lead">{pt("providers.lead")}</p>
      <form class="search panel" method="get" action="/providers">
        <input type="hidden" name="lang" value={locale} />
        <div class="filters">
          <label>{pt("providers.q")}<input type="search" name="q" value={f.q ?? ""} maxlength={200} /></label>
          <label>
            {pt("providers.country")}
            <select name="country">
              <option value="">{pt("providers.any")}</option>
              {props.countries.map((c) => <option value={c} selected={c === f.country}>{countryName(c, locale)}</option>)}
            </select>
          </label>
          <label>
            {pt("providers.orgType")}
            <select name="orgType">
              <option value="">{pt("providers.any")}</option>
              {ORG_TYPES.map((o) => <option value={o} selected={o === f.orgType}>{vocab(t, "orgType", o)}</option>)}
            </select>
          </label>
          <label class="check"><input type="checkbox" name="member" value="true" checked={f.member ?? false} /> {pt("providers.member")}</label>
        </div>
        <p><button class="btn" type="submit">{pt("providers.submit")}</button></p>
      </form>
      {props.invalid ? <p class="notice" role="alert">{pt("providers.invalid")}</p> : null}
      <p id="total" class="summary"><strong>{total}</strong></p>
      <ul class="results">
        {props.items.map((p) => {
          const desc = localized(p.description, locale);
          return (
            <li class="card" data-provider={p.slug}>
              <h2 class="h3"><a href={providerHref(p.slug, locale)} translate="no">{p.name}</a></h2>
              <p class="by">{vocab(t, "orgType", p.orgType)} · {countryName(p.country, locale)} · {offers(p.offerCount)}</p>
              {desc.text ? <p class="desc" lang={desc.lang === locale ? undefined : desc.lang}>{excerpt(desc.text)}</p> : null}
              <div class="badges"><ProviderBadges provider={p} locale={locale} t={t} /></div>
            </li>
          );
        })}
      </ul>
      <div class="pager">
        {f.cursor ? <a href={providersHref({ ...f, cursor: undefined }, locale)}>← {pt("providers.first")}</a> : <span />}
        {props.nextCursor ? <a class="btn alt" rel="next" href={providersHref({ ...f, cursor: props.nextCursor }, locale)}>{pt("providers.next")} →</a> : null}
      </div>
    </Layout>
  );
}
