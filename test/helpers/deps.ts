/** Test wiring: a fresh migrated database in a temp file per call, a controllable clock, a silent logger. */
import "../../src/federation/shim.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { loadSeeds, parseSeeds } from "../../src/domain/catalog/seeding.ts";
import { applyListingPolicy } from "../../src/domain/catalog/offers.ts";
import { setUpDemoReceivers } from "../../src/domain/demo.ts";
import { catalogSearch, type Deps, type Logger } from "../../src/deps.ts";
import { createSafeFetch } from "../../src/delivery/net.ts";
import { migrateToLatest } from "../../src/db/migrator.ts";
import { openDatabase, readSeedFiles } from "../../src/runtime/shared.ts";
import { createDirectoryFederation, type FederationSettings } from "../../src/federation/federation.ts";
import { generateCryptoKeyPair } from "@fedify/fedify";

export const T0 = Date.parse("2026-11-25T12:00:00.000Z");

export type TestClock = { now(): number; set(ms: number): void; advance(ms: number): void };

export function testClock(start = T0): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => { t = ms; }, advance: (ms) => { t += ms; } };
}

export const silentLogger: Logger & { errors: string[] } = Object.assign(
  { debug() {}, info() {}, warn() {}, error(msg: string, extra?: Record<string, unknown>) { silentLogger.errors.push(`${msg} ${JSON.stringify(extra ?? {})}`); } },
  { errors: [] as string[] },
);

export type TestEnv = { deps: Deps & { clock: TestClock }; app: ReturnType<typeof createApp>; dir: string; close(): Promise<void> };

/** A fresh temp-file database (libSQL's :memory: cannot serve a query while a transaction holds its only connection). */
/** One RSA pair per test process, shared by every actor (generating RSA keys takes seconds on a busy machine). */
let rsaPair: Promise<CryptoKeyPair> | undefined;
export function testKeyPair(algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519"): Promise<CryptoKeyPair> {
  if (algorithm === "Ed25519") return generateCryptoKeyPair("Ed25519");
  rsaPair ??= generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  return rsaPair;
}

export async function testEnv(opts: { seed?: boolean; env?: Record<string, string>; config?: Partial<Config>; federation?: FederationSettings; busyTimeoutMs?: number } = {}): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), "chatons-test-"));
  // Tests of other features publish and search at once (LISTING_POLICY=open); the listing tests ask for `reviewed`.
  const config = { ...parseConfig({ DATABASE_URL: `file:${join(dir, "test.db")}`, SEED: "none", ALLOW_PRIVATE_NETWORK: "1", LISTING_POLICY: "open", ...opts.env }), ...opts.config };
  const { client, db } = await openDatabase(config.databaseUrl, undefined, { busyTimeoutMs: opts.busyTimeoutMs });
  await migrateToLatest(db);
  await applyListingPolicy(db, config.listingPolicy, T0);
  const clock = testClock();
  if (opts.seed) {
    await loadSeeds(db, seedData(), clock.now());
    // As with SEED=demo: the demo providers receive signups (at this app's /demo/providers/…).
    await setUpDemoReceivers(db, config.publicUrl, clock.now());
  }
  const http = createSafeFetch({ fetch: globalThis.fetch, allowPrivate: config.allowPrivateNetwork });
  const deps: Deps & { clock: TestClock } = { db, config, clock, http, log: silentLogger, search: catalogSearch(db, config) };
  deps.federation = createDirectoryFederation(deps, { pollMs: 50, generateKeyPair: testKeyPair, ...opts.federation });
  deps.signedPost = deps.federation.signedPost;
  const app = createApp(deps);
  return {
    deps, app, dir,
    async close() {
      await db.destroy().catch(() => {});
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cachedSeeds: ReturnType<typeof parseSeeds> | undefined;
export function seedData() {
  cachedSeeds ??= parseSeeds(readSeedFiles());
  return cachedSeeds;
}

export async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

export const sampleOffer = (over: Record<string, unknown> = {}) => ({
  service: "storage",
  software: { name: "Nextcloud", version: "30.0.2", license: "AGPL-3.0" },
  title: { fr: "Nextcloud pour les écoles", en: "Nextcloud for schools" },
  description: { fr: "Stockage de fichiers hébergé en France.", en: "File storage hosted in France." },
  price: { model: "free" },
  registration: "open",
  capacity: "available",
  quota: { storageGB: 10, users: 5 },
  dataLocation: "FR",
  languages: ["fr", "en"],
  audience: ["associations"],
  support: ["docs", "email"],
  signup: { mode: "webhook" },
  ...over,
});

export const sampleProvider = (slug: string, over: Record<string, unknown> = {}) => ({
  slug, name: `Hébergeur ${slug}`, website: `https://${slug}.example`, email: `contact@${slug}.example`, country: "FR", orgType: "association",
  description: { fr: "Un hébergeur associatif." }, ...over,
});

/** Registers a provider through the API; returns its slug and token. */
export async function registerProvider(app: TestEnv["app"], slug: string, over: Record<string, unknown> = {}) {
  const res = await app.request("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider(slug, over)) });
  if (res.status !== 201) throw new Error(`register ${slug}: ${res.status} ${await res.text()}`);
  const body = await json(res);
  return { slug, token: body.token as string, body };
}

export async function putOffer(app: TestEnv["app"], slug: string, token: string, offerSlug: string, offer: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.request(`/api/v1/providers/${slug}/offers/${offerSlug}`, {
    method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(offer),
  });
}
