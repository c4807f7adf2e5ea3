/**
 * Limits on parsed JSON that every reader of outside input applies before doing anything recursive with it
 * (merge patches, JSON-LD expansion, validation): a bounded nesting depth, and text that can be stored as it is
 * (no NUL, no unpaired UTF-16 surrogate). Both walks are iterative, so hostile input cannot overflow the stack here.
 */

/** Deeper than any document this directory reads (offers nest 3 levels, ActivityPub activities about 6). */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `max` levels (a scalar is depth 0). */
export function jsonTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/** NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How a field holding such text is named in a 400 (API, forms and query strings alike). */
export const UNSTORABLE_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/** True when `text` holds a character a database text column would cut or mangle (NUL, unpaired surrogate). */
export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** The text with each unstorable character replaced by U+FFFD (to name a bad key in an error message). */
export function visibleText(text: string): string {
  return text.replace(new RegExp(UNSTORABLE.source, "g"), "\uFFFD");
}

/**
 * The path (`name`, `title.fr`, `items[2]`) of the first string — value or key — that holds NUL or an unpaired
 * surrogate, or undefined when all text can be stored as it is. `root` names the top level (`(body)` by default).
 */
export function unstorableTextPath(value: unknown, root = "(body)"): string | undefined {
  const stack: Array<[unknown, string]> = [[value, ""]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (isUnstorableText(v)) return path || root;
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
      continue;
    }
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i];
      const childPath = path ? `${path}.${visibleText(k)}` : visibleText(k);
      if (isUnstorableText(k)) return childPath;
      stack.push([child, childPath]);
    }
  }
  return undefined;
}
