/** Where a provider receives signups: its webhook (URL + signing secret), or its Nextcloud instance; test pings; redelivery. */
import type { Db } from "../../db/client.ts";
import type { OutboxRow, ProviderRow } from "../../db/database.ts";
import { deleteNextcloud, findNextcloud, findWebhook, setWebhookSecret, upsertNextcloud, upsertWebhook } from "../../db/queries/destinations.ts";
import { findDelivery, requeue } from "../../db/queries/outbox.ts";
import { addSignupEvent, findSignup, reopenSignup, setSignupStatus } from "../../db/queries/signups.ts";
import { isPrivateUrlHost, type SafeFetch } from "../../delivery/net.ts";
import { newWebhookSecret, postWebhook, type DeliveryOutcome } from "../../delivery/webhooks.ts";
import { randomToken } from "../../lib/ids.ts";
import { iso } from "../../lib/time.ts";
import { destinationsChanged } from "../catalog/offers.ts";
import { fail, ok, type Result } from "../errors.ts";
import { directoryMessage, isMailEvent } from "./transitions.ts";

/** Destinations must be public addresses (unless private networks are allowed); fetches check resolved names too. */
function publicUrl(url: string, allowPrivate: boolean): Result<string> {
  if (!allowPrivate && isPrivateUrlHost(new URL(url))) {
    return fail({ kind: "invalid", detail: "Some fields are invalid; see errors.", errors: [{ path: "url", message: "must be a public address" }] });
  }
  return ok(url);
}

/** Sets the webhook URL with a NEW secret (shown once) and re-enables a disabled endpoint. */
export async function setWebhook(db: Db, provider: ProviderRow, url: string, nowMs: number, opts: { allowPrivate: boolean }): Promise<Result<{ url: string; secret: string }>> {
  const checked = publicUrl(url, opts.allowPrivate);
  if (!checked.ok) return checked;
  const secret = newWebhookSecret();
  await db.transaction().execute(async (trx) => {
    await upsertWebhook(trx, provider.id, url, secret, iso(nowMs));
    await destinationsChanged(trx, provider, ["webhook"], iso(nowMs)); // its offers may take signups now
  });
  return ok({ url, secret });
}

/**
 * Rotates the secret: deliveries are signed with the new secret AND the previous one until `overlapMs` has passed
 * (WEBHOOK_SECRET_OVERLAP, 24 h by default), so a receiver can switch without missing a delivery; then only the new
 * one signs. Rotating again during the window drops the oldest secret at once.
 */
export async function rotateWebhookSecret(db: Db, provider: ProviderRow, nowMs: number, overlapMs: number): Promise<Result<{ url: string; secret: string; previousSecretValidUntil: string | null }>> {
  const wh = await findWebhook(db, provider.id);
  if (!wh) return fail({ kind: "not-found", detail: "Set a webhook URL first (PUT …/webhook)." });
  const secret = newWebhookSecret();
  const until = overlapMs > 0 ? nowMs + overlapMs : undefined;
  await setWebhookSecret(db, provider.id, secret, iso(nowMs), until ? { secret: wh.secret, until } : undefined);
  return ok({ url: wh.url, secret, previousSecretValidUntil: until ? iso(until) : null });
}

export async function describeWebhook(db: Db, provider: ProviderRow, nowMs: number) {
  const wh = await findWebhook(db, provider.id);
  if (!wh) return undefined;
  const overlap = wh.previous_secret && (wh.previous_secret_until ?? 0) > nowMs ? { previousSecretValidUntil: iso(wh.previous_secret_until!) } : {};
  return { url: wh.url, enabled: wh.disabled_at === null, ...(wh.disabled_at ? { disabledAt: wh.disabled_at, disabledReason: wh.disabled_reason ?? "" } : {}), updatedAt: wh.updated_at, ...overlap };
}

/** Sends a `webhook.test` event right away (one attempt, no retries) and tells how the endpoint answered. */
export async function pingWebhook(db: Db, http: SafeFetch, provider: ProviderRow, nowMs: number): Promise<Result<{ webhookId: string; outcome: DeliveryOutcome }>> {
  const wh = await findWebhook(db, provider.id);
  if (!wh) return fail({ kind: "not-found", detail: "Set a webhook URL first (PUT …/webhook)." });
  const id = randomToken(16, "msg_test_");
  const body = JSON.stringify({ type: "webhook.test", timestamp: iso(nowMs), data: { provider: provider.slug } });
  return ok({ webhookId: id, outcome: await postWebhook(http, wh, { id, body }, nowMs) });
}

export async function setNextcloud(db: Db, provider: ProviderRow, url: string, token: string, nowMs: number, opts: { allowPrivate: boolean }): Promise<Result<{ url: string }>> {
  const checked = publicUrl(url, opts.allowPrivate);
  if (!checked.ok) return checked;
  const base = url.replace(/\/+$/, "");
  await db.transaction().execute(async (trx) => {
    await upsertNextcloud(trx, provider.id, base, token, iso(nowMs));
    await destinationsChanged(trx, provider, ["nextcloud"], iso(nowMs));
  });
  return ok({ url: base });
}

/** The configured Nextcloud instance, never its token. */
export async function describeNextcloud(db: Db, provider: ProviderRow): Promise<{ url: string; updatedAt: string } | undefined> {
  const nc = await findNextcloud(db, provider.id);
  return nc ? { url: nc.url, updatedAt: nc.updated_at } : undefined;
}

export async function removeNextcloud(db: Db, provider: ProviderRow, nowMs: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await deleteNextcloud(trx, provider.id);
    if (removed) await destinationsChanged(trx, provider, ["nextcloud"], iso(nowMs));
    return removed;
  });
}

/**
 * Puts a dead or rejected delivery back in the queue (same webhook-id) and the signup back to pending.
 * `providerId` restricts it to that provider's own deliveries (the operator passes none).
 */
export async function redeliver(db: Db, webhookId: string, providerId: number | undefined, nowMs: number): Promise<Result<OutboxRow>> {
  const d = await findDelivery(db, webhookId);
  const own = providerId === undefined || (d?.provider_id === providerId && !isMailEvent(d.type));
  if (!d || !own) return fail({ kind: "not-found", detail: `No delivery "${webhookId}".` });
  if (d.status !== "dead" && d.status !== "rejected") return fail({ kind: "conflict", detail: `This delivery is ${d.status}; only dead or rejected ones can be redelivered.` });
  if (d.signup_id) {
    const s = await findSignup(db, d.signup_id);
    if (!s || s.purged_at) return fail({ kind: "conflict", detail: "The signup's personal data was already erased; it cannot be sent again." });
  }
  const done = await db.transaction().execute(async (trx) => {
    if (!(await requeue(trx, d.id, nowMs))) return false;
    // A follow-up email sent again leaves its signup where it is; a signup sent again is pending once more.
    if (d.signup_id && !isMailEvent(d.type)) {
      await reopenSignup(trx, d.signup_id);
      if (await setSignupStatus(trx, d.signup_id, "pending", iso(nowMs), { onlyFrom: ["failed", "rejected"] })) {
        await addSignupEvent(trx, d.signup_id, "pending", iso(nowMs), directoryMessage("redelivered"));
      }
    }
    return true;
  });
  if (!done) return fail({ kind: "conflict", detail: "This delivery changed meanwhile; read it again." });
  return ok((await findDelivery(db, webhookId))!);
}
