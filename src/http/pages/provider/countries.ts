/**
 * Countries offered in the provider space's lists (organisation country, data location): where CHATONS members and
 * their neighbours are. A value outside the list that an offer already has is added to its list, so nothing is lost.
 */
export const COUNTRIES = [
  "AD", "AT", "BE", "BG", "CA", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT",
  "LI", "LT", "LU", "LV", "MA", "MC", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "SN", "TN", "CI", "CM", "HT", "RE",
] as const;

/** Languages offered for an offer's support (ISO 639-1 codes, plus regional languages members use). */
export const SUPPORT_LANGUAGES = ["fr", "en", "de", "nl", "es", "it", "pt", "br", "oc", "ca", "eu", "co", "ar"] as const;
