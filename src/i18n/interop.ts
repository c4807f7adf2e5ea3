/**
 * Texts about what comes from, or goes to, other systems: CHATONS membership as the collective confirms it, and the
 * posts Mastodon users see. Kept apart from en.ts/fr.ts so work done in parallel merges cleanly.
 */
import { makeTranslator, type Locale, type Translate } from "./index.ts";

const en = {
  "membership.member": "CHATONS member",
  "membership.idle": "CHATONS member (activity paused)",
  "membership.unconfirmed": "Declares CHATONS membership",
  "membership.memberHelp": "Member of the CHATONS collective, as listed by the collective itself.",
  "membership.idleHelp": "Listed by the CHATONS collective; its own file says its activity is paused for now.",
  "membership.unconfirmedHelp": "Its own file says it belongs to the CHATONS collective, but the collective's list does not (yet) confirm it.",
  "note.created": "New offer: {title}",
  "note.updated": "Offer updated: {title}",
  "note.by": "by {provider}",
  "note.price": "Price: {price}",
  "note.service": "Service: {service}",
  "note.registration": "Registration: {registration}",
  "note.link": "See the offer and sign up",
  "price.free": "free",
  "price.pay-what-you-want": "pay what you want",
  "price.membership": "membership",
  "price.fixed": "{amount} {currency}",
  "period.month": "per month",
  "period.year": "per year",
  "period.once": "once",
  "registration.open": "open to all",
  "registration.approval": "on approval",
  "registration.members": "members only",
  "registration.closed": "closed",
  "registration.none": "no account needed",
  "actor.website": "Website",
  "actor.country": "Country",
  "actor.member": "CHATONS member",
  "actor.yes": "yes",
  "actor.idle": "yes (activity paused)",
  "actor.unconfirmed": "declared, not confirmed",
  "actor.no": "no",
  "actor.offers": "Offers",
} as const;

export type InteropKey = keyof typeof en;

const fr: Record<InteropKey, string> = {
  "membership.member": "Membre des CHATONS",
  "membership.idle": "Membre des CHATONS (activité en pause)",
  "membership.unconfirmed": "Se déclare membre des CHATONS",
  "membership.memberHelp": "Membre du collectif CHATONS, d’après la liste du collectif lui-même.",
  "membership.idleHelp": "Listé par le collectif CHATONS ; son propre fichier indique que son activité est en pause pour le moment.",
  "membership.unconfirmedHelp": "Son propre fichier indique qu’il fait partie du collectif CHATONS, mais la liste du collectif ne le confirme pas (encore).",
  "note.created": "Nouvelle offre : {title}",
  "note.updated": "Offre mise à jour : {title}",
  "note.by": "par {provider}",
  "note.price": "Prix : {price}",
  "note.service": "Service : {service}",
  "note.registration": "Inscription : {registration}",
  "note.link": "Voir l’offre et s’inscrire",
  "price.free": "gratuit",
  "price.pay-what-you-want": "prix libre",
  "price.membership": "adhésion",
  "price.fixed": "{amount} {currency}",
  "period.month": "par mois",
  "period.year": "par an",
  "period.once": "une fois",
  "registration.open": "ouverte à tous",
  "registration.approval": "sur validation",
  "registration.members": "réservée aux membres",
  "registration.closed": "fermée",
  "registration.none": "sans compte",
  "actor.website": "Site web",
  "actor.country": "Pays",
  "actor.member": "Membre des CHATONS",
  "actor.yes": "oui",
  "actor.idle": "oui (activité en pause)",
  "actor.unconfirmed": "déclaré, non confirmé",
  "actor.no": "non",
  "actor.offers": "Offres",
};

export type InteropT = Translate<InteropKey>;

export function interopTranslator(locale: Locale): InteropT {
  return makeTranslator({ en, fr }, locale);
}

/** Every text of this catalog, by language (tests compare the languages). */
export const INTEROP_CATALOGS = { en, fr } as const;
