/** Texts of the comparison page, kept apart from en.ts/fr.ts so pages built in parallel do not collide. */
import { makeTranslator, type Locale, type Translate } from "./index.ts";

const en = {
  "compare.title": "Compare offers",
  "compare.intro": "Side by side, with prices per month. Rows where the offers differ are highlighted.",
  "compare.field": "Field",
  "compare.differs": "differs",
  "compare.bad": "Choose between 2 and 5 different offers to compare.",
  "compare.missing": "These offers do not exist (any more): {ids}",
  "compare.free": "free",
  "compare.unknown": "—",
  "compare.perMonth": "{amount} {currency}/month",
  "compare.yes": "yes",
  "compare.no": "no",
  "compare.provider": "Provider",
  "compare.view": "See the offer",
  "field.service": "Service",
  "field.software": "Software",
  "field.softwareVersion": "Software version",
  "field.monthlyPrice": "Price per month",
  "field.priceModel": "Price model",
  "field.storageGB": "Storage (GB)",
  "field.users": "Users",
  "field.registration": "Registration",
  "field.capacity": "Capacity",
  "field.dataLocation": "Data location",
  "field.languages": "Languages",
  "field.audience": "For",
  "field.support": "Support",
  "field.signupMode": "Sign-up",
  "field.stale": "Not confirmed for 30 days",
} as const;
export type CompareKey = keyof typeof en;

const fr: Record<CompareKey, string> = {
  "compare.title": "Comparer des offres",
  "compare.intro": "Côte à côte, avec les prix ramenés au mois. Les lignes où les offres diffèrent sont mises en évidence.",
  "compare.field": "Critère",
  "compare.differs": "diffère",
  "compare.bad": "Choisissez entre 2 et 5 offres différentes à comparer.",
  "compare.missing": "Ces offres n’existent pas (ou plus) : {ids}",
  "compare.free": "gratuit",
  "compare.unknown": "—",
  "compare.perMonth": "{amount} {currency}/mois",
  "compare.yes": "oui",
  "compare.no": "non",
  "compare.provider": "Hébergeur",
  "compare.view": "Voir l’offre",
  "field.service": "Service",
  "field.software": "Logiciel",
  "field.softwareVersion": "Version du logiciel",
  "field.monthlyPrice": "Prix par mois",
  "field.priceModel": "Modèle de prix",
  "field.storageGB": "Stockage (Go)",
  "field.users": "Utilisateurs",
  "field.registration": "Inscription",
  "field.capacity": "Disponibilité",
  "field.dataLocation": "Localisation des données",
  "field.languages": "Langues",
  "field.audience": "Pour",
  "field.support": "Accompagnement",
  "field.signupMode": "Inscription via",
  "field.stale": "Non confirmée depuis 30 jours",
};

const catalogs: Record<Locale, Record<CompareKey, string>> = { en, fr };

export type CompareT = Translate<CompareKey>;

export function compareTranslator(locale: Locale): CompareT {
  return makeTranslator(catalogs, locale);
}
