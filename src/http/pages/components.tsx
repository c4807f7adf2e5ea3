/** Pieces shared by the search, offer and provider pages. Provider text only ever goes through JSX (escaped). */
import { interopTranslator } from "../../i18n/interop.ts";
import type { Membership } from "../../domain/sources/membership.ts";
import type { Locale, T } from "../../i18n/index.ts";
import type { Offer } from "../../domain/schemas.ts";
import type { NextStep } from "../../domain/signups/views.ts";
import { countryName, dateLabel, localized, priceLabel, vocab } from "./format.ts";

export type View = { locale: Locale; t: T };

/** A proper name (a provider, a software): never translated, by people's browsers or anyone. */
export function Name(props: { children: unknown }) {
  return <span translate="no">{props.children as never}</span>;
}

/**
 * A translated sentence whose placeholders are filled with elements (a name kept untranslated, a link):
 * `rich(t("offer.signupElsewhere", mark("provider")), { provider: <Name>…</Name> })`.
 */
export function rich(text: string, parts: Record<string, unknown>): unknown[] {
  return text.split(/\u0000(\w+)\u0000/).map((piece, i) => (i % 2 === 1 ? parts[piece] : piece));
}
/** Placeholder values that `rich` later replaces by elements. */
export const mark = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `\u0000${n}\u0000`]));

