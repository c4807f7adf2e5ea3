import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { migrations } from "../../src/db/migrations/index.ts";
import { openDatabase } from "../../src/runtime/shared.ts";

test("a database from before the signups migration is migrated with its data intact, and the new tables work", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-mig-signups-"));
  const { client, db } = await openDatabase(`file:${join(dir, "old.db")}`);
  try {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "2026-11-25T1500_signups"));
    assert.is((await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest()).error, undefined);
    const now = "2026-11-01T00:00:00.000Z";
    await db.insertInto("providers").values({ slug: "old", name: "Old", website: "https://old.example", country: "FR", org_type: "association", created_at: now, updated_at: now }).execute();
    const applied = await migrateToLatest(db);
    assert.ok(applied.includes("2026-11-25T1500_signups"));
    assert.equal((await db.selectFrom("providers").select("slug").execute()).map((p) => p.slug), ["old"]);
    assert.equal(await db.selectFrom("signups").selectAll().execute(), []);
    assert.equal(await db.selectFrom("outbox").selectAll().execute(), []);
    assert.equal(await migrateToLatest(db), []);
  } finally { await db.destroy(); client.close(); rmSync(dir, { recursive: true, force: true }); }
});

test.run();
