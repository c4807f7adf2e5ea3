import { base64url, fromBase64 } from "../lib/crypto.ts";

/** Opaque pagination cursors: base64url of UTF-8 JSON. Callers validate the decoded shape. */

export function encodeJsonCursor(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

/** The decoded JSON, or undefined for text that is not a cursor (never throws). */
export function decodeJsonCursor(text: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(text)));
  } catch {
    return undefined;
  }
}
