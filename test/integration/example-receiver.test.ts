import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { json, testEnv } from "../helpers/deps.ts";
import { person, postSignup, providerWithOffer, setWebhook, tokenOf } from "../helpers/signups.ts";

const listen = (server: { listen: Function; address(): unknown }) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

test("examples/provider-webhook: verifies, dedupes by webhook-id, refuses stale or forged requests, and calls back to active", async () => {
  const env = await testEnv();
  env.deps.clock.set(Date.now()); // the receiver checks timestamps against the real clock
  const api = serve({ fetch: env.app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise((r) => api.once("listening", r));
  const apiPort = (api.address() as AddressInfo).port;
  env.deps.config.publicUrl = `http://127.0.0.1:${apiPort}`;
  const mod = await import(new URL("../../examples/provider-webhook/server.mjs", import.meta.url).href);
  const p = await providerWithOffer(env, "chaton-ex");
  let receiver: ReturnType<typeof createServer> | undefined;
  try {
    const provisioned: string[] = [];
    const placeholder = createServer();
    receiver = placeholder;
    const port = await listen(placeholder);
    const { secret } = await setWebhook(env, p.slug, p.token, `http://127.0.0.1:${port}/webhook`);
    const { handler } = mod.createReceiver({
      secret, directoryToken: p.token, directoryUrl: env.deps.config.publicUrl, log: { error() {} },
      provision: async (account: { email: string }) => { provisioned.push(account.email); return { loginUrl: "https://cloud.chaton-ex.example/login" }; },
    });
    const captured: Array<{ headers: Record<string, string>; body: string }> = [];
    placeholder.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c)).on("end", () => captured.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() }));
      handler(req, res);
    });

    const s = await json(await postSignup(env, { offerId: p.offerId, ...person() }));
    assert.equal(await runDeliveryRound(env.deps), { claimed: 1, delivered: 1, retried: 0, rejected: 0, dead: 0 });
    let status: any;
    for (let i = 0; i < 100; i++) {
      status = await json(await env.app.request(`/api/v1/signups/${s.id}?token=${tokenOf(s.statusUrl)}`));
      if (status.status === "active") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.is(status.status, "active");
    assert.is(status.loginUrl, "https://cloud.chaton-ex.example/login");
    assert.equal(status.events.map((e: any) => e.status).sort(), ["active", "delivered", "pending", "provisioning"]);
    assert.equal(provisioned, ["camille@example.org"]);

    const url = `http://127.0.0.1:${port}/webhook`;
    const resend = (headers: Record<string, string>, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const pick = (h: Record<string, string>) => ({ "webhook-id": h["webhook-id"], "webhook-timestamp": h["webhook-timestamp"], "webhook-signature": h["webhook-signature"] });
    const first = captured[0];
    const dup = await resend(pick(first.headers), first.body);
    assert.is(dup.status, 200);
    assert.equal(await dup.json(), { status: "duplicate" });
    assert.equal(provisioned, ["camille@example.org"], "a replay is not processed twice");
    const forged = await resend({ ...pick(first.headers), "webhook-id": "msg_forged" }, first.body);
    assert.is(forged.status, 400);
    const stale = await resend({ ...pick(first.headers), "webhook-timestamp": String(Math.floor(Date.now() / 1000) - 301) }, first.body);
    assert.is(stale.status, 400);
    assert.equal(await stale.json(), { error: "stale or missing timestamp" });
  } finally {
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
    api.close();
    await env.close();
  }
});

test.run();
