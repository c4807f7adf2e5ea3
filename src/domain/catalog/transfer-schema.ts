/**
 * The whole catalog as one JSON document (`npm run cli -- export` / `import`; docs/decisions/0032): every local
 * provider with its profile, membership, domain proof, listing and moderation state, its pull source, where it
 * receives signups (never a secret) and its offers (each validated with the API's own OfferInput). Federated
 * providers and offers are left out: they come back from the directories that publish them.
 * schemas/catalog-document.schema.json is generated from this.
 */
import * as v from "valibot";
import { ORG_TYPES } from "../vocabulary.ts";
import { OfferInput } from "../schemas.ts";

const doc = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));
const Time = v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 time such as 2026-11-25T12:00:00.000Z"));
const MaybeTime = v.nullable(Time);
const SlugText = v.pipe(v.string(), v.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be a slug"));

export const CATALOG_FORMAT = "chatons-directory/catalog" as const;

const ExportedOffer = v.object({
  slug: doc(SlugText, "The offer's slug: its id is `<provider slug>~<slug>`."),
  position: doc(v.pipe(v.number(), v.integer(), v.minValue(1)), "Its place in the catalog (kept on import, so the daily fair order stays the same)."),
  source: doc(v.picklist(["local", "crawled"]), "`local` (published here) or `crawled` (read from the provider's pull source)."),
  offer: doc(OfferInput, "The offer as the API takes it (PUT …/offers/{offerSlug})."),
  createdAt: Time, updatedAt: Time,
  confirmedAt: doc(Time, "Last time its publisher confirmed it (drives `stale`)."),
  staleSince: doc(MaybeTime, "Set while its pull source is dormant."),
  hiddenAt: doc(MaybeTime, "Set when an operator hid it."), hiddenReason: v.nullable(v.string()),
});

const ExportedSource = v.object({
  url: v.string(), format: v.picklist(["json", "statoolinfos"]),
  validators: doc(v.record(v.string(), v.object({ etag: v.optional(v.string()), lastModified: v.optional(v.string()) })), "Conditional-GET validators per fetched file."),
  health: v.number(), state: v.picklist(["healthy", "degraded", "unhealthy", "dormant"]), failures: v.number(),
  nextCrawlAt: Time, lastCrawlAt: MaybeTime, lastSuccessAt: MaybeTime, lastStatus: v.nullable(v.string()), lastError: v.nullable(v.string()),
  lastReport: doc(v.nullable(v.unknown()), "The last pull report, as GET …/source shows it."),
  createdAt: Time, updatedAt: Time,
});

const ExportedProvider = v.object({
  slug: SlugText, name: v.string(), website: v.string(),
  email: doc(v.nullable(v.string()), "Contact email (private; where sign-in links go)."),
  country: v.string(), orgType: v.picklist(ORG_TYPES), description: v.record(v.string(), v.string()),
  chatons: doc(v.object({ member: v.boolean(), level: v.nullable(v.picklist(["ACTIVE", "IDLE"])), orgUrl: v.nullable(v.string()), listed: v.boolean() }),
    "CHATONS membership: what its organization file declares, the file, whether the collective's list names it."),
  verification: doc(v.object({ verified: v.boolean(), verifiedAt: MaybeTime, token: v.nullable(v.string()), failures: v.number(), checkedAt: MaybeTime }),
    "The domain proof: the public line the provider publishes on its website (not a credential), and the re-check state."),
  listing: doc(v.object({ listed: v.boolean(), listedAt: MaybeTime, reviewedAt: MaybeTime, hiddenAt: MaybeTime, hiddenReason: v.nullable(v.string()) }),
    "Whether the public sees it, since when, who reviewed it, whether an operator hid it."),
  demo: v.boolean(),
  createdAt: Time, updatedAt: Time,
  deletedAt: doc(MaybeTime, "Set for a provider that left: a tombstone keeping its slug."),
  source: v.nullable(ExportedSource),
  webhook: doc(v.nullable(v.object({ url: v.string(), disabledAt: MaybeTime, disabledReason: v.nullable(v.string()), createdAt: Time, updatedAt: Time })),
    "Where signups are posted; its signing secret is never exported (an import disables it until the provider sets a new one)."),
  nextcloud: doc(v.nullable(v.object({ url: v.string(), disabledAt: MaybeTime, createdAt: Time, updatedAt: Time })),
    "The Nextcloud that creates accounts; its token is never exported (an import disables it until the provider gives it again)."),
  offers: v.array(ExportedOffer),
});

export const CatalogDocument = v.object({
  format: doc(v.literal(CATALOG_FORMAT), "Always `chatons-directory/catalog`."),
  version: doc(v.literal(1), "The document's version."),
  exportedAt: Time,
  settings: v.object({
    listingPolicy: doc(v.picklist(["open", "reviewed"]), "The LISTING_POLICY the database ran under."),
    chatonsList: doc(v.array(v.object({ orgUrl: v.string(), memberId: v.string(), listUrl: v.string(), seenAt: Time })),
      "The CHATONS collective's member list last read (its organization files)."),
  }),
  providers: v.array(ExportedProvider),
});
export type CatalogDocument = v.InferOutput<typeof CatalogDocument>;
export type ExportedProvider = v.InferOutput<typeof ExportedProvider>;
