import { openDatabase } from "../src/runtime/shared.ts";
import { createCatalogSearch } from "../src/domain/catalog/search.ts";
const { db } = await openDatabase("file:/tmp/bench-search.db");
const s = createCatalogSearch(db, 0);
const now = Date.parse("2026-11-25T12:00:00Z");
const qs: any[] = [{}, { q: "nextcloud" }, { q: "stockage association", country: ["FR"], price: ["free"] }, { q: "visioc" }, { sort: "name" }, { service: ["storage"] }, { service: ["storage"], country: ["FR"] }, {q: "nextcloud", sort: "price"}];
for (const q of qs) {
  for (let k = 0; k < 2; k++) {
    const t = performance.now();
    const r = await s.search(q, now, { useCache: false });
    if (k === 1) console.log(JSON.stringify(q), (performance.now() - t).toFixed(1), "ms", r.ok && r.value.total);
  }
}
