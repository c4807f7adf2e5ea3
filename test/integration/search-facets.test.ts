/** Filters × facets against a brute-force recount; pagination with no duplicate and no gap while offers are inserted. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fold } from "../../src/domain/text.ts";
import { createCatalogSearch } from "../../src/domain/catalog/search.ts";
import { SearchQuery } from "../../src/domain/schemas.ts";
import * as v from "valibot";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";

let env: TestEnv;
test.before(async () => { env = await testEnv({ seed: true }); });
test.after(async () => { await env.close(); });

type O = any;
async function walk(query: string, limit: number, between?: (page: number) => Promise<void>): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: Response = await env.app.request(`/api/v1/offers?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    assert.is(res.status, 200);
    const body = await json(res);
    ids.push(...body.items.map((o: O) => o.id));
    cursor = body.nextCursor;
    pages++;
    if (between && cursor && pages <= 6) await between(pages);
  } while (cursor && pages < 200);
  return { ids, pages };
}

async function allOffers(): Promise<O[]> {
  const out: O[] = [];
  let cursor: string | null = null;
  do {
    const body: O = await json(await env.app.request(`/api/v1/offers?sort=name&limit=100${cursor ? `&cursor=${cursor}` : ""}`));
    out.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return out;
}

/** "Open to signups": a person can join it now, through the directory, on the provider's page, or with no account at all. */
const joinable = (o: O) => o.capacity === "available" && o.registration !== "closed"
  && (o.registration === "none" || o.acceptsSignups || (o.signup.mode === "external" && o.signup.url !== undefined));

/** The values an offer has for each filter field, computed from its public JSON. */
function values(o: O): Record<string, string[]> {
  return {
    service: [o.service, ...o.includes.map((i: O) => i.service)],
    software: [fold(o.software.name), ...o.includes.map((i: O) => fold(i.software))],
    country: [o.provider.country],
    lang: o.languages.map((l: string) => l.toLowerCase().split("-")[0]),
    price: [o.price.model],
    registration: [o.registration],
    audience: o.audience,
    orgType: [o.provider.orgType],
    dataLocation: [o.dataLocation],
    available: [String(joinable(o))],
    member: [String(o.provider.chatonsMember)],
    verified: [String(o.provider.verified)],
  };
}

function bruteForce(offers: O[], filters: Record<string, string[]>) {
  const passes = (o: O, except?: string) => Object.entries(filters).every(([f, vs]) => f === except || values(o)[f].some((x) => vs.includes(x)));
  const facets: Record<string, Array<{ value: string; count: number }>> = {};
  for (const field of Object.keys(values(offers[0]))) {
    const counts = new Map<string, number>();
    for (const o of offers) if (passes(o, field)) for (const x of new Set(values(o)[field])) counts.set(x, (counts.get(x) ?? 0) + 1);
    facets[field] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  }
  return { total: offers.filter((o) => passes(o)).length, ids: offers.filter((o) => passes(o)).map((o) => o.id).sort(), facets };
}

const COMBOS: Array<[string, Record<string, string[]>]> = [
  ["", {}],
  ["service=storage", { service: ["storage"] }],
  ["service=pad&service=chat", { service: ["pad", "chat"] }],
  ["service=storage&country=FR", { service: ["storage"], country: ["FR"] }],
  ["price=free&available=true&lang=en", { price: ["free"], available: ["true"], lang: ["en"] }],
  ["registration=open&registration=approval&orgType=association&audience=associations", { registration: ["open", "approval"], orgType: ["association"], audience: ["associations"] }],
  ["member=true&software=Nextcloud", { member: ["true"], software: ["nextcloud"] }],
  ["country=BE,CH&price=fixed,membership&service=mail", { country: ["BE", "CH"], price: ["fixed", "membership"], service: ["mail"] }],
];

