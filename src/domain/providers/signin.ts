/**
 * How a provider signs in to its space: with its API token, or with a one-time link sent to its contact email.
 *
 * A link is asked for with an email address; for each provider using that address a row is written together with a
 * mail event in the durable outbox (one transaction, like the signup emails). The link's token is made when the
 * message is composed — so no secret waits in the outbox — and stored hashed; it works once, for SIGNIN_LINK_MS. A
 * retried send makes a new token and the older one stops working. The answer never says whether the address is known.
 */
import type { Db } from "../../db/client.ts";
import type { OutboxRow, ProviderRow } from "../../db/database.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { providersByEmail } from "../../db/queries/provider-space.ts";
import { hitRateLimits } from "../../db/queries/rate-limits.ts";
import { findSigninLinkByMail, findUsableSigninLink, insertSigninLink, setSigninLinkToken, useSigninLink } from "../../db/queries/sessions.ts";
import type { MailMessage } from "../../delivery/mail.ts";
import { enqueue } from "../../delivery/outbox.ts";
import type { DeliveryOutcome } from "../../delivery/webhooks.ts";
import { translator, type Locale } from "../../i18n/index.ts";
import { providerTranslator } from "../../i18n/provider.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { randomToken } from "../../lib/ids.ts";
import { iso, MINUTE_MS } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import { providerOfToken } from "./accounts.ts";

/** The outbox event that emails a sign-in link (never shown in a provider's deliveries, never redelivered by it). */
export const MAIL_PROVIDER_SIGNIN = "mail.provider.signin";
/** How long an emailed link works once sent. */
export const SIGNIN_LINK_MS = 20 * MINUTE_MS;

/** Sign-in attempts allowed per client address and window, and link requests per address and per email. */
export const SIGNIN_LIMITS = {
  tokenPerIp: { max: 30, windowMs: 15 * MINUTE_MS },
  linkPerIp: { max: 10, windowMs: 60 * MINUTE_MS },
  linkPerEmail: { max: 3, windowMs: 60 * MINUTE_MS },
} as const;

const refused = fail({ kind: "unauthorized", detail: "This token is unknown or was replaced." } as const);

/** A live (not deleted, local) provider. */
const usable = (p: ProviderRow | undefined): p is ProviderRow => !!p && p.deleted_at === null && p.source !== "federated";

/** Counts one attempt against each key; the first limit passed is reported with how long to wait. */
async function limited(db: Db, checks: Array<{ key: string; max: number; windowMs: number }>, nowMs: number): Promise<Result<true>> {
  const counts = await hitRateLimits(db, checks.map((c) => ({ key: c.key, windowMs: c.windowMs })), nowMs);
  for (let i = 0; i < checks.length; i++) {
    if (counts[i].count > checks[i].max) {
      const retryAfterSec = Math.max(1, Math.ceil((counts[i].resetAt - nowMs) / 1000));
      return fail({ kind: "rate-limited", retryAfterSec, detail: `Too many sign-in attempts; try again in ${retryAfterSec} s.` });
    }
  }
  return ok(true);
}

/** Signs in with an API token (the one shown at registration or after a rotation). */
export async function signInWithToken(db: Db, token: string, ip: string, nowMs: number): Promise<Result<ProviderRow>> {
  const rate = await limited(db, [{ key: `signin:ip:${ip}`, ...SIGNIN_LIMITS.tokenPerIp }], nowMs);
  if (!rate.ok) return rate;
  const clean = token.trim();
  if (!clean || clean.length > 200) return refused;
  const p = await providerOfToken(db, clean);
  return usable(p) ? ok(p) : refused;
}

/**
 * Queues a sign-in email for every provider whose contact address is `email`. Resolves the same whether or not the
 * address is known (the page says "if an account uses this address…"); only the rate limit is reported.
 */
