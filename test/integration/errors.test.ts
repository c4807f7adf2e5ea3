import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, registerProvider, testEnv } from "../helpers/deps.ts";

const PROBLEM = "application/problem+json; charset=utf-8";

test("400 lists each invalid query field; unknown parameters are ignored", async () => {
  const env = await testEnv();
  try {
    const res = await env.app.request("/api/v1/offers?limit=abc&service=teleportation&sort=random&utm_source=x");
    assert.is(res.status, 400);
    assert.is(res.headers.get("content-type"), PROBLEM);
    const p = await json(res);
    assert.is(p.type, "https://chatons-directory.org/problems/validation");
    assert.equal(p.errors.map((e: any) => e.path).sort(), ["limit", "service", "sort"]);
    assert.is((await env.app.request("/api/v1/offers?utm_source=x")).status, 200);
  } finally { await env.close(); }
});

test("405 with Allow, 404 for unknown paths, 415, 413 and malformed JSON", async () => {
  const env = await testEnv();
  try {
    const m = await env.app.request("/api/v1/offers", { method: "DELETE" });
    assert.is(m.status, 405);
    assert.is(m.headers.get("allow"), "GET");
    assert.is(m.headers.get("content-type"), PROBLEM);
    // A trailing slash is another path (routing is strict): 404, not "GET is not allowed; use GET".
    const slash = await env.app.request("/api/v1/offers/");
    assert.is(slash.status, 404);
    assert.is(slash.headers.get("allow"), null);
    assert.is((await env.app.request("/for-providers/", { headers: { accept: "text/html" } })).status, 404);
    // A person posting to a page, or opening a button's address, gets an HTML page (405, with Allow).
    const page = await env.app.request("/provider/signout", { headers: { accept: "text/html" } });
    assert.is(page.status, 405);
    assert.is(page.headers.get("allow"), "POST");
    assert.match(page.headers.get("content-type")!, /text\/html/);
    const nf = await env.app.request("/api/v1/nothing");
    assert.is(nf.status, 404);
    assert.is((await json(nf)).type, "https://chatons-directory.org/problems/not-found");
    const form = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "slug=x" });
    assert.is(form.status, 415);
    const big = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ slug: "x".repeat(300_000) }) });
    assert.is(big.status, 413);
    assert.is(big.headers.get("content-type"), PROBLEM);
    const broken = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    assert.is(broken.status, 400);
    assert.equal((await json(broken)).errors, [{ path: "(body)", message: "is not valid JSON" }]);
  } finally { await env.close(); }
});

test("registration validates every field and refuses a taken slug with 409", async () => {
  const env = await testEnv();
  try {
    const bad = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: "A b", name: "", website: "ftp://x", email: "nope", country: "fr", orgType: "guild" }) });
    assert.is(bad.status, 400);
    assert.equal((await json(bad)).errors.map((e: any) => e.path).sort(), ["country", "email", "name", "orgType", "slug", "website"]);
    await registerProvider(env.app, "chaton-x");
    const dup = await env.app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: "chaton-x", name: "X", website: "https://x.example", email: "a@x.example", country: "FR", orgType: "association" }) });
    assert.is(dup.status, 409);
    assert.is((await json(dup)).type, "https://chatons-directory.org/problems/conflict");
  } finally { await env.close(); }
});

test("an unexpected failure is a 500 problem without internals; healthz reports the database", async () => {
  const env = await testEnv();
  try {
    assert.equal(await json(await env.app.request("/healthz")), { status: "ok", db: "ok", loops: {} });
    await env.deps.db.destroy();
    const res = await env.app.request("/api/v1/offers?q=cloud");
    assert.is(res.status, 500);
    const body = await res.text();
    assert.is(res.headers.get("content-type"), PROBLEM);
    assert.not.match(body, /at |Error:|sqlite|libsql/i);
    assert.is(JSON.parse(body).type, "https://chatons-directory.org/problems/internal");
    const h = await env.app.request("/healthz");
    assert.is(h.status, 503);
  } finally { await env.close(); }
});

test("OpenAPI document and docs page", async () => {
  const env = await testEnv();
  try {
    const doc = await json(await env.app.request("/openapi.json"));
    assert.is(doc.openapi, "3.1.0");
    assert.ok(doc.paths["/api/v1/offers"].get.parameters.some((p: any) => p.name === "service" && p.schema.items.enum.includes("storage")));
    assert.ok(doc.components.schemas.Offer.properties.provider);
    const page = await env.app.request("/docs?lang=fr");
    assert.is(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /Référence de l’API/);
    assert.match(html, /\/api\/v1\/offers/);
  } finally { await env.close(); }
});

test.run();
