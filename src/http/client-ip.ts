/**
 * The client address used for rate limits. With CLIENT_IP_HEADER set (behind a trusted proxy), the LAST entry of
 * that header — the one the proxy itself appended, which the client cannot forge. Without it, the TCP peer on
 * Node (the address a proxy would have), Cloudflare's `cf-connecting-ip` in Workers, else "unknown".
 */
import type { Context } from "hono";

export function clientIp(c: Context, header: string | undefined): string {
  if (header) {
    const value = c.req.header(header);
    const last = value?.split(",").map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (peer) return peer;
  // Only reached without a Node socket, i.e. in Workers, where Cloudflare sets this header itself.
  return c.req.header("cf-connecting-ip") ?? "unknown";
}
