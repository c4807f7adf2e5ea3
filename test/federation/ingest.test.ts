import { test } from "uvu";
import * as assert from "uvu/assert";
import type { SafeFetch } from "../../src/delivery/net.ts";
import { expandOne as expand } from "../../src/federation/expand.ts";
import { ingestActivity, type IngestContext } from "../../src/federation/ingest.ts";
import { CHATONS_CONTEXT } from "../../src/federation/vocab.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";

const R = "https://remote.example";
const AS = "https://www.w3.org/ns/activitystreams";
const VF = { vf: "https://w3id.org/valueflows/ont/vf#", Proposal: "vf:Proposal" };

const proposal = (id: string, updated: string, over: Record<string, unknown> = {}) => ({
  "@context": [AS, VF, CHATONS_CONTEXT], id: `${R}/ap/offers/${id}`, type: "Proposal", attributedTo: `${R}/ap/providers/p1`, updated,
  nameMap: { fr: `Offre ${id}` }, contentMap: { fr: "Un pad collaboratif." }, service: "pad", software: { name: "Etherpad" },
  price: { model: "free" }, registration: "open", dataLocation: "FR", languages: ["fr"], signup: { mode: "external", url: `${R}/signup` }, ...over,
});
const actorDoc = { "@context": [AS, { chatons: "https://chatons-directory.org/ns#", country: "chatons:country", orgType: "chatons:orgType" }], id: `${R}/ap/providers/p1`, type: "Organization", name: "Remote chaton", country: "BE", orgType: "cooperative" };

async function setup(docs: Map<string, unknown>): Promise<{ env: TestEnv; ic: IngestContext; fetched: string[] }> {
  const env = await testEnv();
  const fetched: string[] = [];
  const http: SafeFetch = Object.assign(async (url: string) => {
    fetched.push(url);
    const doc = docs.get(url);
    const body = new TextEncoder().encode(doc === undefined ? "{}" : JSON.stringify(doc));
    return { status: doc === undefined ? 404 : 200, headers: new Headers(), body, url, text: () => new TextDecoder().decode(body) };
  }, { check: async () => {} });
  env.deps.http = http;
  const ctx = env.deps.federation!.context();
  return { env, fetched, ic: { deps: env.deps, contextLoader: ctx.contextLoader, sender: `${R}/ap/directory`, directory: `${R}/ap/directory` } };
}

const activity = async (ic: IngestContext, type: string, object: unknown, actor = `${R}/ap/providers/p1`) =>
  (await expand({ "@context": AS, id: `${R}/activities/${Math.random()}`, type, actor, object }, ic.contextLoader))!;

