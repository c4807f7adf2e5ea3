/**
 * The follow-up emails of a signup, in the person's language: one when the directory accepts the request (with the
 * status link), one when it reaches a final state (active with the login link, rejected, failed). Composed at send
 * time from the signup row, so no copy of personal data waits in the outbox; each carries a fresh status token.
 */
import type { SignupRow } from "../../db/database.ts";
import type { MailMessage } from "../../delivery/mail.ts";
import { translator, type Locale } from "../../i18n/index.ts";
import { mailTranslator } from "../../i18n/mail.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import { pickLocale } from "../text.ts";
import { statusPath } from "./views.ts";

export type MailContext = {
  publicUrl: string; retentionDays: number;
  offer: { title: Record<string, string>; service: string } | undefined;
  provider: { name: string; website: string };
  /** The provider's last message (a rejection's reason), when it wrote one. */
  lastMessage?: string;
};

const localeOf = (s: SignupRow): Locale => (primaryLanguage(s.locale) === "en" ? "en" : "fr");

/** The message for `kind` (the event's type: accepted, or final by the signup's status), to `s.email`. */
export function composeSignupMail(kind: "accepted" | "final", s: SignupRow, statusToken: string, ctx: MailContext, messageId: string): MailMessage {
  const locale = localeOf(s);
  const t = mailTranslator(locale);
  const site = translator(locale)("site.title");
  const offer = ctx.offer ? pickLocale(ctx.offer.title, locale) : s.offer_id;
  const provider = ctx.provider.name;
  const vars = {
    name: s.name ?? "", offer, provider, website: ctx.provider.website, days: ctx.retentionDays,
    statusUrl: `${ctx.publicUrl}${statusPath(s.id, statusToken)}&lang=${locale}`,
    loginUrl: s.login_url ?? "",
    searchUrl: `${ctx.publicUrl}/?service=${encodeURIComponent(ctx.offer?.service ?? s.service)}&available=true&lang=${locale}`,
    reason: ctx.lastMessage ? t("mail.rejected.reason", { message: ctx.lastMessage }) : "",
  };
  const which = kind === "accepted" ? "accepted" : s.status === "active" ? "active" : s.status === "rejected" ? "rejected" : "failed";
  const subject = t(`mail.${which}.subject`, vars);
  const body = which === "active" && !s.login_url ? t("mail.activeNoLogin.body", vars) : t(`mail.${which}.body`, vars);
  const text = [t("mail.hello", vars), "", body, "", t("mail.signature", { site, url: ctx.publicUrl }), "", t("mail.noReply", vars)].join("\n");
  return { to: s.email ?? "", subject, text, messageId, headers: { "Content-Language": locale } };
}
