/**
 * A provider leaves the directory (its account page, after a confirmation). In one transaction: its offers are
 * deleted through the catalog's write path — each records a `deleted` change, which the federation publisher turns
 * into a `Delete` for followers —, its unfinished signups end as failed (with the person's email when mail is on),
 * their pending hand-overs stop, its webhook, Nextcloud, pull source, tokens, sessions and sign-in links go, and
 * its personal data (contact email, description, verification token) is erased.
 *
 * The provider row stays as a tombstone marked `deleted_at` (docs/decisions/0022): its actor must still sign those
 * `Delete` activities, and past signups' status pages still name who they went to. It is hidden from every list and
 * page, its slug stays taken.
 */
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { findOffersByProvider } from "../../db/queries/offers.ts";
import { killPendingForProvider } from "../../db/queries/outbox.ts";
import { deleteProviderSetup, liveSignupIds } from "../../db/queries/provider-space.ts";
import { revokeTokens } from "../../db/queries/providers.ts";
import { deleteSubjectSessions, deleteSubjectSigninLinks } from "../../db/queries/sessions.ts";
import { iso } from "../../lib/time.ts";
import { deleteOffer, updateProvider } from "../catalog/offers.ts";
import { directoryMessage, LIVE, moveSignup, PROVIDER_DELIVERIES } from "../signups/transitions.ts";

export async function deleteProviderAccount(db: Db, provider: ProviderRow, ctx: { nowMs: number; mail: boolean }): Promise<{ offers: number; signups: number }> {
  const now = iso(ctx.nowMs);
  return db.transaction().execute(async (trx) => {
    const offers = await findOffersByProvider(trx, provider.id, { unlisted: true });
    for (const o of offers) await deleteOffer(trx, o.id, now);
    await killPendingForProvider(trx, provider.id, PROVIDER_DELIVERIES, ctx.nowMs, "the provider left the directory");
    const live = await liveSignupIds(trx, provider.id, LIVE);
    for (const id of live) {
      await moveSignup(trx, { id, providerId: provider.id }, { status: "failed", from: LIVE, message: directoryMessage("provider-left") }, { nowMs: ctx.nowMs, mail: ctx.mail });
    }
    await deleteProviderSetup(trx, provider.id);
    await revokeTokens(trx, provider.id, now);
    await deleteSubjectSessions(trx, "provider", String(provider.id));
    await deleteSubjectSigninLinks(trx, "provider", String(provider.id));
    await updateProvider(trx, provider.id, {
      email: null, description_json: "{}", verification_token: null, verified: 0, verified_at: null, deleted_at: now, updated_at: now,
    });
    return { offers: offers.length, signups: live.length };
  });
}
