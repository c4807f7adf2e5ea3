/** Relevance over the demo seeds: query → exact top results, in order (French and English, accents, plurals, synonyms). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";

let env: TestEnv;
test.before(async () => { env = await testEnv({ seed: true }); });
test.after(async () => { await env.close(); });

const top = async (q: string, n = 3) => {
  const res = await env.app.request(`/api/v1/offers?q=${encodeURIComponent(q)}&limit=${n}`);
  assert.is(res.status, 200, q);
  const body = await json(res);
  return { ids: body.items.map((o: { id: string }) => o.id), total: body.total as number };
};

const CASES: Array<[string, string[]]> = [
  // prefix of the last word, as people type
  ["nextc", ["kabouter-cloud~nextcloud", "edelweiss-numerique~onlyoffice", "nuage-boreal~nextcloud"]],
  // plural and singular find the same calendars; "calendars" (EN) too
  ["agendas", ["erable-numerique~agendas", "herisson-libre~agendas", "coop-wallonne~sogo"]],
  ["agenda", ["erable-numerique~agendas", "herisson-libre~agendas", "coop-wallonne~sogo"]],
  ["calendars", ["erable-numerique~agendas", "herisson-libre~agendas", "rezo-paysan~pack-fermes"]],
  // synonyms from synonyms.json
  ["visio", ["kabouter-cloud~jitsi", "freie-wolke~jitsi", "nuage-bruxellois~jitsi"]],
  ["doodle", ["le-chaton-libre~framadate", "ecureuil-solidaire~framadate", "renard-des-sables~framadate"]],
  ["bloc-notes", ["le-chaton-libre~hedgedoc", "renard-des-sables~hedgedoc", "frites-libres~hedgedoc"]],
  ["drive", ["chaton-marin~nextcloud", "lutin-numerique~nextcloud", "hirondelle-hebergement~nextcloud"]],
  ["sondages", ["ecureuil-solidaire~framadate", "renard-des-sables~framadate", "frites-libres~framadate"]],
  ["pad", ["collectif-mousse~etherpad", "lutin-numerique~etherpad", "herisson-libre~etherpad"]],
  ["tableur", ["ker-libre~ethercalc", "ecureuil-solidaire~ethercalc", "nuage-bruxellois~ethercalc"]],
  ["spreadsheet", ["ker-libre~ethercalc", "nuage-bruxellois~ethercalc", "ecureuil-solidaire~ethercalc"]],
  ["forge", ["kiezkollektiv~forgejo", "castor-tech~forgejo", "coop-wallonne~forgejo"]],
  ["réseau social", ["nuage-boreal~discourse", "regie-numerique-vercors~mobilizon", "kiezkollektiv~pixelfed"]],
  // accents ignored both ways, plural
  ["écoles", ["ker-libre~visio-ecole", "lutin-numerique~nextcloud-ecoles", "regie-numerique-vercors~nextcloud-ecoles"]],
  ["ecole", ["sii-gros-de-vaud~classes-virtuelles", "ker-libre~visio-ecole", "lutin-numerique~nextcloud-ecoles"]],
  ["visioconférence", ["kabouter-cloud~jitsi", "freie-wolke~jitsi", "nuage-bruxellois~jitsi"]],
  ["quebec", ["nuage-boreal~mastodon", "nuage-boreal~nextcloud", "erable-numerique~nextcloud-ecoles"]],
  // software names (title and software weigh most)
  ["mastodon", ["nuage-boreal~mastodon", "freie-wolke~mastodon", "chaton-marin~mastodon"]],
  ["jitsi", ["kabouter-cloud~jitsi", "freie-wolke~jitsi", "nuage-bruxellois~jitsi"]],
  ["hedgedoc", ["kiezkollektiv~hedgedoc", "renard-des-sables~hedgedoc", "frites-libres~hedgedoc"]],
  ["peertube", ["atelier-du-libre~peertube", "kabouter-cloud~peertube", "nuage-boreal~peertube"]],
  ["wordpress", ["jura-libre~wordpress", "tilleul-informatique~wordpress", "gaufre-hebergement~wordpress"]],
  ["collabora", ["pixel-vert~collabora", "coop-des-nuages~collabora", "nuage-leman~pack-leman"]],
  ["matrix", ["nuage-leman~element", "ker-libre~element", "nuage-bruxellois~matrix"]],
  ["onlyoffice nextcloud", ["edelweiss-numerique~onlyoffice", "coop-wallonne~onlyoffice", "hirondelle-hebergement~onlyoffice"]],
  // French and English descriptions
  ["courriel", ["chaton-marin~courriel", "tilleul-informatique~courriel", "nuage-leman~courriel"]],
  ["email", ["nuage-leman~courriel", "nuage-bruxellois~pack-asbl", "gaufre-hebergement~courriel"]],
  ["nextcloud schools", ["lutin-numerique~nextcloud-ecoles", "erable-numerique~nextcloud-ecoles", "regie-numerique-vercors~nextcloud-ecoles"]],
  ["video conferencing", ["syndicat-numerique-pyrenees~visio", "nuage-bruxellois~jitsi"]],
  ["brussels", ["nuage-bruxellois~jitsi", "nuage-bruxellois~nextcloud", "nuage-bruxellois~pack-asbl"]],
  ["cartes", ["rezo-paysan~umap", "lutin-numerique~umap", "sii-gros-de-vaud~umap"]],
  ["maps", ["lutin-numerique~umap", "sii-gros-de-vaud~umap", "rezo-paysan~umap"]],
  ["mots de passe", ["hirondelle-hebergement~vaultwarden", "pixel-vert~jitsi", "collectif-mousse~privatebin"]],
  ["password", ["hirondelle-hebergement~vaultwarden", "pixel-vert~jitsi", "collectif-mousse~privatebin"]],
  ["formulaires", ["herisson-libre~framaforms", "lutin-numerique~yakforms", "syndicat-numerique-pyrenees~consultations"]],
  ["kanban", ["coop-des-nuages~kanboard", "lutin-numerique~cryptpad", "sirop-numerique~wekan"]],
];

for (const [q, expected] of CASES) {
  test(`relevance: ${q}`, async () => {
    assert.equal((await top(q)).ids, expected);
  });
}

test("plural and singular match the same offers; accents do not matter", async () => {
  assert.is((await top("agendas")).total, (await top("agenda")).total);
  assert.is((await top("sondage")).total, (await top("sondages")).total);
  assert.equal((await top("Visioconférence", 20)).ids, (await top("visioconference", 20)).ids);
  assert.equal((await top("ÉCOLES", 20)).ids, (await top("ecoles", 20)).ids);
});

test("a stale offer ranks after the same text confirmed recently", async () => {
  const fresh = (await top("peertube", 4)).ids;
  // 31 days later every seed offer is stale except the one we re-confirm (re-publishing the same content).
  env.deps.clock.advance(31 * 86_400_000);
  try {
    const { sql } = await import("kysely");
    const now = new Date(env.deps.clock.now()).toISOString();
    await sql`update offers set confirmed_at = ${now} where id = 'le-chaton-libre~peertube'`.execute(env.deps.db);
    await sql`update meta set value = cast(value as integer) + 1 where key = 'catalog_version'`.execute(env.deps.db);
    const later = await env.app.request(`/api/v1/offers?q=peertube&limit=4`);
    const body = await json(later);
    assert.is(fresh[3], "le-chaton-libre~peertube");
    assert.is(body.items[0].id, "le-chaton-libre~peertube");
    assert.is(body.items[0].stale, false);
    assert.equal(body.items.slice(1).map((o: { stale: boolean }) => o.stale), [true, true, true]);
  } finally {
    env.deps.clock.advance(-31 * 86_400_000);
  }
});

test.run();
