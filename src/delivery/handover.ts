/**
 * Signups handed over between directories (docs/federated-signups.md), as the delivery layer sees them: a signed
 * POST (the signing is the federation's: HTTP Signatures as this directory's actor) and what its answer means for the
 * outbox event. Never throws.
 */
import { isRetryableStatus } from "../lib/http-status.ts";
import type { SafeResponse } from "./net.ts";
import { classifyError, DELIVERY_TIMEOUT_MS, type DeliveryOutcome } from "./webhooks.ts";

/** POSTs `body` (JSON) to `url`, signed as this directory; provided by the federation wiring. */
export type SignedPost = (url: string, body: string, opts?: { timeoutMs?: number; headers?: Record<string, string> }) => Promise<SafeResponse>;

/** Why the offer's directory refused a hand-over for good. */
export type HandoverRefusal = "remote-closed" | "remote-refused" | "remote-gone" | "undeliverable";

export type HandoverOutcome =
  | (DeliveryOutcome & { kind: "delivered"; remoteId?: string })
  | (Exclude<DeliveryOutcome, { kind: "delivered" }> & { refusal?: HandoverRefusal });

const problemOf = (text: string): { code?: string; detail?: string } => {
  try { return JSON.parse(text) as { code?: string; detail?: string }; } catch { return {}; }
};

/**
 * Classifies the answer to a hand-over: 2xx taken (with the remote signup id); 409 the offer takes no signup now
 * (closed, full…); 401/403 refused (not federating, blocked); 404/410 the offer is gone there; 408/429/5xx and network
 * failures are retried; anything else is refused as undeliverable.
 */
export function classifyHandover(status: number, text: string): HandoverOutcome {
  if (status >= 200 && status < 300) {
    const id = (problemOf(text) as { id?: unknown }).id;
    return { kind: "delivered", status, ...(typeof id === "string" && id.length <= 200 ? { remoteId: id } : {}) };
  }
  const p = problemOf(text);
  const error = `HTTP ${status}${p.detail ? `: ${String(p.detail).slice(0, 200)}` : ""}`;
  if (isRetryableStatus(status)) return { kind: "retry", status, error };
  const refusal: HandoverRefusal = status === 409 ? "remote-closed" : status === 401 || status === 403 ? "remote-refused"
    : status === 404 || status === 410 ? "remote-gone" : "undeliverable";
  return { kind: "rejected", status, error, refusal };
}

/** One signed POST of a hand-over or a status report (10 s timeout), classified. */
export async function postSigned(post: SignedPost, url: string, body: string, headers: Record<string, string> = {}, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<HandoverOutcome> {
  try {
    const res = await post(url, body, { timeoutMs, headers });
    return classifyHandover(res.status, res.text());
  } catch (e) {
    return classifyError(e);
  }
}
