import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startServer } from "../helpers/process.ts";
import { seedData } from "../helpers/deps.ts";

test("the real server migrates, seeds, serves, stops cleanly, and keeps data across restarts without duplicating seeds", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-server-"));
  const env = { DATABASE_URL: `file:${join(dir, "nested", "directory.db")}`, SEED: "demo" };
  try {
    const s1 = await startServer(env);
    const res = await fetch(`${s1.url}/api/v1/offers?q=ecole&limit=1`);
    assert.is(res.status, 200);
    const body = await res.json() as any;
    assert.ok(body.total >= 4);
    assert.match(JSON.stringify(body.items[0].title), /[ÉEée]cole/i);
    const total = (await (await fetch(`${s1.url}/api/v1/offers?limit=1`)).json() as any).total;
    assert.is(total, seedData().offers.length);
    assert.is(await s1.stop("SIGTERM"), 0);

    const s2 = await startServer(env);
    const again = (await (await fetch(`${s2.url}/api/v1/offers?limit=1`)).json() as any).total;
    assert.is(again, total);
    assert.is(await s2.stop("SIGINT"), 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("a bad environment variable stops start-up with one readable line", async () => {
  const r = await runCli([], {}); // warm-up of tsx is shared; the real check is below
  assert.is(r.code, 1);
  try {
    await startServer({ PORT: "99999", SEED: "none", DATABASE_URL: "file:/tmp/never-created.db" }, 15_000);
    assert.unreachable("should not start");
  } catch (e) {
    assert.match((e as Error).message, /server exited with 1/);
    assert.match((e as Error).message, /Invalid configuration: PORT="99999": must be a port number/);
  }
});

test("CLI: --help, unknown command, migrate and seed against a file database", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-cli-"));
  const env = { DATABASE_URL: `file:${join(dir, "cli.db")}` };
  try {
    const help = await runCli(["--help"], env);
    assert.is(help.code, 0);
    assert.match(help.stdout, /migrate/);
    const unknown = await runCli(["frobnicate"], env);
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const m = await runCli(["migrate"], env);
    assert.is(m.code, 0, m.stderr);
    assert.match(m.stdout, /applied \d+ migration\(s\): 2026-11-25T1200_initial/);
    assert.match((await runCli(["migrate"], env)).stdout, /database is up to date/);
    const s = await runCli(["seed"], env);
    assert.is(s.stdout.trim(), `loaded ${seedData().providers.length} providers and ${seedData().offers.length} offers`);
    assert.match((await runCli(["seed"], env)).stdout, /not empty/);
    const bad = await runCli(["migrate"], { DATABASE_URL: "mysql://nope" });
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /DATABASE_URL="mysql:\/\/nope"/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
