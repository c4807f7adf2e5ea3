/** Signed-in sessions and one-time sign-in links (docs/decisions/0020): rows keyed by hashes, never by the secrets. */
import type { Db } from "../client.ts";
import type { SessionRow, SigninLinkRow } from "../database.ts";

export async function insertSession(db: Db, row: SessionRow): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
}

/** The session whose secret hashes to `idHash`, of `kind`, still valid at `now` (ISO). */
export async function findLiveSession(db: Db, idHash: string, kind: string, now: string): Promise<SessionRow | undefined> {
  return db.selectFrom("sessions").selectAll().where("id_hash", "=", idHash).where("kind", "=", kind).where("expires_at", ">", now).executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, lastSeen: string, expires: string): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: lastSeen, expires_at: expires }).where("id_hash", "=", idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<boolean> {
  const r = await db.deleteFrom("sessions").where("id_hash", "=", idHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ends every session of a subject, except the one hashed `keep` when given; returns how many were ended. */
export async function deleteSubjectSessions(db: Db, kind: string, subject: string, keep?: string): Promise<number> {
  let q = db.deleteFrom("sessions").where("kind", "=", kind).where("subject", "=", subject);
  if (keep) q = q.where("id_hash", "!=", keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function countLiveSessions(db: Db, kind: string, subject: string, now: string): Promise<number> {
  const r = await db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", kind).where("subject", "=", subject).where("expires_at", ">", now).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const r = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- sign-in links ----

export async function insertSigninLink(trx: Db, row: { kind: string; subject: string; locale: string; mail_id: string; created_at: string }): Promise<void> {
  await trx.insertInto("signin_links").values(row).execute();
}

export async function findSigninLinkByMail(db: Db, mailId: string): Promise<SigninLinkRow | undefined> {
  return db.selectFrom("signin_links").selectAll().where("mail_id", "=", mailId).executeTakeFirst();
}

/** Gives the link its (new) token, replacing any earlier one: only the latest email's link works. */
export async function setSigninLinkToken(db: Db, id: number, tokenHash: string, expires: string): Promise<void> {
  await db.updateTable("signin_links").set({ token_hash: tokenHash, expires_at: expires }).where("id", "=", id).where("used_at", "is", null).execute();
}

/** The unused, unexpired link whose token hashes to `tokenHash`. */
export async function findUsableSigninLink(db: Db, tokenHash: string, kind: string, now: string): Promise<SigninLinkRow | undefined> {
  return db.selectFrom("signin_links").selectAll().where("token_hash", "=", tokenHash).where("kind", "=", kind)
    .where("used_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
}

/** Marks the link used, once: false when it was already used or has expired (a race, or a replay). */
export async function useSigninLink(db: Db, tokenHash: string, kind: string, now: string): Promise<SigninLinkRow | undefined> {
  return db.updateTable("signin_links").set({ used_at: now })
    .where("token_hash", "=", tokenHash).where("kind", "=", kind).where("used_at", "is", null).where("expires_at", ">", now)
    .returningAll().executeTakeFirst();
}

export async function deleteSubjectSigninLinks(db: Db, kind: string, subject: string): Promise<void> {
  await db.deleteFrom("signin_links").where("kind", "=", kind).where("subject", "=", subject).execute();
}

/** Forgets links that expired (or were never sent) before `cutoff`. */
export async function deleteOldSigninLinks(db: Db, cutoff: string): Promise<number> {
  const r = await db.deleteFrom("signin_links").where("created_at", "<", cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
