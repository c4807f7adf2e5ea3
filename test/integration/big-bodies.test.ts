/**
 * Bounded request bodies, measured on the real server process (src/runtime/node.ts): for every route that reads a
 * body, 10 concurrent 50 MB uploads (half with Content-Length, half chunked) from a client that keeps sending after
 * the answer. Each gets 413 problem+json, and the server's peak resident memory (VmHWM) grows by less than 50 MB.
 * Also: a request line over 16 KB gets a 431 problem body, and a client vanishing mid-body is logged at debug only.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sampleOffer, sampleProvider } from "../helpers/deps.ts";
import { startServer, type Server } from "../helpers/process.ts";
import { eventually } from "../helpers/wait.ts";

const MB = 1024 * 1024;
const BODY = 50 * MB;
const UPLOADS = 10;
const ADMIN = "admin-token-for-bodies-0123456789";

/** Peak and current resident memory of a process, from /proc (Linux). */
function memory(pid: number): { peak: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { peak: kb("VmHWM"), rss: kb("VmRSS") };
}

type Upload = { status?: number; type?: string; body: string; error?: string };

/** Sends `size` bytes (spaces) as a body, and keeps sending after the answer comes, as a hostile client would. */
function upload(port: number, method: string, path: string, headers: Record<string, string>, size: number, chunked: boolean): Promise<Upload> {
  return new Promise((resolve) => {
    const result: Upload = { body: "" };
    let responded = false;
    let uploadDone = false;
    // Keep-alive, as browsers and HTTP libraries do: the server then reads on (and discards) after answering, instead
    // of closing at once, which would make the client's TCP stack drop the answer it had not read yet.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const finish = () => { if (responded && uploadDone) { agent.destroy(); resolve(result); } };
    const req = request({ host: "127.0.0.1", port, method, path, agent, headers: { ...headers, ...(chunked ? {} : { "content-length": String(size) }) } });
    req.on("response", (res) => {
      result.status = res.statusCode;
      result.type = String(res.headers["content-type"] ?? "");
      res.setEncoding("utf8");
      res.on("data", (c) => { result.body += c; });
      res.on("end", () => { responded = true; finish(); });
      res.on("error", () => { responded = true; finish(); });
    });
    req.on("error", (e) => {
      result.error ??= (e as NodeJS.ErrnoException).code;
      uploadDone = true;
      // The server may close the socket after answering: the answer already arrived, or never will.
      if (result.status === undefined) responded = true;
      finish();
    });
    req.on("close", () => { uploadDone = true; if (result.status === undefined) responded = true; finish(); });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once("drain", pump); return; }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

test(`every route that reads a body: ${UPLOADS} × 50 MB answered 413 problem+json while the server's peak memory grows < 50 MB`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-bodies-"));
  let server: Server | undefined;
  try {
    server = await startServer({ DATABASE_URL: `file:${join(dir, "b.db")}`, SEED: "demo", ADMIN_TOKEN: ADMIN, LOG_LEVEL: "warn", REGISTRATION_RATE_LIMIT_IP: "1000/1h" });
    const base = server.url;
    const port = Number(new URL(base).port);
    const pid = server.child.pid!;
    const reg = await fetch(`${base}/api/v1/providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider("chaton-big")) });
    const { token } = await reg.json();
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    await fetch(`${base}/api/v1/providers/chaton-big/offers/cloud`, { method: "PUT", headers: auth, body: JSON.stringify(sampleOffer({ signup: { mode: "webhook" } })) });
    const admin = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const activity = { "content-type": "application/activity+json" };
    const demoSlug = (await (await fetch(`${base}/api/v1/providers?limit=1`)).json()).items[0].slug;
    const routes: Array<[string, string, Record<string, string>]> = [
      ["POST", "/api/v1/providers", { "content-type": "application/json" }],
      ["PUT", "/api/v1/providers/chaton-big/offers/cloud", auth], ["PATCH", "/api/v1/providers/chaton-big/offers/cloud", auth],
      ["PUT", "/api/v1/providers/chaton-big/source", auth], ["PUT", "/api/v1/providers/chaton-big/webhook", auth], ["PUT", "/api/v1/providers/chaton-big/nextcloud", auth],
      ["POST", "/api/v1/signups", { "content-type": "application/json" }], ["POST", "/api/v1/signups/su_x/events", auth],
      ["POST", "/api/v1/admin/follows", admin], ["POST", "/api/v1/admin/blocks", admin], ["POST", "/api/v1/admin/followers/accept", admin], ["POST", "/api/v1/admin/followers/reject", admin],
      ["POST", "/signup/chaton-big~cloud", form], ["POST", "/ap/inbox", activity], ["POST", "/ap/providers/chaton-big/inbox", activity],
      ["POST", `/demo/providers/${demoSlug}/webhook`, { "content-type": "application/json" }], ["POST", `/demo/providers/${demoSlug}/nextcloud/ocs/v2.php/account/request/x`, form],
      // Routes that never read a body get one too: it is refused the same way.
      ["POST", "/api/v1/providers/chaton-big/verification", auth],
    ];
    // Warm-up: each route once with a small body and once over the limit, so the code paths are loaded and compiled.
    for (const [method, path, headers] of routes) {
      await upload(port, method, path, headers, 100, false);
      await upload(port, method, path, headers, 300 * 1024, true);
    }
    const before = memory(pid);
    const started = performance.now();
    let uploads = 0;
    let answered = 0;
    let resets = 0;
    for (const [method, path, headers] of routes) {
      const results = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => upload(port, method, path, headers, BODY, i % 2 === 1)));
      for (const [i, r] of results.entries()) {
        // The server answers 413 at once, reads on (discarding) for up to 500 ms, then closes. A client too busy to
        // read the answer within that time sees only the reset: never another answer, never a read body.
        if (r.status === undefined && (r.error === "ECONNRESET" || r.error === "EPIPE")) { resets++; continue; }
        assert.is(r.status, 413, `${method} ${path} #${i} (${i % 2 ? "chunked" : "content-length"}): ${r.status} ${r.error ?? ""} ${r.body.slice(0, 120)}`);
        assert.match(r.type ?? "", /^application\/problem\+json/);
        assert.is(JSON.parse(r.body).type, "https://chatons-directory.org/problems/payload-too-large");
        answered++;
      }
      assert.ok(results.some((r) => r.status === 413), `${method} ${path}: no upload saw the 413`);
      uploads += results.length;
    }
    const after = memory(pid);
    const growth = after.peak - before.peak;
    console.log(`  big bodies: ${routes.length} routes × ${UPLOADS} × 50 MB = ${uploads} uploads (${answered} read the 413, ${resets} reset first) in ${((performance.now() - started) / 1000).toFixed(1)} s; server peak RSS ${(before.peak / MB).toFixed(1)} → ${(after.peak / MB).toFixed(1)} MB (+${(growth / MB).toFixed(1)} MB)`);
    assert.ok(growth < 50 * MB, `peak memory grew by ${(growth / MB).toFixed(1)} MB`);
    const health = await (await fetch(`${base}/healthz`)).json() as { status: string; db: string; loops: Record<string, { stuck: boolean }> };
    assert.equal([health.status, health.db, Object.values(health.loops).some((l) => l.stuck)], ["ok", "ok", false]);
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a request line over 16 KB gets a 431 problem body; a client leaving mid-body is logged at debug, not as an error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-431-"));
  let server: Server | undefined;
  try {
    server = await startServer({ DATABASE_URL: `file:${join(dir, "c.db")}`, SEED: "none", LOG_LEVEL: "debug" });
    const port = Number(new URL(server.url).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write(`GET /api/v1/offers?q=${"x".repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
      let data = "";
      socket.on("data", (d) => { data += d; });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    const [head, body] = raw.split("\r\n\r\n");
    assert.match(head, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.match(head, /\r\ncontent-type: application\/problem\+json; charset=utf-8\r\n/);
    const problem = JSON.parse(body);
    assert.equal([problem.type, problem.status], ["https://chatons-directory.org/problems/headers-too-large", 431]);

    for (const chunked of [false, true]) {
      await new Promise<void>((resolve) => {
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/providers", agent: false, headers: { "content-type": "application/json", ...(chunked ? {} : { "content-length": "100000" }) } });
        req.on("error", () => resolve());
        req.write(`{"slug": "${"a".repeat(1000)}`, () => setTimeout(() => { req.destroy(); resolve(); }, 100));
      });
    }
    const output = () => server!.output();
    await eventually("both aborts logged", () => (output().match(/client closed the connection mid-request/g)?.length ?? 0) >= 2);
    assert.not.match(output(), /"level":"error"/);
    assert.match(output(), /\{"level":"debug","msg":"client closed the connection mid-request","method":"POST","path":"\/api\/v1\/providers"\}/);
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
