/**
 * No work for nobody (docs/decisions/0029): changes no follower would receive are marked published without building,
 * signing or queueing anything (no keys made); a burst of changes to one offer goes out as one activity, only to the
 * audiences that exist.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { publishPendingChanges } from "../../src/federation/publisher.ts";
import { eventually } from "../helpers/wait.ts";
import { putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";

test("changes nobody follows are marked published with nothing built, signed or queued; a burst to one offer goes out once", async () => {
  const received: Array<{ path: string; body: any }> = [];
  const sink = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => { if (req.method === "POST") received.push({ path: req.url ?? "", body: JSON.parse(data) }); res.writeHead(202).end(); });
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", () => r()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const env = await testEnv();
  const controller = new AbortController();
  try {
    const { db } = env.deps;
    const fed = env.deps.federation!;
    const { slug, token } = await registerProvider(env.app, "quiet");
    for (const title of ["Un", "Deux", "Trois"]) assert.ok((await putOffer(env.app, slug, token, "cloud", sampleOffer({ title: { fr: `Nuage ${title}` } }))).status < 300);
    assert.is(await publishPendingChanges(fed, env.deps), 3);
    assert.is((await db.selectFrom("offer_changes").select("id").where("published_at", "is", null).execute()).length, 0);
    assert.is((await db.selectFrom("fed_keys").select("actor").execute()).length, 0, "no key made for an actor nobody reads");
    assert.is((await db.selectFrom("fed_queue").select("id").execute()).length, 0, "nothing queued");

    // Someone follows the provider (not the directory): a burst of three changes to a new offer → one Create, one post.
    await db.insertInto("fed_followers").values({
      actor: slug, follower_id: `${sinkUrl}/f`, inbox: `${sinkUrl}/f/inbox`, shared_inbox: null, follow_id: `${sinkUrl}/f#follow`, status: "accepted", created_at: new Date().toISOString(),
    }).execute();
    for (const title of ["A", "B", "C"]) assert.ok((await putOffer(env.app, slug, token, "pad", sampleOffer({ service: "pad", title: { fr: `Pad ${title}` } }))).status < 300);
    assert.is(await publishPendingChanges(fed, env.deps), 3);
    const queue = fed.federation.startQueue(undefined, { signal: controller.signal });
    await eventually("two deliveries", () => received.length >= 2);
    await eventually("queue drained", async () => (await db.selectFrom("fed_queue").select("id").execute()).length === 0);
    assert.is(received.length, 2);
    const kinds = received.map((r) => `${r.body.type}(${r.body.object.type})`).sort();
    assert.equal(kinds, ["Create(Note)", "Create(https://w3id.org/valueflows/ont/vf#Proposal)"]);
    const create = received.find((r) => r.body.object.type !== "Note")!;
    assert.is(create.body.actor, `${env.deps.config.publicUrl}/ap/providers/${slug}`);
    assert.match(JSON.stringify(create.body.object), /Pad C/, "the latest state");
    assert.ok(received.every((r) => r.path === "/f/inbox"));
    assert.ok(received.every((r) => r.body.type !== "Announce"), "the directory has no follower: no Announce");
    assert.equal((await db.selectFrom("fed_keys").select("actor").distinct().execute()).map((r) => r.actor), [slug]);
    controller.abort();
    await queue;
  } finally {
    controller.abort();
    await env.close();
    await new Promise<void>((r) => sink.close(() => r()));
  }
});

test.run();
