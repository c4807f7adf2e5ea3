/**
 * Export and import of the whole catalog (docs/decisions/0032). `exportCatalog` reads every local provider with its
 * offers, pull source and receiving settings into one CatalogDocument (validated on the way out too); `importCatalog`
 * validates a document, refuses a catalog that is not empty, and writes it in one transaction: providers exactly as
 * exported, offers through the write path (same rows, tags, search text as the original), no change events (an
 * imported catalog is not news for federation). Secrets are never in the document: API tokens, webhook secrets and
 * Nextcloud tokens are made again by the providers (their webhook and Nextcloud come back disabled, saying so).
 */
import * as v from "valibot";
import type { Db } from "../../db/client.ts";
import type { ProviderRow } from "../../db/database.ts";
import { providerReach } from "../../db/queries/destinations.ts";
import { findNextcloud, findWebhook } from "../../db/queries/destinations.ts";
import { clearOfferChanges } from "../../db/queries/federation.ts";
import { getMeta, setMeta } from "../../db/queries/meta.ts";
import { upsertOfferRow } from "../../db/queries/offers.ts";
import { catalogIsEmpty } from "../../db/queries/providers.ts";
import { chatonsListRows, insertChatonsList, insertNextcloudRow, insertProviderRow, insertSourceRow, insertWebhookRow, localProviderRows, offerRowsBySeq, sourceRow } from "../../db/queries/transfer.ts";
import { randomToken } from "../../lib/ids.ts";
import { iso } from "../../lib/time.ts";
import { fail, ok, type Result } from "../errors.ts";
import type { OfferInput } from "../schemas.ts";
import { isListingPolicy } from "./listing.ts";
import { listingPolicy, offerIndex, toOfferRow } from "./offers.ts";
import { CATALOG_FORMAT, CatalogDocument, type ExportedProvider } from "./transfer-schema.ts";

/** An offer row back to the API's input (the fields a provider publishes). */
function offerInputOf(o: Awaited<ReturnType<typeof offerRowsBySeq>>[number]): OfferInput {
  const quota = { ...(o.quota_storage_gb !== null ? { storageGB: o.quota_storage_gb } : {}), ...(o.quota_users !== null ? { users: o.quota_users } : {}) };
  return {
    service: o.service as OfferInput["service"],
    software: { name: o.software_name, ...(o.software_version !== null ? { version: o.software_version } : {}), ...(o.software_license !== null ? { license: o.software_license } : {}) },
    title: JSON.parse(o.title_json), description: JSON.parse(o.description_json),
    price: {
      model: o.price_model as OfferInput["price"]["model"], ...(o.price_amount !== null ? { amount: o.price_amount } : {}),
      ...(o.price_currency !== null ? { currency: o.price_currency } : {}), ...(o.price_period !== null ? { period: o.price_period as "month" } : {}),
    },
    registration: o.registration as OfferInput["registration"], capacity: o.capacity as OfferInput["capacity"],
    ...(Object.keys(quota).length ? { quota } : {}),
    dataLocation: o.data_location, languages: JSON.parse(o.languages_json), includes: JSON.parse(o.includes_json),
    audience: JSON.parse(o.audience_json), support: JSON.parse(o.support_json),
    signup: { mode: o.signup_mode as OfferInput["signup"]["mode"], ...(o.signup_url !== null ? { url: o.signup_url } : {}) },
  };
}

export type ExportProgress = { done: number; total: number };

