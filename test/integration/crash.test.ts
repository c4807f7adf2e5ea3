/**
 * Crash safety of the signup outbox on the real server: signups are posted continuously while the server process
 * is killed with SIGKILL twice (no shutdown of any kind) and restarted on the same database and port. Afterwards
 * every signup that was accepted (202) reaches the provider's webhook, each signup always under one webhook-id
 * (redeliveries after the lease reuse it), and the database is consistent.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { consistencyProblems } from "../../src/db/queries/consistency.ts";
import { openDatabase } from "../../src/runtime/shared.ts";
import { sampleOffer, sampleProvider } from "../helpers/deps.ts";
import { startServer, type Server } from "../helpers/process.ts";
import { eventually } from "../helpers/wait.ts";

const CLIENTS = 8;
/** Accepted signups before the first kill, before the second, before the load stops. */
const STAGES = [40, 80, 120];

test("signup load across two SIGKILLs: every accepted signup delivered, each under one webhook-id", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-crash-"));
  // The provider's receiver: answers 204 after a short pause, so deliveries are in flight when the server dies.
  const deliveries: Array<{ webhookId: string; signupId: string }> = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      deliveries.push({ webhookId: String(req.headers["webhook-id"]), signupId: JSON.parse(body).data.signupId });
      setTimeout(() => res.writeHead(204).end(), 20);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const env = {
    DATABASE_URL: `file:${join(dir, "crash.db")}`, SEED: "none", ALLOW_PRIVATE_NETWORK: "1", LOG_LEVEL: "error",
    SIGNUP_RATE_LIMIT_IP: "1000000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000000/1h", WEBHOOK_RETRY_SCHEDULE: "1s,1s,1s…",
  };
  let server: Server = await startServer(env);
  const port = new URL(server.url).port;
  const base = server.url;
  const accepted = new Set<string>();
  let stop = false;
  let kills = 0;
  try {
    const reg = await (await fetch(`${base}/api/v1/providers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider("chaton-crash")) })).json();
    const auth = { "content-type": "application/json", authorization: `Bearer ${reg.token}` };
    assert.is((await fetch(`${base}/api/v1/providers/chaton-crash/offers/cloud`, { method: "PUT", headers: auth, body: JSON.stringify(sampleOffer({ signup: { mode: "webhook" } })) })).status, 201);
    assert.is((await fetch(`${base}/api/v1/providers/chaton-crash/webhook`, { method: "PUT", headers: auth, body: JSON.stringify({ url: hook }) })).status, 200);

    let n = 0;
    const client = async () => {
      while (!stop) {
        const email = `crash${n++}@example.org`;
        try {
          const res = await fetch(`${base}/api/v1/signups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ offerId: "chaton-crash~cloud", email, name: "Crash Test", consent: true }) });
          if (res.status === 202) accepted.add((await res.json()).id);
          else await res.body?.cancel();
        } catch {
          // The server is down or restarting: try again (the connection error is the expected part of the test).
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, client));
    for (const [i, stage] of STAGES.entries()) {
      await eventually(`${stage} signups accepted`, () => accepted.size >= stage, 120_000);
      if (i === STAGES.length - 1) break;
      server.child.kill("SIGKILL");
      await new Promise<void>((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r() : server.child.once("exit", () => r())));
      kills++;
      server = await startServer({ ...env, PORT: port });
    }
    stop = true;
    await load;

    await eventually("every accepted signup delivered", () => [...accepted].every((id) => deliveries.some((d) => d.signupId === id)), 120_000);
    // A delivery cut short by a kill (sent, or even received, but not recorded) keeps its lease for 30 s; then it is
    // delivered again under the same webhook-id and recorded. Wait until the outbox has nothing left to do.
    const reader = await openDatabase(env.DATABASE_URL);
    try {
      await eventually("every hand-over recorded as delivered", async () => {
        const left = await reader.db.selectFrom("outbox").select("id").where("status", "!=", "delivered").execute();
        return left.length === 0 ? true : undefined;
      }, 120_000);
    } finally {
      await reader.db.destroy();
      reader.client.close();
    }
    const idsBySignup = new Map<string, Set<string>>();
    for (const d of deliveries) idsBySignup.set(d.signupId, (idsBySignup.get(d.signupId) ?? new Set()).add(d.webhookId));
    const signupByWebhookId = new Map<string, Set<string>>();
    for (const d of deliveries) signupByWebhookId.set(d.webhookId, (signupByWebhookId.get(d.webhookId) ?? new Set()).add(d.signupId));
    assert.equal([...idsBySignup].filter(([, ids]) => ids.size !== 1), [], "one webhook-id per signup");
    assert.equal([...signupByWebhookId].filter(([, ids]) => ids.size !== 1), [], "one signup per webhook-id");
    const duplicates = deliveries.length - idsBySignup.size;
    console.log(`  crash: ${kills} SIGKILLs, ${accepted.size} signups accepted, all ${[...accepted].filter((id) => idsBySignup.has(id)).length} delivered (${deliveries.length} deliveries, ${duplicates} repeated under the same webhook-id)`);
    assert.is(kills, 2);
  } finally {
    stop = true;
    await server.stop();
    await new Promise<void>((r) => { receiver.closeAllConnections(); receiver.close(() => r()); });
  }
  const { client, db } = await openDatabase(env.DATABASE_URL);
  try {
    assert.equal(await consistencyProblems(db), []);
    const pending = await db.selectFrom("outbox").select(["webhook_id", "status"]).where("status", "!=", "delivered").execute();
    assert.equal(pending, [], "every hand-over is marked delivered");
  } finally {
    await db.destroy();
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
