import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
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

test("SIGTERM with idle keep-alive connections and searches in flight: searches are answered in full, then a clean exit (0, not the forced exit)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-server-"));
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const get = (url: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject).end();
  });
  try {
    const s = await startServer({ DATABASE_URL: `file:${join(dir, "d.db")}`, SEED: "demo" });
    // Idle keep-alive sockets (a browser, a load generator) would hold close() until the forced exit.
    for (let i = 0; i < 8; i++) assert.is((await get(`${s.url}/api/v1/ping`)).status, 200);
    const searches = ["ecole", "nextcloud", "visio", "pad", "agenda", "mail"].map((q) => get(`${s.url}/api/v1/offers?q=${q}&sort=name`));
    await Promise.race(searches); // the server is answering them
    const code = s.stop("SIGTERM");
    const answers = await Promise.allSettled(searches);
    assert.is(await code, 0);
    for (const a of answers) {
      // Sent before the signal: answered in full. A request the server had not read yet may find the socket closed.
      if (a.status === "fulfilled") { assert.is(a.value.status, 200); assert.ok(JSON.parse(a.value.body).items.length > 0); }
    }
    assert.ok(answers.some((a) => a.status === "fulfilled"));
  } finally {
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
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
