import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { migrations } from "../../src/db/migrations/index.ts";
import { startFreshnessLoop } from "../../src/domain/sources/schedule.ts";
import { openDatabase } from "../../src/runtime/shared.ts";
import { json, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";
import { startServer } from "../helpers/server.ts";
import { eventually } from "../helpers/wait.ts";

test("a database made by the initial migration is migrated, its providers and offers intact", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-mig-"));
  const { client, db } = await openDatabase(`file:${join(dir, "old.db")}`);
  try {
    const initial = new Migrator({ db, provider: { getMigrations: async () => ({ "2026-11-25T1200_initial": migrations["2026-11-25T1200_initial"] }) } });
    assert.is((await initial.migrateToLatest()).error, undefined);
    const now = "2026-11-01T00:00:00.000Z";
    await db.insertInto("providers").values({ slug: "old", name: "Old", website: "https://old.example", country: "FR", org_type: "association", verified: 1, created_at: now, updated_at: now }).execute();
    assert.equal(await migrateToLatest(db), Object.keys(migrations).filter((m) => m !== "2026-11-25T1200_initial"));
    const p = await db.selectFrom("providers").select(["slug", "verified", "verify_failures", "verify_checked_at"]).executeTakeFirstOrThrow();
    assert.equal(p, { slug: "old", verified: 1, verify_failures: 0, verify_checked_at: null });
    assert.equal(await db.selectFrom("provider_sources").selectAll().execute(), []);
    assert.equal(await migrateToLatest(db), []);
  } finally { client.close(); rmSync(dir, { recursive: true, force: true }); }
});

test("Node freshness loop: a newly due source is pulled by the next tick; stop() waits and ends the loop", async () => {
  const env = await testEnv();
  let hits = 0;
  const server = await startServer((_req, res) => { hits++; res.end(JSON.stringify({ offers: [{ slug: "cloud", ...sampleOffer() }] })); });
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-loop");
    await env.app.request(`/api/v1/providers/${slug}/source`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url: `${server.url}/d`, format: "json" }),
    });
    assert.is(hits, 1);
    env.deps.clock.advance(6 * 3_600_000);
    const loop = startFreshnessLoop(env.deps, 20);
    await eventually("the loop pulls again", () => hits >= 2);
    await loop.stop();
    const after = hits;
    assert.is(after, 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.is(hits, after);
    const s = await json(await env.app.request(`/api/v1/providers/${slug}/source`, { headers: { authorization: `Bearer ${token}` } }));
    assert.equal([s.lastPull.status, s.lastPull.unchanged, s.nextPullAt], ["updated", 1, "2026-11-26T00:00:00.000Z"]);
  } finally { await server.close(); await env.close(); }
});

test.run();
