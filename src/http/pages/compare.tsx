/**
 * /compare?ids=…: offers side by side, every value in the reader's language; rows whose values differ are marked with
 * words, not only colour. The table scrolls sideways inside its frame on small screens (the criteria column stays), so
 * the page itself never does. Provider text is escaped by JSX.
 */
import type { Compared, ComparedField } from "../../domain/catalog/compare.ts";
import { COMPARED_FIELDS } from "../../domain/catalog/compare.ts";
import type { Offer } from "../../domain/schemas.ts";
import { nextStep } from "../../domain/signups/views.ts";
import type { CompareT } from "../../i18n/compare.ts";
import type { Locale, T } from "../../i18n/index.ts";
import { mark, Name, offerHref, rich, selectionHref, withLang } from "./components.tsx";
import { colon, countryName, languageName, localized, money, numberLabel, priceLabel, vocab } from "./format.ts";
import { Layout } from "./layout.tsx";

type Ctx = { t: T; ct: CompareT; locale: Locale };

function cell(field: ComparedField, c: Compared, o: Offer, x: Ctx): string {
  const { t, ct, locale } = x;
  const list = (values: string[], show: (v: string) => string) => (values.length ? values.map(show).join(", ") : ct("compare.unknown"));
  switch (field) {
    case "service": return vocab(t, "service", c.service);
    case "software": return c.software;
    case "softwareVersion": return c.softwareVersion ?? ct("compare.unknown");
    case "priceModel": return priceLabel(o.price, locale, t);
    case "monthlyPrice": {
      if (c.priceModel === "free") return ct("compare.free");
      if (c.priceModel === "pay-what-you-want" && !c.monthlyPrice.amount) return ct("compare.pwyw");
      if (c.monthlyPrice.amount === null || !c.monthlyPrice.currency) return ct("compare.unknown");
      return t("price.period.month", { amount: money(c.monthlyPrice.amount, c.monthlyPrice.currency, locale) });
    }
    case "storageGB": return c.storageGB === null ? ct("compare.unknown") : ct("compare.storage", { n: numberLabel(c.storageGB, locale) });
    case "users": return c.users === null ? ct("compare.unknown") : numberLabel(c.users, locale);
    case "registration": return vocab(t, "registration", c.registration);
    case "capacity": return ct(c.capacity === "full" ? "compare.capacity.full" : "compare.capacity.available");
    case "dataLocation": return countryName(c.dataLocation, locale);
    case "languages": return list(c.languages, (l) => languageName(l, locale));
    case "audience": return list(c.audience, (a) => vocab(t, "audience", a));
    case "support": return list(c.support, (s) => vocab(t, "support", s));
    case "signupMode": {
      const step = nextStep(o);
      return ct(step.kind === "signup" ? "compare.signup.here" : step.kind === "provider-page" ? "compare.signup.external"
        : step.kind === "no-account" ? "compare.signup.none" : "compare.signup.unavailable");
    }
    case "stale": return c.stale ? ct("compare.yes") : ct("compare.no");
  }
}

/** The way on for one offer: its sign-up form, the provider's page, or its own page (which shows alternatives). */
function Action(props: { offer: Offer } & Ctx) {
  const { offer: o, ct, locale } = props;
  const step = nextStep(o);
  if (step.kind === "signup") return <a class="btn" href={withLang(`/signup/${encodeURIComponent(o.id)}`, locale)}>{props.t("offer.signup")}</a>;
  if (step.kind === "provider-page") return <a class="btn alt" href={step.url} rel="noopener noreferrer external">{ct("compare.signup.external")} ↗</a>;
  return <a href={offerHref(o.id, locale)}>{ct("compare.view")}</a>;
}

