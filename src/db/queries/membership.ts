/** The CHATONS collective's list of member organization files, and the providers' membership columns. */
import type { Db } from "../client.ts";
import type { ProviderRow } from "../database.ts";

/** Replaces the whole list (in the caller's transaction) with the entries of one Federation file. */
export async function replaceFederationList(trx: Db, listUrl: string, entries: Array<{ orgUrl: string; memberId: string }>, now: string): Promise<void> {
  await trx.deleteFrom("chatons_federation").execute();
  const unique = new Map(entries.map((e) => [e.orgUrl, e]));
  const rows = [...unique.values()].map((e) => ({ org_url: e.orgUrl, member_id: e.memberId, list_url: listUrl, seen_at: now }));
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto("chatons_federation").values(rows.slice(i, i + 200)).execute();
}

export async function listedOrgUrls(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom("chatons_federation").select("org_url").execute()).map((r) => r.org_url));
}

export async function isListedOrgUrl(db: Db, orgUrl: string): Promise<boolean> {
  return (await db.selectFrom("chatons_federation").select("org_url").where("org_url", "=", orgUrl).executeTakeFirst()) !== undefined;
}

export async function countFederationList(db: Db): Promise<number> {
  const r = await db.selectFrom("chatons_federation").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Local providers whose membership comes from an organization file (the ones the list can confirm). */
export async function providersWithOrgFile(db: Db): Promise<ProviderRow[]> {
  return db.selectFrom("providers").selectAll().where("chatons_org_url", "is not", null).where("source", "!=", "federated").orderBy("id").execute();
}

/**
 * The local provider an organization file already belongs to: the one imported from it, or whose pull source it is.
 * (Never by name: two organisations may share one.)
 */
export async function findProviderByOrgFile(db: Db, orgUrl: string): Promise<ProviderRow | undefined> {
  const byImport = await db.selectFrom("providers").selectAll().where("chatons_org_url", "=", orgUrl).where("source", "!=", "federated").executeTakeFirst();
  if (byImport) return byImport;
  const src = await db.selectFrom("provider_sources").select("provider_id").where("url", "=", orgUrl).executeTakeFirst();
  return src ? db.selectFrom("providers").selectAll().where("id", "=", src.provider_id).where("source", "!=", "federated").executeTakeFirst() : undefined;
}

/** The organization files of the stored list with their ids (`subs.<id>`), in the order of their ids. */
export async function federationMembers(db: Db): Promise<Array<{ url: string; id: string }>> {
  return (await db.selectFrom("chatons_federation").select(["org_url", "member_id"]).orderBy("member_id").execute()).map((r) => ({ url: r.org_url, id: r.member_id }));
}
