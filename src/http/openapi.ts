/**
 * The OpenAPI document, generated from the valibot schemas (never written by hand). `operations` is the single
 * list of documented routes; scripts/schemas.ts writes it to schemas/openapi.json and the drift check compares.
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import * as S from "../domain/schemas.ts";
import * as Src from "../domain/sources/document.ts";
import * as SU from "../domain/signups/schemas.ts";
import * as A from "../domain/api-schemas.ts";
import * as M from "../domain/moderation/schemas.ts";
import * as T from "../domain/catalog/transfer-schema.ts";
import { OPERATION_EXAMPLES } from "./openapi-examples.ts";

type JsonSchema = Record<string, unknown>;
type AnySchema = v.GenericSchema<unknown, unknown>;

export function jsonSchema(schema: AnySchema): JsonSchema {
  const out = toJsonSchema(schema, { errorMode: "ignore" }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Public schemas written to schemas/<name>.schema.json and referenced from the OpenAPI components. */
export const componentSchemas: Record<string, AnySchema> = {
  Offer: S.Offer,
  OfferInput: S.OfferInput,
  SearchResult: S.SearchResult,
  Provider: S.Provider,
  ProviderDetail: S.ProviderDetail,
  ProviderList: S.ProviderList,
  OwnOfferList: S.OwnOfferList,
  ProviderInput: S.ProviderInput,
  Problem: S.Problem,
  FollowInput: S.FollowInput,
  FollowList: S.FollowList,
  BlockInput: S.BlockInput,
  BlockList: S.BlockList,
  FollowerDecision: S.FollowerDecision,
  FollowerList: S.FollowerList,
  CompareResult: S.CompareResult,
  OfferDocument: Src.OfferDocument,
  SourceInput: Src.SourceInput,
  Source: Src.Source,
  SignupInput: SU.SignupInput,
  SignupAccepted: SU.SignupAccepted,
  SignupStatus: SU.SignupStatus,
  SignupEventInput: SU.SignupEventInput,
  WebhookInput: SU.WebhookInput,
  NextcloudInput: SU.NextcloudInput,
  Delivery: SU.Delivery,
  DeliveryList: SU.DeliveryList,
  Follow: S.Follow,
  Follower: S.Follower,
  ProviderRegistered: A.ProviderRegistered,
  TokenIssued: A.TokenIssued,
  ProviderAccount: A.ProviderAccount,
  VerificationResult: A.VerificationResult,
  Health: A.Health,
  Pong: A.Pong,
  BlockResult: A.BlockResult,
  Webhook: A.Webhook,
  WebhookSecret: A.WebhookSecret,
  WebhookTestResult: A.WebhookTestResult,
  NextcloudSettings: A.NextcloudSettings,
  ProviderSignupList: A.ProviderSignupList,
  HandoverRequest: SU.HandoverRequest,
  HandoverAccepted: SU.HandoverAccepted,
  HandoverStatus: SU.HandoverStatus,
  HandoverStatusApplied: SU.HandoverStatusApplied,
  ReportInput: M.ReportInput,
  ReportAccepted: M.ReportAccepted,
  Report: M.Report,
  ReportList: M.ReportList,
  CloseReportInput: M.CloseReportInput,
  ReviewQueue: M.ReviewQueue,
  ModerationInput: M.ModerationInput,
  HideInput: M.HideInput,
  ModeratedProvider: M.ModeratedProvider,
  ModeratedOffer: M.ModeratedOffer,
  HiddenList: M.HiddenList,
  AuditList: M.AuditList,
  CatalogDocument: T.CatalogDocument,
};

