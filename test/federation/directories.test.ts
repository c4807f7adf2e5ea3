import { test } from "uvu";
import * as assert from "uvu/assert";
import { importJwk, signRequest } from "@fedify/fedify";
import { json, putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { updateProvider } from "../../src/domain/catalog/offers.ts";
import { drained, eventually, search, startInstance, type Instance } from "./instances.ts";

let A: Instance;
let B: Instance;

test.before(async () => {
  A = await startInstance("localhost");
  B = await startInstance("127.0.0.1");
});
test.after(async () => {
  await B?.close();
  await A?.close();
});

test("B follows A's directory; A accepts; WebFinger, NodeInfo and actors are served", async () => {
  const wf = await fetch(`${A.url}/.well-known/webfinger?resource=acct:directory@${new URL(A.url).host}`);
  assert.is(wf.status, 200);
  assert.is((await wf.json()).links[0].href, `${A.url}/ap/directory`);
  const ni = await (await fetch(`${A.url}/nodeinfo/2.1`)).json();
  assert.is(ni.software.name, "chatons-directory");
  assert.equal(ni.metadata, { offers: 0, providers: 0 });

  const res = await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) });
  assert.is(res.status, 202);
  assert.is((await json(res)).status, "pending");
  const accepted = await eventually("follow accepted", async () => {
    const list = await json(await B.admin("/follows"));
    return list.items[0]?.status === "accepted" ? list : undefined;
  });
  assert.is(accepted.total, 1);
  assert.is(accepted.items[0].actor, `${A.url}/ap/directory`);
  const followers = await A.env.deps.db.selectFrom("fed_followers").select(["actor", "follower_id", "status"]).execute();
  assert.equal(followers, [{ actor: "_directory", follower_id: `${B.url}/ap/directory`, status: "accepted" }]);
});

test("an offer published, updated and deleted on A shows, updates and drops on B with origin at A", async () => {
  const { slug, token } = await registerProvider(A.env.app, "chaton-a");
  assert.is((await putOffer(A.env.app, slug, token, "cloud", sampleOffer())).status, 201);
  const shown = await eventually("offer on B", async () => { const r = await search(B, "ecole"); return r.total === 1 ? r : undefined; });
  const o = shown.items[0];
  assert.is(o.source, "federated");
  assert.equal(o.origin, { id: `${A.url}/ap/offers/chaton-a~cloud`, actor: `${A.url}/ap/providers/chaton-a`, directory: `${A.url}/ap/directory` });
  assert.match(o.id, /^fed-[0-9a-f]{12}~o-[0-9a-f]{16}$/);
  assert.equal(o.title, { en: "Nextcloud for schools", fr: "Nextcloud pour les écoles" });
  assert.equal(o.quota, { storageGB: 10, users: 5 });
  assert.is(o.provider.name, "Hébergeur chaton-a");
  assert.is(o.provider.country, "FR");
  assert.is(o.registration, "open");
  const published = await eventually("change marked published", async () => {
    const rows = await A.env.deps.db.selectFrom("offer_changes").select(["kind", "published_at"]).execute();
    return rows.every((c) => c.published_at !== null) ? rows : undefined;
  });
  assert.equal(published.map((c) => c.kind), ["created"]);

  A.env.deps.clock.advance(60_000);
  assert.is((await putOffer(A.env.app, slug, token, "cloud", sampleOffer({ registration: "approval" }))).status, 200);
  const updated = await eventually("update on B", async () => { const r = await search(B, "ecole"); return r.items[0]?.registration === "approval" ? r : undefined; });
  assert.is(updated.total, 1);
  assert.is(updated.items[0].id, o.id);
  assert.is(updated.items[0].updatedAt, "2026-11-25T12:01:00.000Z");

  // A profile change on A reaches B as an Update of the provider actor (announced by the directory).
  A.env.deps.clock.advance(60_000);
  const provider = await A.env.deps.db.selectFrom("providers").selectAll().where("slug", "=", "chaton-a").executeTakeFirstOrThrow();
  await A.env.deps.db.transaction().execute((trx) => updateProvider(trx, provider.id, { name: "Chaton A renommé", country: "BE", updated_at: new Date(A.env.deps.clock.now()).toISOString() }));
  const renamed = await eventually("provider renamed on B", async () => { const r = await search(B, "ecole"); return r.items[0]?.provider.name === "Chaton A renommé" ? r : undefined; });
  assert.is(renamed.items[0].provider.country, "BE");

  A.env.deps.clock.advance(60_000);
  const del = await A.env.app.request(`/api/v1/providers/${slug}/offers/cloud`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  assert.is(del.status, 204);
  await eventually("delete on B", async () => ((await search(B, "ecole")).total === 0 ? true : undefined));
  // B never re-publishes what it received.
  assert.is((await B.env.deps.db.selectFrom("offer_changes").selectAll().execute()).length, 0);
});

test("forged activities are rejected with no change: unsigned, and attributedTo on another host", async () => {
  const before = (await search(B, "")).total;
  const forged = (id: string, attributedTo: string) => JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams", id: `${A.url}/ap/directory#${id}`, type: "Create", actor: `${A.url}/ap/directory`,
    object: { id: `${A.url}/ap/offers/chaton-a~cloud`, type: "Note", attributedTo },
  });
  const unsigned = await fetch(`${B.url}/ap/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body: forged("unsigned", `${A.url}/ap/providers/chaton-a`) });
  assert.is(unsigned.status, 401);

  // Validly signed with A's directory key, but claims an object attributed to someone elsewhere.
  const [rsa] = await A.env.deps.db.selectFrom("fed_keys").selectAll().where("actor", "=", "_directory").where("algorithm", "=", "RSASSA-PKCS1-v1_5").execute();
  const key = await importJwk(JSON.parse(rsa.private_jwk), "private");
  const actorDoc = await (await fetch(`${A.url}/ap/directory`, { headers: { accept: "application/activity+json" } })).json();
  const req = new Request(`${B.url}/ap/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body: forged("spoof", "http://evil.example/ap/providers/x") });
  const signed = await signRequest(req, key, new URL(actorDoc.publicKey.id), { spec: "draft-cavage-http-signatures-12" });
  const res = await fetch(signed);
  assert.is(res.status, 202);
  await drained(B);
  assert.is((await search(B, "")).total, before);
});

