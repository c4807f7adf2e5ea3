import type { Client } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { Kysely } from "kysely";
import type { Database } from "./database.ts";
import { serializeWrites } from "./serialize.ts";

export type Db = Kysely<Database>;

/** Wraps an already-open libSQL client (node or web flavour) in Kysely. The caller owns the client. */
export function createDb(client: Client): Db {
  return new Kysely<Database>({ dialect: serializeWrites(new LibsqlDialect({ client: client as never /* same API; the dialect pins its own @libsql/core types */ })) });
}