/** Request headers the API reads, documented as header parameters. */
const HEADERS = {
  "Idempotency-Key": { description: "Same key and same body within 24 h → the same signup (with a new status token); same key, other body → 422.", schema: { type: "string", maxLength: 200 } },
  "If-Match": { description: "The offer's current ETag: the write happens only if the offer has not changed since (else 412).", schema: { type: "string" } },
  "If-None-Match": { description: "An ETag from an earlier answer: 304 Not Modified when it still matches.", schema: { type: "string" } },
  "Idempotency-Key (hand-over)": { description: "Required: the handing directory's stable key for this signup (its own signup id); a retry with the same key and body answers the same signup.", schema: { type: "string", maxLength: 255 } },
} as const;
type Header = keyof typeof HEADERS;

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  auth?: "provider" | "admin" | "status-token" | "signature";
  query?: { entries: Record<string, AnySchema> };
  /** Query parameters that must be present. */
  requiredQuery?: string[];
  headers?: Header[];
  pathParams?: string[];
  body?: string;
  /** The body may be left out entirely (then it means `{}`). */
  optionalBody?: boolean;
  responses: Record<string, { description: string; schema?: string }>;
};

const problemResponses = (...codes: string[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: DESCRIPTIONS[c] ?? "Error", schema: "Problem" }]));
const DESCRIPTIONS: Record<string, string> = {
  "400": "Invalid input; `errors` lists each field", "401": "Missing or unknown token", "403": "Token of another provider",
  "404": "Not found", "409": "Conflict", "412": "If-Match does not match the current ETag", "413": "Body too large",
  "415": "Body is not JSON", "422": "Idempotency-Key reused with a different body", "429": "Rate limited (Retry-After header)",
};

const notModified = { "304": { description: "Not modified: the If-None-Match ETag still matches (no body)" } };

