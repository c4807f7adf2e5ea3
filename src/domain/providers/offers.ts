/** Providers publishing offers: create/replace, merge-patch and delete, with optimistic concurrency. */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { deleteOffer, findOfferById, toOfferRow, upsertOffer, type OfferWithProvider, type UpsertResult } from "../../db/queries/offers.ts";
import { fail, ok, type Result } from "../errors.ts";
import { OfferInput } from "../schemas.ts";

/** Decides whether a write may proceed given the current offer (If-Match); async so callers can hash. */
export type Precondition = (current: OfferWithProvider | undefined) => Promise<boolean>;

const preconditionFailed = fail({ kind: "precondition-failed", detail: "The offer changed since you read it (If-Match does not match its ETag). Fetch it again and retry." } as const);

export function offerId(providerSlug: string, offerSlug: string): string {
  return `${providerSlug}~${offerSlug}`;
}

export async function putOffer(db: Db, provider: ProviderRow, offerSlug: string, input: OfferInput, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const now = new Date(nowMs).toISOString();
  const id = offerId(provider.slug, offerSlug);
  if (precondition && !(await precondition(await findOfferById(db, id)))) return preconditionFailed;
  const result = await db.transaction().execute((trx) => upsertOffer(trx, provider, toOfferRow(provider, offerSlug, input, now)));
  return ok(result);
}

/** JSON merge patch (RFC 7396) over the offer's input fields, then full validation. */
export async function patchOffer(db: Db, provider: ProviderRow, offerSlug: string, patch: Record<string, unknown>, current: Record<string, unknown>, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const merged = mergePatch(current, patch);
  const parsed = v.safeParse(OfferInput, merged);
  if (!parsed.success) {
    return fail({ kind: "invalid", detail: "The patched offer is invalid; see errors.", errors: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "(body)", message: i.message })) });
  }
  return putOffer(db, provider, offerSlug, parsed.output, nowMs, precondition);
}

export async function removeOffer(db: Db, provider: ProviderRow, offerSlug: string, nowMs: number, precondition?: Precondition): Promise<Result<true>> {
  const id = offerId(provider.slug, offerSlug);
  const current = await findOfferById(db, id);
  if (!current) return fail({ kind: "not-found", detail: `No offer "${offerSlug}" for this provider.` });
  if (precondition && !(await precondition(current))) return preconditionFailed;
  await db.transaction().execute((trx) => deleteOffer(trx, id, new Date(nowMs).toISOString()));
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
