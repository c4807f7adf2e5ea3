/** `/offers/{id}`: every field of one offer, the provider card and the sign-up call to action. */
import type { Offer } from "../../domain/schemas.ts";
import { nextStep } from "../../domain/signups/views.ts";
import { AvailabilityBadges, mark, Name, NextStepAction, ProviderBadges, providerHref, rich, selectionHref, withLang, type View } from "./components.tsx";
import { countryName, dateLabel, languageName, localized, numberLabel, priceLabel, safeHref, vocab } from "./format.ts";
import { Layout } from "./layout.tsx";
import { adminTranslator } from "../../i18n/admin.ts";

/** Splits provider text on blank lines into paragraphs (text only; no markup is interpreted). */
export function Paragraphs(props: { text: string; lang?: string }) {
  const paras = props.text.split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean);
  return <div class="prose" lang={props.lang}>{paras.map((p) => <p>{p}</p>)}</div>;
}

/** Another directory, as people see it: "Partagée par l'annuaire Chatons du Lot (annuaire.chatons-lot.example)". */
export type DirectoryRef = { name?: string; host: string; url: string };
export function DirectoryName(props: { t: View["t"]; directory: DirectoryRef; key?: "offer.origin" | "provider.origin" }) {
  const d = props.directory;
  const label = !d.name ? d.host : d.name.includes(d.host) ? d.name : `${d.name} (${d.host})`;
  return <>{rich(props.t(props.key ?? "offer.origin", mark("directory")), { directory: <a href={d.url} translate="no">{label}</a> })}</>;
}

export function OfferPage(props: View & { offer: Offer; alternatives: Offer[]; back?: string; origin?: DirectoryRef; activityJson?: string }) {
  const { offer: o, locale, t } = props;
  const step = nextStep(o);
  const title = localized(o.title, locale);
  const desc = localized(o.description, locale);
  const other = (lang: string) => (lang === locale ? undefined : lang);
  const list = (field: string, values: string[]) => (values.length ? values.map((v) => vocab(t, field, v)).join(", ") : t("offer.notSpecified"));
  const quota = [
    o.quota.storageGB !== undefined ? t("offer.quotaStorage", { n: numberLabel(o.quota.storageGB, locale) }) : undefined,
    o.quota.users !== undefined ? t("offer.quotaUsers", { n: numberLabel(o.quota.users, locale) }) : undefined,
  ].filter(Boolean).join(" · ");
  const software = (
    <>
      <strong translate="no">{o.software.name}</strong>
      {o.software.version ? <> · {t("offer.version", { version: o.software.version })}</> : null}
      {o.software.license ? <> · {t("offer.license", { license: o.software.license })}</> : null}
    </>
  );
  return (
    <Layout locale={locale} t={t} title={title.text} path={`/offers/${encodeURIComponent(o.id)}`} activityJson={props.activityJson}>
      <p class="crumbs"><a href={props.back ?? withLang("/", locale)}>← {t("offer.back")}</a></p>
      <h1 lang={other(title.lang)}>{title.text}</h1>
      <p class="by">
        {t("offer.byLabel")} <a href={providerHref(o.provider.slug, locale)} translate="no">{o.provider.name}</a> · {vocab(t, "service", o.service)}
      </p>
      <div class="badges">
        <AvailabilityBadges offer={o} locale={locale} t={t} />
        <ProviderBadges provider={o.provider} locale={locale} t={t} />
        {o.source === "federated" ? <span class="badge">{t("badge.federated")}</span> : null}
      </div>
      {o.stale ? <p class="notice">{t("offer.staleLong")}</p> : null}

      <div class="detail">
        <div>
          <section class="panel">
            {desc.text ? <Paragraphs text={desc.text} lang={other(desc.lang)} /> : null}
            <h2>{t("offer.details")}</h2>
            <dl class="facts">
              <dt>{t("offer.software")}</dt><dd>{software}</dd>
              <dt>{t("offer.price")}</dt><dd>{priceLabel(o.price, locale, t)}</dd>
              <dt>{t("offer.quota")}</dt><dd>{quota || t("offer.quotaNone")}</dd>
              <dt>{t("offer.registration")}</dt><dd>{vocab(t, "registration", o.registration)}{o.capacity === "full" ? ` · ${t("badge.full")}` : ""}</dd>
              <dt>{t("offer.languages")}</dt><dd>{o.languages.length ? o.languages.map((l) => languageName(l, locale)).join(", ") : t("offer.notSpecified")}</dd>
              <dt>{t("offer.audience")}</dt><dd>{list("audience", o.audience)}</dd>
              <dt>{t("offer.support")}</dt><dd>{list("support", o.support)}</dd>
              {o.includes.length ? (
                <>
                  <dt>{t("offer.includes")}</dt>
                  <dd><ul>{o.includes.map((i) => <li>{vocab(t, "service", i.service)} — <Name>{i.software}</Name></li>)}</ul></dd>
                </>
              ) : null}
              <dt>{t("offer.dataLocation")}</dt><dd>{countryName(o.dataLocation, locale)}</dd>
              <dt>{t("offer.source")}</dt>
              <dd>{vocab(t, "source", o.source)}{props.origin ? <> · <DirectoryName t={t} directory={props.origin} /></> : null}</dd>
            </dl>
            <p class="small" id="updated">{t("offer.updated", { date: dateLabel(o.updatedAt, locale) })}</p>
            <p class="small"><a href={withLang(`/offers/${encodeURIComponent(o.id)}/report`, locale)} id="report-link">{adminTranslator(locale)("report.link")}</a></p>
          </section>
        </div>
        <aside>
          <section class="panel cta" aria-label={t("offer.signup")}>
            <span class="price">{priceLabel(o.price, locale, t)}</span>
            <NextStepAction offer={o} step={step} alternatives={props.alternatives} locale={locale} t={t} />
            <a class="btn alt" href={selectionHref([o.id], o.service, locale)}>{t("offer.compareWith")}</a>
          </section>
          <ProviderCard provider={o.provider} locale={locale} t={t} />
        </aside>
      </div>
    </Layout>
  );
}

export function ProviderCard(props: View & { provider: Offer["provider"] }) {
  const { provider: p, locale, t } = props;
  return (
    <section class="panel provider" aria-labelledby="provider-card">
      <h2 id="provider-card">{t("provider.title")}</h2>
      <p><a href={providerHref(p.slug, locale)} translate="no"><strong>{p.name}</strong></a></p>
      <div class="badges"><ProviderBadges provider={p} locale={locale} t={t} /></div>
      <dl class="facts">
        <dt>{t("provider.orgType")}</dt><dd>{vocab(t, "orgType", p.orgType)}</dd>
        <dt>{t("provider.country")}</dt><dd>{countryName(p.country, locale)}</dd>
      </dl>
      <p class="small"><a href={providerHref(p.slug, locale)}>{t("provider.seeAll")}</a></p>
    </section>
  );
}