export const operations: Operation[] = [
  { method: "get", path: "/api/v1/offers", tag: "Catalog", summary: "Search offers (full text, filters, facets, keyset pagination)",
    query: S.SearchQuery, headers: ["If-None-Match"], responses: { "200": { description: "A page of offers", schema: "SearchResult" }, ...notModified, ...problemResponses("400") } },
  { method: "get", path: "/api/v1/offers/{id}", tag: "Catalog", summary: "One offer", pathParams: ["id"], headers: ["If-None-Match"],
    responses: { "200": { description: "The offer", schema: "Offer" }, ...notModified, ...problemResponses("404") } },
  { method: "get", path: "/api/v1/compare", tag: "Catalog", summary: "2–5 offers side by side: normalised fields (monthly price…) and the names of the fields that differ",
    query: { entries: { ids: S.CompareQuery.entries.ids } }, headers: ["If-None-Match"],
    responses: { "200": { description: "The comparison", schema: "CompareResult" }, ...notModified, ...problemResponses("400", "404") } },
  { method: "get", path: "/api/v1/providers", tag: "Providers", summary: "List providers (member=true: CHATONS members the collective's list confirms)", query: S.ProviderQuery, headers: ["If-None-Match"],
    responses: { "200": { description: "A page of providers", schema: "ProviderList" }, ...notModified, ...problemResponses("400") } },
  { method: "post", path: "/api/v1/providers", tag: "Providers", summary: "Register a provider; returns its API token once", body: "ProviderInput",
    responses: { "201": { description: "Registered: the provider (with its email), its API token (shown once) and its domain-proof token", schema: "ProviderRegistered" }, ...problemResponses("400", "409", "413", "415", "429") } },
  { method: "get", path: "/api/v1/providers/{slug}", tag: "Providers", summary: "A provider with its offers", pathParams: ["slug"], headers: ["If-None-Match"],
    responses: { "200": { description: "The provider", schema: "ProviderDetail" }, ...notModified, ...problemResponses("404") } },
  { method: "post", path: "/api/v1/providers/{slug}/token/rotate", tag: "Providers", summary: "Issue a new API token and revoke the old ones",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The new token (shown once)", schema: "TokenIssued" }, ...problemResponses("401", "403", "404") } },
  { method: "get", path: "/api/v1/providers/{slug}/offers", tag: "Providers", summary: "The provider's own offers, public or not yet (waiting for review, hidden: see `listing`)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "Every offer of the provider", schema: "OwnOfferList" }, ...problemResponses("401", "403") } },
  { method: "get", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "One of the provider's own offers, public or not yet; its ETag is what If-Match expects",
    auth: "provider", pathParams: ["slug", "offerSlug"], responses: { "200": { description: "The offer", schema: "Offer" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Create or replace an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"], body: "OfferInput", headers: ["If-Match"],
    responses: { "200": { description: "Replaced", schema: "Offer" }, "201": { description: "Created", schema: "Offer" }, ...problemResponses("400", "401", "403", "412", "413", "415") } },
  { method: "patch", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Merge-patch an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"], headers: ["If-Match"],
    responses: { "200": { description: "Patched", schema: "Offer" }, ...problemResponses("400", "401", "403", "404", "412", "413", "415") } },
  { method: "delete", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Delete an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"], headers: ["If-Match"], responses: { "204": { description: "Deleted" }, ...problemResponses("401", "403", "404", "412") } },
  { method: "get", path: "/api/v1/admin/follows", tag: "Federation", summary: "Directories (ActivityPub actors) this directory follows",
    auth: "admin", responses: { "200": { description: "Follows", schema: "FollowList" }, ...problemResponses("401", "403") } },
  { method: "post", path: "/api/v1/admin/follows", tag: "Federation", summary: "Follow another directory by actor URL or @user@host; its offers then appear with source federated",
    auth: "admin", body: "FollowInput", responses: { "202": { description: "Follow sent (status pending until the peer accepts)", schema: "Follow" }, ...problemResponses("400", "401", "403", "404", "409") } },
  { method: "delete", path: "/api/v1/admin/follows", tag: "Federation", summary: "Unfollow (?actor=<actor URL>): sends Undo and removes the offers received through it",
    auth: "admin", query: { entries: { actor: A.UnfollowQuery.entries.actor } }, requiredQuery: ["actor"], responses: { "204": { description: "Unfollowed" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/admin/blocks", tag: "Federation", summary: "Blocked domains", auth: "admin",
    responses: { "200": { description: "Blocks", schema: "BlockList" }, ...problemResponses("401", "403") } },
  { method: "post", path: "/api/v1/admin/blocks", tag: "Federation", summary: "Defederate a domain (and its subdomains): drop its activities, followers, follows and offers",
    auth: "admin", body: "BlockInput", responses: { "201": { description: "Blocked", schema: "BlockResult" }, "200": { description: "Already blocked", schema: "BlockResult" }, ...problemResponses("400", "401", "403") } },
  { method: "delete", path: "/api/v1/admin/blocks/{domain}", tag: "Federation", summary: "Unblock a domain", auth: "admin", pathParams: ["domain"],
    responses: { "204": { description: "Unblocked" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/admin/followers", tag: "Federation", summary: "Remote followers of this directory and its providers (?status=pending|accepted)",
    auth: "admin", query: A.FollowersQuery, responses: { "200": { description: "Followers", schema: "FollowerList" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/admin/followers/accept", tag: "Federation", summary: "Accept a pending follow (FEDERATION_FOLLOWS=manual)",
    auth: "admin", body: "FollowerDecision", responses: { "200": { description: "Accepted follower", schema: "Follower" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "post", path: "/api/v1/admin/followers/reject", tag: "Federation", summary: "Refuse a follow: sends Reject and forgets the follower",
    auth: "admin", body: "FollowerDecision", responses: { "204": { description: "Rejected" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/ping", tag: "Operations", summary: "Constant {pong: true} without touching the database (load-test ceiling)", responses: { "200": { description: "{pong: true}", schema: "Pong" } } },
  { method: "get", path: "/api/v1/providers/{slug}/account", tag: "Providers", summary: "The provider's private view: profile with email, verification token and state, pull source",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The provider's profile with its email, its domain proof and its pull source", schema: "ProviderAccount" }, ...problemResponses("401", "403", "404") } },
  { method: "delete", path: "/api/v1/providers/{slug}/token", tag: "Providers", summary: "Revoke every API token of the provider (after a leak); an operator issues a new one (`npm run cli -- token <slug>`)",
    auth: "provider", pathParams: ["slug"], responses: { "204": { description: "Revoked" }, ...problemResponses("401", "403", "404") } },
  { method: "post", path: "/api/v1/providers/{slug}/verification", tag: "Providers", summary: "Domain proof: fetch <website>/.well-known/chatons-directory.txt and look for the verification token on a line of its own",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "Verified", schema: "VerificationResult" }, ...problemResponses("401", "403", "404", "409", "429") } },
  { method: "get", path: "/api/v1/providers/{slug}/source", tag: "Providers", summary: "The pull source with its health, schedule and last pull report",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The source", schema: "Source" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/source", tag: "Providers",
    summary: "Set the pull source (JSON offer document or StatoolInfos organization file) and pull it at once: 200 with the pull's report, or 202 if it takes longer than 8 s (it goes on; see GET)",
    auth: "provider", pathParams: ["slug"], body: "SourceInput",
    responses: { "200": { description: "Pulled", schema: "Source" }, "202": { description: "Pull still running", schema: "Source" }, ...problemResponses("400", "401", "403", "404", "413", "415", "429") } },
  { method: "delete", path: "/api/v1/providers/{slug}/source", tag: "Providers", summary: "Remove the pull source and the offers it published (pushed offers stay)",
    auth: "provider", pathParams: ["slug"], responses: { "204": { description: "Removed" }, ...problemResponses("401", "403", "404", "429") } },
  { method: "post", path: "/api/v1/signups", tag: "Signups",
    summary: "Ask for an account: by offerId, or by service (the directory picks an offer with capacity, weighted by declared capacity, preferring language/country). Optional Idempotency-Key header (same key and body → same signup; different body → 422). Rate limited per client address and per email (429 with Retry-After). External-signup offers → 409 with the provider's url.",
    body: "SignupInput", headers: ["Idempotency-Key"], responses: { "202": { description: "Accepted; follow statusUrl", schema: "SignupAccepted" }, ...problemResponses("400", "404", "409", "413", "415", "422", "429") } },
  { method: "get", path: "/api/v1/signups/{id}", tag: "Signups", summary: "A signup's status and steps; needs the token of its statusUrl (?token=…)", auth: "status-token", pathParams: ["id"],
    query: A.SignupStatusQuery, requiredQuery: ["token"],
    responses: { "200": { description: "The status", schema: "SignupStatus" }, ...problemResponses("404") } },
  { method: "post", path: "/api/v1/signups/{id}/events", tag: "Signups", summary: "The signup's provider reports progress (provisioning, active, rejected); final states accept nothing more",
    auth: "provider", pathParams: ["id"], body: "SignupEventInput", responses: { "200": { description: "The new status", schema: "SignupStatus" }, ...problemResponses("400", "401", "403", "404", "409") } },
  { method: "post", path: "/api/v1/federation/signups", tag: "Federation", summary: "Another directory hands over a signup for one of our offers, signed as its directory actor",
    auth: "signature", body: "HandoverRequest", headers: ["Idempotency-Key (hand-over)"],
    responses: { "202": { description: "Taken (or the same signup again, with Idempotent-Replayed: true)", schema: "HandoverAccepted" }, ...problemResponses("400", "401", "403", "404", "409", "413", "422", "429") } },
  { method: "post", path: "/api/v1/federation/signups/{id}/status", tag: "Federation", summary: "The offer's directory reports where a signup we handed over stands",
    auth: "signature", pathParams: ["id"], body: "HandoverStatus",
    responses: { "200": { description: "Applied (or already known)", schema: "HandoverStatusApplied" }, ...problemResponses("400", "401", "403", "404", "413") } },
  { method: "get", path: "/api/v1/providers/{slug}/signups", tag: "Signups", summary: "The provider's signups (default: not final yet; ?status= to choose), with the person's contact data, newest first",
    auth: "provider", pathParams: ["slug"], query: A.SignupListQuery, responses: { "200": { description: "A page of signups", schema: "ProviderSignupList" }, ...problemResponses("400", "401", "403") } },
  { method: "get", path: "/api/v1/providers/{slug}/webhook", tag: "Webhooks", summary: "The provider's webhook URL and whether it is enabled (never the secret)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The webhook", schema: "Webhook" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/webhook", tag: "Webhooks", summary: "Set the webhook URL; returns a new signing secret (whsec_…, shown once) and re-enables a disabled endpoint",
    auth: "provider", pathParams: ["slug"], body: "WebhookInput", responses: { "200": { description: "The URL and its new secret (shown once)", schema: "WebhookSecret" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/providers/{slug}/webhook/rotate", tag: "Webhooks", summary: "Rotate the signing secret: returns the new one once; deliveries are signed with both the new and the previous secret until previousSecretValidUntil (WEBHOOK_SECRET_OVERLAP, 24 h by default)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The new secret and the end of the overlap", schema: "WebhookSecret" }, ...problemResponses("401", "403", "404") } },
  { method: "post", path: "/api/v1/providers/{slug}/webhook/test", tag: "Webhooks", summary: "Send a signed webhook.test event now (one attempt) and report the endpoint's answer",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "How the endpoint answered", schema: "WebhookTestResult" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/nextcloud", tag: "Webhooks", summary: "Set the Nextcloud instance (preferred_providers app) that receives signups of offers with signup.mode = nextcloud",
    auth: "provider", pathParams: ["slug"], body: "NextcloudInput", responses: { "200": { description: "The instance URL", schema: "NextcloudSettings" }, ...problemResponses("400", "401", "403") } },
  { method: "get", path: "/api/v1/providers/{slug}/nextcloud", tag: "Webhooks", summary: "The configured Nextcloud instance (never the token)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The instance", schema: "NextcloudSettings" }, ...problemResponses("401", "403", "404") } },
  { method: "delete", path: "/api/v1/providers/{slug}/nextcloud", tag: "Webhooks", summary: "Remove the Nextcloud instance",
    auth: "provider", pathParams: ["slug"], responses: { "204": { description: "Removed" }, ...problemResponses("401", "403", "404") } },
  { method: "get", path: "/api/v1/providers/{slug}/deliveries", tag: "Webhooks", summary: "The provider's deliveries, newest first; ?status=dead lists dead letters",
    auth: "provider", pathParams: ["slug"], query: SU.DeliveryQuery, responses: { "200": { description: "A page of deliveries", schema: "DeliveryList" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/providers/{slug}/deliveries/{id}/redeliver", tag: "Webhooks", summary: "Queue a dead or rejected delivery again (same webhook-id)",
    auth: "provider", pathParams: ["slug", "id"], responses: { "202": { description: "Queued", schema: "Delivery" }, ...problemResponses("401", "403", "404", "409") } },
  { method: "get", path: "/api/v1/admin/deliveries", tag: "Admin", summary: "All deliveries (operator), e.g. ?status=dead", auth: "admin", query: SU.DeliveryQuery,
    responses: { "200": { description: "A page of deliveries", schema: "DeliveryList" }, ...problemResponses("400", "401") } },
  { method: "post", path: "/api/v1/admin/deliveries/{id}/redeliver", tag: "Admin", summary: "Queue a dead or rejected delivery again (operator)", auth: "admin", pathParams: ["id"],
    responses: { "202": { description: "Queued", schema: "Delivery" }, ...problemResponses("401", "404", "409") } },
  { method: "get", path: "/healthz", tag: "Operations", summary: "The database and each background loop (last round, last error); 503 when the database does not answer or a loop is stuck",
    responses: { "200": { description: "Up", schema: "Health" }, "503": { description: "Database unreachable or a background loop stuck", schema: "Health" } } },
  { method: "post", path: "/api/v1/offers/{id}/reports", tag: "Catalog", summary: "Report an offer to the people who run the directory (a reason and an optional message); rate limited per client address (REPORT_RATE_LIMIT_IP)",
    pathParams: ["id"], body: "ReportInput", responses: { "201": { description: "Received; an operator will read it", schema: "ReportAccepted" }, ...problemResponses("400", "404", "413", "415", "429") } },
  { method: "get", path: "/api/v1/admin/review", tag: "Moderation", summary: "Providers waiting for review (LISTING_POLICY=reviewed), oldest first, with how many offers they prepared",
    auth: "admin", responses: { "200": { description: "The review queue", schema: "ReviewQueue" }, ...problemResponses("401", "403") } },
  { method: "get", path: "/api/v1/admin/providers/{slug}", tag: "Moderation", summary: "A provider's moderation state", auth: "admin", pathParams: ["slug"],
    responses: { "200": { description: "Listed, waiting for review or hidden", schema: "ModeratedProvider" }, ...problemResponses("401", "403", "404", "409") } },
  { method: "post", path: "/api/v1/admin/providers/{slug}/approve", tag: "Moderation", summary: "Approve a provider: it and its offers become public (federated Create); audit-logged",
    auth: "admin", pathParams: ["slug"], body: "ModerationInput", optionalBody: true,
    responses: { "200": { description: "Approved", schema: "ModeratedProvider" }, ...problemResponses("400", "401", "403", "404", "409", "415") } },
  { method: "post", path: "/api/v1/admin/providers/{slug}/hide", tag: "Moderation", summary: "Hide a provider and all its offers with a reason (shown to it): out of search, pages, the API, exports; followers get a Delete; audit-logged",
    auth: "admin", pathParams: ["slug"], body: "HideInput",
    responses: { "200": { description: "Hidden", schema: "ModeratedProvider" }, ...problemResponses("400", "401", "403", "404", "409", "415") } },
  { method: "post", path: "/api/v1/admin/providers/{slug}/unhide", tag: "Moderation", summary: "Show a hidden provider again (its offers get a new Create); audit-logged",
    auth: "admin", pathParams: ["slug"], body: "ModerationInput", optionalBody: true,
    responses: { "200": { description: "Shown again (or back in the review queue if it was never approved)", schema: "ModeratedProvider" }, ...problemResponses("400", "401", "403", "404", "409", "415") } },
  { method: "post", path: "/api/v1/admin/offers/{id}/hide", tag: "Moderation", summary: "Hide one offer with a reason (shown to its provider); followers get a Delete; audit-logged",
    auth: "admin", pathParams: ["id"], body: "HideInput",
    responses: { "200": { description: "Hidden", schema: "ModeratedOffer" }, ...problemResponses("400", "401", "403", "404", "415") } },
  { method: "post", path: "/api/v1/admin/offers/{id}/unhide", tag: "Moderation", summary: "Show a hidden offer again (a new Create when its provider is public); audit-logged",
    auth: "admin", pathParams: ["id"], body: "ModerationInput", optionalBody: true,
    responses: { "200": { description: "Shown again", schema: "ModeratedOffer" }, ...problemResponses("400", "401", "403", "404", "409", "415") } },
  { method: "get", path: "/api/v1/admin/hidden", tag: "Moderation", summary: "Hidden providers and offers, most recently hidden first", auth: "admin",
    responses: { "200": { description: "What is hidden", schema: "HiddenList" }, ...problemResponses("401", "403") } },
  { method: "get", path: "/api/v1/admin/reports", tag: "Moderation", summary: "People's reports, newest first (?status=open by default, closed, all)", auth: "admin", query: M.ListQuery,
    responses: { "200": { description: "A page of reports", schema: "ReportList" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/admin/reports/{id}/close", tag: "Moderation", summary: "Close an open report with what was done about it; audit-logged",
    auth: "admin", pathParams: ["id"], body: "CloseReportInput", optionalBody: true,
    responses: { "200": { description: "Closed", schema: "Report" }, ...problemResponses("400", "401", "403", "404", "409", "415") } },
  { method: "get", path: "/api/v1/admin/audit", tag: "Moderation", summary: "The append-only audit log of moderation actions (who, when, what, why), newest first",
    auth: "admin", query: { entries: { limit: M.ListQuery.entries.limit, cursor: M.ListQuery.entries.cursor } },
    responses: { "200": { description: "A page of entries", schema: "AuditList" }, ...problemResponses("400", "401", "403") } },
];

/**
 * A query parameter is repeatable when its schema turns the list of values into a list (`many`); the others keep one
 * value (the last) and are documented with that value's schema, not as arrays.
 */
function queryParameters(q: { entries: Record<string, AnySchema> }, required: string[] = []) {
  return Object.entries(q.entries).map(([name, schema]) => {
    // A description wraps the field's schema in a pipe of its own: look through it (and through `optional`).
    type Piped = { pipe?: Array<{ kind: string; type: string }>; wrapped?: AnySchema };
    let bare = schema;
    for (;;) {
      const p = bare as unknown as Piped;
      if (p.pipe && p.pipe.length > 1 && p.pipe.slice(1).every((x) => x.kind === "metadata")) bare = p.pipe[0] as unknown as AnySchema;
      else if (!p.pipe && p.wrapped && ((p.wrapped as unknown as Piped).pipe?.slice(1).every((x) => x.kind === "metadata") ?? false)) bare = p.wrapped;
      else break;
    }
    const outer = bare as unknown as { pipe?: unknown[]; wrapped?: AnySchema };
    const inner = (outer.pipe ? bare : outer.wrapped ?? bare) as unknown as { pipe?: Array<{ kind: string; type: string }> };
    const pipe = inner.pipe ?? [];
    const afterTransform = pipe.slice(pipe.findIndex((x) => x.type === "transform") + 1);
    const repeatable = pipe.length > 0 && pipe.slice(1).some((x) => x.kind === "schema" && x.type === "array");
    const itemSchema = afterTransform.find((x) => x.kind === "schema") as AnySchema | undefined;
    const whole = jsonSchema(schema);
    const s = repeatable ? whole : jsonSchema(itemSchema ?? schema);
    if (!repeatable && s.type === "array") { delete s.items; s.type = "string"; }
    // The description (valibot metadata) goes on the parameter, wherever in the pipe it was written.
    const description = typeof whole.description === "string" ? whole.description : typeof s.description === "string" ? s.description : undefined;
    delete s.description;
    return { name, in: "query", required: required.includes(name), ...(description ? { description } : {}), ...(repeatable ? { style: "form", explode: true } : {}), schema: s };
  });
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const example = OPERATION_EXAMPLES[`${op.method} ${op.path}`];
    const params = [
      ...(op.pathParams ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...(op.query ? queryParameters(op.query, op.requiredQuery) : []),
      ...(op.headers ?? []).map((name) => ({ name: name.replace(/ \(.*\)$/, ""), in: "header", required: name.endsWith("(hand-over)"), ...HEADERS[name] })),
    ];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/[{}]/g, "").split(/[/~-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("")}`,
      ...(params.length ? { parameters: params } : {}),
      ...(op.auth === "provider" || op.auth === "admin" ? { security: [{ bearer: [] }] } : op.auth === "signature" ? { security: [{ httpSignature: [] }] } : {}),
      ...(op.body ? { requestBody: { required: !op.optionalBody, content: { "application/json": { schema: { $ref: `#/components/schemas/${op.body}` }, ...(example?.request !== undefined ? { example: example.request } : {}) } } } } : {}),
      responses: Object.fromEntries(Object.entries(op.responses).map(([code, r]) => {
        const body = example?.response?.status === code && example.response.body !== null ? { example: example.response.body } : undefined;
        return [code, {
          description: r.description,
          ...(r.schema ? { content: { [r.schema === "Problem" ? "application/problem+json" : "application/json"]: { schema: { $ref: `#/components/schemas/${r.schema}` }, ...body } } }
            : body ? { content: { "application/json": body } } : {}),
        }];
      })),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "chatons-directory API",
      version: "1.0.0",
      description: "Find, compare and join ethical hosting providers (CHATONS). Errors are RFC 9457 problem+json.",
      license: { name: "AGPL-3.0-or-later", identifier: "AGPL-3.0-or-later" },
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(componentSchemas).map(([name, s]) => [name, jsonSchema(s)])),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Provider API token, or the admin token for /api/v1/admin" },
        httpSignature: {
          type: "apiKey", in: "header", name: "Signature",
          description: "HTTP Signatures (draft-cavage-12 with a Digest, or RFC 9421) made with the key of the calling directory's ActivityPub actor; see docs/federated-signups.md",
        },
      },
    },
  };
}
