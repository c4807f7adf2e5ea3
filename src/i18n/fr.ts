import type { MessageKey } from "./en.ts";

export const fr: Record<MessageKey, string> = {
  "site.title": "Annuaire des CHATONS",
  "site.tagline": "Trouver, comparer et rejoindre un hébergeur éthique",
  "docs.title": "Référence de l’API",
  "docs.intro": "Tous les points d’accès de l’API publique. Le document lisible par machine est à",
  "docs.auth": "Demande un jeton (bearer)",
  "docs.parameters": "Paramètres",
  "docs.body": "Corps de la requête",
  "docs.responses": "Réponses",
  "docs.schemas": "Schémas",
  "docs.errors": "Les erreurs sont des documents problem+json (RFC 9457) avec un type stable.",
  "lang.switch": "English",
};
