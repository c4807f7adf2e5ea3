/** problem+json answers of the HTTP layer: typed domain failures mapped to statuses (the shape is lib/problem.ts). */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { DomainError } from "../domain/errors.ts";
import { ClientClosedRequest } from "../lib/bytes.ts";
import { problemResponse } from "../lib/problem.ts";

export { PROBLEM_BASE, problemBody, problemResponse, type FieldError, type ProblemBody } from "../lib/problem.ts";

export function problem(c: Context, status: ContentfulStatusCode, slug: string, detail?: string, extra?: Record<string, unknown>): Response {
  return problemResponse(status, slug, detail, extra);
}

/** The one mapping from a typed domain failure to an HTTP status and problem type (API and pages alike). */
const STATUS_OF: Record<DomainError["kind"], [status: number, slug: string]> = {
  "not-found": [404, "not-found"],
  "conflict": [409, "conflict"],
  "forbidden": [403, "forbidden"],
  "unauthorized": [401, "unauthorized"],
  "precondition-failed": [412, "precondition-failed"],
  "invalid": [400, "validation"],
  "unavailable": [503, "unavailable"],
  "rate-limited": [429, "rate-limited"],
  "idempotency-mismatch": [422, "idempotency-key-reused"],
};

export function statusOf(error: DomainError): number {
  return STATUS_OF[error.kind][0];
}

/** Headers a failure implies: `WWW-Authenticate` on 401, `Retry-After` when rate limited. */
export function problemHeaders(error: DomainError): Record<string, string> {
  if (error.kind === "unauthorized") return { "www-authenticate": 'Bearer realm="chatons-directory"' };
  if (error.kind === "rate-limited") return { "retry-after": String(error.retryAfterSec) };
  return {};
}

/** Maps a typed domain failure to its problem+json response. */
export function domainProblem(error: DomainError): Response {
  const [status, slug] = STATUS_OF[error.kind];
  const extra: Record<string, unknown> = {};
  if (error.kind === "invalid" && error.errors) extra.errors = error.errors;
  if (error.kind === "conflict" && error.code) extra.code = error.code;
  if (error.kind === "conflict" && error.extra) Object.assign(extra, error.extra);
  if (error.kind === "rate-limited") extra.retryAfter = error.retryAfterSec;
  return problemResponse(status, slug, error.detail, extra, problemHeaders(error));
}

/**
 * True when a request failed because its client went away (body broken off, connection reset or aborted): logged at
 * debug level, never as an unhandled error.
 */
export function isClientAbort(err: unknown, req: Request): boolean {
  if (err instanceof ClientClosedRequest) return true;
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (e?.code === "ECONNRESET" || e?.code === "ERR_STREAM_PREMATURE_CLOSE" || e?.code === "ECONNABORTED") return true;
  return req.signal.aborted && (e?.name === "AbortError" || e?.message === "aborted" || e?.name === "TypeError");
}
