/**
 * Safe outbound HTTP, shared by the crawler, domain verification, webhooks and federation:
 * only http(s); refuses loopback, private, link-local, CGNAT and metadata addresses (checked after DNS
 * resolution and again on every redirect) unless private networks are allowed; at most `maxRedirects`
 * redirects; a timeout over the whole exchange; a size limit on the body.
 */
import { readCapped } from "../lib/bytes.ts";

export type Resolver = (hostname: string) => Promise<string[]>;

export type SafeFetchOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
};

export type SafeResponse = { status: number; headers: Headers; body: Uint8Array; url: string; text(): string };

export type SafeFetch = (url: string, opts?: SafeFetchOptions) => Promise<SafeResponse>;

export class FetchRefused extends Error {
  constructor(message: string, readonly reason: "scheme" | "address" | "redirects" | "too-large" | "timeout" | "network") {
    super(message);
  }
}

/** Parses IPv4 dotted quads (also the odd forms URL parsing already normalised). */
function ipv4(addr: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** True for addresses a public fetch must never reach. */
export function isPrivateAddress(address: string): boolean {
  let a = address.toLowerCase().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1];
  const v4 = ipv4(a);
  if (v4) {
    const [x, y] = v4;
    return x === 0 || x === 10 || x === 127 || (x === 100 && y >= 64 && y <= 127) || (x === 169 && y === 254) ||
      (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 192 && y === 0) || (x === 198 && (y === 18 || y === 19)) || x >= 224;
  }
  if (a.includes(":")) {
    if (a === "::" || a === "::1") return true;
    if (/^f[cd]/.test(a)) return true; // unique local fc00::/7
    if (/^fe[89ab]/.test(a)) return true; // link-local fe80::/10
    if (/^ff/.test(a)) return true; // multicast
    if (/^::ffff:/.test(a) || /^64:ff9b:/.test(a)) return true; // mapped/translated forms we could not parse
    if (/^fd00:ec2::254$/.test(a)) return true;
    return false;
  }
  return true; // not an IP literal: callers resolve names first
}

const isIpLiteral = (host: string) => ipv4(host) !== undefined || host.startsWith("[") || host.includes(":");

/** Names that always mean this machine or a cloud metadata service, whatever DNS says. */
const isLocalName = (host: string) => host === "localhost" || host.endsWith(".localhost") || host === "metadata.google.internal";

/**
 * What can be refused from the URL alone, before any DNS lookup: local names and private or loopback IP literals.
 * Configuration endpoints use it to refuse such URLs up front; fetches also check every resolved address.
 */
export function isPrivateUrlHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return isLocalName(host) || (isIpLiteral(url.hostname) && isPrivateAddress(host));
}

/**
 * Builds the guarded fetch. `resolve` maps a hostname to its addresses (Node: dns.lookup with all: true);
 * where no resolver exists (Workers, whose platform blocks private egress itself) only literals are checked.
 * `trustedOrigins` are reached whatever their address: only the demo uses it, for its own receiver (PUBLIC_URL).
 */
export function createSafeFetch(deps: { fetch: typeof fetch; allowPrivate: boolean; resolve?: Resolver; userAgent?: string; trustedOrigins?: string[] }): SafeFetch {
  const trusted = new Set(deps.trustedOrigins ?? []);
  const check = async (url: URL) => {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchRefused(`only http(s) URLs may be fetched, not ${url.protocol}`, "scheme");
    if (deps.allowPrivate || trusted.has(url.origin)) return;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (isLocalName(host.toLowerCase())) {
      throw new FetchRefused(`refusing to fetch ${url.host}: private or loopback address`, "address");
    }
    const addresses = isIpLiteral(url.hostname) ? [host] : deps.resolve ? await deps.resolve(host).catch(() => { throw new FetchRefused(`cannot resolve ${host}`, "network"); }) : [];
    if (addresses.some(isPrivateAddress)) throw new FetchRefused(`refusing to fetch ${url.host}: it resolves to a private or loopback address`, "address");
  };

  return async (input, opts = {}) => {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const maxBytes = opts.maxBytes ?? 1_000_000;
    const maxRedirects = opts.maxRedirects ?? 3;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let url = new URL(input);
      let method = opts.method ?? "GET";
      let body = opts.body;
      for (let hop = 0; ; hop++) {
        await check(url);
        let res: Response;
        try {
          res = await deps.fetch(url, {
            method, body: body as BodyInit | undefined, redirect: "manual", signal: controller.signal,
            headers: { "user-agent": deps.userAgent ?? "chatons-directory (+https://chatons-directory.org)", ...opts.headers },
          });
        } catch (e) {
          if (controller.signal.aborted) throw new FetchRefused(`timed out after ${timeoutMs} ms`, "timeout");
          if (e instanceof FetchRefused) throw e; // refused at connect time (pinned-fetch.ts)
          throw new FetchRefused(`network error: ${(e as Error).cause ? String((e as Error).cause) : (e as Error).message}`, "network");
        }
        const location = res.headers.get("location");
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel();
          if (hop >= maxRedirects) throw new FetchRefused(`more than ${maxRedirects} redirects`, "redirects");
          url = new URL(location, url);
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) { method = "GET"; body = undefined; }
          continue;
        }
        const bytes = await readResponse(res, maxBytes, controller.signal, timeoutMs);
        const finalUrl = url.toString();
        return { status: res.status, headers: res.headers, body: bytes, url: finalUrl, text: () => new TextDecoder().decode(bytes) };
      }
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readResponse(res: Response, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Uint8Array> {
  const tooLarge = () => new FetchRefused(`response larger than ${maxBytes} bytes`, "too-large");
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readCapped(res.body, maxBytes);
  } catch (e) {
    if (e instanceof FetchRefused) throw e;
    if (signal.aborted) throw new FetchRefused(`timed out after ${timeoutMs} ms`, "timeout");
    throw new FetchRefused(`network error: ${(e as Error).message}`, "network");
  }
  if (!bytes) throw tooLarge();
  return bytes;
}
