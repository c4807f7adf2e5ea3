import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../../src/runtime/shared.ts";
import { json, registerProvider, sampleProvider, testEnv } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";

const PROBLEM = "application/problem+json; charset=utf-8";
const from = (ip: string) => ({ "x-forwarded-for": ip });

test("registrations are rate limited per client address: 429 problem with Retry-After, other addresses unaffected, a new window resets", async () => {
  const env = await testEnv({ env: { CLIENT_IP_HEADER: "x-forwarded-for", REGISTRATION_RATE_LIMIT_IP: "2/1h" } });
  try {
    const register = (slug: string, ip: string) => env.app.request("/api/v1/providers", {
      method: "POST", headers: { "content-type": "application/json", ...from(ip) }, body: JSON.stringify(sampleProvider(slug)),
    });
    assert.equal([(await register("reg-a", "198.51.100.1")).status, (await register("reg-b", "198.51.100.1")).status], [201, 201]);
    const third = await register("reg-c", "198.51.100.1");
    assert.is(third.status, 429);
    assert.is(third.headers.get("content-type"), PROBLEM);
    assert.is(third.headers.get("retry-after"), "3600");
    const p = await json(third);
    assert.equal([p.type, p.retryAfter], ["https://chatons-directory.org/problems/rate-limited", 3600]);
    assert.is((await env.deps.db.selectFrom("providers").select("slug").where("slug", "=", "reg-c").execute()).length, 0, "nothing was created");
    assert.is((await register("reg-d", "198.51.100.2")).status, 201);
    env.deps.clock.advance(3_600_000);
    assert.is((await register("reg-c", "198.51.100.1")).status, 201);
  } finally { await env.close(); }
});

