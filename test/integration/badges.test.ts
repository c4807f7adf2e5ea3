/**
 * Badges that say what they mean (docs/decisions/0031): each comes from one fact the directory holds — the CHATONS
 * collective's list (confirmed) or the provider's own file (declared), an https domain proof, an operator's approval,
 * the first listing less than 30 days ago — and "new" is a badge only: ranking never looks at it.
 */
import { sql } from "kysely";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bumpCatalogVersion } from "../../src/db/queries/meta.ts";
import { updateProvider } from "../../src/domain/catalog/offers.ts";
import { membershipColumns } from "../../src/domain/sources/membership.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";
import { client } from "../helpers/space.ts";

const ADMIN = "admin-token-for-tests-0123456789";

test("each badge reflects its fact: confirmed vs declared membership, domain verified, reviewed, new for 30 days; /badges explains every one", async () => {
  const env = await testEnv({ env: { ADMIN_TOKEN: ADMIN, LISTING_POLICY: "reviewed" } });
  try {
    const set = async (slug: string, patch: Record<string, unknown>) => {
      const p = await env.deps.db.selectFrom("providers").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
      await env.deps.db.transaction().execute((trx) => updateProvider(trx, p.id, { ...patch, updated_at: "2026-11-25T12:00:00.000Z" }));
    };
    for (const slug of ["chaton-member", "chaton-declares", "chaton-plain"]) {
      const { token } = await registerProvider(env.app, slug);
      await putOffer(env.app, slug, token, "cloud", sampleOffer());
    }
    await set("chaton-member", membershipColumns("ACTIVE", true));
    await set("chaton-declares", { ...membershipColumns("ACTIVE", false), verified: 1 });
    for (const slug of ["chaton-declares", "chaton-plain"]) {
      await env.app.request(`/api/v1/admin/providers/${slug}/approve`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}` } });
    }
    const badges = async () => Object.fromEntries((await json(await env.app.request("/api/v1/offers?limit=10&sort=name"))).items
      .map((o: any) => [o.provider.slug, [o.provider.chatonsMembership, o.provider.chatonsMember, o.provider.verified, o.provider.reviewed, o.provider.newlyListed]]));
    assert.equal(await badges(), {
      "chaton-member": ["member", true, false, false, true],
      "chaton-declares": ["unconfirmed", false, true, true, true],
      "chaton-plain": ["none", false, false, true, true],
    });
    const page = await client(env.app, { lang: "en" }).get("/providers/chaton-declares");
    assert.match(page.html, /data-badge="declared"[^>]*>Declares CHATONS membership</);
    assert.match(page.html, /data-badge="verified"[^>]*>Domain verified</);
    assert.match(page.html, /data-badge="reviewed"[^>]*>Reviewed by this directory</);
    assert.match(page.html, /data-badge="new"[^>]*>New</);
    assert.match((await client(env.app, { lang: "en" }).get("/providers/chaton-member")).html, /data-badge="member"[^>]*>CHATONS member \(confirmed\)</);
    // 30 days later, nobody is new any more.
    env.deps.clock.advance(30 * 86_400_000);
    assert.equal(Object.values(await badges()).map((b: any) => b[4]), [false, false, false]);

    const fr = await client(env.app, { lang: "fr" }).get("/badges");
    for (const [id, label] of [["member", "Membre des CHATONS (confirmé)"], ["declared", "Se déclare membre des CHATONS"], ["verified", "Domaine vérifié"], ["reviewed", "Validé par cet annuaire"], ["new", "Nouveau"], ["stale", "Non confirmée depuis plus de 30 jours"]]) {
      assert.match(fr.html, new RegExp(`id="${id}"><dt><span class="badge[^"]*">${label.replace(/[()]/g, "\\$&")}</span></dt><dd>`), id);
    }
    assert.match(fr.html, /les nouveaux hébergeurs ne sont pas mieux placés dans la recherche/);
  } finally { await env.close(); }
});

test("a provider listed today ranks exactly as one listed a year ago: search orders ignore the listing date", async () => {
  const env = await testEnv({ config: { searchCacheMb: 0 } });
  try {
    for (let i = 0; i < 12; i++) {
      const slug = `chaton-${String(i).padStart(2, "0")}`;
      const { token } = await registerProvider(env.app, slug, { name: `Chaton ${String(i).padStart(2, "0")}` });
      await putOffer(env.app, slug, token, "cloud", sampleOffer());
    }
    const order = async (q: string) => (await json(await env.app.request(`/api/v1/offers?${q}&limit=20`))).items.map((o: any) => o.id);
    const queries = ["q=nextcloud%20ecoles", "sort=fair", "q=stockage"];
    const before = await Promise.all(queries.map(order));
    assert.equal(before.map((o) => o.length), [12, 12, 12]);
    // Half of them become "listed a year ago", the others stay new.
    await sql`update providers set listed_at = '2025-11-25T12:00:00.000Z' where slug in ('chaton-00','chaton-02','chaton-04','chaton-06','chaton-08','chaton-10')`.execute(env.deps.db);
    await env.deps.db.transaction().execute((trx) => bumpCatalogVersion(trx));
    const newly = (await json(await env.app.request("/api/v1/offers?limit=20"))).items.filter((o: any) => o.provider.newlyListed).length;
    assert.is(newly, 6);
    assert.equal(await Promise.all(queries.map(order)), before);
  } finally { await env.close(); }
});

test.run();
