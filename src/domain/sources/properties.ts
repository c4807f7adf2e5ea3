/**
 * A reader for StatoolInfos / ChatonsInfos `.properties` files, which are Java properties files: the grammar of
 * `java.util.Properties.load` (OpenJDK `java/util/Properties.java`, LineReader and loadConvert): `#` or `!` comment
 * lines, `=` or `:` (or whitespace) between key and value, whitespace around the separator skipped, a line ending in an
 * odd number of backslashes continues on the next one (its leading whitespace skipped), `\uXXXX`, `\t`, `\n`, `\r`,
 * `\f` escapes and `\x` = `x` otherwise; BOM and any line ending accepted.
 *
 * On top of the format, the quirks real generators produce (docs/decisions/0010): values wrapped in matching single or
 * double quotes (YunoHost's chatonsinfos_ynh writes `subs.<id> = '<url>'`), trailing whitespace, keys in any case
 * (compared lowercased), blank values. Never throws: every line it cannot use is reported with its 1-based line
 * number, and the rest is kept.
 */

export type LineIssue = { line: number; message: string };

export type Properties = {
  /** Every key (lowercased) with its value (unescaped, unquoted, trimmed), unknown keys included; blank values are kept as "". */
  values: Map<string, string>;
  /** Line where each key was last set (the first line of a continued one), to point reports at the right place. */
  lines: Map<string, number>;
  issues: LineIssue[];
};

const MAX_LINE = 8192;
const WS = new Set([" ", "\t", "\f"]);

/** Bytes of a fetched file as text: UTF-8 (what StatoolInfos files are), else ISO-8859-1 (Java's default for .properties). */
export function decodeProperties(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("latin1").decode(bytes);
  }
}

/** Java's loadConvert: resolves backslash escapes; a malformed `\u` is reported and kept as written. */
function unescape(s: string, report: (m: string) => void): string {
  if (!s.includes("\\")) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\" || i === s.length - 1) { out += c === "\\" ? "" : c; continue; }
    const n = s[++i];
    if (n === "u") {
      const hex = s.slice(i + 1, i + 5);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) { out += String.fromCharCode(parseInt(hex, 16)); i += 4; }
      else { report(`malformed \\uXXXX escape "\\u${hex}"`); out += "\\u"; }
    } else out += n === "t" ? "\t" : n === "n" ? "\n" : n === "r" ? "\r" : n === "f" ? "\f" : n;
  }
  return out;
}

/** True when `s` ends with an odd number of backslashes (a continued line). */
function continues(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === "\\"; i--) n++;
  return n % 2 === 1;
}

/** Strips one pair of matching quotes around a whole value (a generator quirk, never part of a StatoolInfos value). */
export function unquote(v: string): string {
  return v.length >= 2 && (v[0] === "'" || v[0] === '"') && v[v.length - 1] === v[0] && v[v.length - 2] !== "\\" ? v.slice(1, -1).trim() : v;
}

