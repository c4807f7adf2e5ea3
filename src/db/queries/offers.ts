/**
 * Offer rows: the single write path (row, filter tags, FTS row, change event and catalog version in one transaction)
 * and the reads. The domain computes rows and their index (domain/catalog/offers.ts); these functions store them.
 */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewOfferRow, OfferRow } from "../database.ts";
import { REACHABLE } from "./destinations.ts";
import { bumpCatalogVersion } from "./meta.ts";

/** The text an offer is found by, per FTS column. */
export type FtsText = { title: string; software: string; provider: string; description: string; keywords: string };
/** What an offer is filtered, faceted and found by: its (field, value) tags and its FTS text. */
export type OfferIndex = { tags: Array<[field: string, value: string]>; fts: FtsText };

/** Replaces the tags and FTS row of the offer `seq`; `null` removes them (an unlisted offer is found by nothing). */
export async function writeOfferIndex(trx: Db, seq: number, index: OfferIndex | null): Promise<void> {
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", seq).execute();
  if (index === null) {
    await sql`delete from offers_fts where rowid = ${seq}`.execute(trx);
    return;
  }
  const { tags, fts: f } = index;
  if (tags.length) await trx.insertInto("offer_tags").values(tags.map(([field, value]) => ({ offer_seq: seq, field, value }))).execute();
  await sql`delete from offers_fts where rowid = ${seq}`.execute(trx);
  await sql`insert into offers_fts (rowid, title, software, provider, description, keywords)
    values (${seq}, ${f.title}, ${f.software}, ${f.provider}, ${f.description}, ${f.keywords})`.execute(trx);
}

export type UpsertResult = { row: OfferRow; kind: "created" | "updated" | "unchanged" };

const CONTENT_COLUMNS = [
  "service", "software_name", "software_version", "software_license", "title_json", "description_json", "price_model", "price_amount",
  "price_currency", "price_period", "registration", "capacity", "quota_storage_gb", "quota_users", "data_location", "languages_json",
  "includes_json", "audience_json", "support_json", "signup_mode", "signup_url", "origin_json", "handover_url", "remote_accepts",
  // A push over a crawled offer takes it over (crawled → local): a visible change, so it is one.
  "source",
] as const;

/**
 * Creates or replaces an offer. Must run inside a transaction (`trx`): it writes the row, its tags, its FTS row,
 * a change event and bumps the catalog version. An identical re-publication only refreshes `confirmed_at`.
 * `row.listed` (decided by the domain) says whether the offer is public: an unlisted offer is stored without tags or
 * FTS row, and what others see changes only at the boundary — listed → unlisted is a `deleted` change, unlisted →
 * listed a `created` one, and edits of an unlisted offer are no change at all for them. `hidden_*` columns are kept.
 */
export async function upsertOfferRow(trx: Db, row: NewOfferRow, index: OfferIndex): Promise<UpsertResult> {
  const listed = row.listed === 1;
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", row.id).executeTakeFirst();
  if (existing) {
    const changed = CONTENT_COLUMNS.some((c) => (existing[c] ?? null) !== (row[c] ?? null)) || existing.listed !== (row.listed ?? 0);
    if (!changed) {
      await trx.updateTable("offers").set({ confirmed_at: row.confirmed_at }).where("seq", "=", existing.seq).execute();
      return { row: { ...existing, confirmed_at: row.confirmed_at }, kind: "unchanged" };
    }
    const { created_at: _created, ...rest } = row;
    const updated = await trx.updateTable("offers").set(rest).where("seq", "=", existing.seq).returningAll().executeTakeFirstOrThrow();
    await writeOfferIndex(trx, updated.seq, listed ? index : null);
    const kind = existing.listed === 1 ? (listed ? "updated" : "deleted") : listed ? "created" : undefined;
    if (kind) await recordChange(trx, updated, kind);
    else await bumpCatalogVersion(trx);
    return { row: updated, kind: "updated" };
  }
  const created = await trx.insertInto("offers").values(row).returningAll().executeTakeFirstOrThrow();
  if (listed) {
    await writeOfferIndex(trx, created.seq, index);
    await recordChange(trx, created, "created");
  } else await bumpCatalogVersion(trx);
  return { row: created, kind: "created" };
}

/**
 * Makes an existing offer public or not (moderation, its provider approved or hidden): its index is written or
 * removed, and followers learn it as a `created` or `deleted` change at `now`. No-op when already so.
 */