/** Adds `lang=<locale>` to an internal link so navigation keeps the chosen language. */
export function withLang(path: string, locale: Locale): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${locale}`;
}

/** An offer's page; `from` (a search page path) becomes its "back to search" link. */
export const offerHref = (id: string, locale: Locale, from?: string) =>
  withLang(`/offers/${encodeURIComponent(id)}${from ? `?from=${encodeURIComponent(from)}` : ""}`, locale);
/** The search page with `ids` kept as the comparison selection, showing offers of `service` to pick more from. */
export function selectionHref(ids: string[], service: string | undefined, locale: Locale): string {
  const qs = new URLSearchParams();
  if (service) qs.set("service", service);
  for (const id of ids) qs.append("compare", id);
  qs.set("lang", locale);
  return `/?${qs.toString()}`;
}

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
      {o.registration === "none" ? <span class="badge ok">{t("badge.noAccount")}</span> : null}
      {o.stale ? <span class="badge warn" title={t("offer.staleLong")}>{t("offer.stale")}</span> : null}
    </>
  );
}

/**
 * What the directory knows about a provider, each badge saying exactly that (/badges explains them): CHATONS member
 * confirmed by the collective's list, or only declaring it; domain verified; reviewed by this directory; new.
 */
export function ProviderBadges(props: View & { provider: { chatonsMember: boolean; chatonsMembership?: Membership; verified: boolean; reviewed?: boolean; newlyListed?: boolean } }) {
  const { provider: p, t } = props;
  const it = interopTranslator(props.locale);
  const m = p.chatonsMembership ?? (p.chatonsMember ? "member" : "none");
  return (
    <>
      {m === "member" ? <span class="badge ok" data-badge="member" title={it("membership.memberHelp")}>{t("badge.member")}</span> : null}
      {m === "idle" ? <span class="badge" data-badge="idle" title={it("membership.idleHelp")}>{it("membership.idle")}</span> : null}
      {m === "unconfirmed" ? <span class="badge warn" data-badge="declared" title={it("membership.unconfirmedHelp")}>{it("membership.unconfirmed")}</span> : null}
      {p.verified ? <span class="badge ok" data-badge="verified" title={t("provider.verifiedHelp")}>{t("badge.verified")}</span> : null}
      {p.reviewed ? <span class="badge ok" data-badge="reviewed" title={t("provider.reviewedHelp")}>{t("badge.reviewed")}</span> : null}
      {p.newlyListed ? <span class="badge" data-badge="new" title={t("provider.newHelp")}>{t("badge.new")}</span> : null}
    </>
  );
}

function excerpt(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/** One offer in a list. With `compare`, a checkbox named `compare` joins the surrounding compare form. */
export function OfferCard(props: View & { offer: Offer; compare?: boolean; checked?: boolean; showProvider?: boolean; from?: string }) {
  const { offer: o, locale, t } = props;
  const title = localized(o.title, locale);
  const desc = localized(o.description, locale);
  const titleLang = title.lang === locale ? undefined : title.lang;
  const software = [o.software.name, o.software.version].filter(Boolean).join(" ");
  return (
    <li class="card" data-offer-id={o.id}>
      <div class="top">
        <div>
          <h3><a href={offerHref(o.id, locale, props.from)} lang={titleLang}>{title.text}</a></h3>
          <p class="by">
            {props.showProvider === false ? null : <><a href={providerHref(o.provider.slug, locale)} translate="no">{o.provider.name}</a> · </>}
            <Name>{software}</Name> · {vocab(t, "service", o.service)}
          </p>
        </div>
        {props.compare ? (
          <label class="cmp">
            <input type="checkbox" name="compare" value={o.id} checked={props.checked ?? false} />
            <span aria-hidden="true">{t("search.compareOne")}</span>
            <span class="sr">{rich(t("search.compareSelect", mark("title")), { title: <span lang={titleLang}>{title.text}</span> })}</span>
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

/** The call to action of an offer: never a button that leads to a refusal (domain/signups/views.ts nextStep). */
export function NextStepAction(props: View & { offer: Offer; step: NextStep; alternatives: Offer[] }) {
  const { offer: o, step, locale, t } = props;
  switch (step.kind) {
    case "signup":
      return (
        <>
          <a class="btn" href={withLang(`/signup/${encodeURIComponent(o.id)}`, locale)}>{t("offer.signup")}</a>
          {step.note ? <p class="small">{t(step.note === "members" ? "offer.signupMembers" : "offer.signupApproval")}</p> : null}
          <p class="small">{t("offer.signupPrivacy")}</p>
        </>
      );
    case "no-account":
      return (
        <>
          <p>{t("offer.noAccount")}</p>
          {step.url ? <a class="btn" href={step.url} rel="noopener noreferrer external">{t("offer.openService")} ↗</a> : null}
        </>
      );
    case "provider-page":
      return (
        <>
          <a class="btn" href={step.url} rel="noopener noreferrer external">{t("offer.signupExternal")} ↗</a>
          <p class="small">{rich(t("offer.signupElsewhere", mark("provider")), { provider: <Name>{o.provider.name}</Name> })}</p>
        </>
      );
    case "unavailable":
      return <Unavailable offer={o} reason={step.reason} alternatives={props.alternatives} locale={locale} t={t} />;
  }
}

/** "Not taking new accounts", then where to go: similar open offers, the provider, the other offers of the service. */
export function Unavailable(props: View & { offer: Offer; reason: "closed" | "full" | "not-here"; alternatives: Offer[] }) {
  const { offer: o, locale, t } = props;
  const why = props.reason === "closed" ? t("offer.signupClosed") : props.reason === "full" ? t("offer.signupFull") : t("offer.signupNotHere");
  return (
    <div class="unavailable" role="status">
      <p><strong>{why}</strong></p>
      {props.alternatives.length ? (
        <>
          <p class="small">{t("offer.alternatives")}</p>
          <ul class="alts">
            {props.alternatives.map((a) => (
              <li><a href={offerHref(a.id, locale)} lang={localized(a.title, locale).lang === locale ? undefined : localized(a.title, locale).lang}>{localized(a.title, locale).text}</a><span class="small"> · <Name>{a.provider.name}</Name> · {priceLabel(a.price, locale, t)}</span></li>
            ))}
          </ul>
        </>
      ) : <p class="small">{t("offer.noAlternative")}</p>}
      <p class="small">
        <a href={providerHref(o.provider.slug, locale)}>{rich(t("offer.seeProvider", mark("provider")), { provider: <Name>{o.provider.name}</Name> })}</a>
        {o.source === "federated" && o.origin ? <>{" · "}<a href={o.origin.id}>{t("offer.seeAtOrigin")}</a></> : null}
        {" · "}<a href={withLang(`/?service=${encodeURIComponent(o.service)}&available=true`, locale)}>{t("offer.allOpenOfService", { service: vocab(t, "service", o.service) })}</a>
      </p>
    </div>
  );
}
