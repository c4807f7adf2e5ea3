/**
 * Wire schemas of the API answers that had none in the OpenAPI document (issue 14): registration, tokens, the
 * provider's account, verification, health, webhook and Nextcloud settings, the provider's signups. Each matches what
 * its route sends; test/integration/openapi.test.ts validates real answers against them.
 */
import * as v from "valibot";
import { Provider } from "./schemas.ts";
import { Source } from "./sources/document.ts";
import { DeliveryQuery, SIGNUP_STATUSES } from "./signups/schemas.ts";

const ProviderPrivate = v.object({
  ...Provider.entries, email: v.nullable(v.string()),
  listing: v.pipe(v.object({ state: v.picklist(["listed", "waiting-for-review", "hidden"]), reason: v.optional(v.string()) }),
    v.description("Whether people see the provider and its offers: `listed`, `waiting-for-review` (LISTING_POLICY=reviewed: an operator approves new providers first, or the CHATONS collective's list confirms their membership), `hidden` (an operator hid it; `reason` says why).")),
});

export const ProviderRegistered = v.object({
  provider: ProviderPrivate,
  /** The API token, shown once. */
  token: v.string(),
  verification: v.object({ url: v.string(), token: v.string() }),
});
export const TokenIssued = v.object({ token: v.string() });
export const ProviderAccount = v.object({
  provider: ProviderPrivate,
  verification: v.object({ url: v.string(), token: v.nullable(v.string()), verified: v.boolean(), verifiedAt: v.nullable(v.string()) }),
  source: v.nullable(Source),
});
export const VerificationResult = v.object({ verified: v.boolean(), verifiedAt: v.string(), url: v.string() });
const LoopState = v.object({
  lastStartedAt: v.nullable(v.string()), lastFinishedAt: v.nullable(v.string()), lastError: v.nullable(v.string()), lastErrorAt: v.nullable(v.string()),
  running: v.boolean(), stuck: v.pipe(v.boolean(), v.description("True when a round runs longer than the loop allows, or no round finished for that long.")),
});
export const Health = v.object({
  status: v.picklist(["ok", "degraded"]), db: v.picklist(["ok", "unreachable"]),
  loops: v.pipe(v.record(v.string(), LoopState), v.description("Each background loop of this process (Node: federation-publisher, signup-deliveries, freshness); empty on Workers.")),
});
export const Pong = v.object({ pong: v.literal(true) });
export const BlockResult = v.object({ domain: v.string(), created: v.boolean(), purgedOffers: v.number() });

export const Webhook = v.object({
  url: v.string(), enabled: v.boolean(), disabledAt: v.optional(v.string()), disabledReason: v.optional(v.string()), updatedAt: v.string(),
  /** After a rotation: until when deliveries are also signed with the previous secret. */
  previousSecretValidUntil: v.optional(v.string()),
});
export const WebhookSecret = v.object({
  url: v.string(),
  /** `whsec_…`, shown once. */
  secret: v.string(),
  previousSecretValidUntil: v.optional(v.nullable(v.string())),
});
export const WebhookTestResult = v.object({
  webhookId: v.string(), delivered: v.boolean(), outcome: v.picklist(["delivered", "retry", "rejected", "gone"]),
  status: v.optional(v.number()), error: v.optional(v.string()),
});
export const NextcloudSettings = v.object({ url: v.string(), updatedAt: v.optional(v.string()) });

export const ProviderSignupList = v.object({
  items: v.array(v.object({
    id: v.string(), status: v.string(), offerId: v.string(), createdAt: v.string(), updatedAt: v.string(),
    account: v.object({ email: v.nullable(v.string()), name: v.nullable(v.string()), username: v.optional(v.string()), locale: v.string() }),
    message: v.optional(v.string()),
  })),
  nextCursor: v.nullable(v.string()),
});

/** Query of `GET /api/v1/providers/{slug}/signups`: `status` repeatable (or comma-separated), the others single. */
export const SignupListQuery = v.object({
  status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l.flatMap((s) => s.split(",")).filter(Boolean)), v.array(v.picklist(SIGNUP_STATUSES)))),
  limit: DeliveryQuery.entries.limit,
  cursor: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.string(), v.maxLength(300))),
});
/** Query of `GET /api/v1/signups/{id}`: the status token of its statusUrl. */
export const SignupStatusQuery = v.object({ token: v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.string()) });
/** Query of `DELETE /api/v1/admin/follows`. */
export const UnfollowQuery = v.object({ actor: v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.string()) });
/** Query of `GET /api/v1/admin/followers`. */
export const FollowersQuery = v.object({ status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.picklist(["pending", "accepted"]))) });