export function ComparePage(props: { locale: Locale; t: T; ct: CompareT; path: string; offers: Offer[]; comparison: Compared[]; differences: string[] }) {
  const { ct, locale, t } = props;
  const x = { t, ct, locale };
  const diff = new Set(props.differences);
  const ids = props.offers.map((o) => o.id);
  const service = props.offers[0]?.service;
  return (
    <Layout locale={locale} t={t} title={ct("compare.title")} path={props.path}>
      <p class="crumbs"><a href={selectionHref(ids, service, locale)}>← {ct("compare.back")}</a></p>
      <h1>{ct("compare.title")}</h1>
      <p class="lead">{ct("compare.intro")}</p>
      <p class="compare-tools">
        {ids.length < 5 ? <a class="btn alt" href={selectionHref(ids, service, locale)}>+ {ct("compare.add")}</a> : null}
        <span class="small scroll-hint">{ct("compare.scroll")}</span>
      </p>
      <div class="compare-wrap" role="region" aria-labelledby="compare-caption" tabindex={0}>
        <table class="compare">
          <caption id="compare-caption" class="sr">{ct("compare.table", { n: ids.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{ct("compare.field")}</th>
              {props.offers.map((o) => {
                const title = localized(o.title, locale);
                const rest = ids.filter((id) => id !== o.id);
                const removeHref = rest.length >= 2 ? `/compare?ids=${rest.map(encodeURIComponent).join(",")}&lang=${locale}` : selectionHref(rest, service, locale);
                return (
                  <th scope="col" data-offer-id={o.id}>
                    <a href={offerHref(o.id, locale)} lang={title.lang === locale ? undefined : title.lang}>{title.text}</a>
                    <span class="who">{ct("compare.provider")}{colon(locale)}<Name>{o.provider.name}</Name></span>
                    <a class="remove" href={removeHref}>
                      <span aria-hidden="true">✕ {ct("compare.remove")}</span>
                      <span class="sr">{rich(ct("compare.removeLabel", mark("title")), { title: <span lang={title.lang === locale ? undefined : title.lang}>{title.text}</span> })}</span>
                    </a>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {COMPARED_FIELDS.map((f) => (
              <tr class={diff.has(f) ? "differs" : undefined} data-field={f}>
                <th scope="row">{ct(`field.${f}`)}{diff.has(f) ? <span class="differs-mark"> · {ct("compare.differs")}</span> : null}</th>
                {props.comparison.map((c, i) => (f === "software" || f === "softwareVersion" ? <td translate="no">{cell(f, c, props.offers[i], x)}</td> : <td>{cell(f, c, props.offers[i], x)}</td>))}
              </tr>
            ))}
            <tr class="actions">
              <th scope="row"><span class="sr">{ct("field.signupMode")}</span></th>
              {props.offers.map((o) => <td><Action offer={o} {...x} /></td>)}
            </tr>
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** A comparison that cannot be shown (too few or too many offers, or offers gone), with the selection kept and a way on. */
export function CompareErrorPage(props: { locale: Locale; t: T; ct: CompareT; path: string; message: string; kept: Offer[] }) {
  const { ct, locale } = props;
  const ids = props.kept.map((o) => o.id);
  const service = props.kept[0]?.service;
  return (
    <Layout locale={locale} t={props.t} title={ct("compare.title")} path={props.path}>
      <h1>{ct("compare.title")}</h1>
      <p role="alert" class="notice">{props.message}</p>
      {props.kept.length ? (
        <section class="panel selection" aria-labelledby="kept-title">
          <h2 id="kept-title" class="h3">{ct("compare.selection")}</h2>
          <ul class="chips">{props.kept.map((o) => {
            const title = localized(o.title, locale);
            return <li><a href={offerHref(o.id, locale)} lang={title.lang === locale ? undefined : title.lang}>{title.text}</a></li>;
          })}</ul>
          {ids.length >= 2 && ids.length <= 5 ? <a class="btn" href={`/compare?ids=${ids.map(encodeURIComponent).join(",")}&lang=${locale}`}>{ct("compare.compareRest")}</a> : null}
        </section>
      ) : null}
      <p><a class="btn alt" href={selectionHref(ids.slice(0, 5), service, locale)}>{ct("compare.addMore")}</a></p>
    </Layout>
  );
}
