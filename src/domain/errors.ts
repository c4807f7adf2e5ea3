/** Typed expected failures. Domain functions return Result; http/errors.ts maps each kind to problem+json. */
export type DomainError =
  | { kind: "not-found"; detail: string }
  /** `code` says which conflict, for pages that explain it in the reader's language. */
  | { kind: "conflict"; detail: string; code?: string; extra?: Record<string, unknown> }
  | { kind: "forbidden"; detail: string }
  | { kind: "unauthorized"; detail: string }
  | { kind: "precondition-failed"; detail: string }
  | { kind: "invalid"; detail: string; errors?: Array<{ path: string; message: string }> }
  | { kind: "unavailable"; detail: string }
  | { kind: "rate-limited"; detail: string; retryAfterSec: number; scope?: "ip" | "email" | "provider" }
  | { kind: "idempotency-mismatch"; detail: string };

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E extends DomainError>(error: E): Result<never, E> => ({ ok: false, error });