test("blocking A's domain purges its offers and drops the follow", async () => {
  const { slug, token } = await registerProvider(A.env.app, "chaton-b");
  assert.is((await putOffer(A.env.app, slug, token, "pad", sampleOffer({ service: "pad", software: { name: "HedgeDoc" }, title: { fr: "Bloc-notes partagé" } }))).status, 201);
  await eventually("pad on B", async () => ((await search(B, "hedgedoc")).total === 1 ? true : undefined));
  const res = await B.admin("/blocks", { method: "POST", body: JSON.stringify({ domain: "LOCALHOST" }) });
  assert.is(res.status, 201);
  assert.equal(await json(res), { domain: "localhost", created: true, purgedOffers: 1 });
  assert.is((await search(B, "hedgedoc")).total, 0);
  assert.equal((await json(await B.admin("/follows"))).items, []);
  assert.equal((await json(await B.admin("/blocks"))).items.map((b: any) => b.domain), ["localhost"]);
  // Deliveries signed by the blocked domain are refused before any key is fetched from it.
  const refused = await fetch(`${B.url}/ap/inbox`, { method: "POST", headers: { "content-type": "application/activity+json", signature: `keyId="${A.url}/ap/directory#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="x"` }, body: "{}" });
  assert.is(refused.status, 403);
});

test("a blocked domain cannot be followed; after unblocking, a new follow backfills A's offers; unfollowing sends Undo and purges them", async () => {
  const refused = await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) });
  assert.is(refused.status, 403);
  assert.is((await B.admin("/blocks/localhost", { method: "DELETE" })).status, 204);
  assert.is((await B.admin("/blocks/localhost", { method: "DELETE" })).status, 404);
  assert.is((await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) })).status, 202);
  // The pad offer was published before this follow: it arrives through the outbox backfill.
  const found = await eventually("backfilled pad on B", async () => { const r = await search(B, "hedgedoc"); return r.total === 1 ? r : undefined; });
  assert.is(found.items[0].origin.directory, `${A.url}/ap/directory`);

  const del = await B.admin(`/follows?actor=${encodeURIComponent(`${A.url}/ap/directory`)}`, { method: "DELETE" });
  assert.is(del.status, 204);
  assert.is((await search(B, "hedgedoc")).total, 0);
  assert.equal((await json(await B.admin("/follows"))).items, []);
  await eventually("Undo processed on A", async () => ((await A.env.deps.db.selectFrom("fed_followers").selectAll().execute()).length === 0 ? true : undefined));
});

test.run();