export async function requestSigninLink(db: Db, email: string, locale: Locale, ip: string, nowMs: number): Promise<Result<{ queued: number }>> {
  const rate = await limited(db, [
    { key: `signin-link:ip:${ip}`, ...SIGNIN_LIMITS.linkPerIp },
    { key: `signin-link:email:${await sha256Hex(email.trim().toLowerCase())}`, ...SIGNIN_LIMITS.linkPerEmail },
  ], nowMs);
  if (!rate.ok) return rate;
  const providers = await providersByEmail(db, email.trim());
  if (providers.length === 0) return ok({ queued: 0 });
  await db.transaction().execute(async (trx) => {
    for (const p of providers) {
      const event = await enqueue(trx, { type: MAIL_PROVIDER_SIGNIN, providerId: p.id, nowMs });
      await insertSigninLink(trx, { kind: "provider", subject: String(p.id), locale, mail_id: event.webhook_id, created_at: iso(nowMs) });
    }
  });
  return ok({ queued: providers.length });
}

/** The provider an emailed link would sign in, without using the link (the page asks to confirm with a button). */
export async function peekSigninLink(db: Db, token: string | undefined, nowMs: number): Promise<ProviderRow | undefined> {
  if (!token || token.length > 200) return undefined;
  const link = await findUsableSigninLink(db, await sha256Hex(token), "provider", iso(nowMs));
  const p = link ? await findProviderById(db, Number(link.subject)) : undefined;
  return usable(p) ? p : undefined;
}

/** Uses an emailed link: once, before it expires. */
export async function signInWithLink(db: Db, token: string | undefined, nowMs: number): Promise<Result<ProviderRow>> {
  if (!token || token.length > 200) return fail({ kind: "not-found", detail: "This sign-in link is unknown, used or expired." });
  const link = await useSigninLink(db, await sha256Hex(token), "provider", iso(nowMs));
  const p = link ? await findProviderById(db, Number(link.subject)) : undefined;
  return usable(p) ? ok(p) : fail({ kind: "not-found", detail: "This sign-in link is unknown, used or expired." });
}

export type SigninMailDeps = { db: Db; clock: { now(): number }; mailer?: { send(m: MailMessage): Promise<DeliveryOutcome> }; config: { publicUrl: string } };

const rejected = (error: string): DeliveryOutcome => ({ kind: "rejected", status: 0, error });

/** Composes and sends the sign-in email of outbox event `e`, with a fresh token. */
export async function sendSigninMail(deps: SigninMailDeps, e: OutboxRow): Promise<DeliveryOutcome> {
  if (!deps.mailer) return rejected("mail is not configured on this directory");
  const link = await findSigninLinkByMail(deps.db, e.webhook_id);
  const provider = await findProviderById(deps.db, e.provider_id);
  if (!link || link.used_at || !usable(provider) || !provider.email) return rejected("the sign-in request is no longer valid");
  const token = randomToken(32, "sil_");
  const nowMs = deps.clock.now();
  await setSigninLinkToken(deps.db, link.id, await sha256Hex(token), iso(nowMs + SIGNIN_LINK_MS));
  const locale: Locale = link.locale === "en" ? "en" : "fr";
  return deps.mailer.send(composeSigninMail(provider, token, locale, deps.config.publicUrl, `<${e.webhook_id}@${new URL(deps.config.publicUrl).hostname}>`));
}

export function composeSigninMail(p: Pick<ProviderRow, "name" | "email">, token: string, locale: Locale, publicUrl: string, messageId: string): MailMessage {
  const pt = providerTranslator(locale);
  const site = translator(locale)("site.title");
  const vars = { provider: p.name, minutes: Math.round(SIGNIN_LINK_MS / MINUTE_MS), url: `${publicUrl}/provider/signin/link?token=${encodeURIComponent(token)}&lang=${locale}`, site };
  const text = [pt("mail.signin.body", vars), "", pt("mail.signin.ignore"), "", `— ${site}`, publicUrl].join("\n");
  return { to: p.email ?? "", subject: pt("mail.signin.subject", vars), text, messageId, headers: { "Content-Language": locale } };
}
