import { decodeJsonCursor, encodeJsonCursor } from "../cursor.ts";

/** Opaque search cursors: base64url JSON of the sort, the last row's key and seq, the catalog version and day. */
export type CursorData = { s: string; k: number | string; i: number; v?: string; d?: number };

export function encodeCursor(c: CursorData): string {
  return encodeJsonCursor(c);
}

/** Undefined for anything that is not a cursor this code produced (never throws). */
export function decodeCursor(text: string): CursorData | undefined {
  const c = decodeJsonCursor(text) as CursorData | undefined;
  if (typeof c !== "object" || c === null || Array.isArray(c)) return undefined;
  if (typeof c.s !== "string" || !Number.isSafeInteger(c.i)) return undefined;
  if (!((typeof c.k === "number" && Number.isFinite(c.k)) || (typeof c.k === "string" && c.k.length <= 300))) return undefined;
  if (c.v !== undefined && (typeof c.v !== "string" || !/^\d{1,15}$/.test(c.v))) return undefined;
  if (c.d !== undefined && !Number.isSafeInteger(c.d)) return undefined;
  return c;
}
