import { test } from "uvu";
import * as assert from "uvu/assert";
import { putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { apexFollow, startApexPeer, type ApexPeer } from "./apex-peer.ts";
import { eventually, startInstance, type Instance } from "./instances.ts";

let D: Instance;
let peer: ApexPeer;

test.before(async () => {
  D = await startInstance("127.0.0.1");
  peer = await startApexPeer();
});
test.after(async () => {
  await peer?.close();
  await D?.close();
});

test("activitypub-express follows our directory and a provider; we accept; it takes the Accept and reads a signed Create of an offer", async () => {
  const { slug, token } = await registerProvider(D.env.app, "chaton-x");
  const providerActor = `${D.url}/ap/providers/chaton-x`;
  await apexFollow(peer, `${D.url}/ap/directory`);
  await apexFollow(peer, providerActor);

  const followers = await eventually("both follows recorded", async () => {
    const rows = await D.env.deps.db.selectFrom("fed_followers").select(["actor", "follower_id", "inbox", "status"]).orderBy("actor").execute();
    return rows.length === 2 ? rows : undefined;
  });
  assert.equal(followers, [
    { actor: "_directory", follower_id: peer.actor.id, inbox: `${peer.url}/u/peer/inbox`, status: "accepted" },
    { actor: "chaton-x", follower_id: peer.actor.id, inbox: `${peer.url}/u/peer/inbox`, status: "accepted" },
  ]);
  // apex puts a Follow in its following collection only when it has verified and accepted our Accept.
  const following = await eventually("apex took both Accepts", async () => {
    const s = await peer.store.getStream(peer.actor.following[0]);
    return s.length === 2 ? s : undefined;
  });
  assert.equal(following.map((f: any) => f.object[0]).sort(), [`${D.url}/ap/directory`, providerActor]);
  await eventually("apex emitted both Accepts", async () => (peer.inbox.filter((m) => m.activity.type === "Accept").length === 2 ? true : undefined));

  assert.is((await putOffer(D.env.app, slug, token, "cloud", sampleOffer())).status, 201);
  const created = await eventually("apex received the Create", async () => peer.inbox.find((m) => m.activity.type === "Create"));
  assert.is(created.actor.id, providerActor);
  const offer = created.object;
  if (process.env.DEBUG_APEX) console.log(JSON.stringify(offer, null, 1));
  // apex compacts with the ActivityStreams context only, so FEP-0837 terms come out as full IRIs: it expanded our JSON-LD.
  assert.is(offer.type, "https://w3id.org/valueflows/ont/vf#Proposal");
  assert.is(offer.id, `${D.url}/ap/offers/chaton-x~cloud`);
  assert.equal(offer.attributedTo, [providerActor]);
  assert.ok(offer.name.includes("Nextcloud pour les écoles"));
  assert.is(offer.url[0], `${D.url}/offers/chaton-x~cloud`);
  const props = Object.fromEntries(offer.attachment.map((p: any) => [p.name[0], p["http://schema.org#value"][0]]));
  assert.is(props.Service, "storage");
  assert.is(props.Software, "Nextcloud 30.0.2");
  // The directory's Announce of it arrives too; apex stored the offer object it read.
  await eventually("apex received the Announce", async () => peer.inbox.find((m) => m.activity.type === "Announce"));
  assert.is((await peer.store.getObject(offer.id))?.type, "https://w3id.org/valueflows/ont/vf#Proposal");
});

test.run();
