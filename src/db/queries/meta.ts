import { sql } from "kysely";
import type { Db } from "../client.ts";

/** Bumps the catalog version; every write to offers or providers calls it in its transaction. Caches key on it. */
export async function bumpCatalogVersion(trx: Db): Promise<void> {
  await sql`insert into meta (key, value) values ('catalog_version', '1')
    on conflict(key) do update set value = cast(value as integer) + 1`.execute(trx);
}

export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto("meta").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
}

export async function getCatalogVersion(db: Db): Promise<string> {
  return (await getMeta(db, "catalog_version")) ?? "0";
}

/** A trivial query: throws when the database cannot be reached. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
