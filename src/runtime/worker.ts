/**
 * Cloudflare Workers entry: the same createApp(deps) over a remote libSQL database (@libsql/client/web).
 * Migrations are applied by `npm run cli -- migrate` against DATABASE_URL before deploying, and lazily here
 * on the first request of an isolate (static provider: no filesystem needed).
 */
import { createClient } from "@libsql/client/web";
import { createApp, type App } from "../app.ts";
import { parseConfig } from "../config.ts";
import { createDb } from "../db/client.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { applyListingPolicy, ensureIndexCurrent } from "../domain/catalog/offers.ts";
import { createSafeFetch } from "../delivery/net.ts";
import { catalogSearch, type Deps } from "../deps.ts";
import { consoleLogger, systemClock } from "../lib/log.ts";
import { createDirectoryFederation } from "../federation/federation.ts";
import { publishPendingChanges, publishProfileUpdates, purgeFederationRecords } from "../federation/publisher.ts";
import { runScheduledSignupJobs } from "../domain/signups/jobs.ts";
import { runDeliveryRound } from "../domain/signups/deliver.ts";

import { freshnessTick } from "../domain/sources/schedule.ts";

/** A delivery round started by a new signup; the fetch handler hands it to ctx.waitUntil so it outlives the response. */
let kicked: Promise<unknown> | undefined;

type Env = Record<string, string | undefined>;

let ready: Promise<{ app: App; deps: Deps }> | undefined;

function boot(env: Env) {
  ready ??= (async () => {
    const config = parseConfig({ ...env, SEED: "none" });
    const client = createClient({ url: config.databaseUrl, authToken: config.databaseAuthToken });
    const db = createDb(client);
    await migrateToLatest(db);
    await ensureIndexCurrent(db);
    await applyListingPolicy(db, config.listingPolicy, systemClock.now());
    const fetchFn = globalThis.fetch.bind(globalThis);
    // No DNS API in Workers; the platform itself refuses private egress, and literals are still checked.
    const http = createSafeFetch({ fetch: fetchFn, allowPrivate: config.allowPrivateNetwork });
    const deps: Deps = { db, config, clock: systemClock, http, log: consoleLogger(config.logLevel), search: catalogSearch(db, config) };
    // No SMTP from Workers: follow-up emails and sign-in links are off, and the pages say so (one line at start-up).
    if (config.mail) deps.log.warn("SMTP_URL is set but Workers cannot send SMTP mail: follow-up emails are off (the status page says so)");
    else deps.log.info("mail is off on Workers: people follow their signups on the status page, providers sign in with their token");
    deps.federation = createDirectoryFederation(deps);
    deps.signedPost = deps.federation.signedPost;
    deps.wakeSignupWorker = () => { kicked = runDeliveryRound(deps, { limit: 10 }).catch(() => {}); };
    return { app: createApp(deps), deps };
  })().catch((e) => {
    ready = undefined;
    throw e;
  });
  return ready;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      const { app } = await boot(env);
      const response = await app.fetch(request, env, ctx as never);
      if (kicked) { ctx.waitUntil(kicked); kicked = undefined; }
      return response;
    } catch (e) {
      console.error(JSON.stringify({ level: "error", msg: "worker boot failed", error: String(e) }));
      return new Response(JSON.stringify({ type: "https://chatons-directory.org/problems/unavailable", title: "Service unavailable", status: 503 }), {
        status: 503, headers: { "content-type": "application/problem+json" },
      });
    }
  },
  async scheduled(_event: unknown, env: Env, _ctx: ExecutionContext): Promise<void> {
    const { deps } = await boot(env);
    // Webhook/Nextcloud deliveries due by now (leases keep overlapping cron runs apart), then the privacy purge.
    await runScheduledSignupJobs(deps, 10_000);
    // Pull sources due now and domain-proof re-checks; bounded so one cron run stays short.
    await freshnessTick(deps, { limit: 50 });
    if (deps.federation) {
      // Publish pending offer changes, then drain the federation queue for a bounded time (cron runs every 5 min).
      await publishPendingChanges(deps.federation, deps, 500);
      await publishProfileUpdates(deps.federation, deps);
      await purgeFederationRecords(deps.federation, deps);
      await deps.federation.federation.startQueue(undefined, { signal: AbortSignal.timeout(25_000) }).catch(() => {});
    }
  },
};

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
