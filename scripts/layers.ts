/**
 * The layer rules of src/ (docs/decisions/0006-layers.md), checked by reading every import of every file.
 * `npm run layers` prints the violations; test/unit/layers.test.ts fails on any. One allowed arrow per line of
 * ARROWS: deleting a line makes every import that relied on it a violation, naming file and line.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Layer of a file, by its path under src/ (first match wins). */
export const LAYERS: Array<[layer: string, pattern: RegExp]> = [
  ["runtime", /^runtime\//],
  ["app", /^app\.tsx?$/],
  ["deps", /^deps\.ts$/],
  ["config", /^config\.ts$/],
  ["http", /^http\//],
  ["federation", /^federation\//],
  ["domain", /^domain\//],
  ["delivery", /^delivery\//],
  ["db", /^db\//],
  ["i18n", /^i18n\//],
  ["lib", /^lib\//],
];

/**
 * Every arrow that exists on purpose, `from -> to`, optionally limited to files matching `only`. A layer may always
 * import itself. Anything not listed is forbidden: http -> db, db -> domain, domain -> http, domain -> federation…
 */
export const ARROWS: Array<{ from: string; to: string; only?: RegExp; why: string }> = [
  { from: "i18n", to: "lib", why: "leaf helpers" },
  { from: "db", to: "lib", why: "leaf helpers" },
  { from: "delivery", to: "lib", why: "leaf helpers" },
  { from: "delivery", to: "db", why: "the outbox and delivery tables" },
  { from: "domain", to: "lib", why: "leaf helpers" },
  { from: "domain", to: "i18n", why: "texts sent to people (emails)" },
  { from: "domain", to: "db", why: "rules read and write through query functions" },
  { from: "domain", to: "delivery", why: "an outbox row is written in the caller's transaction; guarded fetch" },
  { from: "domain", to: "config", why: "the Config type: settings some rules are configured by (retry schedule, retention)" },
  { from: "federation", to: "lib", why: "leaf helpers" },
  { from: "federation", to: "db", why: "actor keys, followers, Fedify's kv and queue" },
  { from: "federation", to: "delivery", why: "guarded fetch of remote documents" },
  { from: "federation", to: "domain", why: "incoming offers go through the domain's write path" },
  { from: "federation", to: "config", why: "the settings Fedify is built from" },
  { from: "http", to: "lib", why: "leaf helpers" },
  { from: "http", to: "i18n", why: "pages and messages" },
  { from: "http", to: "domain", why: "routes call rules and read views" },
  { from: "http", to: "deps", why: "routes receive Deps" },
  { from: "http", to: "federation", only: /^http\/routes\/admin\.ts$/, why: "the admin API follows, unfollows and moderates federation" },
  { from: "deps", to: "config", why: "Deps holds the parsed config" },
  { from: "deps", to: "db", why: "Deps holds the database" },
  { from: "deps", to: "delivery", why: "Deps holds the guarded fetch" },
  { from: "deps", to: "domain", why: "Deps holds the search service" },
  { from: "deps", to: "federation", why: "Deps holds the federation" },
  { from: "deps", to: "lib", why: "Clock and Logger" },
  { from: "app", to: "http", why: "createApp mounts the routes" },
  { from: "app", to: "federation", why: "createApp mounts Fedify's routes" },
  { from: "app", to: "deps", why: "createApp(deps)" },
  { from: "app", to: "lib", why: "problem+json" },
  { from: "runtime", to: "*", why: "runtimes wire everything" },
];

/** Packages that belong to one place: SQL only in db, Fedify only in federation, the web framework at the edge. */
export const PACKAGES: Array<{ pkg: RegExp; layers: string[] }> = [
  { pkg: /^kysely$|^@libsql\//, layers: ["db", "runtime"] },
  { pkg: /^@fedify\/|^jsonld$/, layers: ["federation", "runtime"] },
  { pkg: /^hono(\/|$)|^@hono\//, layers: ["http", "app", "federation", "runtime"] },
  { pkg: /^nodemailer$/, layers: ["runtime"] },
];

/** Code that only db may contain (a query builder call or raw SQL): one home for SQL. */
const SQL_OUTSIDE_DB = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql(<[^>]*>)?`/;
/** Only runtimes read the environment. */
const ENV = /\bprocess\.env\b|\bimport\.meta\.env\b|\bDeno\.env\b/;

export type Violation = { file: string; line: number; message: string };

const IMPORT = /(?:^|[^.\w])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]+from\s+)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every import specifier of a source text with its 1-based line (comments ignored; multi-line import lists too). */
export function importsOf(text: string): Array<{ spec: string; line: number }> {
  const code = stripComments(text);
  return [...code.matchAll(IMPORT)].map((m) => {
    const at = m.index! + m[0].search(/\S/);
    return { spec: m[1] ?? m[2], line: code.slice(0, at).split("\n").length };
  });
}

function stripComments(text: string): string {
  // Keeps line breaks so line numbers stay right; strings holding "//" (URLs) are kept intact.
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

export function layerOf(path: string): string | undefined {
  return LAYERS.find(([, re]) => re.test(path))?.[0];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Checks every file under `srcDir`; returns the violations, sorted by file and line. */
export function checkLayers(srcDir: string, rules: { arrows?: typeof ARROWS } = {}): Violation[] {
  const arrows = rules.arrows ?? ARROWS;
  const root = resolve(srcDir);
  const files = walk(root);
  const rel = (abs: string) => relative(root, abs).split("\\").join("/");
  const graph = new Map<string, Array<{ to: string; line: number }>>();
  const out: Violation[] = [];
  const isAllowed = (fromPath: string, from: string, to: string) =>
    from === to || arrows.some((a) => a.from === from && (a.to === to || a.to === "*") && (!a.only || a.only.test(fromPath)));

  for (const abs of files) {
    const file = rel(abs);
    const layer = layerOf(file);
    const text = readFileSync(abs, "utf8");
    const edges: Array<{ to: string; line: number }> = [];
    graph.set(file, edges);
    if (!layer) { out.push({ file, line: 1, message: "file belongs to no layer (add it to LAYERS)" }); continue; }
    for (const { spec, line } of importsOf(text)) {
      if (spec.startsWith(".")) {
        const target = rel(resolve(dirname(abs), spec));
        if (target.startsWith("..")) continue; // outside src/
        const toLayer = layerOf(target);
        if (/\.(ts|tsx)$/.test(target)) edges.push({ to: target, line });
        if (toLayer && !isAllowed(file, layer, toLayer)) out.push({ file, line, message: `${layer} → ${toLayer} is not allowed (imports ${spec})` });
      } else if (!spec.startsWith("node:")) {
        const rule = PACKAGES.find((p) => p.pkg.test(spec));
        if (rule && !rule.layers.includes(layer)) out.push({ file, line, message: `${spec} may only be imported by ${rule.layers.join(", ")} (this file is ${layer})` });
      }
    }
    if (layer !== "runtime") {
      stripComments(text).split("\n").forEach((l, i) => {
        if (ENV.test(l)) out.push({ file, line: i + 1, message: `only runtime code reads the environment (${layer} does here)` });
        if (layer !== "db" && SQL_OUTSIDE_DB.test(l)) out.push({ file, line: i + 1, message: `SQL outside src/db (${layer}): move the query to src/db/queries/` });
      });
    }
  }

  for (const cycle of cycles(graph)) {
    const [first, second] = cycle;
    const line = graph.get(first)!.find((e) => e.to === second)?.line ?? 1;
    out.push({ file: first, line, message: `import circle: ${[...cycle, first].join(" → ")}` });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Elementary circles, one per strongly connected component (Tarjan), each starting at its smallest file. */
function cycles(graph: Map<string, Array<{ to: string }>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!graph.has(to)) continue;
      if (!idx.has(to)) { strong(to); low.set(v, Math.min(low.get(v)!, low.get(to)!)); }
      else if (on.has(to)) low.set(v, Math.min(low.get(v)!, idx.get(to)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      const self = (graph.get(v) ?? []).some((e) => e.to === v);
      if (comp.length > 1 || self) found.push(pathIn(graph, new Set(comp)));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return found;
}

/** One circle inside a strongly connected component: a walk from its smallest file back to itself. */
function pathIn(graph: Map<string, Array<{ to: string }>>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const { to } of graph.get(v) ?? []) {
      if (!comp.has(to)) continue;
      if (to === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return path;
      }
      if (!prev.has(to)) { prev.set(to, v); queue.push(to); }
    }
  }
  return [start];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = checkLayers(resolve(dirname(new URL(import.meta.url).pathname), "../src"));
  for (const v of violations) console.log(`src/${v.file}:${v.line}: ${v.message}`);
  console.log(violations.length ? `${violations.length} layer violation(s)` : "layers: no violation, no import circle");
  process.exit(violations.length ? 1 : 0);
}
