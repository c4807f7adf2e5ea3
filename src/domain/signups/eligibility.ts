/**
 * "Can this offer take a signup through the directory now?" — the one rule, used by search results and offer pages
 * (the `acceptsSignups` field), the signup form, signup creation and the picker. The SQL form of the same rule
 * (db/queries/signups.ts `rulePredicate`) is built from SIGNUP_RULE; a test checks both agree on every combination.
 */
import type { SignupRule } from "../../db/queries/signups.ts";

/** What the rule looks at, as stored. */
export type SignupFacts = { source: string; registration: string; capacity: string; signup_mode: string; reachable: number | boolean };

/**
 * Any source (a federated offer is handed over to its own directory, docs/federated-signups.md), any registration
 * policy but closed (approval and members-only offers receive the request and decide), capacity left, a mode a
 * directory delivers (webhook, Nextcloud) and a way to reach the provider: an enabled destination here, or, for a
 * federated offer, its directory's hand-over endpoint with its word that it takes a signup now.
 */
export const SIGNUP_RULE = {
  sources: ["local", "crawled", "federated"],
  registrations: ["open", "approval", "members"],
  capacities: ["available"],
  modes: ["webhook", "nextcloud"],
} as const satisfies SignupRule;

/** When the directory picks an offer on a person's behalf ("any provider for <service>"): its own offers open to anyone. */
export const PICK_RULE = { ...SIGNUP_RULE, sources: ["local", "crawled"], registrations: ["open"] } as const satisfies SignupRule;

export type Unavailable = "federated" | "no-account" | "external" | "closed" | "full" | "unreachable";

/**
 * Why an offer takes no signup through the directory, most fundamental reason first; undefined when it does.
 * "federated": a federated offer whose directory takes no hand-over for it (or a rule that excludes federated offers).
 */
export function whyNoSignup(o: SignupFacts, rule: SignupRule = SIGNUP_RULE): Unavailable | undefined {
  if (!rule.sources.includes(o.source)) return "federated";
  if (o.registration === "none") return "no-account";
  if (!rule.modes.includes(o.signup_mode)) return "external";
  if (!rule.registrations.includes(o.registration)) return "closed";
  if (!rule.capacities.includes(o.capacity)) return "full";
  if (Number(o.reachable) !== 1) return o.source === "federated" ? "federated" : "unreachable";
  return undefined;
}

export function acceptsSignups(o: SignupFacts, rule: SignupRule = SIGNUP_RULE): boolean {
  return whyNoSignup(o, rule) === undefined;
}

/**
 * Whether a person can start using or joining the offer now, one way or another: through the directory
 * (`acceptsSignups`), on the provider's own signup page, or at once when no account is needed. Closed and full
 * offers cannot be joined. This is the "open to signups" filter and facet (`available`).
 */
export function canJoin(o: SignupFacts & { signup_url: string | null }): boolean {
  if (o.registration === "closed" || o.capacity !== "available") return false;
  if (o.registration === "none") return true;
  return acceptsSignups(o) || (o.signup_mode === "external" && o.signup_url !== null);
}
