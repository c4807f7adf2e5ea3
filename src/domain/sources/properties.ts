/**
 * A lenient reader for StatoolInfos / ChatonsInfos `.properties` files: one `key = value` a line, `#` or `!`
 * comments, UTF-8 with or without BOM, any line ending. Keys are compared lowercased (real files vary in case).
 * Never throws: every line it cannot use is reported with its 1-based line number, and the rest is kept.
 */

export type LineIssue = { line: number; message: string };

export type Properties = {
  /** Every key (lowercased) with its trimmed value, unknown keys included; blank values are kept as "". */
  values: Map<string, string>;
  /** Line where each key was last set, to point reports at the right place. */
  lines: Map<string, number>;
  issues: LineIssue[];
};

const MAX_LINE = 8192;

export function parseProperties(input: string): Properties {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const issues: LineIssue[] = [];
  const text = typeof input === "string" ? input.replace(/^\uFEFF/, "") : "";
  const rows = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < rows.length; i++) {
    const n = i + 1;
    const raw = rows[i];
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    if (raw.length > MAX_LINE) {
      issues.push({ line: n, message: `line longer than ${MAX_LINE} characters, ignored` });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) {
      issues.push({ line: n, message: `no "=" on this line (expected key = value): ${JSON.stringify(line.slice(0, 60))}` });
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    if (key === "") {
      issues.push({ line: n, message: "missing key before \"=\"" });
      continue;
    }
    if (!/^[\p{L}\p{N}_.\-]+$/u.test(key)) {
      issues.push({ line: n, message: `malformed key ${JSON.stringify(key.slice(0, 60))} (expected letters, digits, dots, dashes)` });
      continue;
    }
    if (values.has(key)) issues.push({ line: n, message: `duplicate key "${key}" (first set on line ${lines.get(key)}); the later value wins` });
    values.set(key, line.slice(eq + 1).trim());
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

/** Every `subs.<id> = <url>` entry, in file order of their lines. */
export function subs(p: Properties): Array<{ id: string; url: string; line: number }> {
  const out: Array<{ id: string; url: string; line: number }> = [];
  for (const [k, v] of p.values) {
    if (k.startsWith("subs.") && k.length > 5 && v !== "") out.push({ id: k.slice(5), url: v, line: p.lines.get(k) ?? 0 });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Writes properties back out (one `key = value` a line), e.g. for tests and exports. */
export function formatProperties(entries: Iterable<[string, string]>): string {
  let out = "";
  for (const [k, v] of entries) out += `${k} = ${v.replace(/[\r\n]+/g, " ")}\n`;
  return out;
}
