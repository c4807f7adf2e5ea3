/** Real directory instances on loopback ports (real HTTP between them), for federation tests and the benchmark. */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { startFederation } from "../../src/federation/publisher.ts";
import type { FederationSettings } from "../../src/federation/federation.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";

export const ADMIN = "admin-token-for-tests-0123456789";

export type Instance = { env: TestEnv; url: string; close(): Promise<void>; admin(path: string, init?: RequestInit): Promise<Response> };

/** Starts one directory; `host` picks the name in its public URL (`localhost` or `127.0.0.1`) so two instances differ by domain. */
export async function startInstance(host: "localhost" | "127.0.0.1", env: Record<string, string> = {}, federation: FederationSettings = {}): Promise<Instance> {
  let handler: (req: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
  const server = serve({ fetch: (req) => handler(req), port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const t = await testEnv({ env: { PUBLIC_URL: url, ADMIN_TOKEN: ADMIN, ...env }, federation });
  handler = async (req) => t.app.fetch(req);
  const runner = startFederation(t.deps.federation!, t.deps, { publishEveryMs: 50 });
  return {
    env: t, url,
    admin: async (path, init = {}) => t.app.request(`/api/v1/admin${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) } }),
    async close() {
      await runner.stop();
      await new Promise<void>((resolve) => { server.close(() => resolve()); (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(); });
      await t.close();
    },
  };
}

export { eventually } from "../helpers/wait.ts";
import { eventually } from "../helpers/wait.ts";

/** Waits until an instance's federation queue is empty (nothing left to deliver or process). */
export async function drained(i: Instance, ms = 10_000) {
  await eventually("queue drained", async () => {
    const rows = await i.env.deps.db.selectFrom("fed_queue").select(["message", "run_at", "locked_until"]).execute();
    if (process.env.DEBUG_Q) console.log(rows.map((r) => [r.message.slice(0, 300), r.run_at - Date.now(), r.locked_until]));
    return rows.length === 0 ? true : undefined;
  }, ms);
}

export async function search(i: Instance, q: string) {
  return json(await i.env.app.request(`/api/v1/offers?q=${encodeURIComponent(q)}`));
}
