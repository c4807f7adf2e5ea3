/** Following a signup: the person's status view (secret token), the provider's progress reports, provider listings. */
import type { Db } from "../../db/client.ts";
import type { ProviderRow, SignupRow } from "../../db/database.ts";
import { findProviderById } from "../../db/queries/providers.ts";
import { addSignupEvent, findSignup, listProviderSignups, setSignupStatus, signupEvents, signupTokenHashes } from "../../db/queries/signups.ts";
import { cursorCodec } from "../../lib/cursor.ts";
import { iso } from "../../lib/time.ts";
import * as v from "valibot";
import { constantTimeEqual, sha256Hex } from "../../lib/crypto.ts";
import { fail, ok, type Result } from "../errors.ts";
import { FINAL_STATUSES, type SignupEventInput } from "./schemas.ts";

export type StatusView = {
  id: string; status: string; offerId: string; provider: string; createdAt: string;
  events: Array<{ status: string; at: string; message?: string }>; loginUrl?: string;
};

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

async function view(db: Db, s: SignupRow): Promise<StatusView> {
  const p = (await findProviderById(db, s.provider_id))!;
  const events = (await signupEvents(db, s.id)).map((e) => ({ status: e.status, at: e.at, ...(e.message ? { message: e.message } : {}) }));
  return { id: s.id, status: s.status, offerId: s.offer_id, provider: p.slug, createdAt: s.created_at, events, ...(s.login_url ? { loginUrl: s.login_url } : {}) };
}

/**
 * The status of a signup for whoever holds one of its tokens. An unknown id and a wrong token answer the same
 * not-found, so ids cannot be probed; hashes are compared in constant time.
 */
export async function readStatus(db: Db, id: string, token: string | undefined): Promise<Result<StatusView>> {
  const notFound = fail({ kind: "not-found", detail: "No signup with this id and token." });
  if (!token) return notFound;
  const s = await findSignup(db, id);
  if (!s) return notFound;
  const hash = await sha256Hex(token);
  let match = false;
  for (const h of await signupTokenHashes(db, id)) match = constantTimeEqual(h, hash) || match;
  if (!match) return notFound;
  return ok(await view(db, s));
}

/** A provider reports progress on one of its signups. Final states accept nothing more. */
export async function reportSignupEvent(db: Db, provider: ProviderRow, id: string, input: SignupEventInput, nowMs: number): Promise<Result<StatusView>> {
  const s = await findSignup(db, id);
  if (!s) return fail({ kind: "not-found", detail: `No signup "${id}".` });
  if (s.provider_id !== provider.id) return fail({ kind: "forbidden", detail: "This signup was sent to another provider." });
  if (isFinal(s.status)) return fail({ kind: "conflict", detail: `This signup is already ${s.status}.`, extra: { status: s.status } });
  const at = iso(nowMs);
  const moved = await db.transaction().execute(async (trx) => {
    const done = await setSignupStatus(trx, id, input.status, at, { final: isFinal(input.status), onlyFrom: ["pending", "delivered", "provisioning"], loginUrl: input.loginUrl });
    if (done) await addSignupEvent(trx, id, input.status, at, input.message);
    return done;
  });
  if (!moved) return fail({ kind: "conflict", detail: "This signup changed meanwhile; read it again." });
  return ok(await view(db, (await findSignup(db, id))!));
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
