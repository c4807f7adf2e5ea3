import { createClient } from "@libsql/client";
const c = createClient({ url: "file:/tmp/bench-search.db" });
const T = async (label: string, sql: string) => { await c.execute(sql); const t = performance.now(); const r = await c.execute(sql); const t2 = performance.now();
  const s = String(Object.values(r.rows[0])[0] ?? ""); const m = new Map<string, number>(); for (const x of s.split(",")) m.set(x, (m.get(x) ?? 0) + 1);
  console.log(label, (t2 - t).toFixed(1), "ms sql,", (performance.now() - t2).toFixed(1), "ms js", s.length, m.size); };
await T("concat join", "with c as materialized (select rowid seq, 0 fails from offers_fts where offers_fts match 'nextcloud') select group_concat(c.fails || ':' || t.field || '=' || t.value) from c join offer_tags t on t.offer_seq = c.seq");
await T("concat join all", "select group_concat('0:' || t.field || '=' || t.value) from offer_tags t");
await T("concat storage", "with c as materialized (select offer_seq seq, 0 fails from offer_tags where field='service' and value='storage') select group_concat(c.fails || ':' || t.field || '=' || t.value) from c join offer_tags t on t.offer_seq = c.seq");
