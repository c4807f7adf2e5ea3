/**
 * Second delivery adapter: Nextcloud's `preferred_providers` app (nextcloud/preferred_providers
 * `lib/Controller/AccountController.php`, read at 5ef547bdb873112a1749a2526e3c4998a4a8d29c).
 * `POST <instance>/ocs/v2.php/account/request/<token>` with `email=` creates the account, disabled after 6 hours unless
 * the person confirms the address from the mail Nextcloud sends at once; a background job mails the set-password
 * link some minutes later. The controller is a plain ApiController: answers are JSON `{"data": …}` — 201 created
 * (`data.setPassword`), 401 `invalid token`, 400 `invalid mail address` / `user already exists` / a creation error.
 * Nextcloud itself may answer with an OCS envelope (503 maintenance, 404 unknown route).
 */
import type { SafeFetch } from "./net.ts";
import { classifyError, classifyStatus, DELIVERY_TIMEOUT_MS, type DeliveryOutcome } from "./webhooks.ts";

/** The account-request URL of an instance (`url` may carry a sub-path such as https://example.org/nextcloud). */
export function accountRequestUrl(instanceUrl: string, token: string): string {
  return `${instanceUrl.replace(/\/+$/, "")}/ocs/v2.php/account/request/${encodeURIComponent(token)}`;
}

/** Asks the instance to create an account for `email`. 2xx delivered, 5xx/429/network retry, other 4xx rejected. */
export async function requestNextcloudAccount(http: SafeFetch, endpoint: { url: string; token: string }, email: string, nowMs: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<DeliveryOutcome> {
  try {
    const res = await http(accountRequestUrl(endpoint.url, endpoint.token), {
      method: "POST",
      timeoutMs,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      headers: { "OCS-APIRequest": "true", accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email }).toString(),
    });
    const message = res.status >= 300 ? nextcloudMessage(res.text()) : "";
    const outcome = classifyStatus(res.status, message, res.headers.get("retry-after"), nowMs);
    // A 410 from Nextcloud means nothing special: treat it as a plain rejection, not as "disable the endpoint".
    if (outcome.kind === "gone") return { kind: "rejected", status: outcome.status, error: outcome.error };
    // The account exists: after an attempt whose answer was lost, that is our own earlier request (deliver.ts decides).
    if (outcome.kind === "rejected" && res.status === 400 && message === "user already exists") return { ...outcome, reason: "user-exists" };
    return outcome;
  } catch (e) {
    return classifyError(e);
  }
}

/** The app's message: `data.message` (its plain JSON), else an OCS envelope's `meta.message` (JSON or XML), else the text. */
export function nextcloudMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { data?: { message?: string }; ocs?: { meta?: { message?: string }; data?: { message?: string } } };
    return j.data?.message ?? j.ocs?.data?.message ?? j.ocs?.meta?.message ?? text;
  } catch {
    return /<message>([^<]*)<\/message>/.exec(text)?.[1]?.trim() ?? text;
  }
}
