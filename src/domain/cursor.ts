/** Opaque pagination cursors: base64url of UTF-8 JSON. Callers validate the decoded shape. */

export function encodeJsonCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The decoded JSON, or undefined for text that is not a cursor (never throws). */
export function decodeJsonCursor(text: string): unknown {
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    return undefined;
  }
}
