/**
 * LISTING_POLICY=reviewed across two directories (docs/decisions/0030): B follows A. A provider joins A — B learns
 * nothing; A's operator approves it — B receives the offer; A's operator hides it — B receives the Delete and drops
 * it; A's operator shows it again — B receives it again. Real HTTP between the two, Fedify's real queue.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { drained, eventually, search, startInstance, type Instance } from "./instances.ts";

let A: Instance;
let B: Instance;

test.before(async () => {
  A = await startInstance("localhost", { LISTING_POLICY: "reviewed" });
  B = await startInstance("127.0.0.1");
  assert.is((await B.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) })).status, 202);
  await eventually("B's follow accepted", async () => (await json(await B.admin("/follows"))).items[0]?.status === "accepted");
});
test.after(async () => {
  await B?.close();
  await A?.close();
});

/** What B received from A, as B's search shows it. */
const onB = async () => (await search(B, "ecole")).items.map((o: any) => [o.source, o.origin?.id]);

test("register → invisible (on A and B) → approve → visible on both → hide → invisible, B received the Delete → unhide → back on B", async () => {
  const { slug, token } = await registerProvider(A.env.app, "chaton-review");
  assert.is((await putOffer(A.env.app, slug, token, "cloud", sampleOffer())).status, 201);
  const offerUri = `${A.url}/ap/offers/${slug}~cloud`;

  // Waiting for review: nothing public on A, nothing sent to B.
  assert.is((await search(A, "ecole")).total, 0);
  assert.equal(await A.env.deps.db.selectFrom("offer_changes").selectAll().execute(), []);
  assert.is((await fetch(`${A.url}/ap/providers/${slug}`, { headers: { accept: "application/activity+json" } })).status, 404, "no actor before it is public");
  await drained(A);
  assert.equal(await onB(), []);

  // Approved: A lists it and B receives the Create.
  assert.is((await A.admin(`/providers/${slug}/approve`, { method: "POST", body: JSON.stringify({ reason: "checked", by: "Camille" }) })).status, 200);
  assert.is((await search(A, "ecole")).total, 1);
  await eventually("B received the offer", async () => (await onB()).length === 1);
  assert.equal(await onB(), [["federated", offerUri]]);

  // Hidden on A: out of A's search, and B receives a Delete for it.
  assert.is((await A.admin(`/providers/${slug}/hide`, { method: "POST", body: JSON.stringify({ reason: "spam", by: "Camille" }) })).status, 200);
  assert.is((await search(A, "ecole")).total, 0);
  assert.is((await A.env.app.request(`/api/v1/offers/${slug}~cloud`)).status, 404);
  await eventually("B dropped the offer", async () => (await onB()).length === 0);
  const changes = await A.env.deps.db.selectFrom("offer_changes").select(["kind", "published_at"]).orderBy("id").execute();
  assert.equal(changes.map((c) => c.kind), ["created", "deleted"]);
  await eventually("A published the Delete", async () => (await A.env.deps.db.selectFrom("offer_changes").select("published_at").where("kind", "=", "deleted").executeTakeFirst())?.published_at !== null);
  // Its actor stays (it signed that Delete) but says nothing more than its name.
  const actor = await (await fetch(`${A.url}/ap/providers/${slug}`, { headers: { accept: "application/activity+json" } })).json() as Record<string, unknown>;
  assert.is(actor.name, "Hébergeur chaton-review");
  assert.is(actor.summary, undefined);

  // Shown again: a new Create, and B has it again.
  assert.is((await A.admin(`/providers/${slug}/unhide`, { method: "POST" })).status, 200);
  await eventually("B received the offer again", async () => (await onB()).length === 1);
  assert.equal(await onB(), [["federated", offerUri]]);
  // Hiding the offer alone sends a Delete as well.
  assert.is((await A.admin(`/offers/${slug}~cloud/hide`, { method: "POST", body: JSON.stringify({ reason: "misleading" }) })).status, 200);
  await eventually("B dropped the hidden offer", async () => (await onB()).length === 0);
  assert.equal((await A.env.deps.db.selectFrom("offer_changes").select("kind").orderBy("id").execute()).map((c) => c.kind), ["created", "deleted", "created", "deleted"]);
  await drained(A);
});

test.run();
