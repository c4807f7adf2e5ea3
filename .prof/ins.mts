import { generateOffer, prng } from "../bench/_search-data.ts";
import { toOfferRow } from "../src/db/queries/offers.ts";
import { openDatabase } from "../src/runtime/shared.ts";
import { migrateToLatest } from "../src/db/migrator.ts";
import { rmSync } from "node:fs";
rmSync("/tmp/prof/y.db", { force: true }); rmSync("/tmp/prof/y.db-wal", { force: true });
const { db, client } = await openDatabase("file:/tmp/prof/y.db");
await migrateToLatest(db);
await db.insertInto("providers").values({ slug: "p", name: "p", website: "w", email: "e", country: "FR", org_type: "association", created_at: "x", updated_at: "x" }).execute();
const r = prng(42);
const rows = Array.from({ length: 20000 }, (_, i) => { const { slug, ...o } = generateOffer(r, i); return toOfferRow({ id: 1, slug: "p" }, slug, o as any, "2026-01-01"); });
let t = performance.now();
let comp = 0;
await db.transaction().execute(async (trx) => {
  for (let i = 0; i < rows.length; i += 400) {
    const q = trx.insertInto("offers").values(rows.slice(i, i + 400)).returning(["seq", "id"]);
    const t1 = performance.now(); const c = q.compile(); comp += performance.now() - t1;
    await trx.executeQuery(c);
  }
});
console.log("kysely 20k offers", performance.now() - t, "compile", comp);