test("pull-source changes are limited per provider and per address; a refused change fetches nothing", async () => {
  const env = await testEnv({ env: { CLIENT_IP_HEADER: "x-forwarded-for", SOURCE_RATE_LIMIT_PROVIDER: "2/1h", SOURCE_RATE_LIMIT_IP: "3/1h" } });
  const server = await startServer((_req, res) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ offers: [] })); });
  try {
    const a = await registerProvider(env.app, "src-a");
    const b = await registerProvider(env.app, "src-b");
    const c = await registerProvider(env.app, "src-c");
    const put = (p: { slug: string; token: string }, ip: string) => env.app.request(`/api/v1/providers/${p.slug}/source`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}`, ...from(ip) }, body: JSON.stringify({ url: `${server.url}/doc.json`, format: "json" }),
    });
    const del = (p: { slug: string; token: string }, ip: string) => env.app.request(`/api/v1/providers/${p.slug}/source`, { method: "DELETE", headers: { authorization: `Bearer ${p.token}`, ...from(ip) } });
    assert.equal([(await put(a, "192.0.2.10")).status, (await del(a, "192.0.2.11")).status], [200, 204]);
    const perProvider = await put(a, "192.0.2.12");
    assert.is(perProvider.status, 429);
    assert.match((await json(perProvider)).detail, /^Too many source requests for this provider; try again in \d+ s\.$/);
    assert.is(server.requests.length, 1, "only the accepted PUT pulled");
    // Other providers from the address that already made one change: two more are allowed from there, the third is not.
    assert.equal([(await put(b, "192.0.2.10")).status, (await put(c, "192.0.2.10")).status], [200, 200]);
    const perIp = await put(c, "192.0.2.10");
    assert.is(perIp.status, 429);
    assert.match((await json(perIp)).detail, /^Too many source requests from this address; try again in \d+ s\.$/);
    assert.is(server.requests.length, 3);
  } finally { await server.close(); await env.close(); }
});

test("domain-proof checks are limited per provider; the refused check fetches nothing", async () => {
  const env = await testEnv({ env: { VERIFICATION_RATE_LIMIT_PROVIDER: "2/1h" } });
  const server = await startServer((_req, res) => { res.statusCode = 404; res.end("no"); });
  try {
    const p = await registerProvider(env.app, "proof-a", { website: server.url });
    const check = () => env.app.request(`/api/v1/providers/${p.slug}/verification`, { method: "POST", headers: { authorization: `Bearer ${p.token}` } });
    assert.equal([(await check()).status, (await check()).status, (await check()).status], [409, 409, 429]);
    assert.is(server.requests.length, 2);
  } finally { await server.close(); await env.close(); }
});

test("pull sources on a private address are refused when set (400 naming url), like webhooks", async () => {
  const env = await testEnv({ env: { ALLOW_PRIVATE_NETWORK: "0" } });
  try {
    const p = await registerProvider(env.app, "src-private");
    for (const url of ["http://127.0.0.1/doc.json", "http://localhost./doc.json", "http://[::ffff:10.0.0.1]/x", "http://[2002:a9fe:a9fe::]/x"]) {
      const res = await env.app.request(`/api/v1/providers/${p.slug}/source`, {
        method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ url, format: "json" }),
      });
      assert.is(res.status, 400, url);
      assert.equal((await json(res)).errors, [{ path: "url", message: "must be a public address" }]);
    }
    assert.is((await env.deps.db.selectFrom("provider_sources").select("id").execute()).length, 0);
  } finally { await env.close(); }
});

test("StatoolInfos service files are read only on the organization file's host, or on a host the operator allows", async () => {
  const org = (base: string, other: string) => readFileSync(resolve(ROOT, "seeds/statoolinfos/organization.properties"), "utf8")
    .replace(/^subs\..*$/gm, "")
    .concat(`\nsubs.etherpad = ${base}/etherpad.properties\nsubs.jitsi = jitsi.properties\nsubs.nextcloud = ${other}/nextcloud.properties\n`);
  const serve = (base: string, other: string) => staticFiles(new Map([
    ["/organization.properties", org(base, other)],
    ...["etherpad", "jitsi", "nextcloud"].map((n) => [`/${n}.properties`, readFileSync(resolve(ROOT, `seeds/statoolinfos/${n}.properties`), "utf8")] as [string, string]),
  ]));
  for (const allow of [undefined, "localhost"]) {
    const env = await testEnv({ env: allow ? { STATOOLINFOS_HOSTS: allow } : {} });
    let handler = staticFiles(new Map());
    const server = await startServer((req, res) => handler(req, res));
    // The organization file is on 127.0.0.1; one service file is named on "localhost" (another host, same machine).
    const base = server.url;
    const other = `http://localhost:${server.port}`;
    handler = serve(base, other);
    try {
      const p = await registerProvider(env.app, "chaton-hosts");
      const res = await env.app.request(`/api/v1/providers/${p.slug}/source`, {
        method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: JSON.stringify({ url: `${base}/organization.properties`, format: "statoolinfos" }),
      });
      const { lastPull } = await json(res);
      const paths = server.requests.map((r) => `${r.headers.host === `localhost:${server.port}` ? "localhost" : "127.0.0.1"}${r.path}`).sort();
      if (!allow) {
        assert.equal(paths, ["127.0.0.1/etherpad.properties", "127.0.0.1/jitsi.properties", "127.0.0.1/organization.properties"]);
        assert.is(lastPull.created, 2);
        assert.ok(lastPull.issues.some((i: any) => i.message === `subs.nextcloud: localhost:${server.port} is not this file's host; service files are read only from 127.0.0.1:${server.port}; not listed`), JSON.stringify(lastPull.issues));
      } else {
        assert.equal(paths, ["127.0.0.1/etherpad.properties", "127.0.0.1/jitsi.properties", "127.0.0.1/organization.properties", "localhost/nextcloud.properties"]);
        assert.is(lastPull.created, 3);
      }
    } finally { await server.close(); await env.close(); }
  }
});

test.run();
