/**
 * A pool of search worker threads (search-worker.ts) behind the SearchEngine interface (docs/decisions/0026): cache
 * misses go to the least busy worker; caches, the catalog version and everything else stay in the thread serving
 * HTTP, so they are coherent by construction. A worker that dies is replaced; its requests are answered by SQL in
 * this thread meanwhile.
 */
import { Worker } from "node:worker_threads";
import type { Db } from "../db/client.ts";
import { createSearchEngine, type EngineStatus, type SearchEngine, type Snapshot } from "../domain/catalog/search-engine.ts";
import type { Logger } from "../lib/log.ts";

export type WorkerData = { url: string; authToken?: string; facetIndex: boolean; exactRankLimit?: number; matchCacheBytes?: number };
export type WorkerRequest =
  | { id: number; op: "compute"; plan: Parameters<SearchEngine["compute"]>[0]; version: string; nowMs: number; limit: number; after?: { key: unknown; seq: number } }
  | { id: number; op: "suggest"; q: string; version: string }
  | { id: number; op: "status" | "warm" };
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

type Slot = { worker: Worker; pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>; ready: Promise<void> };

/**
 * The worker module next to this one: built JavaScript in production (build/); under tsx (tests, development) a
 * bootstrap registers tsx in the worker first (workers do not inherit the loader hooks of `--import tsx`).
 */
function workerUrl(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./search-worker.js", import.meta.url);
  const code = `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))}; register();
    await import(${JSON.stringify(new URL("./search-worker.ts", import.meta.url).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export function startSearchWorkers(db: Db, opts: { count: number; data: WorkerData; log: Logger }): SearchEngine {
  const fallback = createSearchEngine(db, { facetIndex: false });
  let nextId = 1;
  let closing = false;
  const slots: Slot[] = [];

  function spawn(i: number): Slot {
    const worker = new Worker(workerUrl(), { workerData: opts.data, name: `search-${i}` });
    const pending: Slot["pending"] = new Map();
    let markReady!: () => void;
    const slot: Slot = { worker, pending, ready: new Promise((r) => (markReady = r)) };
    worker.on("message", (m: WorkerReply) => {
      if (m.id === 0) { markReady(); return; }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value); else p.reject(new Error(m.error));
    });
    const failAll = (why: string) => {
      for (const p of pending.values()) p.reject(new Error(why));
      pending.clear();
    };
    worker.on("error", (e) => opts.log.error("search worker failed", { worker: i, error: e.message }));
    worker.on("exit", (code) => {
      failAll(`search worker exited (${code})`);
      if (closing) return;
      opts.log.warn("search worker exited; starting another", { worker: i, code });
      slots[i] = spawn(i);
      void call(slots[i], { op: "warm" }).catch(() => {});
    });
    return slot;
  }
  for (let i = 0; i < opts.count; i++) slots.push(spawn(i));

  type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;
  async function call(slot: Slot, req: Request): Promise<unknown> {
    await slot.ready;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...req, id });
    });
  }

  const leastBusy = () => slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));

  return {
    async compute(plan, version, nowMs, limit, after) {
      try {
        return await call(leastBusy(), { op: "compute", plan, version, nowMs, limit, ...(after ? { after } : {}) }) as Snapshot;
      } catch (e) {
        if (closing) throw e;
        opts.log.warn("search worker request failed; answered in this thread", { error: (e as Error).message });
        return fallback.compute(plan, version, nowMs, limit, after);
      }
    },
    async suggest(q, version) {
      try {
        return await call(leastBusy(), { op: "suggest", q, version }) as string | undefined;
      } catch (e) {
        if (closing) throw e;
        return fallback.suggest(q, version);
      }
    },
    warm() {
      for (const s of slots) void call(s, { op: "warm" }).catch(() => {});
    },
    async status() {
      return await call(slots[0], { op: "status" }) as EngineStatus;
    },
    async close() {
      closing = true;
      // Requests already sent are answered first (a client may have gone, the computation is short), for 2 s at most.
      const until = performance.now() + 2_000;
      while (slots.some((s) => s.pending.size > 0) && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
