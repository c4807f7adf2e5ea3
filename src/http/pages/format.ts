/** Locale-aware formatting for the HTML pages: prices, dates, country and language names, vocabulary labels. */
import { isMessageKey, type Locale, type T } from "../../i18n/index.ts";
import type { Offer } from "../../domain/schemas.ts";

const BCP47: Record<Locale, string> = { fr: "fr-FR", en: "en-GB" };

// Intl objects are costly to build (tens of µs each) and a results page formats ~100 values: build each once.
const cache = new Map<string, unknown>();
function memo<X>(key: string, make: () => X): X {
  let x = cache.get(key) as X | undefined;
  if (x === undefined) { x = make(); cache.set(key, x); }
  return x;
}
const amountFormat = (l: Locale) => memo(`amount:${l}`, () => new Intl.NumberFormat(BCP47[l], { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true }));
const dateFormat = (l: Locale) => memo(`date:${l}`, () => new Intl.DateTimeFormat(BCP47[l], { dateStyle: "long", timeZone: "UTC" }));
/** Plain numbers ("1 234" / "1,234"). */
export const numberLabel = (n: number, l: Locale) => memo(`number:${l}`, () => new Intl.NumberFormat(BCP47[l])).format(n);

/**
 * Formats an amount in minor units. French uses the currency symbol after the number ("5,00 €"),
 * English the ISO code after it ("5.00 EUR"), so both read naturally and stay unambiguous.
 */
export function money(amountMinor: number, currency: string, locale: Locale): string {
  const n = amountFormat(locale).format(amountMinor / 100);
  if (locale === "fr") {
    const symbol = currency === "EUR" ? "€" : currency === "CHF" ? "CHF" : currency === "GBP" ? "£" : currency;
    return `${n}\u00a0${symbol}`;
  }
  return `${n} ${currency}`;
}

/** "Gratuit", "Prix libre", "5,00 € / mois", "5.00 EUR / month", "Adhésion 10,00 € / an"… */
export function priceLabel(price: Offer["price"], locale: Locale, t: T): string {
  const amount = price.amount !== undefined && price.currency ? money(price.amount, price.currency, locale) : undefined;
  const withPeriod = (a: string) => (price.period ? t(`price.period.${price.period}`, { amount: a }) : a);
  switch (price.model) {
    case "free":
      return t("price.free");
    case "pay-what-you-want":
      return amount ? t("price.pwywSuggested", { amount: withPeriod(amount) }) : t("price.pwyw");
    case "membership":
      return amount ? t("price.membershipAmount", { amount: withPeriod(amount) }) : t("price.membership");
    case "fixed":
      return amount ? withPeriod(amount) : t("price.fixed");
  }
}

/** "25 novembre 2026" / "25 November 2026" (UTC, so the date does not depend on the server's zone). */
export function dateLabel(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(locale).format(d);
}

function displayName(type: "region" | "language", code: string, locale: Locale): string {
  try {
    return memo(`${type}:${locale}`, () => new Intl.DisplayNames([BCP47[locale]], { type, fallback: "code" })).of(code) ?? code;
  } catch {
    return code; // malformed code from a remote source: show it as is
  }
}

/** "France" for FR; the code itself when the runtime has no name for it. */
export const countryName = (code: string, locale: Locale) => displayName("region", code, locale);
/** "français" / "French" for fr. */
export const languageName = (tag: string, locale: Locale) => {
  const name = displayName("language", tag, locale);
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
};

/** Label of a closed-vocabulary value (`service`, `audience`…); unknown values are shown as they are. */
export function vocab(t: T, field: string, value: string): string {
  const key = `${field}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}

/**
 * Picks a localized text for the page's locale, falling back to French, English, then any entry.
 * Returns the language actually used so the markup can mark it (`lang` attribute) when it differs.
 */
export function localized(map: Record<string, string> | undefined, locale: Locale): { text: string; lang: string } {
  const m = map ?? {};
  for (const l of [locale, "fr", "en"]) if (m[l]) return { text: m[l], lang: l };
  const first = Object.entries(m)[0];
  return first ? { text: first[1], lang: first[0] } : { text: "", lang: locale };
}

export { safeHttpUrl as safeHref } from "../../lib/url.ts";

const unitFormat = (l: Locale, unit: string) => memo(`unit:${unit}:${l}`, () => new Intl.NumberFormat(BCP47[l], { style: "unit", unit, unitDisplay: "long" }));
const listFormat = (l: Locale) => memo(`list:${l}`, () => new Intl.ListFormat(BCP47[l], { type: "conjunction" }));

/** The colon as each language writes it after a label: "Offre : …" (narrow no-break space), "Offer: …". */
export const colon = (locale: Locale) => (locale === "fr" ? "\u202f: " : ": ");

/** A wait in words people use: "10 heures et 22 minutes", "2 days and 3 hours", "45 seconds" (two units at most). */
export function durationLabel(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.ceil(seconds));
  const parts: Array<[number, string]> = s >= 86_400 ? [[Math.floor(s / 86_400), "day"], [Math.floor((s % 86_400) / 3600), "hour"]]
    : s >= 3600 ? [[Math.floor(s / 3600), "hour"], [Math.ceil((s % 3600) / 60) % 60, "minute"]]
    : s >= 60 ? [[Math.ceil(s / 60), "minute"]]
    : [[s, "second"]];
  return listFormat(locale).format(parts.filter(([n]) => n > 0).map(([n, unit]) => unitFormat(locale, unit).format(n)));
}

/** "5 décembre 2026 à 14:30 UTC" / "5 December 2026, 14:30 UTC". */
export function dateTimeLabel(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${memo(`datetime:${locale}`, () => new Intl.DateTimeFormat(BCP47[locale], { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })).format(d)} UTC`;
}
