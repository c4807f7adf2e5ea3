/** The layer rules of docs/decisions/0006-layers.md hold for every import under src/ (scripts/layers.ts). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ARROWS, checkLayers, importsOf } from "../../scripts/layers.ts";
import { ROOT } from "../../src/runtime/shared.ts";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "layers-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test("src/ has no forbidden arrow, no SQL outside db, no environment read outside runtime, no import circle", () => {
  const violations = checkLayers(join(ROOT, "src"));
  assert.equal(violations.map((v) => `src/${v.file}:${v.line}: ${v.message}`), []);
});

test("every allowed arrow is used by src/ (a line of ARROWS that nothing needs is one to delete)", () => {
  // Removing any one arrow must break the check: it is in the rule set because code relies on it.
  for (let i = 0; i < ARROWS.length; i++) {
    const without = ARROWS.filter((_, j) => j !== i);
    const { from, to } = ARROWS[i];
    const broken = checkLayers(join(ROOT, "src"), { arrows: without });
    assert.ok(broken.length > 0, `nothing in src/ needs ${from} → ${to}; remove it from ARROWS`);
  }
});

test("forbidden arrows, raw SQL, env reads and circles are reported with file and line", () => {
  const dir = tree({
    "http/routes/bad.ts": `import { x } from "../../db/queries/x.ts";\nexport const y = x;\n`,
    "db/queries/x.ts": `import type { Rule } from "../../domain/rule.ts";\nexport const x = 1;\n`,
    "domain/rule.ts": `export type Rule = 1;\nconst q = db.selectFrom("offers");\nconst e = process.env.PORT;\n`,
    "lib/a.ts": `export {\n  b,\n} from "./b.ts";\n`,
    "lib/b.ts": `import { a } from "./a.ts";\nexport const b = a;\n`,
    "domain/uses-kysely.ts": `import { sql } from "kysely";\n`,
  });
  try {
    assert.equal(checkLayers(dir).map((v) => `${v.file}:${v.line}: ${v.message}`), [
      "db/queries/x.ts:1: db → domain is not allowed (imports ../../domain/rule.ts)",
      "domain/rule.ts:2: SQL outside src/db (domain): move the query to src/db/queries/",
      "domain/rule.ts:3: only runtime code reads the environment (domain does here)",
      "domain/uses-kysely.ts:1: kysely may only be imported by db, runtime (this file is domain)",
      "http/routes/bad.ts:1: http → db is not allowed (imports ../../db/queries/x.ts)",
      "lib/a.ts:1: import circle: lib/a.ts → lib/b.ts → lib/a.ts",
    ]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("imports are read with their lines: type-only, re-exports, multi-line lists, dynamic; comments ignored", () => {
  const text = [
    `import type { A } from "./a.ts";`,
    `// import { no } from "./commented.ts";`,
    `import {`,
    `  B,`,
    `} from "./b.ts";`,
    `export * from "./c.ts";`,
    `const d = await import("./d.ts");`,
    `const url = "https://example.org/x"; import "./e.ts";`,
  ].join("\n");
  assert.equal(importsOf(text), [
    { spec: "./a.ts", line: 1 }, { spec: "./b.ts", line: 3 }, { spec: "./c.ts", line: 6 }, { spec: "./d.ts", line: 7 }, { spec: "./e.ts", line: 8 },
  ]);
});

test.run();
