/** Following a signup: the person's status view (secret token), the provider's progress reports, provider listings. */
import type { Db } from "../../db/client.ts";
import type { ProviderRow, SignupRow } from "../../db/database.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { erasePersonalData, findSignup, listProviderSignups, signupDelivery, signupEvents, signupTokenHashes } from "../../db/queries/signups.ts";
import { retryDeadline } from "../../delivery/outbox.ts";
import { cursorCodec } from "../../lib/cursor.ts";
import { iso } from "../../lib/time.ts";
import * as v from "valibot";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { fail, ok, type Result } from "../errors.ts";
import { signupTranslator, type SignupMessageKey } from "../../i18n/signups.ts";
import type { Locale } from "../../i18n/index.ts";
import { primaryLanguage } from "../../lib/lang.ts";
import type { SignupEventInput } from "./schemas.ts";
import { isFinal, LIVE, moveSignup, PROVIDER_DELIVERIES, type MoveContext } from "./transitions.ts";

export { isFinal };

export type StatusView = {
  id: string; status: string; offerId: string; provider: string; createdAt: string; locale: Locale;
  /** How it was handed over: webhook, nextcloud (preferred_providers: confirm the address within 6 hours), external. */
  mode: string;
  /** Messages as stored: the directory's are codes (`directory:…`), see eventText. */
  events: Array<{ status: string; at: string; message?: string }>; loginUrl?: string;
  /** Where the hand-over to the provider stands, while it is not final. */
  delivery?: { attempts: number; nextAttemptAt?: string; givesUpAt: string; lastError?: string };
  providerInfo: { name: string; website: string };
  /** Whether follow-up emails are sent to the person. */
  mail: boolean;
  /** When the person's data was erased (retention, or at their request). */
  erasedAt?: string;
};

/** An event's message in `locale`: the directory's own (`directory:<code>`) translated, a provider's as written. */
export function eventText(message: string | undefined, locale: Locale): string | undefined {
  if (!message?.startsWith("directory:")) return message;
  const key = `event.${message.slice("directory:".length)}` as SignupMessageKey;
  return signupTranslator(locale)(key);
}

export const signupLocale = (tag: string): Locale => (primaryLanguage(tag) === "en" ? "en" : "fr");

export type ViewOptions = { mail: boolean; retry: { schedule: number[]; repeat: boolean } };

async function view(db: Db, s: SignupRow, opts: ViewOptions): Promise<StatusView> {
  const p = (await findProviderById(db, s.provider_id))!;
  const events = (await signupEvents(db, s.id)).map((e) => ({ status: e.status, at: e.at, ...(e.message ? { message: e.message } : {}) }));
  const d = s.final_at === null ? await signupDelivery(db, s.id, PROVIDER_DELIVERIES) : undefined;
  const delivery = d ? {
    attempts: d.attempts, givesUpAt: iso(retryDeadline(opts.retry.schedule, opts.retry.repeat, d.created_at)),
    ...(d.status === "pending" && d.attempts > 0 ? { nextAttemptAt: iso(Math.max(d.next_attempt_at, d.lease_until ?? 0)) } : {}),
    ...(d.last_error ? { lastError: d.last_error } : {}),
  } : undefined;
  return {
    id: s.id, status: s.status, offerId: s.offer_id, provider: p.slug, createdAt: s.created_at, locale: signupLocale(s.locale), mode: s.mode, events,
    ...(s.login_url ? { loginUrl: s.login_url } : {}), ...(delivery ? { delivery } : {}),
    providerInfo: { name: p.name, website: p.website }, mail: opts.mail, ...(s.purged_at ? { erasedAt: s.purged_at } : {}),
  };
}

/**
 * The status of a signup for whoever holds one of its tokens. An unknown id and a wrong token answer the same
 * not-found, so ids cannot be probed; hashes are compared in constant time.
 */
