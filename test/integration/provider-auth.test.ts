import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, sampleProvider, testEnv, type TestEnv } from "../helpers/deps.ts";

const post = (env: TestEnv, body: unknown) =>
  env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const authed = (token: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

test("registration: 201 with a ≥32-byte token shown once, stored only as a hash; email private; slug conflict 409; per-field errors", async () => {
  const env = await testEnv();
  try {
    const res = await post(env, sampleProvider("chaton-r"));
    assert.is(res.status, 201);
    assert.is(res.headers.get("location"), "/api/v1/providers/chaton-r");
    const body = await json(res);
    assert.match(body.token, /^cdp_[A-Za-z0-9_-]{43}$/);
    assert.equal(body.verification, { url: "https://chaton-r.example/.well-known/chatons-directory.txt", token: body.verification.token });
    assert.match(body.verification.token, /^chatons-directory-verification=[A-Za-z0-9_-]{32}$/);
    assert.is(body.provider.email, "contact@chaton-r.example");
    const stored = await env.deps.db.selectFrom("provider_tokens").selectAll().execute();
    assert.is(stored.length, 1);
    assert.match(stored[0].token_hash, /^[0-9a-f]{64}$/);
    assert.not.ok(JSON.stringify(await env.deps.db.selectFrom("providers").selectAll().execute()).includes(body.token));
    const pub = await (await env.app.request("/api/v1/providers/chaton-r")).text();
    assert.not.ok(pub.includes("contact@chaton-r.example"));
    assert.is((await post(env, sampleProvider("chaton-r"))).status, 409);
    const bad = await post(env, { ...sampleProvider("X"), email: "nope", country: "fr" });
    assert.is(bad.status, 400);
    assert.equal((await json(bad)).errors.map((e: any) => e.path), ["slug", "email", "country"]);
  } finally { await env.close(); }
});

test("tokens: rotation revokes the old token; revocation (DELETE …/token) locks every token out", async () => {
  const env = await testEnv();
  try {
    const a = await registerProvider(env.app, "chaton-t");
    const acc = await env.app.request("/api/v1/providers/chaton-t/account", authed(a.token));
    assert.is(acc.status, 200);
    assert.equal((await json(acc)).provider.email, "contact@chaton-t.example");
    const rot = await json(await env.app.request("/api/v1/providers/chaton-t/token/rotate", authed(a.token, { method: "POST" })));
    assert.is((await env.app.request("/api/v1/providers/chaton-t/account", authed(a.token))).status, 401);
    assert.is((await env.app.request("/api/v1/providers/chaton-t/account", authed(rot.token))).status, 200);
    const revoke = await env.app.request("/api/v1/providers/chaton-t/token", authed(rot.token, { method: "DELETE" }));
    assert.is(revoke.status, 204);
    const after = await env.app.request("/api/v1/providers/chaton-t/account", authed(rot.token));
    assert.is(after.status, 401);
    assert.is(after.headers.get("www-authenticate"), 'Bearer realm="chatons-directory"');
    assert.is((await json(after)).detail, "The token is unknown or revoked.");
    const rows = await env.deps.db.selectFrom("provider_tokens").select(["revoked_at"]).orderBy("id").execute();
    assert.equal(rows.map((r) => r.revoked_at), ["2026-11-25T12:00:00.000Z", "2026-11-25T12:00:00.000Z"]);
    assert.is((await env.app.request("/api/v1/providers/chaton-t/account")).status, 401);
    assert.is((await env.app.request("/api/v1/providers/chaton-t/account", authed("cdp_forged"))).status, 401);
    assert.is((await env.app.request("/api/v1/providers/nobody/account", authed(a.token))).status, 401);
  } finally { await env.close(); }
});

/** Every table's content, to prove a refused request changed nothing. */
async function snapshot(env: TestEnv) {
  const out: Record<string, unknown[]> = {};
  for (const t of ["providers", "offers", "offer_tags", "provider_tokens", "offer_changes", "provider_sources", "meta"] as const) {
    out[t] = await env.deps.db.selectFrom(t).selectAll().execute();
  }
  return JSON.stringify(out);
}

test("authorization matrix: A's token on every endpoint of B → 403, no private data in the body, nothing changed", async () => {
  const env = await testEnv();
  try {
    const a = await registerProvider(env.app, "chaton-a");
    const b = await registerProvider(env.app, "chaton-b");
    assert.is((await putOffer(env.app, b.slug, b.token, "cloud", sampleOffer())).status, 201);
    const etag = (await env.app.request("/api/v1/offers/chaton-b~cloud")).headers.get("etag")!;
    const jsonBody = (body: unknown, extra: Record<string, string> = {}) => ({ headers: { "content-type": "application/json", ...extra }, body: JSON.stringify(body) });
    const endpoints: Array<[string, string, RequestInit]> = [
      ["GET", "/account", {}],
      ["POST", "/token/rotate", {}],
      ["DELETE", "/token", {}],
      ["POST", "/verification", {}],
      ["GET", "/source", {}],
      ["PUT", "/source", jsonBody({ url: "http://127.0.0.1:9/doc", format: "json" })],
      ["PUT", "/source", jsonBody({ url: "not a url" })],
      ["PUT", "/source", { headers: { "content-type": "text/plain" }, body: "x" }],
      ["DELETE", "/source", {}],
      ["PUT", "/offers/cloud", jsonBody(sampleOffer({ title: { fr: "Volé" } }))],
      ["PUT", "/offers/cloud", jsonBody(sampleOffer({ title: { fr: "Volé" } }), { "if-match": etag })],
      ["PUT", "/offers/new-one", jsonBody(sampleOffer())],
      ["PATCH", "/offers/cloud", jsonBody({ capacity: "full" })],
      ["DELETE", "/offers/cloud", {}],
      ["DELETE", "/offers/cloud", { headers: { "if-match": etag } }],
    ];
    const before = await snapshot(env);
    for (const [method, path, init] of endpoints) {
      const res = await env.app.request(`/api/v1/providers/chaton-b${path}`, authed(a.token, { ...init, method }));
      assert.is(res.status, 403, `${method} ${path}`);
      const text = await res.text();
      assert.is(JSON.parse(text).type, "https://chatons-directory.org/problems/forbidden");
      assert.not.ok(text.includes("contact@chaton-b.example") || text.includes("verification="), `${method} ${path} leaks`);
    }
    assert.is(await snapshot(env), before);
    // The same calls with B's own token reach the handlers (not 401/403).
    assert.is((await env.app.request("/api/v1/providers/chaton-b/account", authed(b.token))).status, 200);
    assert.is((await env.app.request("/api/v1/providers/chaton-b/source", authed(b.token))).status, 404);
  } finally { await env.close(); }
});

test("offer CRUD: PATCH and DELETE honour If-Match (412, nothing changed); one change event per change, none for an identical push", async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-c");
    const path = `/api/v1/providers/${slug}/offers/cloud`;
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 200); // identical: no event
    const etag = (await env.app.request("/api/v1/offers/chaton-c~cloud")).headers.get("etag")!;
    const patch = (headers: Record<string, string>) => env.app.request(path, authed(token, { method: "PATCH", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ capacity: "full" }) }));
    assert.is((await patch({ "if-match": '"old"' })).status, 412);
    assert.is((await env.app.request(path, authed(token, { method: "DELETE", headers: { "if-match": '"old"' } }))).status, 412);
    assert.is((await json(await env.app.request("/api/v1/offers/chaton-c~cloud"))).capacity, "available");
    const patched = await patch({ "if-match": etag });
    assert.is(patched.status, 200);
    const etag2 = (await env.app.request("/api/v1/offers/chaton-c~cloud")).headers.get("etag")!;
    assert.is.not(etag2, etag);
    assert.is((await env.app.request(path, authed(token, { method: "DELETE", headers: { "if-match": etag } }))).status, 412);
    assert.is((await env.app.request(path, authed(token, { method: "DELETE", headers: { "if-match": etag2 } }))).status, 204);
    assert.is((await env.app.request(path, authed(token, { method: "DELETE" }))).status, 404);
    const events = await env.deps.db.selectFrom("offer_changes").select("kind").orderBy("id").execute();
    assert.equal(events.map((e) => e.kind), ["created", "updated", "deleted"]);
  } finally { await env.close(); }
});

test.run();
