/** Valibot validation at the HTTP edge, producing problem+json with one entry per invalid field. */
import type { Context, MiddlewareHandler } from "hono";
import * as v from "valibot";
import { MAX_FORM_BODY_BYTES, MAX_JSON_BODY_BYTES } from "../lib/body-limits.ts";
import { readRequestBody } from "../lib/bytes.ts";
import { isUnstorableText, jsonTooDeep, MAX_JSON_DEPTH, UNSTORABLE_MESSAGE, unstorableTextPath, visibleText } from "../lib/json-limits.ts";
import { problemResponse, type FieldError } from "./errors.ts";

export const MAX_BODY_BYTES = MAX_JSON_BODY_BYTES;


/** One `{path, message}` per invalid field; for query strings the path is the parameter name alone. */
export function fieldErrors(issues: v.BaseIssue<unknown>[], target: "json" | "query" = "json"): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const i of issues) {
    const dot = v.getDotPath(i) ?? "";
    const path = target === "query" ? dot.split(".")[0] : dot;
    const key = `${path}\u0000${i.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: path || "(body)", message: i.message });
  }
  return out;
}

export function validationProblem(errors: FieldError[], detail = "Some fields are invalid; see errors."): Response {
  return problemResponse(400, "validation", detail, { errors });
}

/** Query string as `{name: [values…]}` so repeatable parameters keep every value. */
export function queryLists(c: Context): Record<string, string[]> {
  return c.req.queries() as Record<string, string[]>;
}

type Target = "query" | "json";
type Out<S> = S extends v.GenericSchema<unknown, infer O> ? O : never;

/**
 * Validates the query string or JSON body with a valibot schema and stores the output for `c.req.valid(target)`.
 * Bodies: must be `application/json` (415 otherwise), at most MAX_BODY_BYTES (413), well-formed (400).
 */
export function validate<S extends v.GenericSchema<unknown, unknown>>(target: Target, schema: S): MiddlewareHandler<any, string, { in: {}; out: { [K in Target]: Out<S> } }> {
  return async (c, next) => {
    let input: unknown;
    if (target === "query") {
      input = queryLists(c);
      const bad = Object.entries(input as Record<string, string[]>).find(([k, vals]) => isUnstorableText(k) || vals.some(isUnstorableText));
      if (bad) return validationProblem([{ path: visibleText(bad[0]), message: UNSTORABLE_MESSAGE }]);
    } else {
      const body = await readJsonBody(c);
      if (body instanceof Response) return body;
      input = body;
    }
    const r = v.safeParse(schema, input, { abortPipeEarly: true });
    if (!r.success) return validationProblem(fieldErrors(r.issues, target));
    c.req.addValidatedData(target, r.output as object);
    await next();
  };
}

/**
 * Reads a JSON body with the content-type and size checks, then refuses JSON nested deeper than MAX_JSON_DEPTH and
 * text holding NUL or unpaired surrogates (400 naming the field); returns a problem Response on failure.
 */
export async function readJsonBody(c: Context): Promise<unknown | Response> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    return problemResponse(415, "unsupported-media-type", "Send the body as application/json.");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge();
  const text = await readLimited(c.req.raw, MAX_BODY_BYTES);
  if (text === undefined) return tooLarge();
  return jsonFromText(text);
}

/** JSON text → a value, refused (problem Response) when malformed, too deep or holding unstorable text. */
export function jsonFromText(text: string): unknown | Response {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problemResponse(400, "validation", "The body is not valid JSON.", { errors: [{ path: "(body)", message: "is not valid JSON" }] });
  }
  if (jsonTooDeep(body)) return validationProblem([{ path: "(body)", message: `must not nest objects or arrays more than ${MAX_JSON_DEPTH} levels deep` }]);
  const bad = unstorableTextPath(body);
  if (bad !== undefined) return validationProblem([{ path: bad, message: UNSTORABLE_MESSAGE }]);
  return body;
}

function tooLarge(): Response {
  return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
}

/** The body as text, or undefined when it is larger than `max` bytes (stops reading as soon as it is). */
export async function readLimited(req: Request, max: number): Promise<string | undefined> {
  const bytes = await readRequestBody(req.body, max);
  return bytes && new TextDecoder().decode(bytes);
}

/** HTML forms are small: a signup form's fields fit well within this. */
export const MAX_FORM_BYTES = MAX_FORM_BODY_BYTES;

/**
 * Reads an urlencoded form body, refusing (413) one larger than MAX_FORM_BYTES while it streams in, and (400 naming
 * the field) a field holding NUL or an unpaired surrogate.
 */
export async function readForm(c: Context): Promise<Record<string, string> | Response> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) return problemResponse(413, "payload-too-large", `The form must be at most ${MAX_FORM_BYTES} bytes.`);
  const text = await readLimited(c.req.raw, MAX_FORM_BYTES);
  if (text === undefined) return problemResponse(413, "payload-too-large", `The form must be at most ${MAX_FORM_BYTES} bytes.`);
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of new URLSearchParams(text)) {
    if (isUnstorableText(k) || isUnstorableText(val)) return validationProblem([{ path: visibleText(k), message: UNSTORABLE_MESSAGE }]);
    if (!(k in out)) out[k] = val;
  }
  return out;
}
