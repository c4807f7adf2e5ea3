/** The single write path for offers: row, filter tags, FTS row, change event and catalog version in one transaction. */
import { sql } from "kysely";
import type { Db } from "../client.ts";
import type { NewOfferRow, OfferRow, ProviderRow } from "../database.ts";
import type { OfferInput } from "../../domain/schemas.ts";
import { fold } from "../../domain/text.ts";
import { bumpCatalogVersion } from "./meta.ts";

export type OfferOrigin = { id: string; actor: string; directory: string };

/** Monthly price in minor units used to sort by price: free and pay-what-you-want are 0; unknown amounts null. */
export function monthlyPrice(p: OfferInput["price"]): number | null {
  if (p.model === "free" || p.model === "pay-what-you-want") return 0;
  if (p.amount === undefined) return null;
  if (p.period === "year") return Math.round(p.amount / 12);
  if (p.period === "once") return Math.round(p.amount / 36); // spread a one-off fee over three years
  return p.amount;
}

/** Keywords added to the FTS row so category words match in both languages (synonyms live in search). */
const SERVICE_WORDS: Record<string, string> = {
  storage: "stockage fichiers storage files cloud", office: "bureautique office documents", chat: "messagerie instantanee chat",
  videoconference: "visioconference videoconference", pad: "pad notes collaboratives collaborative notes", spreadsheet: "tableur spreadsheet",
  forms: "formulaires forms", poll: "sondage poll", mail: "courriel email mail", website: "site web website", git: "forge git code",
  video: "video", social: "reseau social social network", calendar: "agenda calendrier calendar", maps: "cartes maps cartographie", other: "",
};

export function toOfferRow(provider: Pick<ProviderRow, "id" | "slug">, slug: string, o: OfferInput, now: string, source = "local", origin?: OfferOrigin, id?: string): NewOfferRow {
  const titles = Object.values(o.title);
  return {
    id: id ?? `${provider.slug}~${slug}`,
    provider_id: provider.id,
    slug,
    service: o.service,
    software_name: o.software.name,
    software_version: o.software.version ?? null,
    software_license: o.software.license ?? null,
    title_json: JSON.stringify(o.title),
    description_json: JSON.stringify(o.description),
    sort_name: fold(o.title.fr ?? o.title.en ?? titles[0] ?? slug),
    price_model: o.price.model,
    price_amount: o.price.amount ?? null,
    price_currency: o.price.currency ?? null,
    price_period: o.price.period ?? null,
    price_monthly: monthlyPrice(o.price),
    registration: o.registration,
    capacity: o.capacity,
    quota_storage_gb: o.quota?.storageGB ?? null,
    quota_users: o.quota?.users ?? null,
    data_location: o.dataLocation,
    languages_json: JSON.stringify(o.languages),
    includes_json: JSON.stringify(o.includes),
    audience_json: JSON.stringify(o.audience),
    support_json: JSON.stringify(o.support),
    signup_mode: o.signup.mode,
    signup_url: o.signup.url ?? null,
    source,
    origin_json: origin ? JSON.stringify(origin) : null,
    created_at: now,
    updated_at: now,
    confirmed_at: now,
  };
}

export type TagSource = Pick<OfferRow, "service" | "software_name" | "includes_json" | "languages_json" | "price_model" | "registration" | "capacity" | "audience_json">;
type TagProvider = Pick<ProviderRow, "country" | "org_type" | "chatons_member" | "verified">;

/** The (field, value) pairs an offer is filtered and faceted by; a pack counts for each bundled service. */
export function offerTags(o: TagSource, p: TagProvider): Array<[string, string]> {
  const includes = JSON.parse(o.includes_json) as Array<{ service: string; software: string }>;
  const set = new Set<string>();
  const add = (field: string, value: string) => set.add(`${field}\u0000${value}`);
  add("service", o.service);
  add("software", fold(o.software_name));
  for (const inc of includes) { add("service", inc.service); add("software", fold(inc.software)); }
  for (const l of JSON.parse(o.languages_json) as string[]) add("lang", l.toLowerCase().split("-")[0]);
  for (const a of JSON.parse(o.audience_json) as string[]) add("audience", a);
  add("country", p.country);
  add("orgType", p.org_type);
  add("price", o.price_model);
  add("registration", o.registration);
  add("available", String(o.capacity === "available" && o.registration !== "closed"));
  add("member", String(p.chatons_member === 1));
  add("verified", String(p.verified === 1));
  return [...set].map((s) => s.split("\u0000") as [string, string]);
}

/** The text an offer is found by, per FTS column (shared by upsertOffer and the bulk loader). */
export function ftsColumns(o: NewOfferRow | OfferRow, providerName: string) {
  const includes = JSON.parse(o.includes_json ?? "[]") as Array<{ service: string; software: string }>;
  const title = Object.values(JSON.parse(o.title_json) as Record<string, string>).join(" \n ");
  const description = Object.values(JSON.parse(o.description_json) as Record<string, string>).join(" \n ");
  const software = [o.software_name, ...includes.map((i) => i.software)].join(" ");
  const keywords = [o.service, ...includes.map((i) => i.service)].map((s) => SERVICE_WORDS[s] ?? "").join(" ");
  return { title, software, provider: providerName, description, keywords };
}

