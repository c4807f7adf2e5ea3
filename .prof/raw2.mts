import { createClient } from "@libsql/client";
const c = createClient({ url: "file:/tmp/bench-search.db" });
const T = async (label: string, sql: string) => { await c.execute(sql); const t = performance.now(); const r = await c.execute(sql); console.log(label, (performance.now() - t).toFixed(1), "ms", r.rows.length, JSON.stringify(r.rows[0]).slice(0, 80)); };
await T("facet scan IN", "with c as materialized (select rowid seq from offers_fts where offers_fts match 'nextcloud') select t.field, t.value, count(*) from offer_tags t where t.offer_seq in (select seq from c) group by 1,2");
await T("facet scan IN, not software", "with c as materialized (select rowid seq from offers_fts where offers_fts match 'nextcloud') select t.field, t.value, count(*) from offer_tags t where t.field in ('service','country','lang','price','registration','audience','orgType','available','member','verified') and t.offer_seq in (select seq from c) group by 1,2");
await T("per-tag correlated", "with c as materialized (select rowid seq from offers_fts where offers_fts match 'nextcloud') select tc.field, tc.value, (select count(*) from offer_tags t where t.field = tc.field and t.value = tc.value and t.offer_seq in (select seq from c)) from offer_tag_counts tc");
await T("scan all tags group", "select field, value, count(*) from offer_tags group by 1,2");
const p = await c.execute("explain query plan with c as materialized (select rowid seq from offers_fts where offers_fts match 'nextcloud') select t.field, t.value, count(*) from offer_tags t where t.offer_seq in (select seq from c) group by 1,2");
console.log(p.rows.map((r) => r.detail));
