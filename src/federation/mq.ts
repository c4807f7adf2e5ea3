/**
 * Fedify `MessageQueue` on libSQL/Kysely. A message is claimed with a lease (`locked_until`) by a single
 * UPDATE, so several listeners (processes or workers) never run the same message twice while the lease holds;
 * a crashed worker's message comes back when its lease expires. Messages sharing an ordering key run one at a
 * time, in enqueue order. Fedify retries failed deliveries itself (`nativeRetrial = false`).
 */
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import type { Db } from "../db/client.ts";
import { queueClaim, queueDelete, queueDepth, queueInsert } from "../db/queries/fedify-store.ts";
import { durationMs } from "./kv.ts";

export type LibsqlMessageQueueOptions = {
  /** Idle poll interval (ms); a local enqueue wakes listeners at once. */
  pollMs?: number;
  /** How long a claimed message stays invisible to other listeners (ms). */
  leaseMs?: number;
  /** Messages handled concurrently by one `listen` call. */
  workers?: number;
  now?: () => number;
  onError?: (error: unknown, message: unknown) => void;
  /** Wraps the handling of each message (federation.ts: the outbound policy's pre-check and scope). */
  around?: (message: unknown, run: () => Promise<void>) => Promise<void>;
};

type Claimed = { id: number; message: string };

export class LibsqlMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #workers: number;
  readonly #now: () => number;
  #wakers = new Set<() => void>();

  constructor(private readonly db: Db, private readonly options: LibsqlMessageQueueOptions = {}) {
    this.#pollMs = options.pollMs ?? 250;
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#now = options.now ?? Date.now;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const now = this.#now();
    const runAt = now + Math.max(0, durationMs(options?.delay) ?? 0);
    const rows = messages.map((m) => ({ message: JSON.stringify(m), ordering_key: options?.orderingKey ?? null, run_at: runAt, locked_until: null, created_at: now }));
    await queueInsert(this.db, rows);
    for (const wake of this.#wakers) wake();
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const { queued, ready } = await queueDepth(this.db, this.#now());
    return { queued, ready, delayed: queued - ready };
  }

  /** Atomically leases the next due message whose ordering key has no earlier message pending. */
  async claim(): Promise<Claimed | undefined> {
    return queueClaim(this.db, this.#now(), this.#leaseMs);
  }

  async listen(handler: (message: any) => Promise<void> | void, options: MessageQueueListenOptions = {}): Promise<void> {
    const signal = options.signal;
    const sleep = () => new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); this.#wakers.delete(done); signal?.removeEventListener("abort", done); resolve(); };
      const timer = setTimeout(done, this.#pollMs);
      this.#wakers.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
    const worker = async () => {
      while (!signal?.aborted) {
        let job: Claimed | undefined;
        try {
          job = await this.claim();
        } catch (e) {
          this.options.onError?.(e, undefined);
        }
        if (!job) { await sleep(); continue; }
        const message = JSON.parse(job.message);
        try {
          const run = async () => { await handler(message); };
          await (this.options.around ? this.options.around(message, run) : run());
        } catch (e) {
          this.options.onError?.(e, message);
        }
        await queueDelete(this.db, job.id).catch((e) => this.options.onError?.(e, message));
      }
    };
    await Promise.all(Array.from({ length: this.#workers }, worker));
  }
}