test("Create stores a validated federated offer; an older Update is ignored, a newer one applies; Delete removes it", async () => {
  const docs = new Map<string, unknown>([[actorDoc.id, actorDoc], [`${R}/ap/offers/o1`, proposal("o1", "2026-11-20T10:00:00Z")]]);
  const { env, ic, fetched } = await setup(docs);
  try {
    assert.equal(await ingestActivity(ic, await activity(ic, "Create", `${R}/ap/offers/o1`)), { ok: true, did: "stored" });
    assert.equal(fetched, [`${R}/ap/offers/o1`, `${R}/ap/providers/p1`]);
    const found = await json(await env.app.request("/api/v1/offers?q=etherpad"));
    assert.is(found.total, 1);
    assert.equal(found.items[0].provider, {
      slug: found.items[0].provider.slug, name: "Remote chaton", country: "BE", orgType: "cooperative", chatonsMember: false, chatonsMembership: "none", verified: false,
      reviewed: false, newlyListed: false,
    });
    assert.equal(found.items[0].origin, { id: `${R}/ap/offers/o1`, actor: `${R}/ap/providers/p1`, directory: `${R}/ap/directory` });
    assert.is(found.items[0].updatedAt, "2026-11-20T10:00:00.000Z");

    docs.set(actorDoc.id, { ...actorDoc, name: "Chaton renamed", country: "LU" });
    assert.equal(await ingestActivity(ic, await activity(ic, "Update", { id: actorDoc.id, type: "Organization" })), { ok: true, did: "updated" });
    const renamed = (await json(await env.app.request("/api/v1/offers?q=renamed"))).items[0];
    assert.equal([renamed.provider.name, renamed.provider.country], ["Chaton renamed", "LU"]);

    docs.set(`${R}/ap/offers/o1`, proposal("o1", "2026-11-19T10:00:00Z", { registration: "closed" }));
    assert.equal(await ingestActivity(ic, await activity(ic, "Update", `${R}/ap/offers/o1`)), { ok: true, did: "stale" });
    docs.set(`${R}/ap/offers/o1`, proposal("o1", "2026-11-21T10:00:00Z", { registration: "approval" }));
    assert.equal(await ingestActivity(ic, await activity(ic, "Update", `${R}/ap/offers/o1`)), { ok: true, did: "updated" });
    assert.is((await json(await env.app.request("/api/v1/offers?q=etherpad"))).items[0].registration, "approval");

    assert.equal(await ingestActivity(ic, await activity(ic, "Delete", { id: `${R}/ap/offers/o1`, type: "Tombstone" })), { ok: true, did: "deleted" });
    assert.is((await json(await env.app.request("/api/v1/offers?q=etherpad"))).total, 0);
    assert.is((await env.deps.db.selectFrom("offer_changes").selectAll().execute()).length, 0);
  } finally { await env.close(); }
});

test("rejected: nested Announce, object or attributedTo on another origin, invalid fields, actor not on the sender's origin", async () => {
  const docs = new Map<string, unknown>([
    [actorDoc.id, actorDoc],
    [`${R}/ap/offers/bad`, proposal("bad", "2026-11-20T10:00:00Z", { service: "spaceship", dataLocation: "France" })],
    [`${R}/ap/offers/moved`, proposal("moved", "2026-11-20T10:00:00Z", { attributedTo: "https://elsewhere.example/ap/providers/x" })],
  ]);
  const { env, ic } = await setup(docs);
  try {
    const create = { id: `${R}/c1`, type: "Create", actor: `${R}/ap/providers/p1`, object: `${R}/ap/offers/o1` };
    const nested = await activity(ic, "Announce", { id: `${R}/a1`, type: "Announce", actor: `${R}/ap/directory`, object: create }, `${R}/ap/directory`);
    assert.equal(await ingestActivity(ic, nested), { ok: false, reason: "hop limit: nested Announce" });
    assert.equal(await ingestActivity(ic, await activity(ic, "Create", "https://elsewhere.example/ap/offers/x")), { ok: false, reason: "object is not on the sender's origin" });
    assert.equal(await ingestActivity(ic, await activity(ic, "Create", { id: `${R}/ap/offers/o2`, type: "Note", attributedTo: "https://elsewhere.example/u" })), { ok: false, reason: "attributedTo is not on the sender's origin" });
    assert.equal(await ingestActivity(ic, await activity(ic, "Create", `${R}/ap/offers/moved`)), { ok: false, reason: "attributedTo is not on the sender's origin" });
    const invalid = await ingestActivity(ic, await activity(ic, "Create", `${R}/ap/offers/bad`));
    assert.is(invalid.ok, false);
    assert.match((invalid as { reason: string }).reason, /^invalid offer: service .*; dataLocation must be an ISO 3166-1 alpha-2 code/);
    assert.equal(await ingestActivity(ic, await activity(ic, "Create", `${R}/ap/offers/o1`, "https://elsewhere.example/u")), { ok: false, reason: "actor is not on the sender's origin" });
    assert.is((await json(await env.app.request("/api/v1/offers"))).total, 0);
  } finally { await env.close(); }
});

test.run();
