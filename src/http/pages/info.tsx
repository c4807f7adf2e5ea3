/** The pages a trustworthy site has: /about (what this is, who runs it), /privacy (personal data), /badges. */
import type { Locale, T } from "../../i18n/index.ts";
import { pagesTranslator } from "../../i18n/pages.ts";
import { interopTranslator } from "../../i18n/interop.ts";
import { withLang } from "./components.tsx";
import { durationLabel, numberLabel, priceLabel } from "./format.ts";
import { Layout } from "./layout.tsx";

/** Who runs the directory (OPERATOR_NAME, OPERATOR_CONTACT). */
export type Operator = { name?: string; contact?: string };

/** A contact as a link: an email address becomes mailto:, a URL stays as it is (both from the operator's config). */
export function Contact(props: { contact: string }) {
  const c = props.contact;
  const href = /^https?:\/\//.test(c) ? c : c.startsWith("mailto:") ? c : `mailto:${c}`;
  return <a href={href}>{c.replace(/^mailto:/, "")}</a>;
}

export function AboutPage(props: { locale: Locale; t: T; operator: Operator; providers: number; offers: number; mail: boolean; demo: boolean }) {
  const { locale, t } = props;
  const pt = pagesTranslator(locale);
  const n = (count: number, one: "about.providersOne" | "about.offersOne", many: "about.providersMany" | "about.offersMany") =>
    (count === 1 ? pt(one) : pt(many, { n: numberLabel(count, locale) }));
  return (
    <Layout locale={locale} t={t} title={pt("about.title")} path="/about">
      <h1>{pt("about.title")}</h1>
      <p class="lead">{pt("about.lead")}</p>
      {props.demo ? <p class="notice">{pt("about.demo")}</p> : null}
      <section class="panel prose">
        <h2>{pt("about.howTitle")}</h2>
        <ol class="steps-list">
          <li>{pt("about.how1")}</li>
          <li>{pt("about.how2")}</li>
          <li>{pt("about.how3", { mail: props.mail ? pt("about.howMail") : "" })}</li>
        </ol>
        <p id="numbers">{pt("about.numbers", { providers: n(props.providers, "about.providersOne", "about.providersMany"), offers: n(props.offers, "about.offersOne", "about.offersMany") })}</p>
        <h2>{pt("about.fairTitle")}</h2>
        <p>{pt("about.fair")}</p>
        <h2>{pt("about.federationTitle")}</h2>
        <p>{pt("about.federation", { badge: t("badge.federated") })}</p>
        <h2>{pt("about.operatorTitle")}</h2>
        <p id="operator">
          {props.operator.name ? pt("about.operator", { name: props.operator.name }) : pt("about.operatorUnknown")}
          {props.operator.contact ? <> {pt("about.operatorContact")}<Contact contact={props.operator.contact} /></> : null}
        </p>
        <p class="small">
          <a href={withLang("/badges", locale)}>{pt("footer.badges")}</a> · <a href={withLang("/privacy", locale)}>{pt("footer.privacy")}</a>
          {" · "}<a href={withLang("/docs", locale)}>{pt("about.api")}</a>
        </p>
      </section>
    </Layout>
  );
}

