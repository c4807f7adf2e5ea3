/** A database migrated before the search migration landed (later timestamps already applied) still gets it. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Migrator, sql } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrations } from "../../src/db/migrations/index.ts";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { openDatabase } from "../../src/runtime/shared.ts";

test("2026-11-25T1300_search_counts applies after 1400/1500 and backfills the tag counts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-mig-"));
  const { db, client } = await openDatabase(`file:${join(dir, "m.db")}`);
  try {
    const without = Object.fromEntries(Object.entries(migrations).filter(([name]) => name !== "2026-11-25T1300_search_counts"));
    await new Migrator({ db, provider: { getMigrations: async () => without } }).migrateToLatest();
    await sql`insert into providers (slug, name, website, country, org_type, created_at, updated_at) values ('p1', 'P', 'https://p.example', 'FR', 'association', 'x', 'x')`.execute(db);
    await sql`insert into offers (id, provider_id, slug, service, software_name, title_json, description_json, sort_name, price_model, registration, capacity, data_location, signup_mode, created_at, updated_at, confirmed_at)
      values ('p1~a', 1, 'a', 'pad', 'Etherpad', '{}', '{}', 'a', 'free', 'open', 'available', 'FR', 'external', 'x', 'x', 'x')`.execute(db);
    await sql`insert into offer_tags (offer_seq, field, value) values (1, 'service', 'pad'), (1, 'price', 'free')`.execute(db);
    assert.equal(await migrateToLatest(db), ["2026-11-25T1300_search_counts"]);
    const counts = (await sql<{ field: string; value: string; n: number }>`select field, value, n from offer_tag_counts order by field`.execute(db)).rows;
    assert.equal(counts, [{ field: "price", value: "free", n: 1 }, { field: "service", value: "pad", n: 1 }]);
  } finally {
    await db.destroy();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
