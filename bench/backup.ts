/**
 * `npm run bench -- backup`: time and size of `npm run cli -- backup` (VACUUM INTO + integrity check) on the search
 * benchmark's catalog (BENCH_OFFERS, default 100,000 offers and a tenth as many providers; BENCH_DB reuses a kept
 * database), once idle and once while a writer commits an offer every 10 ms — the backup must still open, pass
 * PRAGMA integrity_check and hold every offer committed before it began.
 */
import { createClient } from "@libsql/client";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backupInto, verifyBackup } from "../src/db/backup.ts";
import { saveOffer, toOfferRow } from "../src/domain/catalog/offers.ts";
import { openDatabase } from "../src/runtime/shared.ts";
import { buildSearchCatalog } from "./_catalog.ts";
import { generateOffer, prng } from "./_search-data.ts";

const OFFERS = Number(process.env.BENCH_OFFERS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "chatons-bench-backup-"));
const keptDb = process.env.BENCH_DB;
const path = keptDb ?? join(dir, "bench.db");
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

try {
  if (!(keptDb && existsSync(keptDb))) {
    const ms = await buildSearchCatalog(`file:${path}`, { offers: OFFERS, providers: Math.round(OFFERS / 10) });
    console.log(`catalog: ${OFFERS} offers loaded in ${(ms / 1000).toFixed(1)} s`);
  }
  const { db, client } = await openDatabase(`file:${path}`);
  const size = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

  const once = async (name: string) => {
    const target = join(dir, `${name}.db`);
    const t = performance.now();
    await backupInto(db, target);
    const copyMs = performance.now() - t;
    const v = performance.now();
    const check = await verifyBackup(target);
    const checkMs = performance.now() - v;
    if (!check.ok) throw new Error(`${name}: integrity check failed: ${check.messages.join("; ")}`);
    return { target, copyMs, checkMs, size: statSync(target).size, offers: check.offers };
  };

  const idle = await once("idle");
  console.log(`\ndatabase: ${mb(size)} MB (with its WAL), ${idle.offers} offers`);
  console.log(`backup while idle: ${(idle.copyMs / 1000).toFixed(2)} s to copy (VACUUM INTO), ${(idle.checkMs / 1000).toFixed(2)} s to check; ${mb(idle.size)} MB`);

  // The same while a second connection (as the server would) commits an offer every 10 ms.
  const writer = await openDatabase(`file:${path}`);
  const provider = await writer.db.selectFrom("providers").selectAll().orderBy("id").executeTakeFirstOrThrow();
  const r = prng(7);
  const committed: string[] = [];
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const { slug, ...input } = generateOffer(r, OFFERS + i);
      const row = toOfferRow(provider, `bk-${i}-${slug}`.slice(0, 60), input, new Date().toISOString());
      await writer.db.transaction().execute((trx) => saveOffer(trx, provider, row));
      committed.push(row.id);
      await new Promise((w) => setTimeout(w, 10));
    }
  })();
  while (committed.length < 20) await new Promise((w) => setTimeout(w, 20));
  const before = [...committed];
  const busy = await once("busy");
  stop = true;
  await loop;
  const copy = createClient({ url: `file:${busy.target}` });
  const ids = new Set((await copy.execute("select id from offers where id like '%~bk-%'")).rows.map((x) => String(x.id)));
  copy.close();
  const missing = before.filter((id) => !ids.has(id)).length;
  console.log(`backup under writes: ${(busy.copyMs / 1000).toFixed(2)} s to copy, ${(busy.checkMs / 1000).toFixed(2)} s to check; ${mb(busy.size)} MB; ${committed.length} offers committed meanwhile, ${before.length - missing}/${before.length} of those committed before it began are in it`);
  writer.client.close();
  client.close();
  if (missing) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
