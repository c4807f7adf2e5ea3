/**
 * Answers the requests Node's HTTP parser refuses before any route sees them — a request line and headers over
 * the 16 KB limit (431), a header timeout (408), malformed HTTP (400) — with a problem+json body instead of
 * Node's empty answer. A client that already went away is not written to.
 */
import { maxHeaderSize, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../lib/log.ts";
import { problemBody } from "../lib/problem.ts";

const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

export function answerClientErrors(server: Pick<Server, "on">, log: Logger): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const limit = maxHeaderSize;
    const [status, slug, detail] = err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers-too-large", `The request line and headers must be at most ${limit} bytes together; send long input in a body.`]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "request-timeout", "The request headers did not arrive in time."]
      : [400, "bad-request", "The request is not valid HTTP/1.1."];
    log.debug("refused a request Node could not parse", { code: err.code, status });
    const body = JSON.stringify(problemBody(status as number, slug as string, detail as string));
    socket.end(`HTTP/1.1 ${status} ${REASONS[status as number]}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`);
  });
}