/** The whole local catalog as one document. */
export async function exportCatalog(db: Db, nowMs: number, onProgress?: (p: ExportProgress) => void): Promise<CatalogDocument> {
  const rows = await localProviderRows(db);
  const providers: ExportedProvider[] = [];
  for (const p of rows) {
    const src = await sourceRow(db, p.id);
    const wh = await findWebhook(db, p.id);
    const nc = await findNextcloud(db, p.id);
    providers.push({
      slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, orgType: p.org_type as ExportedProvider["orgType"],
      description: JSON.parse(p.description_json),
      chatons: { member: p.chatons_member === 1, level: p.chatons_level as "ACTIVE" | "IDLE" | null, orgUrl: p.chatons_org_url, listed: p.chatons_listed === 1 },
      verification: { verified: p.verified === 1, verifiedAt: p.verified_at, token: p.verification_token, failures: p.verify_failures, checkedAt: p.verify_checked_at },
      listing: { listed: p.listed === 1, listedAt: p.listed_at, reviewedAt: p.reviewed_at, hiddenAt: p.hidden_at, hiddenReason: p.hidden_reason },
      demo: p.demo === 1, createdAt: p.created_at, updatedAt: p.updated_at, deletedAt: p.deleted_at,
      source: src ? {
        url: src.url, format: src.format, validators: JSON.parse(src.validators_json), health: src.health, state: src.state, failures: src.failures,
        nextCrawlAt: src.next_crawl_at, lastCrawlAt: src.last_crawl_at, lastSuccessAt: src.last_success_at, lastStatus: src.last_status, lastError: src.last_error,
        lastReport: src.last_report_json ? JSON.parse(src.last_report_json) : null, createdAt: src.created_at, updatedAt: src.updated_at,
      } : null,
      webhook: wh ? { url: wh.url, disabledAt: wh.disabled_at, disabledReason: wh.disabled_reason, createdAt: wh.created_at, updatedAt: wh.updated_at } : null,
      nextcloud: nc ? { url: nc.url, disabledAt: nc.disabled_at, createdAt: nc.created_at, updatedAt: nc.updated_at } : null,
      offers: (await offerRowsBySeq(db, p.id)).map((o) => ({
        slug: o.slug, position: o.seq, source: o.source as "local" | "crawled", offer: offerInputOf(o), createdAt: o.created_at, updatedAt: o.updated_at,
        confirmedAt: o.confirmed_at, staleSince: o.stale_since, hiddenAt: o.hidden_at, hiddenReason: o.hidden_reason,
      })),
    });
    onProgress?.({ done: providers.length, total: rows.length });
  }
  const chatonsList = (await chatonsListRows(db)).map((r) => ({ orgUrl: r.org_url, memberId: r.member_id, listUrl: r.list_url, seenAt: r.seen_at }));
  const document: CatalogDocument = { format: CATALOG_FORMAT, version: 1, exportedAt: iso(nowMs), settings: { listingPolicy: await listingPolicy(db), chatonsList }, providers };
  // What goes out is what comes in: checked with the same schema.
  v.parse(CatalogDocument, document);
  return document;
}

/** Why a document was refused: each problem with its JSON path. */
export type ImportProblem = { kind: "invalid"; detail: string; errors: Array<{ path: string; message: string }> } | { kind: "conflict"; detail: string };

/** What an import wrote. */
export type ImportSummary = { providers: number; offers: number; sources: number; disabledDestinations: number };

