import { en, type MessageKey } from "./en.ts";
import { fr } from "./fr.ts";
import { primaryLanguage } from "../lib/lang.ts";

export type Locale = "fr" | "en";
const catalogs: Record<Locale, Record<MessageKey, string>> = { fr, en };

/** `?lang=` wins, then the first supported Accept-Language entry, then French (the collective's language). */
export function pickLocale(langParam: string | undefined, acceptLanguage: string | undefined): Locale {
  if (langParam === "fr" || langParam === "en") return langParam;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: primaryLanguage(tag), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.lang && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((x) => x.lang === "fr" || x.lang === "en")?.lang as Locale | undefined) ?? "fr";
}

/** Looks a key up in one language's catalog and fills `{name}` placeholders from `vars`. */
export type Translate<K extends string> = (key: K, vars?: Record<string, string | number>) => string;
export type T = Translate<MessageKey>;

/** The translator of `locale` over a set of catalogs (the main one here; pages may keep their own). */
export function makeTranslator<K extends string>(catalogs: Record<Locale, Record<K, string>>, locale: Locale): Translate<K> {
  const cat = catalogs[locale];
  return (key, vars) => cat[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars?.[k] ?? `{${k}}`));
}

export function translator(locale: Locale): T {
  return makeTranslator(catalogs, locale);
}

export type { MessageKey };

/** True when `key` names a message (for keys built from vocabulary values, e.g. `service.${value}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.en, key);
}

/** The main catalog, by language (tests compare the languages). */
export const MAIN_CATALOGS = catalogs;
