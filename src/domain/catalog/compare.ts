/** Side-by-side comparison of 2–5 offers with fields normalised so that they can be compared at a glance. */
import type { Db } from "../../db/client.ts";
import { findOffersByIds, type OfferWithProvider } from "../../db/queries/offers.ts";
import { fail, ok, type Result } from "../errors.ts";
import { isStale } from "./freshness.ts";
import { presentOffer, type Offer } from "./views.ts";

/** The compared fields, in display order. */
export const COMPARED_FIELDS = [
  "service", "software", "softwareVersion", "monthlyPrice", "priceModel", "storageGB", "users", "registration", "capacity",
  "dataLocation", "languages", "audience", "support", "signupMode", "stale",
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export type Compared = {
  id: string;
  service: string;
  software: string;
  softwareVersion: string | null;
  /** Amount per month in minor units (yearly ÷ 12, one-off ÷ 36); 0 for free and pay-what-you-want; null if unknown. */
  monthlyPrice: { amount: number | null; currency: string | null };
  priceModel: string;
  storageGB: number | null;
  users: number | null;
  registration: string;
  capacity: string;
  dataLocation: string;
  languages: string[];
  audience: string[];
  support: string[];
  signupMode: string;
  stale: boolean;
};

export function normalizeForCompare(r: OfferWithProvider, nowMs: number): Compared {
  const list = (json: string) => [...new Set(JSON.parse(json) as string[])].sort();
  return {
    id: r.id,
    service: r.service,
    software: r.software_name,
    softwareVersion: r.software_version,
    monthlyPrice: { amount: r.price_monthly, currency: r.price_monthly === 0 ? null : r.price_currency },
    priceModel: r.price_model,
    storageGB: r.quota_storage_gb,
    users: r.quota_users,
    registration: r.registration,
    capacity: r.capacity,
    dataLocation: r.data_location,
    languages: list(r.languages_json).map((l) => l.toLowerCase()),
    audience: list(r.audience_json),
    support: list(r.support_json),
    signupMode: r.signup_mode,
    stale: isStale(r, nowMs),
  };
}

/** The fields whose normalised values are not all equal, in display order. */
export function differences(rows: Compared[]): ComparedField[] {
  return COMPARED_FIELDS.filter((f) => new Set(rows.map((r) => JSON.stringify(r[f]))).size > 1);
}

export type Comparison = { offers: Offer[]; comparison: Compared[]; differences: ComparedField[] };

/** Loads the offers in the order asked; a not-found failure names every unknown id. */
export async function compareOffers(db: Db, ids: string[], nowMs: number): Promise<Result<Comparison, { kind: "not-found"; detail: string; missing: string[] }>> {
  const rows = await findOffersByIds(db, ids);
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) return fail({ kind: "not-found", detail: `Unknown offer id(s): ${missing.join(", ")}.`, missing });
  const rowsInOrder = ids.map((id) => found.get(id)!);
  const comparison = rowsInOrder.map((o) => normalizeForCompare(o, nowMs));
  return ok({ offers: rowsInOrder.map((o) => presentOffer(o, nowMs)), comparison, differences: differences(comparison) });
}