export function PrivacyPage(props: {
  locale: Locale; t: T; operator: Operator; retentionDays: number; stuckDays: number; ipWindowSec: number; mail: boolean;
}) {
  const { locale, t } = props;
  const pt = pagesTranslator(locale);
  const op = props.operator;
  return (
    <Layout locale={locale} t={t} title={pt("privacy.title")} path="/privacy">
      <h1>{pt("privacy.title")}</h1>
      <p class="lead">{pt("privacy.lead")}</p>
      <section class="panel prose">
        <h2>{pt("privacy.controllerTitle")}</h2>
        <p>{op.name ? pt("privacy.controller", { name: op.name }) : pt("privacy.controllerUnknown")}</p>
        <h2>{pt("privacy.collectTitle")}</h2>
        <p>{pt("privacy.collect")}</p>
        <p>{pt("privacy.browse")}</p>
        <h2>{pt("privacy.whoTitle")}</h2>
        <p>{pt("privacy.who")}</p>
        <p>{pt("privacy.whoFederated")}</p>
        <h2>{pt("privacy.keepTitle")}</h2>
        <ul>
          <li id="retention">{pt("privacy.keepFinal", { days: numberLabel(props.retentionDays, locale) })}</li>
          <li>{pt("privacy.keepRetry")}</li>
          <li>{pt("privacy.keepStuck", { days: numberLabel(props.stuckDays, locale) })}</li>
          <li>{pt("privacy.keepProvider")}</li>
        </ul>
        <h2>{pt("privacy.mailTitle")}</h2>
        <p>{pt(props.mail ? "privacy.mailOn" : "privacy.mailOff")}</p>
        <h2>{pt("privacy.ipTitle")}</h2>
        <p>{pt("privacy.ip", { window: durationLabel(props.ipWindowSec, locale) })}</p>
        <h2>{pt("privacy.cookiesTitle")}</h2>
        <p>{pt("privacy.cookies")}</p>
        <h2>{pt("privacy.rightsTitle")}</h2>
        <p id="rights">
          {pt("privacy.rights", { contact: "\u0000" }).split("\u0000").map((part, i) => (
            <>{i > 0 && op.contact ? <> (<Contact contact={op.contact} />)</> : null}{part}</>
          ))}
        </p>
      </section>
    </Layout>
  );
}

export function BadgesPage(props: { locale: Locale; t: T }) {
  const { locale, t } = props;
  const pt = pagesTranslator(locale);
  const it = interopTranslator(locale);
  const item = (badge: unknown, text: string, id: string) => (
    <div class="badge-row" id={id}><dt>{badge as never}</dt><dd>{text}</dd></div>
  );
  return (
    <Layout locale={locale} t={t} title={pt("badges.title")} path="/badges">
      <h1>{pt("badges.title")}</h1>
      <p class="lead">{pt("badges.lead")}</p>
      <section class="panel">
        <h2>{pt("badges.hostTitle")}</h2>
        <dl class="badge-list">
          {item(<span class="badge ok">{t("badge.member")}</span>, pt("badges.member"), "member")}
          {item(<span class="badge">{it("membership.idle")}</span>, pt("badges.idle"), "idle")}
          {item(<span class="badge warn">{it("membership.unconfirmed")}</span>, pt("badges.declared"), "declared")}
          {item(<span class="badge ok">{t("badge.verified")}</span>, pt("badges.verified"), "verified")}
          {item(<span class="badge ok">{t("badge.reviewed")}</span>, pt("badges.reviewed"), "reviewed")}
          {item(<span class="badge">{t("badge.new")}</span>, pt("badges.new"), "new")}
        </dl>
        <h2>{pt("badges.offerTitle")}</h2>
        <dl class="badge-list">
          {item(<span class="badge warn">{t("offer.stale")}</span>, pt("badges.stale"), "stale")}
          {item(<span class="badge">{t("badge.federated")}</span>, pt("badges.federated"), "federated")}
          {item(<span class="badge bad">{t("badge.full")}</span>, pt("badges.full"), "full")}
          {item(<span class="badge bad">{t("badge.closed")}</span>, pt("badges.closed"), "closed")}
          {item(<span class="badge">{t("badge.approval")}</span>, pt("badges.approval"), "approval")}
          {item(<span class="badge">{t("badge.members")}</span>, pt("badges.members"), "members")}
          {item(<span class="badge ok">{t("badge.noAccount")}</span>, pt("badges.noAccount"), "no-account")}
        </dl>
        <h2>{pt("badges.priceTitle")}</h2>
        <dl class="badge-list">
          {item(<span class="price">{priceLabel({ model: "free" }, locale, t)}</span>, pt("badges.free"), "free")}
          {item(<span class="price">{priceLabel({ model: "pay-what-you-want" }, locale, t)}</span>, pt("badges.pwyw"), "pay-what-you-want")}
          {item(<span class="price">{priceLabel({ model: "membership" }, locale, t)}</span>, pt("badges.membership"), "membership")}
          {item(<span class="price">{priceLabel({ model: "fixed" }, locale, t)}</span>, pt("badges.fixed"), "fixed")}
        </dl>
      </section>
    </Layout>
  );
}
