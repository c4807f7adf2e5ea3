/** Providers publishing offers: create/replace, merge-patch and delete, with optimistic concurrency. */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { iso } from "../../lib/time.ts";
import { deleteOffer, offerId, saveOffer, toOfferRow, type UpsertResult } from "../catalog/offers.ts";
import { offerById as current, type Offer } from "../catalog/views.ts";
import { fail, ok, type Result } from "../errors.ts";
import { OfferInput } from "../schemas.ts";

/** Decides whether a write may proceed given the offer as currently published (If-Match); async so callers can hash. */
export type Precondition = (current: Offer | undefined) => Promise<boolean>;

const preconditionFailed = fail({ kind: "precondition-failed", detail: "The offer changed since you read it (If-Match does not match its ETag). Fetch it again and retry." } as const);

export async function putOffer(db: Db, provider: ProviderRow, offerSlug: string, input: OfferInput, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const id = offerId(provider.slug, offerSlug);
  if (precondition && !(await precondition(await current(db, id, nowMs)))) return preconditionFailed;
  const result = await db.transaction().execute((trx) => saveOffer(trx, provider, toOfferRow(provider, offerSlug, input, iso(nowMs))));
  return ok(result);
}

/** The fields of a published offer a provider can change (its input), from its public view. */
function editable(o: Offer): Record<string, unknown> {
  const { id: _id, provider: _p, stale: _s, updatedAt: _u, source: _src, origin: _o, ...input } = o;
  return input;
}

/**
 * A short fingerprint of what a provider can change in an offer: the offer editor sends it back with a save, and a
 * save from a page showing an older version is refused (the pages' If-Match). Flags the directory computes — stale,
 * acceptsSignups — are left out, so they never refuse a save.
 */
export async function offerVersion(o: Offer): Promise<string> {
  const { acceptsSignups: _a, ...input } = editable(o);
  return (await sha256Hex(JSON.stringify(input))).slice(0, 32);
}

/** JSON merge patch (RFC 7396) over the offer's input fields, then full validation. */
export async function patchOffer(db: Db, provider: ProviderRow, offerSlug: string, patch: Record<string, unknown>, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const existing = await current(db, offerId(provider.slug, offerSlug), nowMs);
  if (!existing) return fail({ kind: "not-found", detail: `No offer "${offerSlug}" for this provider.` });
  const parsed = v.safeParse(OfferInput, mergePatch(editable(existing), patch));
  if (!parsed.success) {
    return fail({ kind: "invalid", detail: "The patched offer is invalid; see errors.", errors: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "(body)", message: i.message })) });
  }
  return putOffer(db, provider, offerSlug, parsed.output, nowMs, precondition);
}

export async function removeOffer(db: Db, provider: ProviderRow, offerSlug: string, nowMs: number, precondition?: Precondition): Promise<Result<true>> {
  const id = offerId(provider.slug, offerSlug);
  const existing = await current(db, id, nowMs);
  if (!existing) return fail({ kind: "not-found", detail: `No offer "${offerSlug}" for this provider.` });
  if (precondition && !(await precondition(existing))) return preconditionFailed;
  await db.transaction().execute((trx) => deleteOffer(trx, id, iso(nowMs)));
  return ok(true);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, val] of Object.entries(patch as Record<string, unknown>)) {
    if (val === null) delete out[k];
    else out[k] = mergePatch(out[k], val);
  }
  return out;
}
