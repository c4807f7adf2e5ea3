/**
 * Writes schemas/*.schema.json and schemas/openapi.json from the valibot schemas; `--check` fails (exit 1)
 * when the committed copies differ from what the code generates, naming each drifted file.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildOpenApi, componentSchemas, jsonSchema } from "../src/http/openapi.ts";

const dir = resolve(import.meta.dirname, "../schemas");
const kebab = (s: string) => s.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();

export function generatedSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(componentSchemas)) {
    const s = { $schema: "https://json-schema.org/draft/2020-12/schema", $id: `https://chatons-directory.org/schemas/${kebab(name)}.schema.json`, title: name, ...jsonSchema(schema) };
    files[`${kebab(name)}.schema.json`] = JSON.stringify(s, null, 2) + "\n";
  }
  files["openapi.json"] = JSON.stringify(buildOpenApi(), null, 2) + "\n";
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = generatedSchemaFiles();
  if (process.argv.includes("--check")) {
    const drift: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      let committed = "";
      try { committed = readFileSync(join(dir, name), "utf8"); } catch { /* missing counts as drift */ }
      if (committed !== content) drift.push(name);
    }
    const extra = readdirSync(dir).filter((f) => f.endsWith(".json") && !(f in files));
    if (drift.length || extra.length) {
      console.error(`schemas/ is out of date (${[...drift, ...extra.map((f) => `${f} (no longer generated)`)].join(", ")}); run: npm run schemas`);
      process.exit(1);
    }
    console.log(`schemas/ matches the code (${Object.keys(files).length} files)`);
  } else {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    console.log(`wrote ${Object.keys(files).length} files to schemas/`);
  }
}
