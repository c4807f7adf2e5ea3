/**
 * The one way a signup changes state: the status moves (only from the states allowed), the step is recorded, and —
 * when mail is on — reaching a final state queues the person's follow-up email in the same transaction (the durable
 * outbox: never lost, retried). Messages the directory writes are stored as codes (`directory:…`) and shown in the
 * reader's language (i18n/signups.ts `event.*`); a provider's own message is kept as it wrote it.
 */
import type { Db } from "../../db/client.ts";
import { addSignupEvent, findSignup, setSignupStatus } from "../../db/queries/signups.ts";
import { enqueue } from "../../delivery/outbox.ts";
import { iso } from "../../lib/time.ts";
import { FINAL_STATUSES } from "./schemas.ts";

export const SIGNUP_REQUESTED = "signup.requested";
/** A signup for a federated offer, handed over to the offer's own directory (docs/federated-signups.md). */
export const SIGNUP_HANDOVER = "signup.handover";
/** On the offer's directory: a status report to the directory that handed a signup over. */
export const HANDOVER_STATUS = "signup.handover.status";
export const MAIL_ACCEPTED = "mail.signup.accepted";
export const MAIL_FINAL = "mail.signup.final";
/** Outbox events that carry a signup to its provider (what the provider's deliveries list shows and may redeliver). */
export const PROVIDER_DELIVERIES = [SIGNUP_REQUESTED, SIGNUP_HANDOVER] as const;
/** Emails (to people, or a provider's sign-in link): never a provider's delivery, never killed by its webhook's 410. */
export const isMailEvent = (type: string) => type.startsWith("mail.");

/** The directory's own step messages, by code. */
export const DIRECTORY_MESSAGES = [
  "nextcloud-email", "nextcloud-verify", "nextcloud-existing", "nextcloud-password", "nextcloud-taken", "unreachable", "gone", "declined", "undeliverable", "redelivered",
  "provider-left",
  // Hand-overs: taken by the offer's directory; refused by it because the offer is closed or full, because it does
  // not federate with us (or blocked us), or because the offer is gone there.
  "handed-over", "remote-closed", "remote-refused", "remote-gone",
] as const;
export type DirectoryMessage = (typeof DIRECTORY_MESSAGES)[number];
export const directoryMessage = (code: DirectoryMessage) => `directory:${code}`;

/** Unfinished states a signup may leave. */
export const LIVE = ["pending", "delivered", "provisioning"] as const;

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

export type MoveContext = { nowMs: number; mail: boolean };

/**
 * Moves signup `id` (of provider `providerId`) to `status` if it is in one of `from`; returns false when it was not
 * (a race or a final state). Must run inside `trx`.
 */
export async function moveSignup(
  trx: Db, signup: { id: string; providerId: number },
  to: { status: string; from: readonly string[]; message?: string | null; loginUrl?: string }, ctx: MoveContext,
): Promise<boolean> {
  const at = iso(ctx.nowMs);
  const final = isFinal(to.status);
  const moved = await setSignupStatus(trx, signup.id, to.status, at, { final, onlyFrom: [...to.from], loginUrl: to.loginUrl });
  if (!moved) return false;
  await addSignupEvent(trx, signup.id, to.status, at, to.message);
  // A signup another directory handed over: that directory hears of every step (a snapshot composed at send time)
  // and writes to the person itself; ours are followed up by email here.
  const handedOver = (await findSignup(trx, signup.id))?.callback_url;
  if (handedOver) await enqueue(trx, { type: HANDOVER_STATUS, providerId: signup.providerId, signupId: signup.id, nowMs: ctx.nowMs });
  else if (final && ctx.mail) await enqueue(trx, { type: MAIL_FINAL, providerId: signup.providerId, signupId: signup.id, nowMs: ctx.nowMs });
  return true;
}
