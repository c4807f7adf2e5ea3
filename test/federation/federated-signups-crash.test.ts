/**
 * Directory B (a real `node src/runtime/node.ts` process) is killed with SIGKILL after handing a signup over to A and
 * before it could record A's answer; restarted on the same database, it sends the hand-over again with the same key
 * once its lease has run out, A answers with the signup it already has, and the provider gets exactly one account.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { putOffer, registerProvider, sampleOffer } from "../helpers/deps.ts";
import { freePort, startServer, type Server } from "../helpers/process.ts";
import { setWebhook, startReceiver } from "../helpers/signups.ts";
import { ADMIN, eventually, startInstance } from "./instances.ts";

test("SIGKILL between the hand-over and its answer: still exactly one account", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-crash-"));
  const A = await startInstance("localhost", { SIGNUP_RATE_LIMIT_EMAIL: "100/1h" });
  const rx = await startReceiver((_r, res) => { res.writeHead(202).end(); });
  const port = await freePort();
  const env = {
    PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: `file:${join(dir, "b.db")}`, SEED: "none",
    ALLOW_PRIVATE_NETWORK: "1", ADMIN_TOKEN: ADMIN, LOG_LEVEL: "error",
  };
  let B: Server | undefined = await startServer(env);
  const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port}${path}`, {
    ...init, headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}`, ...(init.headers as Record<string, string>) },
  });
  try {
    const p = await registerProvider(A.env.app, "chaton-a");
    await setWebhook(A.env, p.slug, p.token, rx.url);
    assert.is((await putOffer(A.env.app, p.slug, p.token, "cloud", sampleOffer())).status, 201);
    assert.is((await api("/api/v1/admin/follows", { method: "POST", body: JSON.stringify({ actor: `${A.url}/ap/directory` }) })).status, 202);
    const offer = await eventually("A's offer on B, taking signups", async () => {
      const r = await (await api("/api/v1/offers?limit=10")).json() as { items: Array<{ id: string; acceptsSignups: boolean }> };
      return r.items.find((o) => o.acceptsSignups);
    }, 30_000);

    // A takes every hand-over; the first answer is held until B is dead.
    let handovers = 0;
    let replayed = 0;
    let committed!: () => void;
    const isCommitted = new Promise<void>((r) => { committed = r; });
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    A.intercept(async (req, next) => {
      if (new URL(req.url).pathname !== "/api/v1/federation/signups") return next(req);
      handovers++;
      const res = await next(req);
      if (res.headers.get("idempotent-replayed") === "true") replayed++;
      if (handovers === 1) { committed(); await released; }
      return res;
    });

    const created = await (await api("/api/v1/signups", { method: "POST", body: JSON.stringify({ offerId: offer.id, email: "camille@example.org", name: "Camille", consent: true }) })).json() as { id: string; statusUrl: string };
    await isCommitted; // A has written the signup; B is waiting for the answer
    assert.is((await A.env.deps.db.selectFrom("signups").select("id").execute()).length, 1);
    await B.stop("SIGKILL");
    B = undefined;
    release();

    // B restarts on the same database: its lease runs out (30 s), it hands over again with the same key.
    B = await startServer(env);
    const status = await eventually("the hand-over recorded on B", async () => {
      const s = await (await fetch(created.statusUrl.replace("/signups/", "/api/v1/signups/"))).json() as { events: Array<{ message?: string }> };
      return s.events.some((e) => e.message?.startsWith("Remise à l’annuaire")) ? s : undefined;
    }, 90_000);
    assert.is(handovers, 2);
    assert.is(replayed, 1);
    const onA = await A.env.deps.db.selectFrom("signups").selectAll().execute();
    assert.is(onA.length, 1);
    assert.is(status.events.filter((e) => e.message?.startsWith("Remise à l’annuaire")).length, 1);
    await runDeliveryRound(A.env.deps, { timeoutMs: 5000 });
    assert.is(rx.received.length, 1);
    assert.match(rx.received[0].body, /"email":"camille@example.org"/);
  } finally {
    A.intercept(undefined);
    await B?.stop();
    await rx.close();
    await A.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