export async function setOfferListed(trx: Db, row: OfferRow, listed: boolean, index: OfferIndex, now: string): Promise<boolean> {
  if ((row.listed === 1) === listed) return false;
  await trx.updateTable("offers").set({ listed: listed ? 1 : 0 }).where("seq", "=", row.seq).execute();
  await writeOfferIndex(trx, row.seq, listed ? index : null);
  await recordChange(trx, { ...row, updated_at: now }, listed ? "created" : "deleted");
  return true;
}

/** Sets or clears an offer's moderation mark (the caller then makes it listed or not). */
export async function setOfferHidden(trx: Db, seq: number, hidden: { at: string; reason: string } | null): Promise<OfferRow> {
  return trx.updateTable("offers").set({ hidden_at: hidden?.at ?? null, hidden_reason: hidden?.reason ?? null })
    .where("seq", "=", seq).returningAll().executeTakeFirstOrThrow();
}

/** What decides whether an offer about to be written is public: its provider's `listed`, its own moderation mark. */
export async function listingInputs(trx: Db, providerId: number, offerId: string): Promise<{ providerListed: boolean; hiddenAt: string | null; remembered?: HideMark }> {
  const p = await trx.selectFrom("providers").select("listed").where("id", "=", providerId).executeTakeFirst();
  const o = await trx.selectFrom("offers").select("hidden_at").where("id", "=", offerId).executeTakeFirst();
  if (o) return { providerListed: p?.listed === 1, hiddenAt: o.hidden_at };
  const mark = (await hideMarksOf(trx, [offerId])).get(offerId);
  return { providerListed: p?.listed === 1, hiddenAt: mark?.hidden_at ?? null, ...(mark ? { remembered: mark } : {}) };
}

export type HideMark = { hidden_at: string; hidden_reason: string | null };

/** Hide marks left by deleted hidden offers, by offer id. */
export async function hideMarksOf(trx: Db, offerIds: string[]): Promise<Map<string, HideMark>> {
  const out = new Map<string, HideMark>();
  // Bulk loads ask for thousands of ids; most databases hold no mark at all.
  if (offerIds.length > 1 && !(await trx.selectFrom("offer_hide_marks").select("offer_id").limit(1).executeTakeFirst())) return out;
  for (let i = 0; i < offerIds.length; i += 500) {
    const rows = await trx.selectFrom("offer_hide_marks").selectAll().where("offer_id", "in", offerIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.offer_id, { hidden_at: r.hidden_at, hidden_reason: r.hidden_reason });
  }
  return out;
}

/** Forgets the marks that offers created again have taken back. */
export async function forgetHideMarks(trx: Db, offerIds: string[]): Promise<void> {
  for (let i = 0; i < offerIds.length; i += 500) await trx.deleteFrom("offer_hide_marks").where("offer_id", "in", offerIds.slice(i, i + 500)).execute();
}

/** An offer row by id, listed or not (moderation and the write path). */
export async function findOfferRow(db: Db, id: string): Promise<OfferRow | undefined> {
  return db.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
}

async function recordChange(trx: Db, row: Pick<OfferRow, "id" | "provider_id" | "source" | "updated_at">, kind: "created" | "updated" | "deleted") {
  // Only this directory's own offers are published onward; federated ones are never re-published (no loops).
  if (row.source !== "federated") {
    await trx.insertInto("offer_changes").values({ offer_id: row.id, provider_id: row.provider_id, kind, at: row.updated_at }).execute();
  }
  await bumpCatalogVersion(trx);
}

/**
 * Marks a provider's own offers of the given signup modes as updated at `now` (their signup availability changed with
 * the provider's destinations): federation publishes them again so other directories learn whether they take
 * hand-overs. Returns how many were marked.
 */
export async function touchOffersOfProvider(trx: Db, providerId: number, modes: readonly string[], now: string): Promise<number> {
  const rows = await trx.updateTable("offers").set({ updated_at: now })
    .where("provider_id", "=", providerId).where("source", "!=", "federated").where("signup_mode", "in", [...modes]).where("listed", "=", 1)
    .returning(["id", "provider_id", "source", "updated_at"]).execute();
  for (const row of rows) await recordChange(trx, row, "updated");
  return rows.length;
}

