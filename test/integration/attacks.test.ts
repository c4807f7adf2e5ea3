/**
 * The findings of the attack run (issue 15), each replayed as it was sent: unsigned inbox bodies that used to make
 * the server fetch or fail (JSON strings, a bare URL, 10,000-deep activities, cyclic and remote contexts), a
 * provider's PATCH nested 5,000 deep, NUL and unpaired surrogates, Fedify's plain-text errors, unframed pages.
 */
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, sampleProvider, testEnv } from "../helpers/deps.ts";
import { offlineHttp } from "../helpers/fuzz.ts";

const PROBLEM = "application/problem+json; charset=utf-8";
const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

test("unsigned inbox deliveries are refused before any JSON-LD work: no fetch, no 500, whatever the body", async () => {
  const env = await testEnv();
  const http = offlineHttp();
  env.deps.http = http;
  try {
    const remote = { "@context": Array.from({ length: 11 }, (_, i) => `https://slow.example/ctx/${i}`), type: "Create", actor: "https://slow.example/u", object: "https://slow.example/o" };
    const bodies: Array<[string, string, number]> = [
      ["a JSON string", '"X#"', 400], ["a bare URL", '"https://evil.example/activity"', 400], ["an array", "[1,2]", 400], ["not JSON", "{nope", 400],
      ["10,000 deep", `{"type":"Create","object":${deep(10_000)}}`, 400],
      ["a cyclic context", JSON.stringify({ "@context": { "@context": "https://evil.example/cycle" }, type: "Follow" }), 401],
      ["11 remote contexts", JSON.stringify(remote), 401],
    ];
    for (const path of ["/ap/inbox", "/ap/providers/directory/inbox"]) {
      for (const [what, body, status] of bodies) {
        const res = await env.app.request(path, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
        assert.is(res.status, status, `${path}: ${what}`);
        assert.is(res.headers.get("content-type"), PROBLEM, what);
        const p = await json(res);
        assert.is(p.status, status);
        if (status === 401) assert.match(p.detail, /^This inbox only takes signed deliveries\./);
      }
    }
    assert.equal(http.calls, [], "nothing fetched for unsigned requests");
    // A signature naming a key is the one thing fetched (through the guarded fetch), and nothing the body names.
    const signed = await env.app.request("/ap/inbox", { method: "POST", body: JSON.stringify(remote), headers: {
      "content-type": "application/activity+json", date: new Date().toUTCString(), host: "localhost:3000",
      digest: `SHA-256=${createHash("sha256").update(JSON.stringify(remote)).digest("base64")}`,
      signature: 'keyId="https://slow.example/u#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"',
    } });
    assert.is(signed.status, 401);
    assert.equal(http.calls, ["https://slow.example/u#main-key"]);
    const big = await env.app.request("/ap/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify({ type: "Create", content: "x".repeat(300_000) }) });
    assert.equal([big.status, big.headers.get("content-type")], [413, PROBLEM]);
    assert.equal(await json(await env.app.request("/healthz")), { status: "ok", db: "ok", loops: {} });
  } finally { await env.close(); }
});

test("a provider's merge patch nested 5,000 deep is a 400 naming the body; __proto__ keys merge as plain keys", async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-deep");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    const patch = (body: string) => env.app.request(`/api/v1/providers/${slug}/offers/cloud`, { method: "PATCH", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body });
    const res = await patch(`{"software":${deep(5000)}}`);
    assert.is(res.status, 400);
    assert.equal((await json(res)).errors, [{ path: "(body)", message: "must not nest objects or arrays more than 32 levels deep" }]);
    const ok = await patch('{"__proto__":{"capacity":"full"},"title":{"en":"Patched"}}');
    assert.is(ok.status, 200);
    const offer = await json(ok);
    assert.equal([offer.capacity, offer.title.en, offer.title.fr], ["available", "Patched", "Nextcloud pour les écoles"]);
    assert.is(({} as Record<string, unknown>).capacity, undefined, "no prototype was polluted");
  } finally { await env.close(); }
});

test("NUL and unpaired surrogates are refused with 400 naming the field, never stored cut", async () => {
  const env = await testEnv();
  try {
    const reg = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider("chaton-nul", { name: "Chaton\u0000 Libre" })) });
    assert.is(reg.status, 400);
    assert.equal((await json(reg)).errors, [{ path: "name", message: "must not contain NUL characters or unpaired UTF-16 surrogates" }]);
    assert.is((await env.deps.db.selectFrom("providers").select("slug").where("slug", "=", "chaton-nul").execute()).length, 0);
    const { slug, token } = await registerProvider(env.app, "chaton-text");
    const bad = await putOffer(env.app, slug, token, "cloud", JSON.parse(JSON.stringify(sampleOffer()).replace("Nextcloud pour les écoles", "Nextcloud \\ud800")));
    assert.is(bad.status, 400);
    assert.equal((await json(bad)).errors, [{ path: "title.fr", message: "must not contain NUL characters or unpaired UTF-16 surrogates" }]);
    const key = await putOffer(env.app, slug, token, "cloud", { ...sampleOffer(), "x\u0000y": 1 });
    assert.equal((await json(key)).errors, [{ path: "x\uFFFDy", message: "must not contain NUL characters or unpaired UTF-16 surrogates" }]);
    const q = await env.app.request("/api/v1/offers?q=cloud%00");
    assert.is(q.status, 400);
    assert.equal((await json(q)).errors, [{ path: "q", message: "must not contain NUL characters or unpaired UTF-16 surrogates" }]);
    const page = await env.app.request("/?q=cloud%00&lang=en");
    assert.is(page.status, 400);
    assert.match(await page.text(), /Some search settings were not understood and were ignored: search text\./);
    const form = await env.app.request("/signup/chaton-text~cloud", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=a%40b.example&name=A%00B&consent=on" });
    assert.is(form.status, 400);
    assert.equal((await json(form)).errors, [{ path: "name", message: "must not contain NUL characters or unpaired UTF-16 surrogates" }]);
  } finally { await env.close(); }
});

test("Fedify's errors are problem+json; every HTML page carries the security headers (compare, signup, status, docs)", async () => {
  const env = await testEnv({ seed: true });
  try {
    for (const path of ["/.well-known/webfinger", "/.well-known/webfinger?resource=acct:nobody@localhost:3000", "/.well-known/webfinger?resource=%ZZ"]) {
      const res = await env.app.request(path);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
      assert.is(res.headers.get("content-type"), PROBLEM, path);
      assert.is((await json(res)).status, res.status);
    }
    const offerId = (await json(await env.app.request("/api/v1/offers?limit=2"))).items.map((o: any) => o.id);
    for (const path of ["/compare?ids=" + offerId.join(","), "/compare?ids=x", `/signup/${offerId[0]}`, "/signups/su_nothing?token=x", "/docs", "/", "/nothing-here-but-html"]) {
      const res = await env.app.request(path, { headers: { accept: "text/html" } });
      if (!/^text\/html/.test(res.headers.get("content-type") ?? "")) continue;
      assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, path);
      assert.is(res.headers.get("x-frame-options"), "DENY", path);
      assert.is(res.headers.get("x-content-type-options"), "nosniff", path);
    }
  } finally { await env.close(); }
});

test.run();