/** Imports a document into an empty catalog, in one transaction (nothing is written when anything is wrong). */
export async function importCatalog(db: Db, input: unknown, nowMs: number, onProgress?: (p: ExportProgress) => void): Promise<Result<ImportSummary, ImportProblem>> {
  const parsed = v.safeParse(CatalogDocument, input);
  if (!parsed.success) {
    return fail({ kind: "invalid", detail: "The document is not a catalog export; see errors.", errors: parsed.issues.slice(0, 50).map((i) => ({ path: v.getDotPath(i) ?? "(document)", message: i.message })) });
  }
  const doc = parsed.output;
  const slugs = new Set<string>();
  const positions = new Set<number>();
  for (const p of doc.providers) {
    if (slugs.has(p.slug)) return fail({ kind: "invalid", detail: `Provider "${p.slug}" appears twice.`, errors: [{ path: "providers", message: `"${p.slug}" appears twice` }] });
    slugs.add(p.slug);
    for (const o of p.offers) {
      if (positions.has(o.position)) return fail({ kind: "invalid", detail: `Two offers have position ${o.position}.`, errors: [{ path: "providers.offers.position", message: `${o.position} appears twice` }] });
      positions.add(o.position);
    }
  }
  const now = iso(nowMs);
  const summary: ImportSummary = { providers: 0, offers: 0, sources: 0, disabledDestinations: 0 };
  const done = await db.transaction().execute(async (trx) => {
    if (!(await catalogIsEmpty(trx))) return false;
    const created: Array<{ provider: ProviderRow; offers: ExportedProvider["offers"] }> = [];
    await insertChatonsList(trx, doc.settings.chatonsList.map((r) => ({ org_url: r.orgUrl, member_id: r.memberId, list_url: r.listUrl, seen_at: r.seenAt })));
    for (const p of doc.providers) {
      const provider = await insertProviderRow(trx, {
        slug: p.slug, name: p.name, website: p.website, email: p.email, country: p.country, org_type: p.orgType, description_json: JSON.stringify(p.description),
        chatons_member: p.chatons.member ? 1 : 0, chatons_level: p.chatons.level, chatons_org_url: p.chatons.orgUrl, chatons_listed: p.chatons.listed ? 1 : 0,
        verified: p.verification.verified ? 1 : 0, verified_at: p.verification.verifiedAt, verification_token: p.verification.token,
        verify_failures: p.verification.failures, verify_checked_at: p.verification.checkedAt,
        listed: p.listing.listed ? 1 : 0, listed_at: p.listing.listedAt, reviewed_at: p.listing.reviewedAt, hidden_at: p.listing.hiddenAt, hidden_reason: p.listing.hiddenReason,
        demo: p.demo ? 1 : 0, source: "local", created_at: p.createdAt, updated_at: p.updatedAt, deleted_at: p.deletedAt,
      });
      if (p.source) {
        const s = p.source;
        await insertSourceRow(trx, {
          provider_id: provider.id, url: s.url, format: s.format, validators_json: JSON.stringify(s.validators), health: s.health, state: s.state, failures: s.failures,
          next_crawl_at: s.nextCrawlAt, last_crawl_at: s.lastCrawlAt, last_success_at: s.lastSuccessAt, last_status: s.lastStatus, last_error: s.lastError,
          last_report_json: s.lastReport === null ? null : JSON.stringify(s.lastReport), created_at: s.createdAt, updated_at: s.updatedAt,
        });
        summary.sources++;
      }
      // Without their secrets, destinations cannot sign or authenticate: they come back off, and say why.
      if (p.webhook) {
        await insertWebhookRow(trx, { provider_id: provider.id, url: p.webhook.url, secret: randomToken(24, "whsec_"), created_at: p.webhook.createdAt, updated_at: now,
          disabled_at: p.webhook.disabledAt ?? now, disabled_reason: p.webhook.disabledReason ?? "imported without its secret: set the webhook again for a new one" });
        summary.disabledDestinations++;
      }
      if (p.nextcloud) {
        await insertNextcloudRow(trx, { provider_id: provider.id, url: p.nextcloud.url, token: "", created_at: p.nextcloud.createdAt, updated_at: now, disabled_at: p.nextcloud.disabledAt ?? now });
        summary.disabledDestinations++;
      }
      created.push({ provider, offers: p.offers });
      summary.providers++;
      onProgress?.({ done: summary.providers, total: doc.providers.length });
    }
    // Offers in their catalog order, each at its position: the same seqs, so the same daily fair order.
    const all = created.flatMap(({ provider, offers }) => offers.map((o) => ({ provider, o }))).sort((a, b) => a.o.position - b.o.position);
    const reach = new Map<number, Awaited<ReturnType<typeof providerReach>>>();
    for (const { provider, o } of all) {
      if (!reach.has(provider.id)) reach.set(provider.id, await providerReach(trx, provider.id));
      const row = {
        ...toOfferRow(provider, o.slug, o.offer, o.createdAt, o.source), seq: o.position,
        updated_at: o.updatedAt, confirmed_at: o.confirmedAt, stale_since: o.staleSince, hidden_at: o.hiddenAt, hidden_reason: o.hiddenReason,
        listed: provider.listed === 1 && o.hiddenAt === null ? 1 : 0,
      };
      await upsertOfferRow(trx, row, offerIndex(row, provider, reach.get(provider.id)!));
      summary.offers++;
    }
    await clearOfferChanges(trx);
    return true;
  });
  if (!done) return fail({ kind: "conflict", detail: "The catalog is not empty: import into a new database (DATABASE_URL) and start the server on it." });
  if (!isListingPolicy(await getMeta(db, "listing_policy"))) await setMeta(db, "listing_policy", doc.settings.listingPolicy);
  return ok(summary);
}
