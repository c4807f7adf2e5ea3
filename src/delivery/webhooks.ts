/**
 * Standard Webhooks (https://www.standardwebhooks.com): secrets, signatures and one HTTP delivery attempt with its
 * classification. Web Crypto only, so the same code signs on Node and in Workers.
 */
import { base64, fromBase64 } from "../lib/crypto.ts";
import { isRetryableStatus } from "../lib/http-status.ts";
import { FetchRefused, type SafeFetch } from "./net.ts";

export const SECRET_PREFIX = "whsec_";
export const DELIVERY_TIMEOUT_MS = 10_000;

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const b = new Uint8Array(32);
  crypto.getRandomValues(b);
  return SECRET_PREFIX + base64(b);
}

/** `v1,<base64 HMAC-SHA256(secret bytes, "<id>.<timestamp>.<body>")>`; the key is the base64 after `whsec_`. */
export async function signWebhook(secret: string, id: string, timestampSec: number, body: string): Promise<string> {
  const keyBytes = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestampSec}.${body}`));
  return `v1,${base64(new Uint8Array(mac))}`;
}

/** What one attempt means for the event: done, try again later, refused for good, or endpoint gone (410). */
export type DeliveryOutcome =
  | { kind: "delivered"; status: number; note?: "existing" }
  /** `retryAfterMs`: the receiver's Retry-After (429, 503), in milliseconds from the attempt. */
  | { kind: "retry"; status?: number; error: string; retryAfterMs?: number }
  | { kind: "rejected"; status: number; error: string; reason?: "user-exists" }
  | { kind: "gone"; status: number; error: string };

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) && /[A-Za-z]/.test(v) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * 2xx delivered; 408, 429, 5xx retry (with the receiver's Retry-After on 429 and 503); 410 gone; other statuses (4xx,
 * and 1xx/3xx that were not followed) rejected.
 */
export function classifyStatus(status: number, bodySnippet = "", retryAfter?: string | null, nowMs = Date.now()): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  const error = `HTTP ${status}${bodySnippet ? `: ${bodySnippet.slice(0, 200)}` : ""}`;
  if (isRetryableStatus(status)) {
    const wait = status === 429 || status === 503 ? parseRetryAfter(retryAfter, nowMs) : undefined;
    return { kind: "retry", status, error, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (status === 410) return { kind: "gone", status, error };
  return { kind: "rejected", status, error };
}

/** Timeouts, refused connections and DNS failures are retried; a URL the SSRF guard refuses never will succeed. */
export function classifyError(e: unknown): DeliveryOutcome {
  if (e instanceof FetchRefused) {
    if (e.reason === "scheme" || e.reason === "address") return { kind: "rejected", status: 0, error: e.message };
    return { kind: "retry", error: e.message };
  }
  return { kind: "retry", error: e instanceof Error ? e.message : String(e) };
}

/**
 * The `webhook-signature` header: one `v1,<sig>` per secret, space-separated (Standard Webhooks: receivers accept the
 * request when any listed signature verifies, which is what lets old and new secrets overlap after a rotation).
 */
export async function signatureHeader(secrets: string[], id: string, timestampSec: number, body: string): Promise<string> {
  return (await Promise.all(secrets.map((s) => signWebhook(s, id, timestampSec, body)))).join(" ");
}

/** The secrets to sign with now: the current one, and the previous one while its overlap window lasts. */
export function signingSecrets(wh: { secret: string; previous_secret?: string | null; previous_secret_until?: number | null }, nowMs: number): string[] {
  return wh.previous_secret && (wh.previous_secret_until ?? 0) > nowMs ? [wh.secret, wh.previous_secret] : [wh.secret];
}

/** Sends one signed POST (10 s timeout) and classifies the answer. Never throws. */
export async function postWebhook(
  http: SafeFetch,
  endpoint: { url: string; secret: string; previous_secret?: string | null; previous_secret_until?: number | null },
  message: { id: string; body: string },
  nowMs: number,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<DeliveryOutcome> {
  const timestamp = Math.floor(nowMs / 1000);
  try {
    const signature = await signatureHeader(signingSecrets(endpoint, nowMs), message.id, timestamp, message.body);
    const res = await http(endpoint.url, {
      method: "POST",
      body: message.body,
      timeoutMs,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      headers: {
        "content-type": "application/json",
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
    });
    return classifyStatus(res.status, res.status >= 300 ? res.text() : "", res.headers.get("retry-after"), nowMs);
  } catch (e) {
    return classifyError(e);
  }
}
