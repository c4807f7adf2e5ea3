/** RFC 9457 problem+json: the one error shape of every HTTP answer. `type` URIs are stable identifiers, documented in /docs. */

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
  "not-acceptable": "Not acceptable",
  "gone": "Gone",
  "headers-too-large": "Request header fields too large",
  "client-closed-request": "Client closed request",
  "request-timeout": "Request timeout",
  "bad-request": "Bad request",
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
