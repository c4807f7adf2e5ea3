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
  /** `manual`: a 3xx answer is returned as it is (its Location not followed), for callers that follow redirects themselves. */
  redirect?: "follow" | "manual";
  /** Aborts the exchange (as a timeout would). */
  signal?: AbortSignal;
};

export type SafeResponse = { status: number; headers: Headers; body: Uint8Array; url: string; text(): string };

/**
 * The one outbound policy: every fetch and POST the server makes goes through a SafeFetch. `check` applies the
 * address rules to a URL without contacting it (federation refuses an inbox before Fedify would deliver to it).
 */
export type SafeFetch = ((url: string, opts?: SafeFetchOptions) => Promise<SafeResponse>) & { check(url: string): Promise<void> };

export class FetchRefused extends Error {
  constructor(message: string, readonly reason: "scheme" | "address" | "redirects" | "too-large" | "timeout" | "network") {
    super(message);
  }
}

/** Parses IPv4 dotted quads (URL parsing already normalised the odd forms: `0x7f.1`, `2130706433`, `127.1`…). */
function ipv4(addr: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** The 16 bytes of an IPv6 literal (brackets, a zone and a dotted IPv4 tail allowed), else undefined. */
export function ipv6Bytes(address: string): number[] | undefined {
  let a = address.replace(/^\[|\]$/g, "").toLowerCase();
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (!a.includes(":") || !/^[0-9a-f:.]+$/.test(a)) return undefined;
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (tail) {
    const v4 = ipv4(tail[1]);
    if (!v4) return undefined;
    a = a.slice(0, a.length - tail[1].length) + `${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = a.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.flatMap((g) => { const n = parseInt(g, 16); return [n >> 8, n & 255]; });
}

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry, plus multicast and reserved). */
function isPrivateIpv4([x, y, z]: number[]): boolean {
  return x === 0 || x === 10 || x === 127 || (x === 100 && y >= 64 && y <= 127) || (x === 169 && y === 254) ||
    (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 192 && y === 0 && (z === 0 || z === 2)) ||
    (x === 192 && y === 88 && z === 99) || (x === 198 && (y === 18 || y === 19)) || (x === 198 && y === 51 && z === 100) ||
    (x === 203 && y === 0 && z === 113) || x >= 224;
}

/**
 * IPv6 ranges that are not globally reachable, and the forms that embed an IPv4 address (checked as that address):
 * ::/96 (unspecified, loopback, IPv4-compatible such as ::7f00:1 or ::a9fe:a9fe), IPv4-mapped ::ffff:0:0/96, SIIT,
 * NAT64 64:ff9b::/96 (and its local-use /48), discard-only 100::/64, 2001::/23 (Teredo and other protocol
 * assignments), documentation 2001:db8::/32 and 3fff::/20, 6to4 2002::/16, SRv6 5f00::/16, unique-local fc00::/7,
 * link-local fe80::/10, site-local fec0::/10, multicast ff00::/8.
 */
function isPrivateIpv6(b: number[]): boolean {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => isPrivateIpv4(b.slice(i, i + 4));
  if (zeros(0, 12)) return true;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4At(12);
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff) return true;
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) return b[4] === 0 && b[5] === 1 ? true : zeros(4, 12) ? v4At(12) : true;
  if (b[0] === 0x01 && b[1] === 0x00 && zeros(2, 8)) return true;
  if (b[0] === 0x20 && b[1] === 0x01 && (b[2] & 0xfe) === 0) return true;
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return true;
  if (b[0] === 0x3f && b[1] === 0xff && (b[2] & 0xf0) === 0) return true;
  if (b[0] === 0x20 && b[1] === 0x02) return v4At(2);
  if (b[0] === 0x5f && b[1] === 0x00) return true;
  if ((b[0] & 0xfe) === 0xfc) return true;
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return true;
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return true;
  return b[0] === 0xff;
}

/** True for addresses a public fetch must never reach; anything that is not an IP literal counts as private too. */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  const v4 = ipv4(a);
  if (v4) return isPrivateIpv4(v4);
  const v6 = ipv6Bytes(a);
  if (v6) return isPrivateIpv6(v6);
  return true; // not an IP literal: callers resolve names first
}

const isIpLiteral = (host: string) => ipv4(host) !== undefined || ipv6Bytes(host) !== undefined;

/** A host name as DNS compares it: lowercase, without brackets or the trailing dot(s) of a fully qualified name. */
export function canonicalHost(host: string): string {
  return host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.+$/, "");
}

/** Names that always mean this machine or a cloud metadata service, whatever DNS says (`localhost.` included). */
const isLocalName = (host: string) => {
  const h = canonicalHost(host);
  return h === "" || h === "localhost" || h.endsWith(".localhost") || h === "metadata.google.internal" || h === "metadata";
};

/**
 * What can be refused from the URL alone, before any DNS lookup: local names and private or loopback IP literals.
 * Configuration endpoints use it to refuse such URLs up front; fetches also check every resolved address.
 */
export function isPrivateUrlHost(url: URL): boolean {
  const host = canonicalHost(url.hostname);
  return isLocalName(host) || (isIpLiteral(host) && isPrivateAddress(host));
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
    const host = canonicalHost(url.hostname);
    if (isLocalName(host)) throw new FetchRefused(`refusing to fetch ${url.host}: private or loopback address`, "address");
    const addresses = isIpLiteral(host) ? [host] : deps.resolve ? await deps.resolve(host).catch(() => { throw new FetchRefused(`cannot resolve ${host}`, "network"); }) : [];
    if (addresses.some(isPrivateAddress)) throw new FetchRefused(`refusing to fetch ${url.host}: it resolves to a private or loopback address`, "address");
  };

  const safeFetch = async (input: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> => {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const maxBytes = opts.maxBytes ?? 1_000_000;
    const maxRedirects = opts.maxRedirects ?? 3;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) controller.abort();
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
        if (res.status >= 300 && res.status < 400 && location && opts.redirect !== "manual") {
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
      opts.signal?.removeEventListener("abort", onAbort);
    }
  };
  return Object.assign(safeFetch, { check: (url: string) => check(new URL(url)) });
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

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * The Web `fetch` signature over a SafeFetch, for code that wants a `fetch` (Fedify, the demo receiver): the same
 * policy, and a redirect is handed back to the caller (a caller following it comes back through the check).
 */
export function asWebFetch(http: SafeFetch, opts: { maxBytes?: number; timeoutMs?: number } = {}): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const headers: Record<string, string> = {};
    // The guarded transport does not decode compressed bodies: ask for none.
    req.headers.forEach((value, key) => { if (key !== "accept-encoding") headers[key] = value; });
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await req.arrayBuffer());
    const res = await http(req.url, {
      method: req.method, headers, body, redirect: "manual", maxRedirects: 0, signal: init?.signal ?? undefined, maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs,
    });
    const response = new Response(NULL_BODY_STATUS.has(res.status) || req.method === "HEAD" ? null : (res.body as Uint8Array<ArrayBuffer>), { status: res.status, headers: res.headers });
    Object.defineProperty(response, "url", { value: res.url });
    return response;
  }) as typeof fetch;
}
