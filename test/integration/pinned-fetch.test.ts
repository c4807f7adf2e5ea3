import { test } from "uvu";
import * as assert from "uvu/assert";
import { createSafeFetch, FetchRefused } from "../../src/delivery/net.ts";
import { createPinnedFetch } from "../../src/delivery/pinned-fetch.ts";
import { startServer } from "../helpers/server.ts";

test("pinned fetch connects to the address its resolver checked (a name no real DNS knows reaches the local server)", async () => {
  const server = await startServer((req, res) => {
    if (req.url === "/redirect") { res.statusCode = 302; res.setHeader("location", "/doc"); res.end(); return; }
    if (req.url === "/304") { res.statusCode = 304; res.setHeader("etag", '"x"'); res.end(); return; }
    res.setHeader("etag", '"v1"');
    res.end(`hello ${req.headers.host} ${req.method}`);
  });
  try {
    const resolve = async (host: string) => (host === "directory-test.invalid" ? ["127.0.0.1"] : []);
    const http = createSafeFetch({ fetch: createPinnedFetch({ allowPrivate: true, resolve }), allowPrivate: true, resolve });
    const r = await http(`http://directory-test.invalid:${server.port}/redirect`);
    assert.equal([r.status, r.text(), r.url, r.headers.get("etag")], [200, `hello directory-test.invalid:${server.port} GET`, `http://directory-test.invalid:${server.port}/doc`, '"v1"']);
    const nm = await http(`http://directory-test.invalid:${server.port}/304`, { headers: { "if-none-match": '"x"' } });
    assert.equal([nm.status, nm.body.byteLength], [304, 0]);
  } finally { await server.close(); }
});

test("pinned fetch refuses at connect time when the name resolves to a private address (DNS rebinding between check and connect)", async () => {
  const server = await startServer((_req, res) => res.end("secret"));
  try {
    let calls = 0;
    // First answer (the SafeFetch pre-check) is public, the second (the connection) is loopback: a rebinding attack.
    const resolve = async () => (++calls === 1 ? ["93.184.216.34"] : ["127.0.0.1"]);
    const http = createSafeFetch({ fetch: createPinnedFetch({ allowPrivate: false, resolve }), allowPrivate: false, resolve });
    let error: unknown;
    try { await http(`http://rebind.invalid:${server.port}/`); } catch (e) { error = e; }
    assert.ok(error instanceof FetchRefused);
    assert.is((error as FetchRefused).reason, "address");
    assert.is((error as FetchRefused).message, "refusing to connect to rebind.invalid: it resolves to a private or loopback address (127.0.0.1)");
    assert.is(server.requests.length, 0);
  } finally { await server.close(); }
});

test("pinned fetch: timeouts abort, bodies are capped", async () => {
  const server = await startServer(async (req, res) => {
    if (req.url === "/slow") { await new Promise((r) => setTimeout(r, 1000)); res.end("late"); return; }
    res.end("x".repeat(5000));
  });
  try {
    const resolve = async () => ["127.0.0.1"];
    const http = createSafeFetch({ fetch: createPinnedFetch({ allowPrivate: true, resolve }), allowPrivate: true, resolve });
    const reasons: string[] = [];
    for (const [path, opts] of [["/slow", { timeoutMs: 100 }], ["/big", { maxBytes: 1000 }]] as const) {
      try { await http(`http://any.invalid:${server.port}${path}`, opts); } catch (e) { reasons.push((e as FetchRefused).reason); }
    }
    assert.equal(reasons, ["timeout", "too-large"]);
  } finally { await server.close(); }
});

test.run();
