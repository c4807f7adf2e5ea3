/** RFC 9457 problem+json: the one error shape of the API. `type` URIs are stable identifiers, documented in /docs. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { DomainError } from "../domain/errors.ts";

export const PROBLEM_BASE = "https://chatons-directory.org/problems/";

export type FieldError = { path: string; message: string };

export type ProblemBody = { type: string; title: string; status: number; detail?: string; errors?: FieldError[]; [k: string]: unknown };

const TITLES: Record<string, string> = {
  "validation": "Invalid request",
  "not-found": "Not found",
  "method-not-allowed": "Method not allowed",
  "payload-too-large": "Request body too large",
  "unsupported-media-type": "Unsupported media type",
  "unauthorized": "Authentication required",
  "forbidden": "Forbidden",
  "conflict": "Conflict",
  "precondition-failed": "Precondition failed",
  "precondition-required": "Precondition required",
  "rate-limited": "Too many requests",
  "unavailable": "Service unavailable",
  "internal": "Internal server error",
};

export function problemBody(status: number, slug: string, detail?: string, extra?: Record<string, unknown>): ProblemBody {
  return { type: PROBLEM_BASE + slug, title: TITLES[slug] ?? slug, status, ...(detail ? { detail } : {}), ...extra };
}

export function problemResponse(status: number, slug: string, detail?: string, extra?: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(status, slug, detail, extra)), {
    status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function problem(c: Context, status: ContentfulStatusCode, slug: string, detail?: string, extra?: Record<string, unknown>): Response {
  return problemResponse(status, slug, detail, extra);
}

const STATUS_OF: Record<DomainError["kind"], [number, string]> = {
  "not-found": [404, "not-found"],
  "conflict": [409, "conflict"],
  "forbidden": [403, "forbidden"],
  "unauthorized": [401, "unauthorized"],
  "precondition-failed": [412, "precondition-failed"],
  "invalid": [400, "validation"],
  "unavailable": [503, "unavailable"],
};

/** Maps a typed domain failure to its problem+json response. */
export function domainProblem(error: DomainError): Response {
  const [status, slug] = STATUS_OF[error.kind];
  const extra: Record<string, unknown> = {};
  if (error.kind === "invalid" && error.errors) extra.errors = error.errors;
  if (error.kind === "conflict" && error.extra) Object.assign(extra, error.extra);
  const headers: Record<string, string> = status === 401 ? { "www-authenticate": 'Bearer realm="chatons-directory"' } : {};
  return problemResponse(status, slug, error.detail, extra, headers);
}
