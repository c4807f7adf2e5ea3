/** /for-providers: what a host can do here — three ways to publish, two ways to receive signups, what badges need. */
import type { Locale, T } from "../../../i18n/index.ts";
import { providerTranslator } from "../../../i18n/provider.ts";
import { withLang } from "../components.tsx";
import { Layout } from "../layout.tsx";

export function ForProvidersPage(p: { locale: Locale; t: T; intervalHours: number }) {
  const { locale, t } = p;
  const pt = providerTranslator(locale);
  const link = (href: string, text: string) => <a href={withLang(href, locale)}>{text}</a>;
  return (
    <Layout locale={locale} t={t} title={pt("for.title")} path="/for-providers">
      <h1>{pt("for.title")}</h1>
      <p class="lead">{pt("for.lead")}</p>
      <p class="actions">
        <a class="btn" href={withLang("/provider/join", locale)}>{pt("for.join")}</a> <a class="btn alt" href={withLang("/provider/signin", locale)}>{pt("for.signin")}</a>
      </p>
      <section class="panel prose gap">
        <h2>{pt("for.publishTitle")}</h2>
        <ol class="steps-list">
          <li><strong>{pt("for.publishSpace")}</strong> {pt("for.publishSpaceText")}</li>
          <li><strong>{pt("for.publishFile")}</strong> {pt("for.publishFileText", { hours: p.intervalHours })} {link("/docs#schema-OfferDocument", pt("for.publishFileSchema"))}</li>
          <li><strong>{pt("for.publishApi")}</strong> {pt("for.publishApiText")} {link("/docs", pt("for.publishApiDocs"))}</li>
        </ol>
        <h2>{pt("for.receiveTitle")}</h2>
        <p>{pt("for.receiveLead")}</p>
        <ul>
          <li><strong>{pt("for.receiveWebhook")}</strong> {pt("for.receiveWebhookText")}</li>
          <li><strong>{pt("for.receiveNextcloud")}</strong> {pt("for.receiveNextcloudText")}</li>
        </ul>
        <p>{pt("for.receiveOwnPage")}</p>
        <h2>{pt("for.badgesTitle")}</h2>
        <dl class="facts">
          <dt>{t("badge.verified")}</dt><dd>{pt("for.badgeVerified")}</dd>
          <dt>{t("badge.member")}</dt><dd>{pt("for.badgeMember")}</dd>
          <dt>{t("badge.reviewed")}</dt><dd>{pt("for.badgeReviewed")}</dd>
          <dt>{t("badge.new")}</dt><dd>{pt("for.badgeNew")}</dd>
          <dt>{t("offer.stale")}</dt><dd>{pt("for.badgeStale")}</dd>
          <dt>{t("badge.full")} · {t("badge.closed")}</dt><dd>{pt("for.badgeFull")}</dd>
        </dl>
        <p class="small gap">{link("/badges", pt("for.badgesAll"))}</p>
        <h2>{pt("for.costTitle")}</h2>
        <p>{pt("for.cost")}</p>
      </section>
    </Layout>
  );
}
