import { test } from "uvu";
import * as assert from "uvu/assert";
import { json } from "../helpers/deps.ts";
import { eventually, startInstance } from "./instances.ts";

test("FEDERATION_FOLLOWS=manual: a follow waits for the admin; accepting sends Accept, rejecting sends Reject", async () => {
  const A = await startInstance("localhost", { FEDERATION_FOLLOWS: "manual" });
  const B = await startInstance("127.0.0.1");
  const C = await startInstance("127.0.0.1");
  try {
    const actorDoc = await (await fetch(`${A.url}/ap/directory`, { headers: { accept: "application/activity+json" } })).json();
    assert.is(actorDoc.manuallyApprovesFollowers, true);
    for (const X of [B, C]) assert.is((await X.admin("/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) })).status, 202);
    const pending = await eventually("two pending followers on A", async () => {
      const l = await json(await A.admin("/followers?status=pending"));
      return l.total === 2 ? l : undefined;
    });
    assert.equal(pending.items.map((f: any) => [f.actor, f.status]), [["directory", "pending"], ["directory", "pending"]]);
    assert.is((await json(await B.admin("/follows"))).items[0].status, "pending");

    const ok = await A.admin("/followers/accept", { method: "POST", body: JSON.stringify({ actor: "directory", follower: `${B.url}/ap/directory` }) });
    assert.is(ok.status, 200);
    assert.is((await json(ok)).status, "accepted");
    await eventually("B accepted", async () => ((await json(await B.admin("/follows"))).items[0]?.status === "accepted" ? true : undefined));

    const no = await A.admin("/followers/reject", { method: "POST", body: JSON.stringify({ actor: "directory", follower: `${C.url}/ap/directory` }) });
    assert.is(no.status, 204);
    await eventually("C's follow dropped", async () => ((await json(await C.admin("/follows"))).total === 0 ? true : undefined));
    assert.equal((await json(await A.admin("/followers"))).items.map((f: any) => f.follower), [`${B.url}/ap/directory`]);
    assert.is((await A.admin("/followers/accept", { method: "POST", body: JSON.stringify({ actor: "directory", follower: `${C.url}/ap/directory` }) })).status, 404);
  } finally {
    await C.close();
    await B.close();
    await A.close();
  }
});

test.run();
