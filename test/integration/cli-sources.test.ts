import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../../src/runtime/cli.ts";
import { progressPrinter } from "../../src/runtime/cli-sources.ts";
import { openDatabase, ROOT } from "../../src/runtime/shared.ts";
import { startServer, staticFiles } from "../helpers/server.ts";
import { putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";
import { findProviderBySlug } from "../../src/db/queries/providers.ts";
import { updateProvider } from "../../src/domain/catalog/offers.ts";
import { importStatoolInfos } from "../../src/domain/sources/import.ts";
import { crawlDeps } from "../../src/domain/sources/manage.ts";

const PREFIX = "/.well-known/chatonsinfos/";

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const log = console.log;
  const error = console.error;
  console.error = (...a: unknown[]) => { out.push(`stderr: ${a.join(" ")}`); };
  const write = process.stdout.write;
  console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
  process.stdout.write = ((chunk: string) => { out.push(String(chunk).replace(/\n$/, "")); return true; }) as typeof process.stdout.write;
  try { return { code: await fn(), out }; } finally { console.log = log; console.error = error; process.stdout.write = write; }
}

test("cli: import-statoolinfos from a URL creates the provider and its offers, then crawl --provider reports progress and a summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-cli-"));
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  for (const f of readdirSync(resolve(ROOT, "seeds/statoolinfos")).filter((n) => n.endsWith(".properties"))) {
    files.set(PREFIX + f, readFileSync(resolve(ROOT, "seeds/statoolinfos", f), "utf8").replaceAll("https://chatons.example.net", server.url));
  }
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: `file:${join(dir, "cli.db")}`, ALLOW_PRIVATE_NETWORK: "1", SEED: "none", LISTING_POLICY: "open" });
  try {
    const url = `${server.url}${PREFIX}organization.properties`;
    const imported = await capture(() => runCli(["import-statoolinfos", url]));
    assert.is(imported.code, 0);
    assert.equal(imported.out.slice(0, 2), [
      // Its own file says ACTIVE member; no CHATONS list is configured, so nothing confirms it.
      "created provider le-chaton-libre (Le Chaton Libre, FR, association, declares CHATONS membership (not confirmed by the collective's list))",
      // peertube.properties answers 404: a first import creates no offer for it and says so.
      "offers: 3 created, 0 updated, 0 unchanged, 0 deleted, 0 skipped — degraded: 1 service file(s) failed",
    ]);
    assert.ok(imported.out.includes(`  ${server.url}${PREFIX}peertube.properties: HTTP 404; no offer "peertube" created`), imported.out.join("\n"));
    assert.ok(!imported.out.some((l) => l.includes("kept")));
    assert.ok(imported.out.includes(`  ${url}:27: no "=" on this line (expected key = value): "Voir aussi nos statistiques sur https://stats.example"`));
    assert.is(imported.out.at(-1), "the file is now the provider's pull source (refreshed every 6 h)");

    const crawled = await capture(() => runCli(["crawl", "--provider", "le-chaton-libre"]));
    // peertube.properties still answers 404: the source is read only in part, which cron must notice.
    assert.is(crawled.code, 1);
    assert.is(crawled.out.at(-1), "stderr: crawl: 0 of 1 source(s) failed, 1 read in part");
    assert.is(crawled.out[0], "crawl 1/1  failed 0  deferred 0");
    assert.match(crawled.out[1], /^crawled 1 source\(s\) in \d+\.\d s \(concurrency 16\): 1 updated \(1 degraded\), 0 not modified, 0 failed, 0 deferred$/);
    assert.is(crawled.out[2], "offers: 0 created, 0 changed, 0 deleted, 0 hidden (unconfirmed for 30 days)");

    const missing = await capture(() => runCli(["crawl", "--provider", "nobody"]));
    assert.equal([missing.code, missing.out], [1, ['stderr: crawl failed: no provider "nobody"']]);

    const { client, db } = await openDatabase(process.env.DATABASE_URL!);
    const rows = await db.selectFrom("offers").select(["id", "source"]).orderBy("id").execute();
    assert.equal(rows.map((r) => `${r.id}:${r.source}`), ["le-chaton-libre~etherpad:crawled", "le-chaton-libre~jitsi:crawled", "le-chaton-libre~nextcloud:crawled"]);
    const p = await db.selectFrom("providers").select(["chatons_member", "website", "email"]).executeTakeFirstOrThrow();
    assert.equal(p, { chatons_member: 0, website: `${server.url}/`, email: null });
    client.close();
  } finally {
    process.env = saved;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cli: import-statoolinfos --federation imports every listed member with a progress line each and a summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-cli-"));
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  for (const f of readdirSync(resolve(ROOT, "seeds/statoolinfos")).filter((n) => n.endsWith(".properties"))) {
    files.set(PREFIX + f, readFileSync(resolve(ROOT, "seeds/statoolinfos", f), "utf8").replaceAll("https://chatons.example.net", server.url));
  }
  files.set("/other/org.properties", "file.class = organization\norganization.name = Autre Chaton\norganization.website = https://autre.example/\norganization.memberof.chatons.status.level = AWAY\n");
  files.set("/chatons.properties", `file.class = federation\nfederation.name = CHATONS\nsubs.chatonlibre = ${server.url}${PREFIX}organization.properties\nsubs.autre = ${server.url}/other/org.properties\nsubs.gone = ${server.url}/gone/org.properties\n`);
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: `file:${join(dir, "cli.db")}`, ALLOW_PRIVATE_NETWORK: "1", SEED: "none", LISTING_POLICY: "open" });
  try {
    const r = await capture(() => runCli(["import-statoolinfos", "--federation", `${server.url}/chatons.properties`]));
    assert.is(r.code, 1, "a member that failed makes the command fail (cron notices)");
    assert.equal(r.out, [
      "[1/3] created autre (none): 0 offers created, 0 updated",
      "[2/3] created chatonlibre (member): 3 offers created, 0 updated, 1 service file(s) failed",
      `[3/3] failed: ${server.url}/gone/org.properties: HTTP 404`,
      `3 member organization file(s) listed by ${server.url}/chatons.properties: 2 providers created, 0 updated, 1 failed, 1 degraded`,
      "offers: 3 created, 0 updated, 0 deleted; confirmed CHATONS members: 1, unconfirmed declarations: 0",
      `  failed ${server.url}/gone/org.properties: ${server.url}/gone/org.properties: HTTP 404`,
    ]);
  } finally {
    process.env = saved;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("import-statoolinfos over an existing provider: profile from the file, and a changed website drops `verified`", async () => {
  const env = await testEnv();
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  for (const f of readdirSync(resolve(ROOT, "seeds/statoolinfos")).filter((n) => n.endsWith(".properties"))) {
    files.set(PREFIX + f, readFileSync(resolve(ROOT, "seeds/statoolinfos", f), "utf8").replaceAll("https://chatons.example.net", server.url));
  }
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-x", { orgType: "company" });
    await putOffer(env.app, slug, token, "nextcloud", sampleOffer());
    const p0 = (await findProviderBySlug(env.deps.db, slug))!;
    await env.deps.db.transaction().execute((trx) => updateProvider(trx, p0.id, { verified: 1 }));
    const r = await importStatoolInfos(crawlDeps(env.deps), `${server.url}${PREFIX}organization.properties`, { slug });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal([r.value.created, r.value.provider.name, r.value.provider.org_type, r.value.provider.chatons_member, r.value.provider.verified], [false, "Le Chaton Libre", "association", 0, 0]);
    assert.equal([r.value.matched, r.value.membership], ["slug", "unconfirmed"]);
    // The pushed "nextcloud" offer stays the provider's own; the other services arrive as crawled offers.
    assert.equal([r.value.report.created, r.value.report.skipped.map((x) => x.slug)], [2, ["nextcloud"]]);
    assert.equal(r.value.provider.email, "contact@chaton-x.example");
  } finally { await server.close(); await env.close(); }
});

test("cli: progress lines every 10% when not a terminal", () => {
  const lines: string[] = [];
  const print = progressPrinter({ isTTY: false, write: (s: string) => { lines.push(s.trim()); return true; } } as unknown as NodeJS.WriteStream);
  for (let i = 1; i <= 25; i++) print({ done: i, total: 25, failed: i > 20 ? 1 : 0, deferred: 0 });
  assert.equal(lines, [
    "crawl 1/25  failed 0  deferred 0", "crawl 3/25  failed 0  deferred 0", "crawl 5/25  failed 0  deferred 0", "crawl 8/25  failed 0  deferred 0",
    "crawl 10/25  failed 0  deferred 0", "crawl 13/25  failed 0  deferred 0", "crawl 15/25  failed 0  deferred 0", "crawl 18/25  failed 0  deferred 0",
    "crawl 20/25  failed 0  deferred 0", "crawl 23/25  failed 1  deferred 0", "crawl 25/25  failed 1  deferred 0",
  ]);
});

test.run();
