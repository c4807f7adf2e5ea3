/**
 * The request body limit of every route, applied before any handler runs (docs/decisions/0016): Hono's bodyLimit
 * refuses a declared Content-Length above the limit at once and counts a chunked body while it streams, so no more
 * than the limit is ever buffered. Forms (`/signup/…`) get MAX_FORM_BODY_BYTES, everything else (the JSON API,
 * ActivityPub inboxes) MAX_JSON_BODY_BYTES. Readers (validate.ts, federation/hono.ts) also read with a cap.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_FORM_BODY_BYTES, MAX_JSON_BODY_BYTES } from "../lib/body-limits.ts";
import { problemResponse } from "./errors.ts";

const tooLarge = (max: number, what: string) => () => problemResponse(413, "payload-too-large", `${what} must be at most ${max} bytes.`);

const FORM_PATH = /^\/signup\//;

export function requestBodyLimit(): MiddlewareHandler {
  const json = bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: tooLarge(MAX_JSON_BODY_BYTES, "The body") });
  const form = bodyLimit({ maxSize: MAX_FORM_BODY_BYTES, onError: tooLarge(MAX_FORM_BODY_BYTES, "The form") });
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return (FORM_PATH.test(c.req.path) ? form : json)(c, next);
  };
}
