/** Texts of the emails sent to people who asked for an account (plain text; `{…}` filled by domain/signups/mail.ts). */
import { makeTranslator, type Locale, type Translate } from "./index.ts";

const en = {
  "mail.hello": "Hello {name},",
  "mail.signature": "— {site}\n{url}",
  "mail.noReply": "This email was sent automatically: replies are not read. For your account, contact {provider}: {website}",
  "mail.accepted.subject": "Your account request with {provider}",
  "mail.accepted.body": "We have received your request for “{offer}” with {provider}, an independent host.\n\nFollow each step here (keep this link, it is personal):\n{statusUrl}\n\n{provider} will email you to choose your password: the directory never asks for one. Your email and name are erased from the directory {days} days after the signup is finished.",
  "mail.active.subject": "Your account with {provider} is ready",
  "mail.active.body": "Good news: {provider} has created your account for “{offer}”.\n\nLog in here:\n{loginUrl}\n\nIf you have not chosen a password yet, look for {provider}'s email about it (check your spam folder too).\n\nThe steps of your signup: {statusUrl}",
  "mail.activeNoLogin.body": "Good news: {provider} has created your account for “{offer}”. {provider} emails you how to log in and choose your password (check your spam folder too).\n\nThe steps of your signup: {statusUrl}",
  "mail.rejected.subject": "{provider} could not create your account",
  "mail.rejected.body": "{provider} has declined the request for “{offer}”.{reason}\n\nOther hosts offer the same service; you can choose another one here:\n{searchUrl}\n\nThe steps of your signup: {statusUrl}",
  "mail.rejected.reason": "\n\nTheir message: “{message}”",
  "mail.failed.subject": "Your account request could not reach {provider}",
  "mail.failed.body": "The directory could not deliver your request for “{offer}” to {provider}, although it kept trying. Nothing was created and no data was passed on.\n\nYou can ask another host, or contact {provider} directly: {website}\n\nOther hosts for the same service:\n{searchUrl}\n\nThe steps of your signup: {statusUrl}",
} as const;

export type MailKey = keyof typeof en;

const fr: Record<MailKey, string> = {
  "mail.hello": "Bonjour {name},",
  "mail.signature": "— {site}\n{url}",
  "mail.noReply": "Ce courriel est envoyé automatiquement : les réponses ne sont pas lues. Pour votre compte, contactez {provider} : {website}",
  "mail.accepted.subject": "Votre demande de compte chez {provider}",
  "mail.accepted.body": "Nous avons bien reçu votre demande pour « {offer} » chez {provider}, un hébergeur indépendant.\n\nSuivez chaque étape ici (gardez ce lien, il vous est personnel) :\n{statusUrl}\n\n{provider} vous écrira pour choisir votre mot de passe : l’annuaire ne vous en demande jamais. Votre adresse et votre nom sont effacés de l’annuaire {days} jours après la fin de l’inscription.",
  "mail.active.subject": "Votre compte chez {provider} est prêt",
  "mail.active.body": "Bonne nouvelle : {provider} a créé votre compte pour « {offer} ».\n\nConnectez-vous ici :\n{loginUrl}\n\nSi vous n’avez pas encore choisi de mot de passe, cherchez le courriel de {provider} à ce sujet (pensez à regarder dans les indésirables).\n\nLes étapes de votre inscription : {statusUrl}",
  "mail.activeNoLogin.body": "Bonne nouvelle : {provider} a créé votre compte pour « {offer} ». {provider} vous écrit pour vous connecter et choisir votre mot de passe (pensez à regarder dans les indésirables).\n\nLes étapes de votre inscription : {statusUrl}",
  "mail.rejected.subject": "{provider} n’a pas pu créer votre compte",
  "mail.rejected.body": "{provider} a refusé la demande pour « {offer} ».{reason}\n\nD’autres hébergeurs proposent le même service ; vous pouvez en choisir un autre ici :\n{searchUrl}\n\nLes étapes de votre inscription : {statusUrl}",
  "mail.rejected.reason": "\n\nSon message : « {message} »",
  "mail.failed.subject": "Votre demande de compte n’a pas pu être transmise à {provider}",
  "mail.failed.body": "L’annuaire n’a pas pu transmettre votre demande pour « {offer} » à {provider}, malgré plusieurs essais. Rien n’a été créé et aucune donnée n’a été transmise.\n\nVous pouvez choisir un autre hébergeur, ou contacter {provider} directement : {website}\n\nD’autres hébergeurs pour le même service :\n{searchUrl}\n\nLes étapes de votre inscription : {statusUrl}",
};

export type MailT = Translate<MailKey>;

export function mailTranslator(locale: Locale): MailT {
  return makeTranslator({ en, fr }, locale);
}

/** Every text of this catalog, by language (tests compare the languages). */
export const MAIL_CATALOGS = { en, fr } as const;
