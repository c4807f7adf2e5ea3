/** The membership rule alone (no I/O), so the listing rule can use it without importing the write path. */
import type { ProviderRow } from "../../db/database.ts";
import type { MEMBERSHIPS } from "../vocabulary.ts";

export type Membership = (typeof MEMBERSHIPS)[number];

/** The one rule: what a provider's membership is, from its columns (docs/decisions/0011). */
export function membershipOf(p: Pick<ProviderRow, "chatons_member" | "chatons_level" | "chatons_listed">): Membership {
  if (p.chatons_level === null) return p.chatons_member === 1 ? "member" : "none";
  if (p.chatons_listed !== 1) return "unconfirmed";
  return p.chatons_level === "IDLE" ? "idle" : "member";
}
