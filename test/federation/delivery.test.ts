import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { eventually, startInstance } from "./instances.ts";

test("an offer change is delivered signed (draft-cavage first) to followers' inboxes; an inbox answering 410 loses its follower", async () => {
  const received: Array<{ path: string; headers: IncomingHttpHeaders; body: any }> = [];
  const sink = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      if (req.method === "POST") received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(data) });
      res.writeHead(req.url === "/gone/inbox" ? 410 : 202).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", () => r()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const A = await startInstance("127.0.0.1");
  try {
    const now = new Date().toISOString();
    await A.env.deps.db.insertInto("fed_followers").values(["ok", "gone"].map((n) => ({
      actor: "_directory", follower_id: `${sinkUrl}/${n}`, inbox: `${sinkUrl}/${n}/inbox`, shared_inbox: null, follow_id: `${sinkUrl}/${n}#f`, status: "accepted" as const, created_at: now,
    }))).execute();
    const { slug, token } = await registerProvider(A.env.app, "chaton-d");
    assert.is((await putOffer(A.env.app, slug, token, "cloud", sampleOffer())).status, 201);
    await eventually("followers of the gone inbox removed", async () => {
      const rows = await A.env.deps.db.selectFrom("fed_followers").select("follower_id").execute();
      return rows.length === 1 ? rows : undefined;
    });
    assert.equal((await A.env.deps.db.selectFrom("fed_followers").select("follower_id").execute()).map((r) => r.follower_id), [`${sinkUrl}/ok`]);
    const ok = received.find((r) => r.path === "/ok/inbox")!;
    assert.match(String(ok.headers.signature), new RegExp(`^keyId="${A.url}/ap/directory#main-key",algorithm="rsa-sha256"`));
    assert.match(String(ok.headers.digest), /^SHA-256=/);
    assert.is(ok.body.type, "Announce");
    assert.is(ok.body.actor, `${A.url}/ap/directory`);
    assert.is(ok.body.object.type, "Create");
    assert.is(ok.body.object.actor, `${A.url}/ap/providers/chaton-d`);
    const offer = ok.body.object.object;
    // Compacted with the Announce's context: FEP-0837 terms travel as full IRIs (receivers expand JSON-LD).
    assert.is(offer.type, "https://w3id.org/valueflows/ont/vf#Proposal");
    assert.is(offer.id, `${A.url}/ap/offers/chaton-d~cloud`);
    assert.is(offer.attributedTo, `${A.url}/ap/providers/chaton-d`);
    assert.is(offer.nameMap.fr, "Nextcloud pour les écoles");
    assert.is(offer["https://w3id.org/valueflows/ont/vf#purpose"], "offer");
    assert.ok(ok.body.proof, "object integrity proof (Ed25519)");
  } finally {
    await A.close();
    await new Promise<void>((r) => sink.close(() => r()));
  }
});

test.run();
