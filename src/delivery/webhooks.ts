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
  | { kind: "delivered"; status: number }
  | { kind: "retry"; status?: number; error: string }
  | { kind: "rejected"; status: number; error: string }
  | { kind: "gone"; status: number; error: string };

/** 2xx delivered; 408, 429, 5xx retry; 410 gone; other statuses (4xx, and 1xx/3xx that were not followed) rejected. */
export function classifyStatus(status: number, bodySnippet = ""): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  const error = `HTTP ${status}${bodySnippet ? `: ${bodySnippet.slice(0, 200)}` : ""}`;
  if (isRetryableStatus(status)) return { kind: "retry", status, error };
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

/** Sends one signed POST (10 s timeout) and classifies the answer. Never throws. */
export async function postWebhook(
  http: SafeFetch,
  endpoint: { url: string; secret: string },
  message: { id: string; body: string },
  nowMs: number,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<DeliveryOutcome> {
  const timestamp = Math.floor(nowMs / 1000);
  try {
    const signature = await signWebhook(endpoint.secret, message.id, timestamp, message.body);
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
    return classifyStatus(res.status, res.status >= 300 ? res.text() : "");
  } catch (e) {
    return classifyError(e);
  }
}
