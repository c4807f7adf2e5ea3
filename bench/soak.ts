/**
 * `npm run bench -- soak`: the server as `npm start` runs it (built, a child process) under mixed traffic for SOAK_SECONDS (default 60) —
 * 90 % searches (a Zipf mix of generated queries), 8 % offer pages (HTML), 2 % signups (to a local webhook receiver
 * that answers 204) — from SOAK_CONNECTIONS (default 10) concurrent clients, while a provider publishes an offer
 * change every SOAK_PUBLISH_MS (default 1000; 0: none) through the API. Catalog: the search benchmark's generator, SOAK_OFFERS offers (default
 * 20,000). Reports req/s, p50/p99 per kind, errors (must be 0: the exit code is 1 otherwise) and the server's RSS
 * growth between the end of the warm-up and the end of the run. Targets 127.0.0.1 only; bounded in time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSearchCatalog } from "./_catalog.ts";
import { buildServer, serverArgs, startServer } from "./_server.ts";
import { generateQueries, prng } from "./_search-data.ts";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 10);
const OFFERS = Number(process.env.SOAK_OFFERS ?? 20_000);
/** How often the provider publishes (ms); 0 = not at all (to compare). */
const PUBLISH_MS = Number(process.env.SOAK_PUBLISH_MS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), "chatons-bench-soak-"));
const url = `file:${join(dir, "soak.db")}`;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

const loadMs = await buildSearchCatalog(url, { offers: OFFERS, providers: Math.max(100, Math.round(OFFERS / 10)) });
console.log(`catalog: ${OFFERS} offers loaded in ${(loadMs / 1000).toFixed(1)} s`);

// Webhooks land here (each signup is delivered by the server's worker while the load runs).
let delivered = 0;
const receiver = createHttpServer((req, res) => { req.resume(); req.on("end", () => { delivered++; res.writeHead(204).end(); }); });
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