async function writeIndex(trx: Db, seq: number, row: NewOfferRow | OfferRow, provider: ProviderRow): Promise<void> {
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", seq).execute();
  const tags = offerTags(row as TagSource, provider);
  await trx.insertInto("offer_tags").values(tags.map(([field, value]) => ({ offer_seq: seq, field, value }))).execute();
  const f = ftsColumns(row, provider.name);
  await sql`delete from offers_fts where rowid = ${seq}`.execute(trx);
  await sql`insert into offers_fts (rowid, title, software, provider, description, keywords)
    values (${seq}, ${f.title}, ${f.software}, ${f.provider}, ${f.description}, ${f.keywords})`.execute(trx);
}

export type UpsertResult = { row: OfferRow; kind: "created" | "updated" | "unchanged" };

const CONTENT_COLUMNS = [
  "service", "software_name", "software_version", "software_license", "title_json", "description_json", "price_model", "price_amount",
  "price_currency", "price_period", "registration", "capacity", "quota_storage_gb", "quota_users", "data_location", "languages_json",
  "includes_json", "audience_json", "support_json", "signup_mode", "signup_url", "origin_json",
  // A push over a crawled offer takes it over (crawled → local): a visible change, so it is one.
  "source",
] as const;

/**
 * Creates or replaces an offer. Must run inside a transaction (`trx`): it writes the row, its tags, its FTS row,
 * a change event and bumps the catalog version. An identical re-publication only refreshes `confirmed_at`.
 */
export async function upsertOffer(trx: Db, provider: ProviderRow, row: NewOfferRow): Promise<UpsertResult> {
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", row.id).executeTakeFirst();
  if (existing) {
    const changed = CONTENT_COLUMNS.some((c) => (existing[c] ?? null) !== (row[c] ?? null));
    if (!changed) {
      await trx.updateTable("offers").set({ confirmed_at: row.confirmed_at }).where("seq", "=", existing.seq).execute();
      return { row: { ...existing, confirmed_at: row.confirmed_at }, kind: "unchanged" };
    }
    const { created_at: _created, ...rest } = row;
    const updated = await trx.updateTable("offers").set(rest).where("seq", "=", existing.seq).returningAll().executeTakeFirstOrThrow();
    await writeIndex(trx, updated.seq, updated, provider);
    await recordChange(trx, updated, "updated");
    return { row: updated, kind: "updated" };
  }
  const created = await trx.insertInto("offers").values(row).returningAll().executeTakeFirstOrThrow();
  await writeIndex(trx, created.seq, created, provider);
  await recordChange(trx, created, "created");
  return { row: created, kind: "created" };
}

async function recordChange(trx: Db, row: Pick<OfferRow, "id" | "provider_id" | "source" | "updated_at">, kind: "created" | "updated" | "deleted") {
  // Only this directory's own offers are published onward; federated ones are never re-published (no loops).
  if (row.source !== "federated") {
    await trx.insertInto("offer_changes").values({ offer_id: row.id, provider_id: row.provider_id, kind, at: row.updated_at }).execute();
  }
  await bumpCatalogVersion(trx);
}

/** Deletes an offer with its index rows and records the change. Returns false when it did not exist. */
export async function deleteOffer(trx: Db, id: string, now: string): Promise<boolean> {
  const existing = await trx.selectFrom("offers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!existing) return false;
  await sql`delete from offers_fts where rowid = ${existing.seq}`.execute(trx);
  await trx.deleteFrom("offer_tags").where("offer_seq", "=", existing.seq).execute();
  await trx.deleteFrom("offers").where("seq", "=", existing.seq).execute();
  await recordChange(trx, { ...existing, updated_at: now }, "deleted");
  return true;
}

/** Rebuilds tags and FTS rows of a provider's offers after its name, country, membership or verification changed. */
export async function reindexProviderOffers(trx: Db, provider: ProviderRow): Promise<number> {
  const rows = await trx.selectFrom("offers").selectAll().where("provider_id", "=", provider.id).execute();
  for (const r of rows) await writeIndex(trx, r.seq, r, provider);
  if (rows.length) await bumpCatalogVersion(trx);
  return rows.length;
}

export type OfferWithProvider = OfferRow & {
  p_slug: string; p_name: string; p_country: string; p_org_type: string; p_chatons_member: number; p_verified: number;
};

/** Loads offers with the provider fields the wire format embeds, in the order of `seqs`. */
export async function loadOffersBySeq(db: Db, seqs: number[]): Promise<OfferWithProvider[]> {
  if (seqs.length === 0) return [];
  const rows = await db.selectFrom("offers as o").innerJoin("providers as p", "p.id", "o.provider_id")
    .selectAll("o")
    .select(["p.slug as p_slug", "p.name as p_name", "p.country as p_country", "p.org_type as p_org_type", "p.chatons_member as p_chatons_member", "p.verified as p_verified"])
    .where("o.seq", "in", seqs)
    .execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  return seqs.map((s) => bySeq.get(s)).filter((r): r is OfferWithProvider => r !== undefined);
}

export async function findOfferById(db: Db, id: string): Promise<OfferWithProvider | undefined> {
  const row = await db.selectFrom("offers").select("seq").where("id", "=", id).executeTakeFirst();
  return row ? (await loadOffersBySeq(db, [row.seq]))[0] : undefined;
}

export async function findOffersByProvider(db: Db, providerId: number): Promise<OfferWithProvider[]> {
  const rows = await db.selectFrom("offers").select("seq").where("provider_id", "=", providerId).orderBy("sort_name").orderBy("seq").execute();
  return loadOffersBySeq(db, rows.map((r) => r.seq));
}
