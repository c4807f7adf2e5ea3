/**
 * The built server (what `npm start` runs) keeps the engine's own built-ins: loading Fedify must not bring jsonld's
 * browser bundle, whose core-js replaces JSON.stringify, Array.prototype.push and more for the whole process
 * (docs/decisions/0028). A probe preloaded before the server records every built-in, then reports which changed.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../helpers/process.ts";
import { eventually } from "../helpers/wait.ts";

const PROBE = resolve(ROOT, "test/helpers/builtins-probe.mjs");
type Report = { stringify: boolean; push: boolean; replaced: string[]; added: string[] };

/** Runs `args` with the probe preloaded; `ready(output)` says when to ask (after `act`); returns the report. */
async function probe(args: string[], env: Record<string, string>, ready: (out: string) => boolean, act: (out: string) => Promise<void> = async () => {}): Promise<Report> {
  const child = spawn(process.execPath, ["--import", PROBE, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  try {
    await eventually(`${args.join(" ")} to be ready`, () => ready(out) || child.exitCode !== null, 60_000);
    assert.is(child.exitCode, null, out);
    await act(out);
    child.kill("SIGUSR2");
    await eventually("the probe's report", () => out.includes("builtins: "));
    return JSON.parse(/builtins: (.*)\n/.exec(out)![1]) as Report;
  } finally {
    child.kill("SIGKILL");
  }
}

test("the probe sees core-js: importing jsonld's browser bundle replaces JSON.stringify and Array.prototype.push", async () => {
  const r = await probe(["--input-type=module", "-e", "await import('jsonld/dist/jsonld.esm.js'); console.log('loaded'); setInterval(() => {}, 1000);"], {}, (out) => out.includes("loaded"));
  assert.is(r.stringify, false);
  assert.is(r.push, false);
  assert.ok(r.replaced.includes("JSON.stringify") && r.replaced.includes("Array.prototype.push"), r.replaced.join(", "));
});

test("the built server, after start-up and federation and search requests, runs on the engine's own built-ins", async () => {
  const out = join(ROOT, "build", `test-${process.pid}`);
  const dir = mkdtempSync(join(tmpdir(), "chatons-builtins-"));
  try {
    const build = spawn(process.execPath, ["scripts/build.mjs", out], { cwd: ROOT, stdio: "inherit" });
    assert.is(await new Promise((r) => build.on("exit", r)), 0);
    const r = await probe([join(out, "node.js")], { DATABASE_URL: `file:${join(dir, "d.db")}`, PORT: "0", HOST: "127.0.0.1", SEED: "demo", LOG_LEVEL: "warn" },
      (text) => /listening on http:\/\/\S+ /.test(text),
      async (text) => {
        const base = /listening on (http:\/\/\S+) /.exec(text)![1];
        // Fedify builds and compacts JSON-LD for these; search serializes a large JSON response.
        assert.is((await fetch(`${base}/ap/directory`, { headers: { accept: "application/activity+json" } })).status, 200);
        const offers = await (await fetch(`${base}/api/v1/offers?q=nextcloud`)).json() as { items: Array<{ id: string }> };
        assert.ok(offers.items.length > 0);
        assert.is((await fetch(`${base}/ap/offers/${encodeURIComponent(offers.items[0].id)}`, { headers: { accept: "application/activity+json" } })).status, 200);
      });
    assert.is(r.stringify, true, "JSON.stringify is the engine's");
    assert.is(r.push, true, "Array.prototype.push is the engine's");
    // The only one: the global fetch, routed through the outbound policy while Fedify works (docs/decisions/0015).
    assert.equal(r.replaced, ["globalThis.fetch"]);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
