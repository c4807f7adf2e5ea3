/** `/providers/{slug}`: who the provider is, its description and all its offers. */
import type { Offer } from "../../domain/schemas.ts";
import { mark, Name, OfferCard, ProviderBadges, rich, withLang, type View } from "./components.tsx";
import { countryName, dateLabel, localized, safeHref, vocab } from "./format.ts";
import { Layout } from "./layout.tsx";
import { interopTranslator, type InteropKey } from "../../i18n/interop.ts";
import { pagesTranslator } from "../../i18n/pages.ts";
import type { Membership } from "../../domain/sources/membership.ts";
import { DirectoryName, Paragraphs, type DirectoryRef } from "./offer.tsx";

const MEMBERSHIP_HELP: Record<Membership, InteropKey | undefined> = {
  member: "membership.memberHelp", idle: "membership.idleHelp", unconfirmed: "membership.unconfirmedHelp", none: undefined,
};

export type ProviderView = {
  slug: string; name: string; website: string; country: string; orgType: string;
  description: Record<string, string>; chatonsMember: boolean; chatonsMembership: Membership; verified: boolean; reviewed: boolean; newlyListed: boolean; createdAt: string;
  origin?: { actor: string; directory: string };
};

export function ProviderPage(props: View & { provider: ProviderView; offers: Offer[]; origin?: DirectoryRef; activityJson?: string }) {
  const { provider: p, locale, t } = props;
  const desc = localized(p.description, locale);
  const website = safeHref(p.website);
  return (
    <Layout locale={locale} t={t} title={p.name} path={`/providers/${encodeURIComponent(p.slug)}`} activityJson={props.activityJson}>
      <p class="crumbs"><a href={withLang("/", locale)}>← {t("offer.back")}</a></p>
      <h1 translate="no">{p.name}</h1>
      <div class="badges"><ProviderBadges provider={p} locale={locale} t={t} /></div>
      {p.chatonsMembership !== "none" || p.verified || p.reviewed || p.newlyListed ? (
        <p class="small help">{[
          MEMBERSHIP_HELP[p.chatonsMembership] ? interopTranslator(locale)(MEMBERSHIP_HELP[p.chatonsMembership]!) : "", p.verified ? t("provider.verifiedHelp") : "",
          p.reviewed ? t("provider.reviewedHelp") : "", p.newlyListed ? t("provider.newHelp") : "",
        ].filter(Boolean).join(" ")} <a href={withLang("/badges", locale)}>{pagesTranslator(locale)("footer.badges")}</a></p>
      ) : null}
      <section class="panel gap">
        {desc.text ? <Paragraphs text={desc.text} lang={desc.lang === locale ? undefined : desc.lang} /> : null}
        <dl class="facts">
          <dt>{t("provider.website")}</dt>
          <dd>{website ? <a href={website} rel="noopener noreferrer external">{website}</a> : p.website}</dd>
          <dt>{t("provider.orgType")}</dt><dd>{vocab(t, "orgType", p.orgType)}</dd>
          <dt>{t("provider.country")}</dt><dd>{countryName(p.country, locale)}</dd>
        </dl>
        <p class="small" id="since">{t("provider.since", { date: dateLabel(p.createdAt, locale) })}</p>
        {props.origin && p.origin ? (
          <p class="small" id="origin"><DirectoryName t={t} directory={props.origin} key="provider.origin" /> · <a href={p.origin.actor}>{t("provider.seeAtOrigin")}</a></p>
        ) : null}
      </section>
      <h2>{rich(t("provider.offers", mark("name")), { name: <Name>{p.name}</Name> })}</h2>
      {props.offers.length === 0 ? <p class="panel">{t("provider.noOffers")}</p> : (
        <ul class="results">{props.offers.map((o) => <OfferCard offer={o} locale={locale} t={t} showProvider={false} />)}</ul>
      )}
    </Layout>
  );
}

export function NotFoundPage(props: View & { message: string; path: string }) {
  const { locale, t } = props;
  return (
    <Layout locale={locale} t={t} title={t("notFound.title")} path={props.path}>
      <h1>{t("notFound.title")}</h1>
      <p class="lead">{props.message}</p>
      <p><a class="btn" href={withLang("/", locale)}>{t("notFound.back")}</a></p>
    </Layout>
  );
}
