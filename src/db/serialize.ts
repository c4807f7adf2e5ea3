/**
 * One writer at a time, in process. libSQL's local driver runs each statement synchronously on a pool of
 * connections, while a Kysely transaction holds SQLite's write lock across `await`s. A write on another connection
 * during that time busy-waits *synchronously* — blocking the event loop, so the transaction that holds the lock can
 * never finish — until the busy timeout ends in SQLITE_BUSY. Under concurrent load (signups + deliveries) that
 * turned requests into 500s. This dialect wrapper queues every transaction and every non-SELECT statement behind an
 * async gate, so a writer waits without blocking the loop; plain SELECTs pass (WAL readers never wait for writers).
 * Remote libSQL (http/ws) is unaffected in behaviour, just serialised per process.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";

class WriteGate {
  private locked = false;
  private waiters: Array<() => void> = [];

  async acquire(timeoutMs: number): Promise<void> {
    if (!this.locked) { this.locked = true; return; }
    await new Promise<void>((resolve, reject) => {
      const waiter = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        // Most likely a write through `db` inside a `db.transaction()` callback (use `trx` there).
        reject(new Error(`SQLITE_BUSY: waited ${timeoutMs} ms for the write lock`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Hands the lock straight to the next waiter, if any. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

const isRead = (sql: string) => /^\s*(select|explain)\b/i.test(sql);

class GatedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(readonly inner: DatabaseConnection, private gate: WriteGate, private timeoutMs: number) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction || isRead(q.sql)) return this.inner.executeQuery<R>(q);
    await this.gate.acquire(this.timeoutMs);
    try { return await this.inner.executeQuery<R>(q); } finally { this.gate.release(); }
  }

  streamQuery<R>(q: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(q, chunkSize);
  }
}

class GatedDriver implements Driver {
  constructor(private inner: Driver, private gate: WriteGate, private timeoutMs: number) {}
  init() { return this.inner.init(); }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new GatedConnection(await this.inner.acquireConnection(), this.gate, this.timeoutMs);
  }
  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings) {
    const conn = c as GatedConnection;
    await this.gate.acquire(this.timeoutMs);
    try {
      await this.inner.beginTransaction(conn.inner, settings);
      conn.inTransaction = true;
    } catch (e) {
      this.gate.release();
      throw e;
    }
  }
  async commitTransaction(c: DatabaseConnection) { await this.end(c, () => this.inner.commitTransaction((c as GatedConnection).inner)); }
  async rollbackTransaction(c: DatabaseConnection) { await this.end(c, () => this.inner.rollbackTransaction((c as GatedConnection).inner)); }
  private async end(c: DatabaseConnection, fn: () => Promise<void>) {
    const conn = c as GatedConnection;
    try { await fn(); } finally {
      if (conn.inTransaction) { conn.inTransaction = false; this.gate.release(); }
    }
  }
  releaseConnection(c: DatabaseConnection) { return this.inner.releaseConnection((c as GatedConnection).inner); }
  destroy() { return this.inner.destroy(); }
}

/** Wraps a dialect so its Kysely instance never runs two writers at once (see the module comment). */
export function serializeWrites(dialect: Dialect, timeoutMs = 10_000): Dialect {
  const gate = new WriteGate();
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GatedDriver(dialect.createDriver(), gate, timeoutMs),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