export async function readStatus(db: Db, id: string, token: string | undefined, opts: ViewOptions): Promise<Result<StatusView>> {
  const s = await signupOfToken(db, id, token);
  return s ? ok(await view(db, s, opts)) : notFound();
}

const notFound = () => fail({ kind: "not-found", detail: "No signup with this id and token." } as const);

/** The signup `id` if `token` is one of its status tokens (compared in constant time), else undefined. */
async function signupOfToken(db: Db, id: string, token: string | undefined): Promise<SignupRow | undefined> {
  if (!token) return undefined;
  const s = await findSignup(db, id);
  if (!s) return undefined;
  const hash = await sha256Hex(token);
  let match = false;
  for (const h of await signupTokenHashes(db, id)) match = constantTimeEqual(h, hash) || match;
  return match ? s : undefined;
}

/**
 * The person erases their data at once, once the signup is finished (before, the provider still needs it). The
 * status token is the only key: a page that does not know it cannot make a browser post this.
 */
export async function eraseOwnData(db: Db, id: string, token: string | undefined, nowMs: number, opts: ViewOptions): Promise<Result<StatusView>> {
  const s = await signupOfToken(db, id, token);
  if (!s) return notFound();
  if (!isFinal(s.status)) return fail({ kind: "conflict", code: "not-finished", detail: "The signup is not finished yet: the provider still needs the data." });
  if (!s.purged_at) await db.transaction().execute((trx) => erasePersonalData(trx, [s.id], iso(nowMs)));
  return ok(await view(db, (await findSignup(db, id))!, opts));
}

/** A provider reports progress on one of its signups. Final states accept nothing more. */
export async function reportSignupEvent(db: Db, provider: ProviderRow, id: string, input: SignupEventInput, ctx: MoveContext, opts: ViewOptions): Promise<Result<StatusView>> {
  const s = await findSignup(db, id);
  if (!s) return fail({ kind: "not-found", detail: `No signup "${id}".` });
  if (s.provider_id !== provider.id) return fail({ kind: "forbidden", detail: "This signup was sent to another provider." });
  if (isFinal(s.status)) return fail({ kind: "conflict", detail: `This signup is already ${s.status}.`, extra: { status: s.status } });
  const moved = await db.transaction().execute((trx) =>
    moveSignup(trx, { id, providerId: provider.id }, { status: input.status, from: LIVE, message: input.message, loginUrl: input.loginUrl }, ctx));
  if (!moved) return fail({ kind: "conflict", detail: "This signup changed meanwhile; read it again." });
  return ok(await view(db, (await findSignup(db, id))!, opts));
}

export type ProviderSignup = {
  id: string; status: string; offerId: string; createdAt: string; updatedAt: string;
  account: { email: string | null; name: string | null; username?: string; locale: string }; message?: string;
};

const signupCursor = cursorCodec(v.object({ at: v.string(), id: v.string() }));

/** A provider's signups in the given states, newest first, keyset-paginated by an opaque cursor. */
export async function providerSignups(db: Db, providerId: number, statuses: string[], limit: number, cursor?: string): Promise<Result<{ items: ProviderSignup[]; nextCursor: string | null }>> {
  const before = cursor ? signupCursor.decode(cursor) : undefined;
  if (cursor && !before) return fail({ kind: "invalid", detail: "Some fields are invalid; see errors.", errors: [{ path: "cursor", message: "is not a valid cursor" }] });
  const rows = await listProviderSignups(db, providerId, statuses, limit, before);
  const page = rows.slice(0, limit);
  const items: ProviderSignup[] = page.map((s) => ({
    id: s.id, status: s.status, offerId: s.offer_id, createdAt: s.created_at, updatedAt: s.updated_at,
    account: { email: s.email, name: s.name, ...(s.username ? { username: s.username } : {}), locale: s.locale },
    ...(s.message ? { message: s.message } : {}),
  }));
  const last = page[page.length - 1];
  return ok({ items, nextCursor: rows.length > limit && last ? signupCursor.encode({ at: last.created_at, id: last.id }) : null });
}
