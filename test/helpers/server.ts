/** A local HTTP server on a free port for outbound-fetch tests; `requests` records what it was asked. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
export type TestServer = { url: string; port: number; requests: Array<{ method: string; path: string; headers: IncomingMessage["headers"] }>; close(): Promise<void> };

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers });
    Promise.resolve(handler(req, res)).catch((e) => { res.statusCode = 500; res.end(String(e)); });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, port, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Serves `files` (path → body) with ETags and 304 on If-None-Match; other paths 404. */
export function staticFiles(files: Map<string, string>, contentType = "text/plain; charset=utf-8"): Handler {
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const body = files.get(path);
    if (body === undefined) { res.statusCode = 404; res.end("not found"); return; }
    const etag = `"${Buffer.from(body).length}-${hash(body)}"`;
    if (req.headers["if-none-match"] === etag) { res.statusCode = 304; res.setHeader("etag", etag); res.end(); return; }
    res.setHeader("content-type", contentType);
    res.setHeader("etag", etag);
    res.end(body);
  };
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
