/** `npm run bench -- <name>`: runs bench/<name>.ts. Benchmarks print ratios measured within one run. */
import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";

const name = process.argv[2];
const dir = import.meta.dirname;
const available = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_")).map((f) => f.slice(0, -3));
if (!name || !existsSync(resolve(dir, `${name}.ts`)) || name === "run") {
  console.error(`usage: npm run bench -- <${available.join("|")}>`);
  process.exit(name ? 2 : 1);
}
process.argv.splice(2, 1);
await import(resolve(dir, `${name}.ts`));
