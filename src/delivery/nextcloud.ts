/**
 * Second delivery adapter: Nextcloud's `preferred_providers` app. `POST <instance>/ocs/v2.php/account/request/<token>`
 * with `email=` creates the account and makes Nextcloud email the person a set-password link; nothing to write on
 * the provider's side. OCS answers: 201 created; 401 bad token; 400 invalid email / user exists / creation error.
 */
import type { SafeFetch } from "./net.ts";
import { classifyError, classifyStatus, DELIVERY_TIMEOUT_MS, type DeliveryOutcome } from "./webhooks.ts";

/** The account-request URL of an instance (`url` may carry a sub-path such as https://example.org/nextcloud). */
export function accountRequestUrl(instanceUrl: string, token: string): string {
  return `${instanceUrl.replace(/\/+$/, "")}/ocs/v2.php/account/request/${encodeURIComponent(token)}`;
}

/** Asks the instance to create an account for `email`. 2xx delivered, 5xx/429/network retry, other 4xx rejected. */
export async function requestNextcloudAccount(http: SafeFetch, endpoint: { url: string; token: string }, email: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<DeliveryOutcome> {
  try {
    const res = await http(accountRequestUrl(endpoint.url, endpoint.token), {
      method: "POST",
      timeoutMs,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      headers: { "OCS-APIRequest": "true", accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email }).toString(),
    });
    const outcome = classifyStatus(res.status, res.status >= 300 ? ocsMessage(res.text()) : "");
    // A 410 from Nextcloud means nothing special: treat it as a plain rejection, not as "disable the endpoint".
    return outcome.kind === "gone" ? { kind: "rejected", status: outcome.status, error: outcome.error } : outcome;
  } catch (e) {
    return classifyError(e);
  }
}

/** Extracts `ocs.data.data.message` (the app's error text) when the body is OCS JSON. */
function ocsMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { ocs?: { data?: { data?: { message?: string }; message?: string } } };
    return j.ocs?.data?.data?.message ?? j.ocs?.data?.message ?? text;
  } catch {
    return text;
  }
}
