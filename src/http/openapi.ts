/**
 * The OpenAPI document, generated from the valibot schemas (never written by hand). `operations` is the single
 * list of documented routes; scripts/schemas.ts writes it to schemas/openapi.json and the drift check compares.
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import * as S from "../domain/schemas.ts";
import * as Src from "../domain/sources/document.ts";
import * as SU from "../domain/signups/schemas.ts";
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
};

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  auth?: "provider" | "admin" | "status-token";
  query?: { entries: Record<string, AnySchema> };
  pathParams?: string[];
  body?: string;
  responses: Record<string, { description: string; schema?: string }>;
};

const problemResponses = (...codes: string[]) =>
  Object.fromEntries(codes.map((c) => [c, { description: DESCRIPTIONS[c] ?? "Error", schema: "Problem" }]));
const DESCRIPTIONS: Record<string, string> = {
  "400": "Invalid input; `errors` lists each field", "401": "Missing or unknown token", "403": "Token of another provider",
  "404": "Not found", "409": "Conflict", "412": "If-Match does not match the current ETag", "413": "Body too large",
  "415": "Body is not JSON", "422": "Idempotency-Key reused with a different body", "429": "Rate limited (Retry-After header)",
};

export const operations: Operation[] = [
  { method: "get", path: "/api/v1/offers", tag: "Catalog", summary: "Search offers (full text, filters, facets, keyset pagination)",
    query: S.SearchQuery, responses: { "200": { description: "A page of offers", schema: "SearchResult" }, "304": { description: "Not modified" }, ...problemResponses("400") } },
  { method: "get", path: "/api/v1/offers/{id}", tag: "Catalog", summary: "One offer", pathParams: ["id"],
    responses: { "200": { description: "The offer", schema: "Offer" }, "304": { description: "Not modified" }, ...problemResponses("404") } },
  { method: "get", path: "/api/v1/compare", tag: "Catalog", summary: "2–5 offers side by side: normalised fields (monthly price…) and the names of the fields that differ",
    query: { entries: { ids: S.CompareQuery.entries.ids } },
    responses: { "200": { description: "The comparison", schema: "CompareResult" }, "304": { description: "Not modified" }, ...problemResponses("400", "404") } },
  { method: "get", path: "/api/v1/providers", tag: "Providers", summary: "List providers", query: S.ProviderQuery,
    responses: { "200": { description: "A page of providers", schema: "ProviderList" }, ...problemResponses("400") } },
  { method: "post", path: "/api/v1/providers", tag: "Providers", summary: "Register a provider; returns its API token once", body: "ProviderInput",
    responses: { "201": { description: "Registered: {provider, token, verification}" }, ...problemResponses("400", "409", "413", "415") } },
  { method: "get", path: "/api/v1/providers/{slug}", tag: "Providers", summary: "A provider with its offers", pathParams: ["slug"],
    responses: { "200": { description: "The provider", schema: "ProviderDetail" }, ...problemResponses("404") } },
  { method: "post", path: "/api/v1/providers/{slug}/token/rotate", tag: "Providers", summary: "Issue a new API token and revoke the old ones",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{token}" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Create or replace an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"], body: "OfferInput",
    responses: { "200": { description: "Replaced", schema: "Offer" }, "201": { description: "Created", schema: "Offer" }, ...problemResponses("400", "401", "403", "412", "413", "415") } },
  { method: "patch", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Merge-patch an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"],
    responses: { "200": { description: "Patched", schema: "Offer" }, ...problemResponses("400", "401", "403", "404", "412") } },
  { method: "delete", path: "/api/v1/providers/{slug}/offers/{offerSlug}", tag: "Providers", summary: "Delete an offer (If-Match supported)",
    auth: "provider", pathParams: ["slug", "offerSlug"], responses: { "204": { description: "Deleted" }, ...problemResponses("401", "403", "404", "412") } },
  { method: "get", path: "/api/v1/admin/follows", tag: "Federation", summary: "Directories (ActivityPub actors) this directory follows",
    auth: "admin", responses: { "200": { description: "Follows", schema: "FollowList" }, ...problemResponses("401", "403") } },
  { method: "post", path: "/api/v1/admin/follows", tag: "Federation", summary: "Follow another directory by actor URL or @user@host; its offers then appear with source federated",
    auth: "admin", body: "FollowInput", responses: { "202": { description: "Follow sent: {actor, handle, status: pending, createdAt, acceptedAt}" }, ...problemResponses("400", "401", "403", "404", "409") } },
  { method: "delete", path: "/api/v1/admin/follows", tag: "Federation", summary: "Unfollow (?actor=<actor URL>): sends Undo and removes the offers received through it",
    auth: "admin", responses: { "204": { description: "Unfollowed" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/admin/blocks", tag: "Federation", summary: "Blocked domains", auth: "admin",
    responses: { "200": { description: "Blocks", schema: "BlockList" }, ...problemResponses("401", "403") } },
  { method: "post", path: "/api/v1/admin/blocks", tag: "Federation", summary: "Defederate a domain (and its subdomains): drop its activities, followers, follows and offers",
    auth: "admin", body: "BlockInput", responses: { "201": { description: "Blocked: {domain, created, purgedOffers}" }, "200": { description: "Already blocked" }, ...problemResponses("400", "401", "403") } },
  { method: "delete", path: "/api/v1/admin/blocks/{domain}", tag: "Federation", summary: "Unblock a domain", auth: "admin", pathParams: ["domain"],
    responses: { "204": { description: "Unblocked" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/admin/followers", tag: "Federation", summary: "Remote followers of this directory and its providers (?status=pending|accepted)",
    auth: "admin", responses: { "200": { description: "Followers", schema: "FollowerList" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/admin/followers/accept", tag: "Federation", summary: "Accept a pending follow (FEDERATION_FOLLOWS=manual)",
    auth: "admin", body: "FollowerDecision", responses: { "200": { description: "Accepted follower" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "post", path: "/api/v1/admin/followers/reject", tag: "Federation", summary: "Refuse a follow: sends Reject and forgets the follower",
    auth: "admin", body: "FollowerDecision", responses: { "204": { description: "Rejected" }, ...problemResponses("400", "401", "403", "404") } },
  { method: "get", path: "/api/v1/ping", tag: "Operations", summary: "Constant {pong: true} without touching the database (load-test ceiling)", responses: { "200": { description: "{pong: true}" } } },
  { method: "get", path: "/api/v1/providers/{slug}/account", tag: "Providers", summary: "The provider's private view: profile with email, verification token and state, pull source",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{provider, verification, source}" }, ...problemResponses("401", "403", "404") } },
  { method: "delete", path: "/api/v1/providers/{slug}/token", tag: "Providers", summary: "Revoke every API token of the provider (after a leak); an operator issues a new one (`npm run cli -- token <slug>`)",
    auth: "provider", pathParams: ["slug"], responses: { "204": { description: "Revoked" }, ...problemResponses("401", "403", "404") } },
  { method: "post", path: "/api/v1/providers/{slug}/verification", tag: "Providers", summary: "Domain proof: fetch <website>/.well-known/chatons-directory.txt and look for the verification token on a line of its own",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{verified: true, verifiedAt, url}" }, ...problemResponses("401", "403", "404", "409") } },
  { method: "get", path: "/api/v1/providers/{slug}/source", tag: "Providers", summary: "The pull source with its health, schedule and last pull report",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "The source", schema: "Source" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/source", tag: "Providers",
    summary: "Set the pull source (JSON offer document or StatoolInfos organization file) and pull it at once: 200 with the pull's report, or 202 if it takes longer than 8 s (it goes on; see GET)",
    auth: "provider", pathParams: ["slug"], body: "SourceInput",
    responses: { "200": { description: "Pulled", schema: "Source" }, "202": { description: "Pull still running", schema: "Source" }, ...problemResponses("400", "401", "403", "404", "413", "415") } },
  { method: "delete", path: "/api/v1/providers/{slug}/source", tag: "Providers", summary: "Remove the pull source and the offers it published (pushed offers stay)",
    auth: "provider", pathParams: ["slug"], responses: { "204": { description: "Removed" }, ...problemResponses("401", "403", "404") } },
  { method: "post", path: "/api/v1/signups", tag: "Signups",
    summary: "Ask for an account: by offerId, or by service (the directory picks an offer with capacity, weighted by declared capacity, preferring language/country). Optional Idempotency-Key header (same key and body → same signup; different body → 422). Rate limited per client address and per email (429 with Retry-After). External-signup offers → 409 with the provider's url.",
    body: "SignupInput", responses: { "202": { description: "Accepted; follow statusUrl", schema: "SignupAccepted" }, ...problemResponses("400", "404", "409", "413", "415", "422", "429") } },
  { method: "get", path: "/api/v1/signups/{id}", tag: "Signups", summary: "A signup's status and steps; needs the token of its statusUrl (?token=…)", auth: "status-token", pathParams: ["id"],
    responses: { "200": { description: "The status", schema: "SignupStatus" }, ...problemResponses("404") } },
  { method: "post", path: "/api/v1/signups/{id}/events", tag: "Signups", summary: "The signup's provider reports progress (provisioning, active, rejected); final states accept nothing more",
    auth: "provider", pathParams: ["id"], body: "SignupEventInput", responses: { "200": { description: "The new status", schema: "SignupStatus" }, ...problemResponses("400", "401", "403", "404", "409") } },
  { method: "get", path: "/api/v1/providers/{slug}/signups", tag: "Signups", summary: "The provider's signups (default: not final yet; ?status= to choose), with the person's contact data, newest first",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{items, nextCursor}" }, ...problemResponses("400", "401", "403") } },
  { method: "get", path: "/api/v1/providers/{slug}/webhook", tag: "Webhooks", summary: "The provider's webhook URL and whether it is enabled (never the secret)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{url, enabled, disabledAt?, disabledReason?, updatedAt}" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/webhook", tag: "Webhooks", summary: "Set the webhook URL; returns a new signing secret (whsec_…, shown once) and re-enables a disabled endpoint",
    auth: "provider", pathParams: ["slug"], body: "WebhookInput", responses: { "200": { description: "{url, secret}" }, ...problemResponses("400", "401", "403") } },
  { method: "post", path: "/api/v1/providers/{slug}/webhook/rotate", tag: "Webhooks", summary: "Replace the signing secret now; returns the new one once",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{url, secret}" }, ...problemResponses("401", "403", "404") } },
  { method: "post", path: "/api/v1/providers/{slug}/webhook/test", tag: "Webhooks", summary: "Send a signed webhook.test event now (one attempt) and report the endpoint's answer",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{webhookId, delivered, outcome, status?, error?}" }, ...problemResponses("401", "403", "404") } },
  { method: "put", path: "/api/v1/providers/{slug}/nextcloud", tag: "Webhooks", summary: "Set the Nextcloud instance (preferred_providers app) that receives signups of offers with signup.mode = nextcloud",
    auth: "provider", pathParams: ["slug"], body: "NextcloudInput", responses: { "200": { description: "{url}" }, ...problemResponses("400", "401", "403") } },
  { method: "get", path: "/api/v1/providers/{slug}/nextcloud", tag: "Webhooks", summary: "The configured Nextcloud instance (never the token)",
    auth: "provider", pathParams: ["slug"], responses: { "200": { description: "{url, updatedAt}" }, ...problemResponses("401", "403", "404") } },
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
  { method: "get", path: "/healthz", tag: "Operations", summary: "Liveness and database check", responses: { "200": { description: "{status, db}" }, "503": { description: "Database unreachable" } } },
];

function queryParameters(q: { entries: Record<string, AnySchema> }) {
  return Object.entries(q.entries).map(([name, schema]) => {
    const s = jsonSchema(schema);
    const repeatable = s.type === "array";
    if (!repeatable) delete s.items;
    const description = typeof s.description === "string" ? s.description : undefined;
    delete s.description;
    return { name, in: "query", required: false, ...(description ? { description } : {}), ...(repeatable ? { style: "form", explode: true } : {}), schema: s };
  });
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const example = OPERATION_EXAMPLES[`${op.method} ${op.path}`];
    const params = [
      ...(op.pathParams ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...(op.query ? queryParameters(op.query) : []),
    ];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/[{}]/g, "").split(/[/~-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("")}`,
      ...(params.length ? { parameters: params } : {}),
      ...(op.auth === "provider" || op.auth === "admin" ? { security: [{ bearer: [] }] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${op.body}` }, ...(example?.request !== undefined ? { example: example.request } : {}) } } } } : {}),
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
      license: { name: "AGPL-3.0-or-later" },
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(componentSchemas).map(([name, s]) => [name, jsonSchema(s)])),
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Provider API token, or the admin token for /api/v1/admin" } },
    },
  };
}
