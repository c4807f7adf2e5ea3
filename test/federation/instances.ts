/** Real directory instances on loopback ports (real HTTP between them), for federation tests and the benchmark. */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { startFederation } from "../../src/federation/publisher.ts";
import { startSignupWorker } from "../../src/domain/signups/jobs.ts";
import type { FederationSettings } from "../../src/federation/federation.ts";
import { json, testEnv, type TestEnv } from "../helpers/deps.ts";

export const ADMIN = "admin-token-for-tests-0123456789";

export type Instance = {
  env: TestEnv; url: string; close(): Promise<void>; admin(path: string, init?: RequestInit): Promise<Response>;
  /** Stops listening (connections are refused) until `up()` listens again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Wraps every request (e.g. to hold an answer); `undefined` restores the plain app. */
  intercept(wrap: ((req: Request, next: (req: Request) => Promise<Response>) => Promise<Response>) | undefined): void;
};

/** Starts one directory; `host` picks the name in its public URL (`localhost` or `127.0.0.1`) so two instances differ by domain. */
export async function startInstance(host: "localhost" | "127.0.0.1", env: Record<string, string> = {}, federation: FederationSettings = {}, opts: { signupWorker?: boolean } = {}): Promise<Instance> {
  let handler: (req: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
  let wrap: Parameters<Instance["intercept"]>[0];
  const listen = async (port = 0) => {
    const s = serve({ fetch: (req) => (wrap ? wrap(req, handler) : handler(req)), port });
    await new Promise<void>((resolve) => s.once("listening", () => resolve()));
    return s;
  };
  let server: ServerType | undefined = await listen();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  const t = await testEnv({ env: { PUBLIC_URL: url, ADMIN_TOKEN: ADMIN, ...env }, federation });
  handler = async (req) => t.app.fetch(req);
  const runner = startFederation(t.deps.federation!, t.deps, { publishEveryMs: 50 });
  // With the signup worker, deliveries run by themselves (on the real clock's schedule), as on a server.
  const worker = opts.signupWorker ? startSignupWorker(t.deps, { idleMs: 100 }) : undefined;
  if (worker) t.deps.wakeSignupWorker = worker.wake;
  const stop = async () => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => { s.close(() => resolve()); (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(); });
  };
  return {
    env: t, url,
    admin: async (path, init = {}) => t.app.request(`/api/v1/admin${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) } }),
    down: stop,
    async up() { if (!server) server = await listen(port); },
    intercept(w) { wrap = w; },
    async close() {
      await worker?.stop();
      await runner.stop();
      await stop();
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
