/** Strong ETags over response bodies and If-None-Match → 304, with Cache-Control suited to an edge cache. */
import type { Context } from "hono";
import { base64url } from "../lib/crypto.ts";

export const PUBLIC_CACHE = "public, max-age=30, stale-while-revalidate=300";

export async function bodyEtag(body: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return `"${base64url(d.subarray(0, 18))}"`; // 18 bytes: 24 characters, no padding
}

/** True when an If-None-Match / If-Match header value lists this ETag (weak comparison for If-None-Match). */
export function etagMatches(header: string | undefined, etag: string, weak = true): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strip = (t: string) => (weak ? t.trim().replace(/^W\//, "") : t.trim());
  return header.split(",").some((t) => strip(t) === etag);
}

/** Sends JSON with an ETag; answers 304 when the client already has it. */
export async function cachedJson(c: Context, data: unknown, cacheControl = PUBLIC_CACHE, status: 200 | 201 = 200): Promise<Response> {
  const body = JSON.stringify(data);
  const etag = await bodyEtag(body);
  const headers = { etag, "cache-control": cacheControl, vary: "Accept-Encoding" };
  if (status === 200 && etagMatches(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}
