/** Hostile or malformed search input: always a 400 problem+json or a valid (possibly empty) result, never a 500. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { searchCursor } from "../../src/domain/catalog/search.ts";

const encodeCursor = searchCursor.encode;
import { json, silentLogger, testEnv, type TestEnv } from "../helpers/deps.ts";

let env: TestEnv;
test.before(async () => { env = await testEnv({ seed: true }); });
test.after(async () => { await env.close(); });

async function get(qs: string) {
  const res = await env.app.request(`/api/v1/offers?${qs}`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: text ? JSON.parse(text) : null };
}

const problem400 = async (qs: string, path: string) => {
  const r = await get(qs);
  assert.is(r.status, 400, qs);
  assert.is(r.type, "application/problem+json; charset=utf-8");
  assert.is(r.body.type, "https://chatons-directory.org/problems/validation");
  assert.ok(r.body.errors.some((e: { path: string }) => e.path === path), `${qs}: ${JSON.stringify(r.body.errors)}`);
};

test("FTS syntax characters in q never reach FTS5: valid results", async () => {
  const before = silentLogger.errors.length;
  for (const q of ['"', "*", "NEAR(", "NEAR(nextcloud jitsi, 2)", "-nextcloud", "title:nextcloud", "nextcloud OR jitsi", "AND", "(", ")", "^jitsi", "jitsi\"*", "'", "\\", "%", "{title}: x", "a - b : c * d"]) {
    const r = await get(`q=${encodeURIComponent(q)}`);
    assert.is(r.status, 200, q);
    assert.type(r.body.total, "number");
    assert.ok(Array.isArray(r.body.items));
  }
  // Operators are plain words: "title:nextcloud" finds Nextcloud offers whose text also says "title"? No: both words must match.
  assert.is((await get("q=NEAR(")).body.total, 0);
  assert.is((await get(`q=${encodeURIComponent('"*-:')}`)).body.total, 0);
  assert.ok((await get(`q=${encodeURIComponent('"jitsi"')}`)).body.total > 0);
  assert.is(silentLogger.errors.length, before);
});

test("a 10 kB q is a 400 problem naming q", async () => {
  await problem400(`q=${"a".repeat(10_240)}`, "q");
});

test("limit=0, 101, abc, -1, 1.5 are 400 problems; 1 and 100 are fine", async () => {
  for (const l of ["0", "101", "abc", "-1", "1.5", ""]) await problem400(`limit=${l}`, "limit");
  assert.is((await get("limit=1")).body.items.length, 1);
  assert.is((await get("limit=100")).body.items.length, 100);
});

test("unknown enum values are 400 problems naming the field", async () => {
  await problem400("service=teleportation", "service");
  await problem400("sort=random", "sort");
  await problem400("price=cheap", "price");
  await problem400("registration=maybe", "registration");
  await problem400("available=yes", "available");
  await problem400("country=france", "country");
  await problem400("orgType=club", "orgType");
});

test("malformed or foreign cursors are 400 problems naming cursor", async () => {
  for (const c of ["%%%", "not-base64!", "abc", "eyJ4IjoxfQ", encodeCursor({ s: "name", k: "x", i: 1 }) + "=", "a".repeat(600)]) {
    await problem400(`cursor=${encodeURIComponent(c)}`, "cursor");
  }
  // A valid cursor of another sort, or with a bad version, is refused too.
  await problem400(`sort=price&cursor=${encodeCursor({ s: "name", k: "x", i: 1 })}`, "cursor");
  await problem400(`sort=name&cursor=${encodeCursor({ s: "name", k: "x", i: 1, v: "drop table" })}`, "cursor");
  await problem400(`sort=name&cursor=${encodeCursor({ s: "name", k: { $gt: 1 } as never, i: 1 })}`, "cursor");
  // A well-formed cursor past the end is a valid empty page.
  const r = await get(`sort=name&cursor=${encodeCursor({ s: "name", k: "zzzz", i: 1 })}`);
  assert.is(r.status, 200);
  assert.equal(r.body.items, []);
  assert.is(r.body.nextCursor, null);
});

test("unknown parameters are ignored; repeated and comma-separated values are the same filter", async () => {
  const a = await get("service=pad&service=chat&foo=bar");
  const b = await get("service=chat,pad");
  assert.is(a.status, 200);
  assert.is(a.body.total, b.body.total);
  assert.equal(a.body.items.map((o: { id: string }) => o.id), b.body.items.map((o: { id: string }) => o.id));
});

test("cache bypass header is ignored unless SEARCH_CACHE_BYPASS allows it", async () => {
  await get("q=jitsi");
  const hits = (await get("q=jitsi")).status;
  assert.is(hits, 200);
  const body = await json(await env.app.request("/api/v1/offers?q=jitsi", { headers: { "x-search-cache": "off" } }));
  assert.is(body.total, 15);
});

test.run();