test("facets and totals equal a brute-force recount, with and without q, for each filter combination", async () => {
  const all = await allOffers();
  assert.is(all.length, 139);
  for (const useQ of [false, true]) {
    const universe = useQ ? all.filter((o) => /nextcloud/i.test(JSON.stringify([o.title, o.description, o.software, o.includes, o.provider.name]))) : all;
    for (const [qs, filters] of COMBOS) {
      const expected = bruteForce(universe, filters);
      const query = [useQ ? "q=nextcloud" : "", qs].filter(Boolean).join("&");
      for (const cache of ["on", "off"]) {
        const { ids } = await walk(query, 100);
        const body = await json(await env.app.request(`/api/v1/offers?${query}&limit=1`, { headers: { "x-search-cache": cache } }));
        assert.is(body.total, expected.total, `${query} total`);
        assert.equal(ids.slice().sort(), expected.ids, `${query} ids`);
        for (const [field, list] of Object.entries(expected.facets)) assert.equal(body.facets[field], list, `${query} facet ${field}`);
      }
      // The SQL-only facet path (used while the in-memory index is being rebuilt) agrees too.
      const sqlOnly = createCatalogSearch(env.deps.db, { cacheBytes: 0, facetIndex: false });
      const parsed = v.parse(SearchQuery, Object.fromEntries([...new URLSearchParams(query)].reduce((m, [k, x]) => m.set(k, [...(m.get(k) ?? []), x]), new Map<string, string[]>())));
      const r = await sqlOnly.search(parsed, env.deps.clock.now());
      assert.ok(r.ok);
      if (r.ok) {
        assert.is(r.value.total, expected.total, `${query} sql total`);
        for (const [field, list] of Object.entries(expected.facets)) assert.equal(r.value.facets[field], list, `${query} sql facet ${field}`);
      }
    }
  }
});

test("the in-memory index and the SQL path return the same pages, keys and cursors for every sort", async () => {
  const memory = createCatalogSearch(env.deps.db, { cacheBytes: 0 });
  const sqlOnly = createCatalogSearch(env.deps.db, { cacheBytes: 0, facetIndex: false });
  const now = env.deps.clock.now();
  const queries: Array<Record<string, unknown>> = [];
  for (const sort of ["relevance", "price", "updated", "name", "fair"]) {
    queries.push({ q: "nextcloud", sort }, { q: "visio", sort, available: true }, { sort, service: ["storage", "pad"] }, { sort, price: ["free"], lang: ["en"] });
  }
  for (const q of queries) {
    const a = await memory.search({ ...q, limit: 7 }, now);
    const b = await sqlOnly.search({ ...q, limit: 7 }, now);
    assert.ok(a.ok && b.ok);
    if (!a.ok || !b.ok) continue;
    assert.equal(a.value.items.map((o) => o.id), b.value.items.map((o) => o.id), JSON.stringify(q));
    assert.is(a.value.nextCursor, b.value.nextCursor, JSON.stringify(q));
    assert.is(a.value.total, b.value.total);
    assert.equal(a.value.facets, b.value.facets);
    if (a.value.nextCursor) {
      const a2 = await memory.search({ ...q, limit: 7, cursor: a.value.nextCursor }, now);
      const b2 = await sqlOnly.search({ ...q, limit: 7, cursor: a.value.nextCursor }, now);
      assert.ok(a2.ok && b2.ok);
      if (a2.ok && b2.ok) assert.equal(a2.value.items.map((o) => o.id), b2.value.items.map((o) => o.id), `${JSON.stringify(q)} page 2`);
    }
  }
});

test("pagination walks every result once while offers are inserted between pages, for every sort", async () => {
  const { slug, token } = await registerProvider(env.app, "inserter");
  let n = 0;
  const insert = async () => {
    for (let i = 0; i < 2; i++) {
      n++;
      env.deps.clock.advance(1000);
      const title = { fr: `Nextcloud numéro ${n} pour tous`, en: `Nextcloud number ${n}` };
      assert.is((await putOffer(env.app, slug, token, `extra-${n}`, sampleOffer({ title, description: { fr: "Nextcloud nextcloud nextcloud." } }))).status, 201);
    }
  };
  for (const query of ["q=nextcloud", "q=nextcloud&sort=price", "sort=fair", "sort=name", "sort=updated", "sort=price&service=storage", "q=visio&available=true"]) {
    const before = await walk(query, 100);
    const during = await walk(query, 5, insert);
    assert.ok(during.pages > 2, query);
    assert.is(new Set(during.ids).size, during.ids.length, `${query}: no duplicate`);
    const seen = new Set(during.ids);
    assert.equal(before.ids.filter((id) => !seen.has(id)), [], `${query}: no gap`);
  }
});

