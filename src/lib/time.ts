/** Time helpers: the database stores ISO-8601 UTC text (`2026-11-25T12:00:00.000Z`) and epoch milliseconds. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch milliseconds → ISO-8601 UTC text. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The UTC day number of an instant (days since 1970-01-01). */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