/** Deletes an offer with its index rows and records the change. Returns false when it did not exist. */
export async function deleteOfferRow(trx: Db, id: string, now: string): Promise<boolean> {
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing) return false;
  // Deleting a hidden offer does not lift the operator's decision: an offer published again with this id is hidden.
  if (existing.hidden_at !== null) {
    await trx.insertInto("offer_hide_marks").values({ offer_id: existing.id, hidden_at: existing.hidden_at, hidden_reason: existing.hidden_reason })
      .onConflict((oc) => oc.column("offer_id").doUpdateSet({ hidden_at: existing.hidden_at!, hidden_reason: existing.hidden_reason })).execute();
  }
  await sql`delete from offers_fts where rowid = ${existing.seq}`.execute(trx);
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", existing.seq).execute();
  await trx.deleteFrom("offers").where("seq", "=", existing.seq).execute();
  // Followers never saw an unlisted offer: nothing to tell them.
  if (existing.listed === 1) await recordChange(trx, { ...existing, updated_at: now }, "deleted");
  else await bumpCatalogVersion(trx);
  return true;
}

/** Every offer row of a provider (to rebuild their index after a profile change). */
export async function offerRowsOfProvider(trx: Db, providerId: number): Promise<OfferRow[]> {
  return trx.selectFrom("offers").selectAll().where("provider_id", "=", providerId).execute();
}

export type OfferWithProvider = OfferRow & {
  p_slug: string; p_name: string; p_country: string; p_org_type: string; p_chatons_member: number; p_verified: number;
  /** What the badges say about the provider: its membership columns, when an operator reviewed it, when it was first listed. */
  p_chatons_level: string | null; p_chatons_listed: number; p_reviewed_at: string | null; p_listed_at: string | null; p_source: string;
  /** The provider's own listing state, for its owner's view (the public only ever sees listed ones). */
  p_listed: number; p_hidden_at: string | null; p_hidden_reason: string | null; p_deleted_at: string | null; p_demo: number;
  /** 1 when the provider has an enabled destination for the offer's signup mode (destinations.ts). */
  reachable: number;
};

/** Public reads see listed offers only; the offer's own provider (its space and API) and moderation see all. */
export type Visibility = { unlisted?: boolean };

/** Loads offers with the provider fields the wire format embeds, in the order of `seqs` (listed ones unless asked). */
export async function loadOffersBySeq(db: Db, seqs: number[], vis: Visibility = {}): Promise<OfferWithProvider[]> {
  if (seqs.length === 0) return [];
  let q = db.selectFrom("offers as o").innerJoin("providers as p", "p.id", "o.provider_id")
    .selectAll("o")
    .select(["p.slug as p_slug", "p.name as p_name", "p.country as p_country", "p.org_type as p_org_type", "p.chatons_member as p_chatons_member", "p.verified as p_verified",
      "p.chatons_level as p_chatons_level", "p.chatons_listed as p_chatons_listed", "p.reviewed_at as p_reviewed_at", "p.listed_at as p_listed_at", "p.source as p_source",
      "p.listed as p_listed", "p.hidden_at as p_hidden_at", "p.hidden_reason as p_hidden_reason", "p.deleted_at as p_deleted_at", "p.demo as p_demo"])
    .select(REACHABLE.as("reachable"))
    .where("o.seq", "in", seqs);
  if (!vis.unlisted) q = q.where("o.listed", "=", 1);
  const rows = await q.execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return seqs.map((s) => bySeq.get(s)).filter((r): r is OfferWithProvider => r !== undefined);
}

export async function findOfferById(db: Db, id: string, vis: Visibility = {}): Promise<OfferWithProvider | undefined> {
  const row = await db.selectFrom("offers").select("seq").where("id", "=", id).executeTakeFirst();
  return row ? (await loadOffersBySeq(db, [row.seq], vis))[0] : undefined;
}

export async function findOffersByProvider(db: Db, providerId: number, vis: Visibility = {}): Promise<OfferWithProvider[]> {
  const rows = await db.selectFrom("offers").select("seq").where("provider_id", "=", providerId).orderBy("sort_name").orderBy("seq").execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq), vis);
}

/** Listed offers by their public ids, in no particular order (callers reorder). */
export async function findOffersByIds(db: Db, ids: string[]): Promise<OfferWithProvider[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("offers").select("seq").where("id", "in", ids).execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq));
}
