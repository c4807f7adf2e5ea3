import type { Client } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { Kysely, type DatabaseConnection, type Dialect, type Driver, type TransactionSettings } from "kysely";
import type { Database } from "./database.ts";

export type Db = Kysely<Database>;

/**
 * Hands out one connection at a time (as Kysely's own SQLite driver does). Local libSQL runs SQLite calls
 * synchronously on the event loop: a write waiting on another connection's open transaction would busy-wait
 * the whole process for the busy timeout, so the transaction could never finish (SQLITE_BUSY after 5 s).
 * Serialising here makes concurrent background workers (federation queue, deliveries) and requests safe.
 * Code inside `db.transaction().execute(trx => …)` must use `trx` only, never `db`.
 */
class SerialDriver implements Driver {
  #tail: Promise<void> = Promise.resolve();
  #release = new WeakMap<DatabaseConnection, () => void>();
  constructor(private readonly inner: Driver) {}
  init() { return this.inner.init(); }
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const before = this.#tail;
    this.#tail = before.then(() => held);
    await before;
    const conn = await this.inner.acquireConnection();
    this.#release.set(conn, release);
    return conn;
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    try { await this.inner.releaseConnection(conn); } finally { this.#release.get(conn)?.(); this.#release.delete(conn); }
  }
  beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) { return this.inner.beginTransaction(conn, settings); }
  commitTransaction(conn: DatabaseConnection) { return this.inner.commitTransaction(conn); }
  rollbackTransaction(conn: DatabaseConnection) { return this.inner.rollbackTransaction(conn); }
  destroy() { return this.inner.destroy(); }
}

/** Wraps an already-open libSQL client (node or web flavour) in Kysely. The caller owns the client. */
export function createDb(client: Client): Db {
  const libsql = new LibsqlDialect({ client: client as never /* same API; the dialect pins its own @libsql/core types */ });
  const dialect: Dialect = {
    createAdapter: () => libsql.createAdapter(),
    createDriver: () => new SerialDriver(libsql.createDriver()),
    createIntrospector: (db) => libsql.createIntrospector(db),
    createQueryCompiler: () => libsql.createQueryCompiler(),
  };
  return new Kysely<Database>({ dialect });
}
