import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSeeds, parseSeeds, SeedError } from "../../src/domain/catalog/seeding.ts";
import { json, seedData, testEnv } from "../helpers/deps.ts";

test("demo seeds: counts, variety, idempotent load", async () => {
  const env = await testEnv({ seed: true });
  try {
    const seeds = seedData();
    assert.ok(seeds.providers.length >= 30, `providers ${seeds.providers.length}`);
    assert.ok(seeds.offers.length >= 120, `offers ${seeds.offers.length}`);
    assert.ok(new Set(seeds.offers.map((o) => o.service)).size >= 12);
    assert.equal(new Set(seeds.providers.map((p) => p.country)), new Set(["FR", "BE", "CH", "CA", "DE"]));
    assert.equal(new Set(seeds.offers.map((o) => o.price.model)).size, 4);
    assert.equal(new Set(seeds.offers.map((o) => o.registration)).size, 4);
    assert.equal(new Set(seeds.offers.flatMap((o) => o.audience)).size, 4);
    assert.ok(seeds.offers.filter((o) => o.includes.length >= 2).length >= 3, "packs");
    assert.ok(seeds.providers.every((p) => p.website.endsWith(".demo.example/") || p.website.endsWith(".demo.example")), "demo domains");
    const count = async () => Number((await env.deps.db.selectFrom("offers").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    assert.is(await count(), seeds.offers.length);
    assert.is(await loadSeeds(env.deps.db, seeds, env.deps.clock.now()), false);
    assert.is(await count(), seeds.offers.length);
    assert.is(Number((await env.deps.db.selectFrom("offer_changes").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n), 0);
  } finally { await env.close(); }
});

test("an accent-free query finds offers written with École, across the catalog", async () => {
  const env = await testEnv({ seed: true });
  try {
    const body = await json(await env.app.request("/api/v1/offers?q=ecole&limit=100"));
    const expected = seedData().offers.filter((o) => /[ée]coles?/i.test(JSON.stringify([o.title, o.description])));
    assert.ok(expected.length >= 4);
    assert.is(body.total, body.items.length);
    for (const o of expected) assert.ok(body.items.some((i: any) => i.id === `${o.provider}~${o.slug}`), `${o.provider}~${o.slug} missing`);
  } finally { await env.close(); }
});

test("a bad seed names its file, entry and field", () => {
  const files = { providers: { file: "seeds/demo/providers.json", data: [{ slug: "ok-slug", name: "X", website: "https://x.example", email: "a@x.example", country: "FR", orgType: "association" }] },
    offers: { file: "seeds/demo/offers.json", data: [{ provider: "ok-slug", slug: "bad", service: "storage" }] } };
  assert.throws(() => parseSeeds(files), (e: Error) => e instanceof SeedError && /^seeds\/demo\/offers\.json: entry 0 field software: /.test(e.message));
  files.offers.data = [];
  (files.providers.data[0] as any).country = "France";
  assert.throws(() => parseSeeds(files), (e: Error) => e.message === "seeds/demo/providers.json: entry 0 field country: must be an ISO 3166-1 alpha-2 code such as FR");
});

test("providers: list with total and cursor, detail with offers, email never public", async () => {
  const env = await testEnv({ seed: true });
  try {
    const total = seedData().providers.length;
    const first = await json(await env.app.request("/api/v1/providers?limit=10"));
    assert.is(first.total, total);
    assert.is(first.items.length, 10);
    const seen = new Set(first.items.map((p: any) => p.slug));
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await json(await env.app.request(`/api/v1/providers?limit=10&cursor=${cursor}`));
      for (const p of page.items) { assert.not.ok(seen.has(p.slug), `duplicate ${p.slug}`); seen.add(p.slug); }
      cursor = page.nextCursor;
    }
    assert.is(seen.size, total);
    const names = first.items.map((p: any) => p.name.toLowerCase());
    assert.equal(names, [...names].sort());
    const slug = seedData().providers[0].slug;
    const res = await env.app.request(`/api/v1/providers/${slug}`);
    const d = await json(res);
    assert.is(d.slug, slug);
    assert.is(d.offers.length, seedData().offers.filter((o) => o.provider === slug).length);
    assert.is(d.offerCount, d.offers.length);
    const everything = JSON.stringify(first) + JSON.stringify(d);
    assert.not.match(everything, /"email":/);
    for (const p of seedData().providers) assert.not.ok(everything.includes(p.email), p.email);
    assert.is((await env.app.request(`/api/v1/providers?cursor=!!`)).status, 400);
    const be = await json(await env.app.request("/api/v1/providers?country=BE&member=true&limit=100"));
    assert.is(be.total, seedData().providers.filter((p) => p.country === "BE" && p.chatonsMember).length);
  } finally { await env.close(); }
});

test.run();
