import { test } from "uvu";
import * as assert from "uvu/assert";
import { createCatalogSearch } from "../../src/domain/catalog/search.ts";
import { seedData, testEnv } from "../helpers/deps.ts";

const strongIds = (word: RegExp) => new Set(seedData().offers
  .filter((o) => word.test(Object.values(o.title).join(" ")) || word.test([o.software.name, ...o.includes.map((i) => i.software)].join(" ")))
  .map((o) => `${o.provider}~${o.slug}`));

test("broad queries skip bm25: title/software matches first, same total and facets as exact ranking, pages walk every match once", async () => {
  const env = await testEnv({ seed: true });
  try {
    const now = env.deps.clock.now();
    const exact = createCatalogSearch(env.deps.db, { cacheBytes: 0 });
    const broad = createCatalogSearch(env.deps.db, { cacheBytes: 0, exactRankLimit: 3 });
    const e = await exact.search({ q: "nextcloud", limit: 100 }, now);
    const b1 = await broad.search({ q: "nextcloud", limit: 100 }, now);
    assert.ok(e.ok && b1.ok);
    if (!e.ok || !b1.ok) return;
    assert.ok(b1.value.total > 3, "the catalog must have more matches than the limit for this test");
    assert.is(b1.value.total, e.value.total);
    assert.equal(b1.value.facets, e.value.facets);
    assert.equal(new Set(b1.value.items.map((o) => o.id)), new Set(e.value.items.map((o) => o.id)));
    const strong = strongIds(/nextcloud/i);
    const ids = b1.value.items.map((o) => o.id);
    const firstWeak = ids.findIndex((id) => !strong.has(id));
    assert.ok(firstWeak > 0, "some strong matches");
    assert.ok(ids.slice(firstWeak).every((id) => !strong.has(id)), `a title/software match ranked after a description-only one: ${ids.join(" ")}`);
    // Deterministic within a day; the shuffle changes the next day.
    const b2 = await broad.search({ q: "nextcloud", limit: 100 }, now);
    assert.equal(b2.ok && b2.value.items.map((o) => o.id), ids);
    const tomorrow = await broad.search({ q: "nextcloud", limit: 100 }, now + 86_400_000);
    assert.not.equal(tomorrow.ok && tomorrow.value.items.map((o) => o.id), ids);
    // Keyset pages of 7 cover the same set, in the same order, once each.
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await broad.search({ q: "nextcloud", limit: 7, cursor }, now);
      assert.ok(page.ok);
      if (!page.ok) return;
      walked.push(...page.value.items.map((o) => o.id));
      cursor = page.value.nextCursor ?? undefined;
    } while (cursor);
    assert.equal(walked, ids);
  } finally { await env.close(); }
});

test.run();