buildServer();
const server = await startServer(serverArgs(), {
  DATABASE_URL: url, SEED: "none", LOG_LEVEL: "warn", LISTING_POLICY: "open", ALLOW_PRIVATE_NETWORK: "1",
  SIGNUP_RATE_LIMIT_IP: "1000000/1h", SIGNUP_RATE_LIMIT_EMAIL: "1000000/1h", REGISTRATION_RATE_LIMIT_IP: "1000/1h", WEBHOOK_RETRY_SCHEDULE: "1s,2s,5s…",
}, "server");
let exitCode = 0;
try {
  const base = server.base;
  const j = (method: string, path: string, body: unknown, token?: string) => fetch(base + path, {
    method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });

  // A provider whose offers take signups through its webhook, and one that keeps publishing.
  const offerBody = (i: number) => ({
    service: "storage", software: { name: "Nextcloud", version: `30.0.${i % 10}` }, title: { fr: `Nuage de soak ${i % 7}`, en: `Soak cloud ${i % 7}` },
    description: { fr: "Une offre pour l’essai d’endurance." }, price: { model: "fixed", amount: 300 + (i % 5) * 100, currency: "EUR", period: "month" },
    registration: "open", capacity: "available", dataLocation: "FR", languages: ["fr"], signup: { mode: "webhook" },
  });
  const reg = async (slug: string) => {
    const r = await j("POST", "/api/v1/providers", { slug, name: `Soak ${slug}`, website: `https://${slug}.example`, email: `contact@${slug}.example`, country: "FR", orgType: "association" });
    if (r.status !== 201) throw new Error(`register ${slug}: ${r.status}`);
    return ((await r.json()) as { token: string }).token;
  };
  const hostToken = await reg("soak-host");
  for (let i = 0; i < 5; i++) if ((await j("PUT", `/api/v1/providers/soak-host/offers/cloud-${i}`, offerBody(i), hostToken)).status !== 201) throw new Error("offer");
  if ((await j("PUT", "/api/v1/providers/soak-host/webhook", { url: hook }, hostToken)).status !== 200) throw new Error("webhook");
  const signupOffers = Array.from({ length: 5 }, (_, i) => `soak-host~cloud-${i}`);
  const publisherToken = await reg("soak-publisher");
  const pageOffers = ((await (await fetch(`${base}/api/v1/offers?limit=100&sort=name`)).json()) as { items: Array<{ id: string }> }).items.map((o) => o.id);
  const queries = generateQueries(500);
  const r = prng(2026);

  // Warm-up (facet index, caches, JIT) before measuring memory.
  for (let i = 0; i < 200; i++) await (await fetch(`${base}/api/v1/offers?${r.zipf(queries, 1)}`)).text();
  const start = { rss: server.rssMb() };

  type Kind = "search" | "page" | "signup";
  const lat: Record<Kind, number[]> = { search: [], page: [], signup: [] };
  const errors: string[] = [];
  let signupN = 0;
  const until = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const x = r.next();
      const kind: Kind = x < 0.9 ? "search" : x < 0.98 ? "page" : "signup";
      const t = performance.now();
      try {
        const res = kind === "search" ? await fetch(`${base}/api/v1/offers?${r.zipf(queries, 1)}`)
          : kind === "page" ? await fetch(`${base}/offers/${encodeURIComponent(r.pick(pageOffers))}`, { headers: { accept: "text/html" } })
          : await j("POST", "/api/v1/signups", { offerId: signupOffers[signupN % 5], email: `soak-${signupN++}@example.org`, name: "Soak", consent: true });
        await res.arrayBuffer();
        const want = kind === "signup" ? 202 : 200;
        if (res.status !== want) errors.push(`${kind} ${res.status}`);
      } catch (e) { errors.push(`${kind} ${(e as Error).message}`); }
      lat[kind].push(performance.now() - t);
    }
  };
  // Meanwhile a provider publishes: an offer created or changed every PUBLISH_MS.
  let published = 0;
  const publisher = (async () => {
    while (PUBLISH_MS > 0 && performance.now() < until) {
      const res = await j("PUT", `/api/v1/providers/soak-publisher/offers/o-${published % 20}`, offerBody(published), publisherToken);
      await res.arrayBuffer();
      if (res.status !== 200 && res.status !== 201) errors.push(`publish ${res.status}`);
      published++;
      await new Promise((w) => setTimeout(w, PUBLISH_MS));
    }
  })();
  const t0 = performance.now();
  await Promise.all([...Array.from({ length: CONNECTIONS }, worker), publisher]);
  const elapsed = (performance.now() - t0) / 1000;
  const end = { rss: server.rssMb(), hwm: server.peakMb() };
  const health = await (await fetch(`${base}/healthz`)).json() as { status: string };

  const total = lat.search.length + lat.page.length + lat.signup.length;
  console.log(`\nsoak: ${elapsed.toFixed(0)} s, ${CONNECTIONS} connections, ${OFFERS} offers, ${PUBLISH_MS ? `a provider publishing every ${PUBLISH_MS} ms (${published} writes)` : "nobody publishing"}`);
  console.log(`${"kind".padEnd(8)} ${"requests".padStart(9)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}`);
  for (const k of ["search", "page", "signup"] as const) {
    const s = lat[k].slice().sort((a, b) => a - b);
    console.log(`${k.padEnd(8)} ${String(s.length).padStart(9)} ${(s.length / elapsed).toFixed(0).padStart(8)} ${pct(s, 50).toFixed(1).padStart(7)} ${pct(s, 99).toFixed(1).padStart(7)}`);
  }
  console.log(`${"all".padEnd(8)} ${String(total).padStart(9)} ${(total / elapsed).toFixed(0).padStart(8)}`);
  console.log(`errors: ${errors.length}${errors.length ? ` (${[...new Set(errors)].slice(0, 5).join(", ")})` : ""}; webhooks received: ${delivered} of ${lat.signup.length} signups; /healthz: ${health.status}`);
  console.log(`server RSS: ${start.rss.toFixed(0)} MB after warm-up → ${end.rss.toFixed(0)} MB at the end (${(end.rss - start.rss >= 0 ? "+" : "")}${(end.rss - start.rss).toFixed(0)} MB); peak ${end.hwm.toFixed(0)} MB`);
  if (errors.length) exitCode = 1;
} finally {
  await server.stop();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