test("relevance pages stay on the ranking they started with (snapshot by catalog version)", async () => {
  const first = await json(await env.app.request("/api/v1/offers?q=nextcloud&limit=5"));
  const { slug, token } = await registerProvider(env.app, "snapshot-test");
  // A strong new match would take first place in a fresh ranking; the walk already started must not show it twice or skip.
  await putOffer(env.app, slug, token, "nc", sampleOffer({ title: { fr: "Nextcloud Nextcloud Nextcloud" } }));
  const second = await json(await env.app.request(`/api/v1/offers?q=nextcloud&limit=5&cursor=${first.nextCursor}`));
  const fresh = await json(await env.app.request("/api/v1/offers?q=nextcloud&limit=10"));
  assert.is(fresh.items[0].id, "snapshot-test~nc");
  assert.is(fresh.total, first.total + 1);
  assert.is(second.total, first.total);
  const old = await json(await env.app.request("/api/v1/offers?q=nextcloud&limit=10", { headers: { "x-search-cache": "off" } }));
  assert.equal(old.items.map((o: O) => o.id), fresh.items.map((o: O) => o.id));
  assert.not.ok(second.items.some((o: O) => o.id === "snapshot-test~nc"));
  assert.not.ok(second.items.some((o: O) => first.items.some((f: O) => f.id === o.id)));
});

test("search: ETag then 304; a write changes the catalog version and the next search sees it", async () => {
  const res = await env.app.request("/api/v1/offers?q=mastodon");
  const etag = res.headers.get("etag")!;
  assert.match(res.headers.get("cache-control") ?? "", /max-age=\d+, stale-while-revalidate=\d+/);
  assert.is((await env.app.request("/api/v1/offers?q=mastodon", { headers: { "if-none-match": etag } })).status, 304);
  const before = await json(res);
  const { slug, token } = await registerProvider(env.app, "late-mastodon");
  await putOffer(env.app, slug, token, "mastodon-late", sampleOffer({ service: "social", software: { name: "Mastodon" }, title: { fr: "Mastodon tardif" } }));
  const after = await env.app.request("/api/v1/offers?q=mastodon", { headers: { "if-none-match": etag } });
  assert.is(after.status, 200);
  assert.is((await json(after)).total, before.total + 1);
});

test("available=true keeps only offers a person can join; without it full and closed ones are listed, marked, and last in fair order", async () => {
  const byId = new Map((await allOffers()).map((o) => [o.id, o]));
  const { ids } = await walk("", 100); // default order without q: fair
  const closed = ids.map((id) => byId.get(id).capacity === "full" || byId.get(id).registration === "closed");
  const firstClosed = closed.indexOf(true);
  assert.ok(firstClosed > 0);
  assert.ok(closed.slice(firstClosed).every(Boolean));
  assert.is(ids.length, byId.size);
  const avail = await walk("available=true", 100);
  assert.is(avail.ids.length, [...byId.values()].filter(joinable).length);
  assert.ok(avail.ids.every((id) => joinable(byId.get(id))));
  // Full and closed offers are never joinable.
  assert.ok(ids.filter((_, i) => closed[i]).every((id) => !avail.ids.includes(id)));
});

test("price sort: free and pay-what-you-want first, then by monthly amount (yearly ÷ 12)", async () => {
  const { ids } = await walk("sort=price", 100);
  const offers = new Map((await allOffers()).map((o) => [o.id, o]));
  const monthly = (o: O) => (o.price.model === "free" || o.price.model === "pay-what-you-want" ? 0
    : o.price.amount === undefined ? Infinity : o.price.period === "year" ? Math.round(o.price.amount / 12) : o.price.period === "once" ? Math.round(o.price.amount / 36) : o.price.amount);
  const m = ids.map((id) => monthly(offers.get(id)));
  assert.equal(m, m.slice().sort((a, b) => a - b));
  assert.is(m[0], 0);
});

test.run();
