/** /compare?ids=…: offers side by side; rows whose values differ are marked. Provider text is escaped by JSX. */
import type { Compared, ComparedField } from "../../domain/catalog/compare.ts";
import { COMPARED_FIELDS } from "../../domain/catalog/compare.ts";
import type { Offer } from "../../domain/schemas.ts";
import { pickLocale as pickText } from "../../domain/text.ts";
import type { CompareT } from "../../i18n/compare.ts";
import type { Locale, T } from "../../i18n/index.ts";
import { Layout } from "./layout.tsx";

function cell(field: ComparedField, c: Compared, t: CompareT, locale: Locale): string {
  const v = c[field];
  if (field === "monthlyPrice") {
    const p = c.monthlyPrice;
    if (p.amount === 0) return t("compare.free");
    if (p.amount === null) return t("compare.unknown");
    const amount = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(p.amount / 100);
    return t("compare.perMonth", { amount, currency: p.currency ?? "" });
  }
  if (typeof v === "boolean") return v ? t("compare.yes") : t("compare.no");
  if (Array.isArray(v)) return v.length ? v.join(", ") : t("compare.unknown");
  if (v === null || v === undefined || v === "") return t("compare.unknown");
  return String(v);
}

export function ComparePage(props: { locale: Locale; t: T; ct: CompareT; path: string; offers: Offer[]; comparison: Compared[]; differences: string[] }) {
  const { ct, locale } = props;
  const diff = new Set(props.differences);
  return (
    <Layout locale={locale} t={props.t} title={ct("compare.title")} path={props.path}>
      <h1>{ct("compare.title")}</h1>
      <p>{ct("compare.intro")}</p>
      <table class="compare">
        <thead>
          <tr>
            <th>{ct("compare.field")}</th>
            {props.offers.map((o) => (
              <th scope="col">
                <a href={`/offers/${encodeURIComponent(o.id)}?lang=${locale}`}>{pickText(o.title, locale)}</a>
                <br /><small>{ct("compare.provider")} : {o.provider.name}</small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {COMPARED_FIELDS.map((f) => (
            <tr class={diff.has(f) ? "differs" : undefined} data-field={f}>
              <th scope="row">{ct(`field.${f}`)}{diff.has(f) ? <small> · {ct("compare.differs")}</small> : null}</th>
              {props.comparison.map((c) => <td>{cell(f, c, ct, locale)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <style>{`table.compare tr.differs{background:#fff4d6}table.compare th small{font-weight:normal;color:#6b5a2a}`}</style>
    </Layout>
  );
}

export function CompareErrorPage(props: { locale: Locale; t: T; ct: CompareT; path: string; message: string }) {
  return (
    <Layout locale={props.locale} t={props.t} title={props.ct("compare.title")} path={props.path}>
      <h1>{props.ct("compare.title")}</h1>
      <p role="alert">{props.message}</p>
    </Layout>
  );
}
