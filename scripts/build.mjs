/**
 * `npm start` runs this first (prestart): bundles the Node server and its search worker into build/ with esbuild
 * (already installed: tsx runs on it), so the server runs plain JavaScript — no TypeScript compiler in memory, a
 * faster start — from the same sources. docs/decisions/0027.
 *
 * Fedify's `@fedify/vocab-runtime` imports jsonld's browser bundle (`jsonld/dist/jsonld.esm.js`), which carries
 * core-js and replaces `JSON.stringify`, `Array.prototype.push` and other built-ins for the whole process. The bundle
 * resolves that import to jsonld's own Node build instead (the same version, `jsonld/lib/index.js`), which replaces
 * nothing (docs/decisions/0028). Development and tests do the same with a resolution hook (scripts/jsonld-node.mjs).
 *
 * Plain JavaScript (no tsx) so it runs before anything is built. `node scripts/build.mjs [outdir]`.
 */
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { JSONLD_BROWSER_BUNDLE } from "./jsonld-node-hooks.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = resolve(root, process.argv[2] ?? "build");

/** jsonld's browser bundle (core-js inside) → jsonld's Node build. */
export const jsonldForNode = {
  name: "jsonld-for-node",
  setup(b) {
    b.onResolve({ filter: JSONLD_BROWSER_BUNDLE }, (args) => b.resolve("jsonld", { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: { node: "src/runtime/node.ts", "search-worker": "src/runtime/search-worker.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // libSQL loads a native addon for the platform at run time: it stays in node_modules.
  external: ["libsql", "@libsql/linux-*", "@libsql/darwin-*", "@libsql/win32-*"],
  // Bundled CommonJS dependencies call require() for Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [jsonldForNode],
  // Whitespace and syntax only: identifiers (class names Fedify and valibot may read) stay as written.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  sourcemap: "linked",
  logLevel: "warning",
});
console.log(`built ${outdir.startsWith(root) ? outdir.slice(root.length + 1) : outdir}/ in ${Math.round(performance.now() - started)} ms`);
