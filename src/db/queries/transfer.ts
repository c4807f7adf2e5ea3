/** Reads and raw writes of the catalog export/import (domain/catalog/transfer.ts): rows as stored, in id order. */
import type { Insertable } from "kysely";
import type { Db } from "../client.ts";
import type { OfferRow, ProviderRow, ProviderSourcesTable, ProvidersTable } from "../database.ts";
import { bumpCatalogVersion } from "./meta.ts";

/** Local providers (tombstones included), by id. */
export async function localProviderRows(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().where("source", "!=", "federated").orderBy("id").execute();
}

/** A provider's own offers (not federated), in the order they were created. */
export async function offerRowsBySeq(db: Db, providerId: number): Promise<OfferRow[]> {
  return db.selectFrom("offers").selectAll().where("provider_id", "=", providerId).where("source", "!=", "federated").orderBy("seq").execute();
}

export async function sourceRow(db: Db, providerId: number) {
  return db.selectFrom("provider_sources").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

export async function chatonsListRows(db: Db) {
  return db.selectFrom("chatons_federation").selectAll().orderBy("org_url").execute();
}

/** Inserts a provider row exactly as given (import into an empty catalog). */
export async function insertProviderRow(trx: Db, row: Insertable<ProvidersTable>): Promise<ProviderRow> {
  const p = await trx.insertInto("providers").values(row).returningAll().executeTakeFirstOrThrow();
  await bumpCatalogVersion(trx);
  return p;
}

export async function insertSourceRow(trx: Db, row: Insertable<ProviderSourcesTable>): Promise<void> {
  await trx.insertInto("provider_sources").values(row).execute();
}

export async function insertWebhookRow(trx: Db, row: { provider_id: number; url: string; secret: string; disabled_at: string | null; disabled_reason: string | null; created_at: string; updated_at: string }): Promise<void> {
  await trx.insertInto("provider_webhooks").values(row).execute();
}

export async function insertNextcloudRow(trx: Db, row: { provider_id: number; url: string; token: string; disabled_at: string | null; created_at: string; updated_at: string }): Promise<void> {
  await trx.insertInto("provider_nextcloud").values(row).execute();
}

export async function insertChatonsList(trx: Db, rows: Array<{ org_url: string; member_id: string; list_url: string; seen_at: string }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto("chatons_federation").values(rows.slice(i, i + 200)).execute();
}
