import { test } from "uvu";
import * as assert from "uvu/assert";
import { insertDeliveryRefusal, listDeliveryRefusals } from "../../src/db/queries/federation.ts";
import { purgeFederationRecords, REFUSALS_KEPT_MS } from "../../src/federation/publisher.ts";
import { testEnv } from "../helpers/deps.ts";

test("refused deliveries stay recorded 30 days, then housekeeping forgets them", async () => {
  const env = await testEnv({ env: { ALLOW_PRIVATE_NETWORK: "0" } });
  try {
    const at = (ms: number) => new Date(ms).toISOString();
    const now = env.deps.clock.now();
    await insertDeliveryRefusal(env.deps.db, { inbox: "http://10.0.0.1/old", activity_id: null, activity_type: "Create", reason: "refusing", at: at(now - REFUSALS_KEPT_MS - 1000) });
    await insertDeliveryRefusal(env.deps.db, { inbox: "http://10.0.0.1/recent", activity_id: null, activity_type: "Create", reason: "refusing", at: at(now - REFUSALS_KEPT_MS + 1000) });
    await purgeFederationRecords(env.deps.federation!, env.deps);
    assert.equal((await listDeliveryRefusals(env.deps.db)).map((r) => r.inbox), ["http://10.0.0.1/recent"]);
    const fed = env.deps.federation!;
    assert.equal(await Promise.all(["http://10.0.0.1/inbox", "http://[::ffff:127.0.0.1]/inbox", "ftp://peer.example/inbox", "https://93.184.215.14/inbox"].map((u) => fed.inboxAllowed(u))), [false, false, false, true]);
  } finally { await env.close(); }
});

test.run();
