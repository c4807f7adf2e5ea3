/** Providers publishing offers: create/replace, merge-patch and delete, with optimistic concurrency. */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { sha256Hex } from "../../lib/crypto.ts";
import { iso } from "../../lib/time.ts";
import { deleteOffer, listingPolicy, offerId, saveOffer, toOfferRow, type UpsertResult } from "../catalog/offers.ts";
import { ownOfferById, type Offer, type OwnOffer } from "../catalog/views.ts";
import { fail, ok, type Result } from "../errors.ts";
import { OfferInput } from "../schemas.ts";

/** Decides whether a write may proceed given the offer as its provider sees it now (If-Match); async so callers can hash. */
export type Precondition = (current: OwnOffer | undefined) => Promise<boolean>;

/** The offer as its provider sees it, listed or not (the representation its ETag is computed from). */
const current = async (trx: Db, id: string, nowMs: number) => ownOfferById(trx, id, nowMs, await listingPolicy(trx));

const preconditionFailed = fail({ kind: "precondition-failed", detail: "The offer changed since you read it (If-Match does not match its ETag). Fetch it again and retry." } as const);

/**
 * Every write runs its If-Match check inside its own write transaction (libSQL transactions take the write lock
 * when they begin, and in-process writes are queued one at a time), against the offer as it is at that moment: of
 * concurrent writers holding the same ETag, exactly one succeeds and the others get 412 (docs/decisions/0018).
 */
export async function putOffer(db: Db, provider: ProviderRow, offerSlug: string, input: OfferInput, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const id = offerId(provider.slug, offerSlug);
  return db.transaction().execute(async (trx): Promise<Result<UpsertResult>> => {
    if (precondition && !(await precondition(await current(trx, id, nowMs)))) return preconditionFailed;
    return ok(await saveOffer(trx, provider, toOfferRow(provider, offerSlug, input, iso(nowMs))));
  });
}

/** The fields of a published offer a provider can change (its input), from its public view. */
function editable(o: OwnOffer): Record<string, unknown> {
  const { id: _id, provider: _p, stale: _s, updatedAt: _u, source: _src, origin: _o, acceptsSignups: _a, listing: _l, ...input } = o;
  return input;
}

/**
 * A short fingerprint of what a provider can change in an offer: the offer editor sends it back with a save, and a
 * save from a page showing an older version is refused (the pages' If-Match). Flags the directory computes — stale,
 * acceptsSignups — are left out, so they never refuse a save.
 */
export async function offerVersion(o: Offer | OwnOffer): Promise<string> {
  const { acceptsSignups: _a, ...input } = editable(o);
  return (await sha256Hex(JSON.stringify(input))).slice(0, 32);
}

/** JSON merge patch (RFC 7396) over the offer's input fields, then full validation; read, merged and written in one transaction. */
export async function patchOffer(db: Db, provider: ProviderRow, offerSlug: string, patch: Record<string, unknown>, nowMs: number, precondition?: Precondition): Promise<Result<UpsertResult>> {
  const id = offerId(provider.slug, offerSlug);
  return db.transaction().execute(async (trx): Promise<Result<UpsertResult>> => {
    const existing = await current(trx, id, nowMs);
    // With If-Match, a missing offer fails the precondition (RFC 9110 §13.1.1): 412, as for a changed one.
    if (!existing) return precondition ? preconditionFailed : fail({ kind: "not-found", detail: `No offer "${offerSlug}" for this provider.` });
    if (precondition && !(await precondition(existing))) return preconditionFailed;
    const parsed = v.safeParse(OfferInput, mergePatch(editable(existing), patch));
    if (!parsed.success) {
      return fail({ kind: "invalid", detail: "The patched offer is invalid; see errors.", errors: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "(body)", message: i.message })) });
    }
    return ok(await saveOffer(trx, provider, toOfferRow(provider, offerSlug, parsed.output, iso(nowMs))));
  });
}

export async function removeOffer(db: Db, provider: ProviderRow, offerSlug: string, nowMs: number, precondition?: Precondition): Promise<Result<true>> {
  const id = offerId(provider.slug, offerSlug);
  return db.transaction().execute(async (trx): Promise<Result<true>> => {
    const existing = await current(trx, id, nowMs);
    // With If-Match, a missing offer fails the precondition (RFC 9110 §13.1.1): 412, as for a changed one.
    if (!existing) return precondition ? preconditionFailed : fail({ kind: "not-found", detail: `No offer "${offerSlug}" for this provider.` });
    if (precondition && !(await precondition(existing))) return preconditionFailed;
    await deleteOffer(trx, id, iso(nowMs));
    return ok(true);
  });
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** Sets an own property, even one named `__proto__` (which plain assignment would turn into a prototype change). */
const put = (o: Record<string, unknown>, k: string, value: unknown) => Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

/** JSON merge patch (RFC 7396), iterative: nesting cannot exhaust the stack whatever the input. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const root: Record<string, unknown> = isObject(target) ? { ...target } : {};
  const work: Array<[Record<string, unknown>, Record<string, unknown>]> = [[root, patch]];
  while (work.length) {
    const [out, p] = work.pop()!;
    for (const [k, val] of Object.entries(p)) {
      if (val === null) delete out[k];
      else if (isObject(val)) {
        const prev = Object.hasOwn(out, k) ? out[k] : undefined;
        const child: Record<string, unknown> = isObject(prev) ? { ...prev } : {};
        put(out, k, child);
        work.push([child, val]);
      } else put(out, k, val);
    }
  }
  return root;
}
