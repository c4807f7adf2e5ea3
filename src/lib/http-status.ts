/** HTTP status classes shared by every outbound caller (webhooks, Nextcloud, crawler). */

/** Statuses worth trying again later: timeout, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
