import type { Client } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import {
  Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings,
} from "kysely";
import type { Database } from "./database.ts";

export type Db = Kysely<Database>;

/** A FIFO async mutex. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try { return await fn(); } finally { release(); }
  }
}

const READ_ONLY = /^\s*(select|pragma\s+\w+\s*$|explain)\b/i;
const isRead = (q: CompiledQuery) => q.query.kind === "SelectQueryNode" || (q.query.kind === "RawNode" && READ_ONLY.test(q.sql) && !/\b(insert|update|delete|replace)\b/i.test(q.sql));

type WriteCounter = { n: number };

/** Writes this process made through a `serializeWrites` database: lets read caches skip re-reading unchanged state. */
const writeCounters = new WeakMap<object, WriteCounter>();

/** Increases whenever this process commits a write to `db`; undefined for databases other processes share (remote). */
export function writeEpoch(db: Db): number | undefined {
  return writeCounters.get(db)?.n;
}

class SerializedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(readonly inner: DatabaseConnection, private lock: Mutex, private writes: WriteCounter) {}
  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction || isRead(q)) return this.inner.executeQuery<R>(q);
    return this.lock.run(async () => {
      try { return await this.inner.executeQuery<R>(q); } finally { this.writes.n++; }
    });
  }
  streamQuery<R>(q: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(q, chunkSize);
  }
}

/**
 * The embedded libSQL engine is synchronous: a writer waiting on SQLite's busy lock blocks the event loop, so the
 * transaction holding the lock can never commit (two concurrent writes deadlock until the busy timeout). This driver
 * queues writes in-process instead: one write transaction or write statement at a time; reads (WAL) run freely.
 */
class SerializedDriver implements Driver {
  #release = new WeakMap<DatabaseConnection, () => void>();
  constructor(private inner: Driver, readonly writes: WriteCounter, private lock = new Mutex()) {}
  init() { return this.inner.init(); }
  async acquireConnection() { return new SerializedConnection(await this.inner.acquireConnection(), this.lock, this.writes); }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    const c = conn as SerializedConnection;
    const release = await this.lock.acquire();
    try {
      await this.inner.beginTransaction(c.inner, settings);
    } catch (e) {
      release();
      throw e;
    }
    c.inTransaction = true;
    this.#release.set(c, release);
  }
  async commitTransaction(conn: DatabaseConnection) { await this.#end(conn, () => this.inner.commitTransaction((conn as SerializedConnection).inner)); }
  async rollbackTransaction(conn: DatabaseConnection) { await this.#end(conn, () => this.inner.rollbackTransaction((conn as SerializedConnection).inner)); }
  async #end(conn: DatabaseConnection, fn: () => Promise<void>) {
    const c = conn as SerializedConnection;
    try { await fn(); } finally {
      this.writes.n++;
      c.inTransaction = false;
      this.#release.get(c)?.();
      this.#release.delete(c);
    }
  }
  releaseConnection(conn: DatabaseConnection) { return this.inner.releaseConnection((conn as SerializedConnection).inner); }
  destroy() { return this.inner.destroy(); }
}

/**
 * Wraps an already-open libSQL client (node or web flavour) in Kysely. The caller owns the client.
 * `serializeWrites` (embedded `file:` databases) queues writes in-process; remote databases don't need it.
 */
export function createDb(client: Client, opts: { serializeWrites?: boolean } = {}): Db {
  const libsql = new LibsqlDialect({ client: client as never /* same API; the dialect pins its own @libsql/core types */ });
  if (!opts.serializeWrites) return new Kysely<Database>({ dialect: libsql });
  const writes: WriteCounter = { n: 0 };
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SerializedDriver(libsql.createDriver(), writes),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  const db = new Kysely<Database>({ dialect });
  writeCounters.set(db, writes);
  return db;
}
