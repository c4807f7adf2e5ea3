/**
 * The OpenAPI document, generated from the valibot schemas (never written by hand). `operations` is the single
 * list of documented routes; scripts/schemas.ts writes it to schemas/openapi.json and the drift check compares.
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import * as S from "../domain/schemas.ts";

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
  CompareResult: S.CompareResult,
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
  "415": "Body is not JSON", "429": "Rate limited",
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
  { method: "get", path: "/api/v1/ping", tag: "Operations", summary: "Constant {pong: true} without touching the database (load-test ceiling)", responses: { "200": { description: "{pong: true}" } } },
  { method: "get", path: "/healthz", tag: "Operations", summary: "Liveness and database check", responses: { "200": { description: "{status, db}" }, "503": { description: "Database unreachable" } } },
];

function queryParameters(q: { entries: Record<string, AnySchema> }) {
  return Object.entries(q.entries).map(([name, schema]) => {
    const s = jsonSchema(schema);
    const repeatable = s.type === "array";
    if (!repeatable) delete s.items;
    return { name, in: "query", required: false, ...(repeatable ? { style: "form", explode: true } : {}), schema: s };
  });
}

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
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
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${op.body}` } } } } } : {}),
      responses: Object.fromEntries(Object.entries(op.responses).map(([code, r]) => [code, {
        description: r.description,
        ...(r.schema ? { content: { [r.schema === "Problem" ? "application/problem+json" : "application/json"]: { schema: { $ref: `#/components/schemas/${r.schema}` } } } } : {}),
      }])),
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
