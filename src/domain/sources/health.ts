/**
 * Health of a pull source, a score from 0 to 100: it starts at 100, gains a little on each successful pull and
 * loses more on each failure, so a flapping source drifts down. Failing sources back off (interval × 2^(n−1),
 * at most a day); at DORMANT_AT or below a source is "very unhealthy": tried only weekly, its offers marked stale,
 * and hidden once unconfirmed for HIDE_AFTER_DAYS. Pure functions, driven by an injected clock in tests.
 */
export const HEALTH_START = 100;
export const HEALTH_SUCCESS = 10;
export const HEALTH_FAILURE = 25;
export const UNHEALTHY_BELOW = 60;
export const DORMANT_AT = 20;
export const MAX_BACKOFF_MS = 86_400_000;
export const DORMANT_RETRY_MS = 7 * 86_400_000;
export const HIDE_AFTER_DAYS = 30;

export type SourceHealth = { health: number; failures: number; state: "healthy" | "degraded" | "unhealthy" | "dormant" };

export function stateOf(health: number): SourceHealth["state"] {
  return health <= DORMANT_AT ? "dormant" : health < UNHEALTHY_BELOW ? "unhealthy" : "healthy";
}

/** After a 200 or 304: health up, failures reset, next pull one interval later (even for a recovering source). */
export function afterSuccess(h: Pick<SourceHealth, "health">, nowMs: number, intervalMs: number): SourceHealth & { nextMs: number } {
  const health = Math.min(HEALTH_START, h.health + HEALTH_SUCCESS);
  // A source that answers is never dormant, whatever its score: it is back on the regular schedule.
  return { health, failures: 0, state: health < UNHEALTHY_BELOW ? "unhealthy" : "healthy", nextMs: nowMs + intervalMs };
}

/** After a failed pull: health down, exponential backoff, weekly retries once dormant. */
export function afterFailure(h: Pick<SourceHealth, "health" | "failures">, nowMs: number, intervalMs: number): SourceHealth & { nextMs: number } {
  const health = Math.max(0, h.health - HEALTH_FAILURE);
  const failures = h.failures + 1;
  const state = stateOf(health);
  const backoff = state === "dormant" ? DORMANT_RETRY_MS : Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures - 1, 20));
  return { health, failures, state, nextMs: nowMs + backoff };
}

/**
 * After a pull that read the organization file but not every service file: never reported healthy. The score does not
 * rise (nor fall: the offers that answered are fresh), the regular schedule goes on, the state says `degraded`.
 */
export function afterDegraded(h: Pick<SourceHealth, "health">, nowMs: number, intervalMs: number): SourceHealth & { nextMs: number } {
  return { health: h.health, failures: 0, state: "degraded", nextMs: nowMs + intervalMs };
}
