/** Texts of the signup form and status pages, kept apart from the shared catalogs so parallel work merges cleanly. */
import { makeTranslator, type Locale, type Translate } from "./index.ts";

const en = {
  "signup.title": "Create an account",
  "signup.intro": "Your account will be created by {provider}, an independent host. The directory sends them your email and name; you never give us a password — {provider} will email you how to set one.",
  "signup.email": "Email",
  "signup.name": "Name",
  "signup.username": "Preferred username (optional)",
  "signup.message": "Message to the provider (optional)",
  "signup.consent": "I agree that my email and name are sent to {provider} to create my account. The directory erases them {days} days after the signup is finished.",
  "signup.submit": "Ask for my account",
  "signup.external": "{provider} takes signups on its own website.",
  "signup.externalLink": "Continue on the provider's website",
  "signup.unavailable": "This offer does not take new accounts through the directory right now.",
  "signup.errors": "Please correct the fields below.",
  "signup.notFound": "This offer does not exist.",
  "status.title": "Your signup",
  "status.offer": "Offer",
  "status.provider": "Provider",
  "status.current": "Current status",
  "status.steps": "Steps",
  "status.login": "Log in to your account",
  "status.keep": "Keep this page's address: it is the only way to follow your signup.",
  "status.notFound": "No signup matches this link.",
  "state.pending": "Received by the directory",
  "state.delivered": "Sent to the provider",
  "state.provisioning": "The provider is creating your account",
  "state.active": "Your account is ready",
  "state.rejected": "The provider declined the request",
  "state.failed": "The request could not be delivered",
} as const;

export type SignupMessageKey = keyof typeof en;

const fr: Record<SignupMessageKey, string> = {
  "signup.title": "Créer un compte",
  "signup.intro": "Votre compte sera créé par {provider}, un hébergeur indépendant. L'annuaire lui transmet votre adresse et votre nom ; vous ne nous donnez jamais de mot de passe — {provider} vous écrira pour en choisir un.",
  "signup.email": "Adresse électronique",
  "signup.name": "Nom",
  "signup.username": "Identifiant souhaité (facultatif)",
  "signup.message": "Message à l'hébergeur (facultatif)",
  "signup.consent": "J'accepte que mon adresse et mon nom soient transmis à {provider} pour créer mon compte. L'annuaire les efface {days} jours après la fin de l'inscription.",
  "signup.submit": "Demander mon compte",
  "signup.external": "{provider} prend les inscriptions sur son propre site.",
  "signup.externalLink": "Continuer sur le site de l'hébergeur",
  "signup.unavailable": "Cette offre ne prend pas de nouveaux comptes via l'annuaire pour le moment.",
  "signup.errors": "Merci de corriger les champs ci-dessous.",
  "signup.notFound": "Cette offre n'existe pas.",
  "status.title": "Votre inscription",
  "status.offer": "Offre",
  "status.provider": "Hébergeur",
  "status.current": "État actuel",
  "status.steps": "Étapes",
  "status.login": "Se connecter à votre compte",
  "status.keep": "Gardez l'adresse de cette page : c'est le seul moyen de suivre votre inscription.",
  "status.notFound": "Aucune inscription ne correspond à ce lien.",
  "state.pending": "Reçue par l'annuaire",
  "state.delivered": "Transmise à l'hébergeur",
  "state.provisioning": "L'hébergeur crée votre compte",
  "state.active": "Votre compte est prêt",
  "state.rejected": "L'hébergeur a refusé la demande",
  "state.failed": "La demande n'a pas pu être transmise",
};

export type ST = Translate<SignupMessageKey>;

export function signupTranslator(locale: Locale): ST {
  return makeTranslator({ en, fr }, locale);
}

export function formatTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "fr-FR", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}
