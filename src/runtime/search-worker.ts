/**
 * A search worker thread (docs/decisions/0026): computes cache misses — FTS lookup, ranking, filtering, facets — with
 * its own connections and its own in-memory index, so the thread serving HTTP never waits on them and a second core
 * does the work. One connection answers searches; another loads and catches up the index inside read transactions (one consistent snapshot per load, while searches go on). It only ever reads. Messages: see
 * search-workers.ts.
 */
import { yieldToEventLoop } from "../lib/yield.ts";
import { parentPort, workerData } from "node:worker_threads";
import { createClient, type Client } from "@libsql/client";
import { createDb, type Db } from "../db/client.ts";
import { createSearchEngine } from "../domain/catalog/search-engine.ts";
import type { WorkerData, WorkerRequest, WorkerReply } from "./search-workers.ts";

const data = workerData as WorkerData;

const client = createClient({ url: data.url, ...(data.authToken ? { authToken: data.authToken } : {}) });
const queries = createDb(client);

/** Runs `fn` in a read transaction: a connection of its own (libSQL's pool), one snapshot for every statement. */
async function inReadSnapshot<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const tx = await client.transaction("read");
  try {
    // A transaction answers `execute` like a client: Kysely runs on it unchanged.
    return await fn(createDb(tx as unknown as Client));
  } finally {
    tx.close();
  }
}

const engine = createSearchEngine(queries, {
  facetIndex: data.facetIndex,
  exactRankLimit: data.exactRankLimit,
  matchCacheBytes: data.matchCacheBytes,
  // One computation at a time: SQLite calls are synchronous, so more would only hold more matches in memory.
  concurrency: 1,
  indexSource: { snapshot: inReadSnapshot, pause: yieldToEventLoop },
});

parentPort!.on("message", async (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    if (m.op === "compute") reply = { id: m.id, ok: true, value: await engine.compute(m.plan, m.version, m.nowMs, m.limit, m.after) };
    else if (m.op === "suggest") reply = { id: m.id, ok: true, value: await engine.suggest(m.q, m.version) };
    else if (m.op === "status") reply = { id: m.id, ok: true, value: await engine.status() };
    else { engine.warm(); reply = { id: m.id, ok: true, value: null }; }
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ id: 0, ok: true, value: "ready" } satisfies WorkerReply);
