/**
 * What people on Mastodon-like software read about an offer and a provider (docs/decisions/0014): the post (a `Note`)
 * announcing a new or changed offer — title, provider, service, price, registration and a link to its page —, and
 * the provider's profile fields (`PropertyValue` name/value pairs, values as Mastodon's HTML). Plain text escaped here;
 * federation/notes.ts turns these into ActivityPub objects.
 */
import type { OfferWithProvider } from "../../db/queries/offers.ts";
import type { ProviderRow } from "../../db/database.ts";
import { isMessageKey, translator, type Locale } from "../../i18n/index.ts";
import { interopTranslator, type InteropKey } from "../../i18n/interop.ts";
import { membershipOf } from "../sources/membership.ts";

export const POST_LOCALES: Locale[] = ["fr", "en"];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const pick = (m: Record<string, string>, locale: Locale) => m[locale] ?? m.fr ?? m.en ?? Object.values(m)[0] ?? "";

export function offerPageUrl(publicUrl: string, offerId: string): string {
  return `${publicUrl}/offers/${encodeURIComponent(offerId)}`;
}

function priceText(o: OfferWithProvider, locale: Locale): string {
  const t = interopTranslator(locale);
  if (o.price_model === "fixed" && o.price_amount === null) return t("price.fixed", { amount: "?", currency: o.price_currency ?? "" }).trim();
  if (o.price_model !== "fixed" && (o.price_amount === null || o.price_model === "free")) return t(`price.${o.price_model}` as InteropKey);
  const amount = o.price_amount === null ? "" : new Intl.NumberFormat(locale === "en" ? "en-GB" : "fr-FR", { style: "currency", currency: o.price_currency ?? "EUR" }).format(o.price_amount / 100);
  const base = o.price_model === "fixed" ? amount : `${t(`price.${o.price_model}` as InteropKey)} ${amount}`.trim();
  return o.price_period ? `${base} ${t(`period.${o.price_period}` as InteropKey)}` : base;
}

/** The post's title line and HTML body in `locale`. `created`: a new offer rather than a change. */
export function offerPost(o: OfferWithProvider, publicUrl: string, locale: Locale, created: boolean): { summary: string; html: string } {
  const t = interopTranslator(locale);
  const main = translator(locale);
  const title = pick(JSON.parse(o.title_json) as Record<string, string>, locale);
  const serviceKey = `service.${o.service}`;
  const service = isMessageKey(serviceKey) ? main(serviceKey) : o.service;
  const url = offerPageUrl(publicUrl, o.id);
  const summary = t(created ? "note.created" : "note.updated", { title });
  const html = `<p><strong>${esc(summary)}</strong><br>${esc(t("note.by", { provider: o.p_name }))}</p>`
    + `<p>${esc(t("note.service", { service }))} (${esc(o.software_name)})<br>${esc(t("note.price", { price: priceText(o, locale) }))}<br>`
    + `${esc(t("note.registration", { registration: t(`registration.${o.registration}` as InteropKey) }))}</p>`
    + `<p><a href="${esc(url)}">${esc(t("note.link"))}</a></p>`;
  return { summary, html };
}

/** A provider's profile fields as Mastodon shows them: website (a link), country, CHATONS membership, its offers page. */
export function providerFields(p: ProviderRow, publicUrl: string, locale: Locale): Array<{ name: string; value: string }> {
  const t = interopTranslator(locale);
  const link = (href: string) => `<a href="${esc(href)}" rel="me nofollow noopener" target="_blank">${esc(href.replace(/^https?:\/\//, "").replace(/\/$/, ""))}</a>`;
  const m = membershipOf(p);
  const member = m === "member" ? t("actor.yes") : m === "idle" ? t("actor.idle") : m === "unconfirmed" ? t("actor.unconfirmed") : t("actor.no");
  const country = new Intl.DisplayNames([locale], { type: "region" }).of(p.country) ?? p.country;
  return [
    { name: t("actor.website"), value: /^https?:\/\//.test(p.website) ? link(p.website) : esc(p.website) },
    { name: t("actor.country"), value: esc(country) },
    { name: t("actor.member"), value: esc(member) },
    { name: t("actor.offers"), value: link(`${publicUrl}/providers/${encodeURIComponent(p.slug)}`) },
  ];
}
