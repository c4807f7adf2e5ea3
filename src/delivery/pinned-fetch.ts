/**
 * Node-only fetch for the guarded outbound path that closes the DNS-rebinding gap: the address checked is the
 * address connected to. Built on node:http(s) with a custom `lookup`, which resolves the name once, refuses
 * private addresses (unless allowed) and hands exactly the checked address to the socket. TLS still verifies the
 * certificate against the hostname. Only what createSafeFetch needs: manual redirects, abort signal, no decoding
 * (we send no Accept-Encoding). Workers do not use it: their platform blocks private egress itself.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { FetchRefused, isPrivateAddress, type Resolver } from "./net.ts";

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function createPinnedFetch(opts: { allowPrivate: boolean; resolve: Resolver; trustedHosts?: string[] }): typeof fetch {
  const trusted = new Set(opts.trustedHosts ?? []);
  const lookup: LookupFunction = (hostname, options, callback) => {
    opts.resolve(hostname).then((addresses) => {
      const bad = addresses.find((a) => !opts.allowPrivate && !trusted.has(hostname) && isPrivateAddress(a));
      if (addresses.length === 0) throw new FetchRefused(`cannot resolve ${hostname}`, "network");
      if (bad) throw new FetchRefused(`refusing to connect to ${hostname}: it resolves to a private or loopback address (${bad})`, "address");
      const family = (a: string) => (a.includes(":") ? 6 : 4);
      // Every address handed to the socket was checked above (happy eyeballs may try each of them).
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, addresses.map((address) => ({ address, family: family(address) })));
      } else callback(null, addresses[0], family(addresses[0]));
    }).catch((e) => callback(e as NodeJS.ErrnoException, "", 0));
  };

  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
    const body = typeof init.body === "string" || init.body instanceof Uint8Array ? init.body : undefined;
    if (body !== undefined) headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
    const request = url.protocol === "https:" ? httpsRequest : url.protocol === "http:" ? httpRequest : undefined;
    if (!request) throw new FetchRefused(`only http(s) URLs may be fetched, not ${url.protocol}`, "scheme");
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: init.method ?? "GET", headers, lookup, signal: init.signal ?? undefined }, resolve);
      req.on("error", reject);
      req.end(body);
    });
    const status = res.statusCode ?? 502;
    const out = new Headers();
    for (let i = 0; i < res.rawHeaders.length; i += 2) out.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
    if (NULL_BODY.has(status) || init.method === "HEAD") {
      res.resume();
      return new Response(null, { status: status < 200 ? 502 : status, headers: out });
    }
    return new Response(Readable.toWeb(res) as ReadableStream, { status, headers: out });
  }) as typeof fetch;
}