export function parseProperties(input: string): Properties {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const issues: LineIssue[] = [];
  const text = typeof input === "string" ? input.replace(/^\uFEFF/, "") : "";
  const rows = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < rows.length; i++) {
    const n = i + 1;
    let logical = rows[i].replace(/^[ \t\f]+/, "");
    if (logical === "" || logical[0] === "#" || logical[0] === "!") continue;
    while (continues(logical) && i + 1 < rows.length) logical = logical.slice(0, -1) + rows[++i].replace(/^[ \t\f]+/, "");
    if (continues(logical)) logical = logical.slice(0, -1); // a backslash on the last line continues nothing
    if (logical.length > MAX_LINE) { issues.push({ line: n, message: `line longer than ${MAX_LINE} characters, ignored` }); continue; }

    // The key runs to the first unescaped "=", ":" or whitespace.
    let k = 0;
    while (k < logical.length && !(logical[k] === "=" || logical[k] === ":" || WS.has(logical[k]))) k += logical[k] === "\\" ? 2 : 1;
    k = Math.min(k, logical.length);
    let v = k;
    while (v < logical.length && WS.has(logical[v])) v++;
    const separator = logical[v] === "=" || logical[v] === ":";
    if (!separator) {
      // Java would read "key value"; no StatoolInfos generator writes that, but a stray sentence looks like it.
      const hasSep = logical.includes("=");
      issues.push({ line: n, message: hasSep
        ? `malformed key ${JSON.stringify(logical.slice(0, Math.min(60, logical.indexOf("="))).trim())} (a key has no spaces; expected key = value)`
        : `no "=" on this line (expected key = value): ${JSON.stringify(logical.slice(0, 60))}` });
      continue;
    }
    v++;
    while (v < logical.length && WS.has(logical[v])) v++;
    const at = (m: string) => issues.push({ line: n, message: m });
    const key = unescape(logical.slice(0, k), at).toLowerCase();
    if (key === "") { at('missing key before "="'); continue; }
    // Quotes are stripped before unescaping, so an escaped quote (\') stays part of the value.
    const value = unescape(unquote(logical.slice(v).replace(/[ \t\f]+$/, "")), at).trim();
    if (values.has(key)) at(`duplicate key "${key}" (first set on line ${lines.get(key)}); the later value wins`);
    values.set(key, value);
    lines.set(key, n);
  }
  return { values, lines, issues };
}

/** The value of a key, or undefined when absent or blank. */
export function prop(p: Properties, key: string): string | undefined {
  const v = p.values.get(key.toLowerCase());
  return v === undefined || v === "" ? undefined : v;
}

/** A `;`-separated list value (StatoolInfos lists), blanks dropped. */
export function propList(p: Properties, key: string): string[] {
  return (prop(p, key) ?? "").split(";").map((s) => s.trim()).filter((s) => s !== "");
}

export type Sub = { id: string; url: string; line: number; note?: string };

/**
 * Every `subs.<id> = <url>` entry, in file order of their lines. chatonsinfos_ynh's external subs
 * (scripts/_common.sh, update_subs: `${external_sub%*:}` keeps the whole `key:url` tag) come out as
 * `subs.key:https://host/x.properties = 'https://host/x.properties'`, which Java reads as key `subs.key` with value
 * `https://host/x.properties = 'https://host/x.properties'`: the quoted URL is taken, with a note.
 */
export function subs(p: Properties): Sub[] {
  const out: Sub[] = [];
  for (const [k, raw] of p.values) {
    if (!k.startsWith("subs.") || k.length <= 5 || raw === "") continue;
    const line = p.lines.get(k) ?? 0;
    const ynh = /^(\S+)\s*=\s*(['"])(.+)\2$/.exec(raw);
    if (ynh && ynh[1] === ynh[3]) out.push({ id: k.slice(5), url: ynh[3].trim(), line, note: `subs.${k.slice(5)}: the generator wrote "${k.slice(5)}:${ynh[1]}" as the key; read as ${ynh[3].trim()}` });
    else out.push({ id: k.slice(5), url: raw, line });
  }
  return out.sort((a, b) => a.line - b.line);
}

const escapeKey = (s: string) => s.replace(/[\\=: #!\t\f]/g, (c) => `\\${c === "\t" ? "t" : c === "\f" ? "f" : c}`);
const escapeValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/\r\n|\r|\n/g, "\\n").replace(/^([ \t\f'"])/, "\\$1");

/**
 * Writes properties as a Java properties file any reader accepts (`key = value` a line, escapes where the grammar
 * needs them, UTF-8 as StatoolInfos files are), e.g. for tests and our export.
 */
export function formatProperties(entries: Iterable<[string, string]>): string {
  let out = "";
  for (const [k, v] of entries) out += `${escapeKey(k)} = ${escapeValue(v)}\n`;
  return out;
}
