// FROZEN once landed: never edit; add a new migration instead.
import { sql, type Kysely } from "kysely";

/**
 * Search support: `offer_tag_counts` holds how many offers carry each (field, value) tag, kept exact by triggers on
 * `offer_tags`, so unfiltered facets are a small read instead of a scan of every tag (and filter selectivity is known).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("offer_tag_counts")
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("n", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("offer_tag_counts_pk", ["field", "value"])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into offer_tag_counts (field, value, n) select field, value, count(*) from offer_tags group by field, value`.execute(db);
  // Sort by price with offers of unknown amount last, straight from an index.
  await sql`create index offers_price_known on offers (coalesce(price_monthly, 1000000000), seq)`.execute(db);
  // The fair sort reads only these columns: a covering index spares reading every (wide) offer row.
  await sql`create index offers_fair on offers (capacity, registration, confirmed_at)`.execute(db);
  await sql`create trigger offer_tags_count_ins after insert on offer_tags begin
    insert into offer_tag_counts (field, value, n) values (new.field, new.value, 1)
      on conflict(field, value) do update set n = n + 1;
  end`.execute(db);
  await sql`create trigger offer_tags_count_del after delete on offer_tags begin
    update offer_tag_counts set n = n - 1 where field = old.field and value = old.value;
    delete from offer_tag_counts where field = old.field and value = old.value and n <= 0;
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists offer_tags_count_ins`.execute(db);
  await sql`drop trigger if exists offer_tags_count_del`.execute(db);
  await sql`drop table if exists offer_tag_counts`.execute(db);
  await sql`drop index if exists offers_price_known`.execute(db);
  await sql`drop index if exists offers_fair`.execute(db);
}
