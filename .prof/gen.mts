import { generateOffer, prng } from "/work/wt/search/bench/_search-data.ts";
import { toOfferRow } from "/work/wt/search/src/db/queries/offers.ts";
import { createClient } from "@libsql/client";
import { rmSync } from "node:fs";
const r = prng(42);
let t = performance.now();
const xs = Array.from({ length: 20000 }, (_, i) => generateOffer(r, i));
console.log("gen 20k", performance.now() - t); t = performance.now();
const rows = xs.map(({slug, ...o}) => toOfferRow({ id: 1, slug: "p" }, slug, o as any, "2026-01-01"));
console.log("toOfferRow 20k", performance.now() - t); t = performance.now();
rmSync("/tmp/prof/x.db", { force: true });
const c = createClient({ url: "file:/tmp/prof/x.db" });
await c.execute("create table t (a integer primary key, b text, c text, d text, e text, f text, g text, h text, i text, j text)");
await c.execute("begin");
t = performance.now();
for (let i = 0; i < 20000; i += 400) {
  const args: any[] = []; const vals: string[] = [];
  for (let j = i; j < i + 400; j++) { vals.push("(?,?,?,?,?,?,?,?,?,?)"); args.push(j, "x".repeat(50), "y", "z", "w", "v", "u", "s", "r", "q"); }
  await c.execute({ sql: "insert into t values " + vals.join(","), args });
}
console.log("raw multi-row 20k × 10 cols", performance.now() - t); t = performance.now();
for (let i = 20000; i < 40000; i++) await c.execute({ sql: "insert into t values (?,?,?,?,?,?,?,?,?,?)", args: [i, "x".repeat(50), "y", "z", "w", "v", "u", "s", "r", "q"] });
console.log("raw single 20k", performance.now() - t); t = performance.now();
const b = []; for (let i = 40000; i < 60000; i++) b.push({ sql: "insert into t values (?,?,?,?,?,?,?,?,?,?)", args: [i, "x".repeat(50), "y", "z", "w", "v", "u", "s", "r", "q"] });
await c.execute("commit");
await c.batch(b, "write");
console.log("batch 20k", performance.now() - t); t = performance.now();
