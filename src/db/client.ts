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

class SerializedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(readonly inner: DatabaseConnection, private lock: Mutex) {}
  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction || isRead(q)) return this.inner.executeQuery<R>(q);
    return this.lock.run(() => this.inner.executeQuery<R>(q));
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
  constructor(private inner: Driver, private lock = new Mutex()) {}
  init() { return this.inner.init(); }
  async acquireConnection() { return new SerializedConnection(await this.inner.acquireConnection(), this.lock); }
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
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SerializedDriver(libsql.createDriver()),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<Database>({ dialect });
}
