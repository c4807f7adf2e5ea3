import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { migrations } from "../../src/db/migrations/index.ts";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { upsertOfferRow } from "../../src/db/queries/offers.ts";
import { insertProvider } from "../../src/db/queries/providers.ts";
import { offerIndex, toOfferRow } from "../../src/domain/catalog/offers.ts";
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
    // The demo catalog, written with only the tables the first release had (today's write path also reads later ones).
    const now = new Date(T0).toISOString();
    await db.transaction().execute(async (trx) => {
      const bySlug = new Map();
      for (const p of seedData().providers) {
        bySlug.set(p.slug, await insertProvider(trx, { slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, org_type: p.orgType, created_at: now, updated_at: now }));
      }
      for (const { provider, slug, ...input } of seedData().offers) {
        const p = bySlug.get(provider);
        // Columns added by later migrations are left out: the first release's table has none of them.
        const { handover_url: _h, remote_accepts: _r, ...row } = toOfferRow(p, slug, input, now);
        await upsertOfferRow(trx, row, offerIndex(row, p, { webhook: false, nextcloud: false }));
      }
    });
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
