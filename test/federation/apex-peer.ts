/** A small activitypub-express server (in-memory store) on a loopback port: an independent ActivityPub peer. */
import express from "express";
import ActivitypubExpress from "activitypub-express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryApexStore } from "./apex-store.ts";
import { testKeyPair } from "../helpers/deps.ts";

const routes = {
  actor: "/u/:actor", object: "/o/:id", activity: "/s/:id", inbox: "/u/:actor/inbox", outbox: "/u/:actor/outbox",
  followers: "/u/:actor/followers", following: "/u/:actor/following", liked: "/u/:actor/liked", collections: "/u/:actor/c/:id",
  blocked: "/u/:actor/blocked", rejections: "/u/:actor/rejections", rejected: "/u/:actor/rejected", shares: "/s/:id/shares", likes: "/s/:id/likes",
};

export type ApexPeer = { apex: any; store: MemoryApexStore; actor: any; url: string; inbox: any[]; close(): Promise<void> };

const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END ${label}-----\n`;

export async function startApexPeer(): Promise<ApexPeer> {
  process.env.NODE_ENV = "test"; // apex refuses loopback addresses in production
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new MemoryApexStore();
  const apex = ActivitypubExpress({
    name: "apex-peer", version: "1.0.0", baseUrl: url, actorParam: "actor", objectParam: "id", activityParam: "id", routes, store,
    endpoints: {}, logger: { info() {}, warn() {}, error() {}, debug() {}, log() {} },
  });
  const app = express();
  app.use(express.json({ type: apex.consts.jsonldTypes }), express.urlencoded({ extended: true }), apex);
  app.route(routes.inbox).get(apex.net.inbox.get).post(apex.net.inbox.post);
  app.route(routes.outbox).get(apex.net.outbox.get).post(apex.net.outbox.post);
  app.get(routes.actor, apex.net.actor.get);
  app.get(routes.followers, apex.net.followers.get);
  app.get(routes.following, apex.net.following.get);
  app.get(routes.object, apex.net.object.get);
  app.get(routes.activity, apex.net.activityStream.get);
  app.get("/.well-known/webfinger", apex.net.webfinger.get);
  const inbox: any[] = [];
  app.on("apex-inbox", (msg: any) => inbox.push(msg));
  server.on("request", app);

  // apex's createActor makes a 4096-bit key (many seconds on a busy machine): build the same actor with the test key.
  const pair = await testKeyPair("RSASSA-PKCS1-v1_5");
  const id = apex.utils.usernameToIRI("peer");
  const streams = apex.utils.nameToActorStreams("peer");
  const actor = await apex.fromJSONLD({
    id, type: "Person", ...streams, preferredUsername: "peer", name: "Apex peer", summary: "An activitypub-express peer",
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pem("PUBLIC KEY", await crypto.subtle.exportKey("spki", pair.publicKey)) },
  });
  actor._meta = { privateKey: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", pair.privateKey)) };
  await store.setup(actor);
  return {
    apex, store, actor, url, inbox,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** Makes the peer follow `target` (delivered by apex's own outbox machinery). */
export async function apexFollow(peer: ApexPeer, target: string) {
  const follow = await peer.apex.buildActivity("Follow", peer.actor.id, target, { object: target });
  await peer.apex.addToOutbox(peer.actor, follow);
  return follow;
}
