/** Text helpers shared by search, sorting and the FTS write path. */

/** Lowercases, strips accents (é → e) and collapses spaces: the form search compares, as FTS5 unicode61 folds. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase() // no œ→oe or ß→ss: FTS5's unicode61 keeps those letters, and query words must match its tokens
    .replace(/\s+/g, " ")
    .trim();
}

/** Words of a folded text: runs of letters and digits, as FTS5's unicode61 tokenizer sees them. */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Picks the text of a localized map for a locale, falling back to fr, en, then any entry. */
export function pickLocale(map: Record<string, string>, locale: string): string {
  return map[locale] ?? map.fr ?? map.en ?? Object.values(map)[0] ?? "";
}
