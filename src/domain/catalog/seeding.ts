/** Loading the demo catalog: every entry is validated with the API's own schemas before anything is written. */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import { clearOfferChanges } from "../../db/queries/federation.ts";
import { catalogIsEmpty } from "../../db/queries/providers.ts";
import type { ProviderRow } from "../../db/database.ts";
import { iso } from "../../lib/time.ts";
import { createProvider, saveOffer, toOfferRow } from "./offers.ts";
import { SeedOffer, SeedProvider } from "../schemas.ts";

export type SeedFiles = { providers: { file: string; data: unknown }; offers: { file: string; data: unknown } };

export class SeedError extends Error {}

function parseList<S extends v.GenericSchema<unknown, unknown>>(schema: S, file: string, data: unknown): Array<v.InferOutput<S>> {
  if (!Array.isArray(data)) throw new SeedError(`${file}: must be a JSON array`);
  return data.map((entry, i) => {
    const r = v.safeParse(schema, entry);
    if (!r.success) {
      const first = r.issues[0];
      const path = v.getDotPath(first);
      throw new SeedError(`${file}: entry ${i}${path ? ` field ${path}` : ""}: ${first.message}`);
    }
    return r.output;
  });
}

/** Validates the seed files; throws SeedError naming the file, entry and field at the first problem. */
export function parseSeeds(files: SeedFiles): { providers: SeedProvider[]; offers: SeedOffer[] } {
  const providers = parseList(SeedProvider, files.providers.file, files.providers.data);
  const offers = parseList(SeedOffer, files.offers.file, files.offers.data);
  const slugs = new Set(providers.map((p) => p.slug));
  offers.forEach((o, i) => {
    if (!slugs.has(o.provider)) throw new SeedError(`${files.offers.file}: entry ${i} field provider: no provider "${o.provider}" in ${files.providers.file}`);
  });
  return { providers, offers };
}

/** Loads the seeds into an empty catalog in one transaction. Returns false (and writes nothing) if providers exist. */
export async function loadSeeds(db: Db, seeds: { providers: SeedProvider[]; offers: SeedOffer[] }, nowMs: number): Promise<{ providers: number; offers: number } | false> {
  const now = iso(nowMs);
  return db.transaction().execute(async (trx) => {
    if (!(await catalogIsEmpty(trx))) return false;
    const bySlug = new Map<string, ProviderRow>();
    for (const p of seeds.providers) {
      // The operator's own seed files count as reviewed (docs/decisions/0030).
      bySlug.set(p.slug, await createProvider(trx, {
        slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, org_type: p.orgType,
        description_json: JSON.stringify(p.description ?? {}), chatons_member: p.chatonsMember ? 1 : 0, demo: 1, created_at: now, updated_at: now, reviewed_at: now,
      }, now));
    }
    for (const o of seeds.offers) {
      const provider = bySlug.get(o.provider)!;
      const { provider: _p, slug, ...input } = o;
      await saveOffer(trx, provider, toOfferRow(provider, slug, input, now));
    }
    // Seeded offers are the starting state, not news: nothing to federate.
    await clearOfferChanges(trx);
    return { providers: seeds.providers.length, offers: seeds.offers.length };
  });
}
