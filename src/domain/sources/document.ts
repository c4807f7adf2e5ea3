/** Wire schemas of pull sources: the JSON offer document providers publish, and the source settings/status. */
import * as v from "valibot";
import { OfferInput, Slug } from "../schemas.ts";

export const SOURCE_FORMATS = ["json", "statoolinfos"] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export const MAX_DOCUMENT_OFFERS = 500;

/** One entry of a JSON pull document: an offer in our input schema plus its slug (the id is `<provider>~<slug>`). */
export const OfferDocumentEntry = v.object({ slug: Slug, ...OfferInput.entries });

/** `format: "json"` pull document: `{"offers": [{"slug": "cloud", "service": "storage", …}]}`. */
export const OfferDocument = v.object({
  offers: v.pipe(v.array(OfferDocumentEntry), v.maxLength(MAX_DOCUMENT_OFFERS, `must list at most ${MAX_DOCUMENT_OFFERS} offers`)),
});

/** Body of `PUT /api/v1/providers/{slug}/source`. */
export const SourceInput = v.object({
  url: v.pipe(v.string(), v.maxLength(2048), v.url("must be an absolute URL"), v.regex(/^https?:\/\//i, "must be an http(s) URL")),
  format: v.picklist(SOURCE_FORMATS, "must be json or statoolinfos"),
});
export type SourceInput = v.InferOutput<typeof SourceInput>;

const Issue = v.object({ file: v.string(), line: v.optional(v.number()), message: v.string() });
/** A service file that failed: its `subs.*` line in the organization file, the URL tried, the HTTP status or error. */
const Failure = v.object({
  slug: v.string(), sub: v.string(), file: v.string(), line: v.number(), url: v.optional(v.string()), status: v.optional(v.number()), error: v.string(),
  /** What happened to the offer the file describes: kept as it was (unconfirmed), or none created (never read yet). */
  offer: v.picklist(["kept", "not-created"]),
});

/** What one pull did (the answer of PUT …/source and the `lastPull` of GET …/source). */
export const PullReport = v.object({
  /** `degraded`: the organization file was read but some service files failed (listed in `failures`). */
  status: v.picklist(["updated", "degraded", "not-modified", "failed", "pending"]),
  at: v.string(),
  created: v.number(), updated: v.number(), unchanged: v.number(), deleted: v.number(),
  skipped: v.array(v.object({ slug: v.string(), reason: v.string() })),
  issues: v.array(Issue),
  failures: v.optional(v.array(Failure)),
  error: v.optional(v.string()),
});
export type PullReport = v.InferOutput<typeof PullReport>;

/** The provider's view of its source: settings, crawler health and the last pull's report. */
export const Source = v.object({
  url: v.string(),
  format: v.picklist(SOURCE_FORMATS),
  health: v.number(),
  state: v.picklist(["healthy", "degraded", "unhealthy", "dormant"]),
  nextPullAt: v.string(),
  lastPullAt: v.nullable(v.string()),
  lastSuccessAt: v.nullable(v.string()),
  lastPull: v.nullable(PullReport),
});
