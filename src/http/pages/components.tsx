/** Pieces shared by the search, offer and provider pages. Provider text only ever goes through JSX (escaped). */
import type { Locale, T } from "../../i18n/index.ts";
import type { Offer } from "../../domain/schemas.ts";
import { countryName, dateLabel, localized, priceLabel, vocab } from "./format.ts";

export type View = { locale: Locale; t: T };

/** Adds `lang=<locale>` to an internal link so navigation keeps the chosen language. */
export function withLang(path: string, locale: Locale): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${locale}`;
}

export const offerHref = (id: string, locale: Locale) => withLang(`/offers/${encodeURIComponent(id)}`, locale);
export const providerHref = (slug: string, locale: Locale) => withLang(`/providers/${encodeURIComponent(slug)}`, locale);

/** Availability badges: "Complet/Full", "Fermé/Closed", approval, members only. */
export function AvailabilityBadges(props: View & { offer: Pick<Offer, "registration" | "capacity" | "stale"> }) {
  const { offer: o, t } = props;
  return (
    <>
      {o.registration === "closed" ? <span class="badge bad">{t("badge.closed")}</span> : null}
      {o.registration !== "closed" && o.capacity === "full" ? <span class="badge bad">{t("badge.full")}</span> : null}
      {o.registration === "approval" ? <span class="badge">{t("badge.approval")}</span> : null}
      {o.registration === "members" ? <span class="badge">{t("badge.members")}</span> : null}
      {o.stale ? <span class="badge warn" title={t("offer.staleLong")}>{t("offer.stale")}</span> : null}
    </>
  );
}

export function ProviderBadges(props: View & { provider: { chatonsMember: boolean; verified: boolean } }) {
  const { provider: p, t } = props;
  return (
    <>
      {p.chatonsMember ? <span class="badge ok" title={t("provider.memberHelp")}>{t("badge.member")}</span> : null}
      {p.verified ? <span class="badge ok" title={t("provider.verifiedHelp")}>✓ {t("badge.verified")}</span> : null}
    </>
  );
}

function excerpt(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/** One offer in a list. With `compare`, a checkbox named `compare` joins the surrounding compare form. */
export function OfferCard(props: View & { offer: Offer; compare?: boolean; showProvider?: boolean }) {
  const { offer: o, locale, t } = props;
  const title = localized(o.title, locale);
  const desc = localized(o.description, locale);
  const titleLang = title.lang === locale ? undefined : title.lang;
  const software = [o.software.name, o.software.version].filter(Boolean).join(" ");
  return (
    <li class="card" data-offer-id={o.id}>
      <div class="top">
        <div>
          <h3><a href={offerHref(o.id, locale)} lang={titleLang}>{title.text}</a></h3>
          <p class="by">
            {props.showProvider === false ? null : <><a href={providerHref(o.provider.slug, locale)}>{o.provider.name}</a> · </>}
            {software} · {vocab(t, "service", o.service)}
          </p>
        </div>
        {props.compare ? (
          <label class="cmp">
            <input type="checkbox" name="compare" value={o.id} />
            <span aria-hidden="true">{t("search.compareOne")}</span>
            <span class="sr">{t("search.compareSelect", { title: title.text })}</span>
          </label>
        ) : null}
      </div>
      {desc.text ? <p class="desc" lang={desc.lang === locale ? undefined : desc.lang}>{excerpt(desc.text)}</p> : null}
      <div class="badges">
        <AvailabilityBadges offer={o} locale={locale} t={t} />
        {props.showProvider === false ? null : <ProviderBadges provider={o.provider} locale={locale} t={t} />}
        {o.source === "federated" ? <span class="badge">{t("badge.federated")}</span> : null}
      </div>
      <div class="meta">
        <span class="price">{priceLabel(o.price, locale, t)}</span>
        <span>{t("offer.dataIn", { country: countryName(o.dataLocation, locale) })}</span>
        <span>{t("offer.updated", { date: dateLabel(o.updatedAt, locale) })}</span>
      </div>
    </li>
  );
}

/** The sign-up call to action: our own flow for webhook/nextcloud offers, the provider's form for external ones. */
export function SignupAction(props: View & { offer: Offer; safeExternal: string | undefined }) {
  const { offer: o, locale, t } = props;
  if (o.registration === "closed") return <p class="small">{t("offer.signupClosed")}</p>;
  if (o.capacity === "full") return <p class="small">{t("offer.signupFull")}</p>;
  const note = o.registration === "members" ? t("offer.signupMembers") : o.registration === "approval" ? t("offer.signupApproval") : undefined;
  if (o.signup.mode === "external") {
    return (
      <>
        {props.safeExternal
          ? <a class="btn" href={props.safeExternal} rel="noopener noreferrer external">{t("offer.signupExternal")} ↗</a>
          : <p class="small">{t("offer.notSpecified")}</p>}
        {note ? <p class="small">{note}</p> : null}
      </>
    );
  }
  return (
    <>
      <a class="btn" href={withLang(`/signup/${encodeURIComponent(o.id)}`, locale)}>{t("offer.signup")}</a>
      {note ? <p class="small">{note}</p> : null}
      <p class="small">{t("offer.signupPrivacy")}</p>
    </>
  );
}
