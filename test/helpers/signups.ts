/** Helpers for signup tests: a provider with an offer and a webhook, a local receiver on a free port, requests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { json, putOffer, registerProvider, sampleOffer, type TestEnv } from "./deps.ts";

export type Received = { headers: Record<string, string>; body: string; path: string; at: number };
export type Behaviour = (req: Received, res: ServerResponse) => void | Promise<void>;

/** A local HTTP server recording every request; `behaviour` decides each answer (default 204). */
export async function startReceiver(behaviour: Behaviour = (_r, res) => { res.writeHead(204).end(); }, port = 0) {
  const received: Received[] = [];
  const state = { behaviour };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8"), path: req.url ?? "", at: Date.now() };
      received.push(r);
      Promise.resolve(state.behaviour(r, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    received, state, port: actual, url: `http://127.0.0.1:${actual}/hook`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function setWebhook(env: TestEnv, slug: string, token: string, url: string) {
  const res = await env.app.request(`/api/v1/providers/${slug}/webhook`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url }),
  });
  if (res.status !== 200) throw new Error(`set webhook: ${res.status} ${await res.text()}`);
  return (await json(res)) as { url: string; secret: string };
}

/** Registers `slug`, publishes one offer (`offerSlug`) and, when `webhookUrl` is given, points its webhook there. */
export async function providerWithOffer(env: TestEnv, slug: string, opts: { offer?: Record<string, unknown>; offerSlug?: string; webhookUrl?: string } = {}) {
  const { token } = await registerProvider(env.app, slug);
  const offerSlug = opts.offerSlug ?? "cloud";
  const res = await putOffer(env.app, slug, token, offerSlug, sampleOffer(opts.offer));
  if (res.status !== 201) throw new Error(`offer: ${res.status} ${await res.text()}`);
  const secret = opts.webhookUrl ? (await setWebhook(env, slug, token, opts.webhookUrl)).secret : undefined;
  return { slug, token, offerId: `${slug}~${offerSlug}`, secret };
}

export const person = (over: Record<string, unknown> = {}) => ({ email: "camille@example.org", name: "Camille Martin", locale: "fr", consent: true, ...over });

export async function postSignup(env: TestEnv, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return env.app.request("/api/v1/signups", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export function tokenOf(statusUrl: string): string {
  return new URL(statusUrl).searchParams.get("token")!;
}
