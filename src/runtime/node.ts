/** Node entry point: config → database (migrate, seed) → createApp → HTTP server; clean shutdown on signals. */
import "../federation/shim.ts"; // before anything loads Fedify (Node 20 has no global navigator)
import { serve } from "@hono/node-server";
import { createApp } from "../app.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { catalogSearch, type Deps } from "../deps.ts";
import { consoleLogger, systemClock } from "../lib/log.ts";
import { SeedError } from "../domain/catalog/seeding.ts";
import { asWebFetch, createSafeFetch } from "../delivery/net.ts";
import { createPinnedFetch } from "../delivery/pinned-fetch.ts";
import { openDatabase, prepareDatabase, resolveHost } from "./shared.ts";
import { createDirectoryFederation } from "../federation/federation.ts";
import { startFederation } from "../federation/publisher.ts";
import { startSignupWorker } from "../domain/signups/jobs.ts";
import { startFreshnessLoop } from "../domain/sources/schedule.ts";
import { createDemoReceiver, setUpDemoReceivers } from "../domain/demo.ts";
import { smtpMailer } from "./mailer.ts";
import { answerClientErrors } from "./client-errors.ts";
import { startSearchWorkers } from "./search-workers.ts";
import { LoopMonitor } from "../lib/loops.ts";
import { MetricsRegistry } from "../lib/metrics.ts";
import { METRICS_CONTENT_TYPE, metricsText } from "../http/routes/system.tsx";

const started = performance.now();

export async function main(env: Record<string, string | undefined> = process.env) {
  const config = parseConfig(env);
  const log = consoleLogger(config.logLevel);
  const { client, db } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const { migrated, reindexed, seeded, listedNow } = await prepareDatabase(db, config, systemClock.now());
  if (migrated.length) log.info("migrated", { applied: migrated });
  if (reindexed) log.info("reindexed offers for the current search rules", { offers: reindexed });
  if (seeded) log.info("loaded demo seeds", seeded);
  if (listedNow) log.info("LISTING_POLICY=open: providers waiting for review are now listed", { providers: listedNow });

  // The demo's providers are served by this app itself: the only origin reached whatever its address.
  const demo = config.seed === "demo";
  const own = new URL(config.publicUrl);
  // Pinned: the address the SSRF guard checks is the one the socket connects to (no DNS rebinding in between).
  const pinned = createPinnedFetch({ allowPrivate: config.allowPrivateNetwork, resolve: resolveHost, trustedHosts: demo ? [own.hostname] : [] });
  const http = createSafeFetch({ fetch: pinned, allowPrivate: config.allowPrivateNetwork, resolve: resolveHost, trustedOrigins: demo ? [own.origin] : [] });
  // Cache misses are computed by worker threads with their own read-only connections (a file database only).
  const engine = config.searchWorkers > 0 && config.databaseUrl.startsWith("file:")
    ? startSearchWorkers(db, { count: config.searchWorkers, data: { url: config.databaseUrl, facetIndex: config.searchFacetIndex, matchCacheBytes: (config.searchCacheMb * 1024 * 1024) / 4 }, log })
    : undefined;
  const deps: Deps = { db, config, clock: systemClock, http, log, search: catalogSearch(db, config, engine) };
  deps.metrics = new MetricsRegistry();
  // Each loop must finish a round within its limit (and tick again within it), else /healthz answers 503.
  const loops = new LoopMonitor(() => Date.now());
  deps.loops = loops;
  deps.processFamilies = () => [
    { name: "process_resident_memory_bytes", type: "gauge", help: "Resident memory of the Node process.", samples: [{ value: process.memoryUsage.rss() }] },
    { name: "process_uptime_seconds", type: "gauge", help: "Seconds since the process started.", samples: [{ value: Math.round(process.uptime()) }] },
  ];
  const mailer = config.mail ? smtpMailer(config.mail) : undefined;
  if (mailer) deps.mailer = mailer;
  else log.info("mail is off (no SMTP_URL): people follow their signups on the status page only");
  if (demo) {
    const credentials = await setUpDemoReceivers(db, config.publicUrl, systemClock.now());
    // Its callbacks go to this app's own origin, through the outbound policy like every other request (trusted origin).
    deps.demo = createDemoReceiver({ credentials, publicUrl: config.publicUrl, fetch: asWebFetch(http), log });
    if (credentials.size) log.info("demo providers receive signups at /demo/providers/…", { providers: credentials.size });
  }
  deps.search.warm();
  deps.federation = createDirectoryFederation(deps);
  deps.signedPost = deps.federation.signedPost;
  const federation = startFederation(deps.federation, deps, { monitor: loops.register("federation-publisher", 5 * 60_000) });
  const signupWorker = startSignupWorker(deps, { monitor: loops.register("signup-deliveries", 2 * 60_000) });
  deps.wakeSignupWorker = signupWorker.wake;
  const app = createApp(deps);
  // Crawls due pull sources and re-checks domain proofs in the background (CRAWL_INTERVAL per source).
  const freshnessTickMs = Math.min(60_000, config.crawlIntervalMs);
  const freshness = startFreshnessLoop(deps, freshnessTickMs, loops.register("freshness", Math.max(30 * 60_000, 5 * freshnessTickMs)));
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const ms = Math.round(performance.now() - started);
    console.log(`chatons-directory listening on http://${info.address === "::" ? "localhost" : info.address}:${info.port} (ready in ${ms} ms; database ${config.databaseUrl})`);
  });

  answerClientErrors(server as import("node:http").Server, log);

  // METRICS_LISTEN: /metrics without a token, on an address only operators reach (e.g. 127.0.0.1:9464).
  const metricsServer = config.metricsListen ? serve({
    hostname: config.metricsListen.host, port: config.metricsListen.port,
    fetch: async (req) => (new URL(req.url).pathname === "/metrics"
      ? new Response(await metricsText(deps), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } })
      : new Response("not found: this listener serves /metrics only\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } })),
  }, (info) => log.info("metrics listening", { address: `${info.address}:${info.port}` })) : undefined;

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    metricsServer?.close();
    server.close(async () => {
      await federation.stop().catch(() => {});
      await signupWorker.stop().catch(() => {});
      await freshness.stop().catch(() => {});
      await deps.search.close().catch(() => {});
      mailer?.close();
      await db.destroy().catch(() => {});
      client.close();
      process.exit(0);
    });
    // Idle keep-alive connections (browsers, load generators) would otherwise hold close() until the forced exit.
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  return { server, deps, signupWorker, freshness, metricsServer };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    if (e instanceof ConfigError || e instanceof SeedError) console.error(e.message);
    else console.error(`chatons-directory failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
