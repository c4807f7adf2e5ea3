import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { migrations } from "../../src/db/migrations/index.ts";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { loadSeeds } from "../../src/domain/catalog/seeding.ts";
import { openDatabase } from "../../src/runtime/shared.ts";
import { seedData, T0 } from "../helpers/deps.ts";

test("a database made by the first release's migrations is migrated to the latest without losing data", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-mig-"));
  const { client, db } = await openDatabase(`file:${join(dir, "old.db")}`);
  try {
    const names = Object.keys(migrations).sort();
    const first = { [names[0]]: migrations[names[0]] };
    const old = await new Migrator({ db, provider: { getMigrations: async () => first } }).migrateToLatest();
    assert.is(old.error, undefined);
    await loadSeeds(db, seedData(), T0);
    const applied = await migrateToLatest(db);
    assert.equal(applied, names.slice(1));
    const n = await db.selectFrom("offers").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    assert.is(Number(n.n), seedData().offers.length);
    assert.equal(await migrateToLatest(db), []);
    assert.ok(names.every((name) => /^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/.test(name)), "timestamped names");
  } finally {
    await db.destroy();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
