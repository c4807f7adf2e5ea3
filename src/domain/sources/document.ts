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
  url: v.pipe(v.string(), v.maxLength(2048), v.url("must be an absolute URL"), v.regex(/^https?:\/\//i, "must be an http(s) URL"), v.description("The file's address (public http or https URL, at most 2048 characters; 1 MB at most, read with a 10 s timeout).")),
  format: v.pipe(v.picklist(SOURCE_FORMATS, "must be json or statoolinfos"), v.description("`json`: an offer document (`OfferDocument`); `statoolinfos`: a CHATONS StatoolInfos organisation file whose `subs.*` service files become offers.")),
});
export type SourceInput = v.InferOutput<typeof SourceInput>;

const Issue = v.object({
  file: v.pipe(v.string(), v.description("The file the problem is in (the source, or a StatoolInfos service file).")),
  line: v.optional(v.pipe(v.number(), v.description("The line of that file (1-based), when known."))),
  message: v.pipe(v.string(), v.description("What is wrong, in English.")),
});
/** A service file that failed: its `subs.*` line in the organization file, the URL tried, the HTTP status or error. */
const Failure = v.object({
  slug: v.string(), sub: v.string(), file: v.string(), line: v.number(), url: v.optional(v.string()), status: v.optional(v.number()), error: v.string(),
  /** What happened to the offer the file describes: kept as it was (unconfirmed), or none created (never read yet). */
  offer: v.picklist(["kept", "not-created"]),
});

/** What one pull did (the answer of PUT …/source and the `lastPull` of GET …/source). */
export const PullReport = v.object({
  status: v.pipe(v.picklist(["updated", "degraded", "not-modified", "failed", "pending"]), v.description("`updated` (read and applied), `degraded` (the organization file was read but some service files failed: see `failures`), `not-modified` (304: nothing changed), `failed` (see `error`; offers kept), `pending` (still running).")),
  at: v.pipe(v.string(), v.description("When the pull happened (ISO 8601 UTC).")),
  created: v.pipe(v.number(), v.description("Offers created.")), updated: v.pipe(v.number(), v.description("Offers changed.")),
  unchanged: v.pipe(v.number(), v.description("Offers confirmed as they were.")), deleted: v.pipe(v.number(), v.description("Offers removed because the file no longer lists them.")),
  skipped: v.pipe(v.array(v.object({ slug: v.string(), reason: v.string() })), v.description("Entries of the file not listed, with why.")),
  issues: v.pipe(v.array(Issue), v.description("Each problem found, with its file and line.")),
  failures: v.optional(v.pipe(v.array(Failure), v.description("StatoolInfos service files that could not be read, each with its subs.* line, URL and HTTP status or error."))),
  error: v.optional(v.pipe(v.string(), v.description("Why the pull failed."))),
});
export type PullReport = v.InferOutput<typeof PullReport>;

/** The provider's view of its source: settings, crawler health and the last pull's report. */
export const Source = v.object({
  url: v.pipe(v.string(), v.description("The file's address.")),
  format: v.picklist(SOURCE_FORMATS),
  health: v.pipe(v.number(), v.description("0–100: starts at 100, +10 per successful pull, −25 per failure.")),
  state: v.pipe(v.picklist(["healthy", "degraded", "unhealthy", "dormant"]), v.description("`healthy` (health ≥ 60), `degraded` (the last pull left some service files unread), `unhealthy` (failing: pulled less often), `dormant` (health ≤ 20: pulled weekly, its offers shown as stale).")),
  nextPullAt: v.pipe(v.string(), v.description("The next scheduled pull (ISO 8601 UTC).")),
  lastPullAt: v.pipe(v.nullable(v.string()), v.description("The last pull, successful or not.")),
  lastSuccessAt: v.pipe(v.nullable(v.string()), v.description("The last successful pull.")),
  lastPull: v.nullable(PullReport),
});
