// FROZEN once landed: never edit; add a new migration instead.
// CHATONS membership confirmed by the collective's own list (issue 14, docs/decisions/0011).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // What the provider's own organization file declares (ACTIVE | IDLE; null: nothing, AWAY or ended), the file it was
  // read from, and whether the collective's Federation file lists that file. `chatons_member` (filters, tags) is now
  // derived: listed and ACTIVE.
  await db.schema.alterTable("providers").addColumn("chatons_level", "text").execute();
  await db.schema.alterTable("providers").addColumn("chatons_org_url", "text").execute();
  await db.schema.alterTable("providers").addColumn("chatons_listed", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // The collective's list: one row per organization file its Federation file names (`subs.<id> = <url>`).
  await db.schema.createTable("chatons_federation")
    .addColumn("org_url", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("list_url", "text", (c) => c.notNull())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .execute();
  // Memberships taken from a StatoolInfos file before this migration were self-declared: they become declarations
  // waiting for the list (demo and federated providers keep theirs).
  await sql`update providers set chatons_level = 'ACTIVE', chatons_member = 0,
      chatons_org_url = (select s.url from provider_sources s where s.provider_id = providers.id and s.format = 'statoolinfos')
    where chatons_member = 1 and demo = 0 and source != 'federated'
      and exists (select 1 from provider_sources s where s.provider_id = providers.id and s.format = 'statoolinfos')`.execute(db);
  await sql`create index providers_chatons_org_url on providers (chatons_org_url) where chatons_org_url is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists providers_chatons_org_url`.execute(db);
  await sql`drop table if exists chatons_federation`.execute(db);
  await db.schema.alterTable("providers").dropColumn("chatons_listed").execute();
  await db.schema.alterTable("providers").dropColumn("chatons_org_url").execute();
  await db.schema.alterTable("providers").dropColumn("chatons_level").execute();
}
