/** BCP 47 language tags as this directory compares them. */

/** The primary language subtag, lowercased: `fr-BE` → `fr`, `EN` → `en`. */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split("-")[0];
}
