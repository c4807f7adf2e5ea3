/** Random identifiers and secrets: every one of them comes from the Web Crypto RNG through here. */
import { base64url } from "./crypto.ts";

/** `prefix` + base64url of `bytes` random bytes: tokens, secrets and public ids (`st_…`, `su_…`, `cdp_…`). */
export function randomToken(bytes = 32, prefix = ""): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return prefix + base64url(b);
}

/** `prefix` + lowercase hex of `bytes` random bytes (webhook ids, lease tokens, activity id fragments). */
export function randomHex(prefix = "", bytes = 16): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return prefix + [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}
