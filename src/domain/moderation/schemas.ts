/** Valibot schemas of moderation (admin API, admin pages, CLI) and of people's reports; JSON Schemas are generated from them. */
import * as v from "valibot";
import { isUnstorableText, UNSTORABLE_MESSAGE } from "../../lib/json-limits.ts";

const doc = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));
const Text = (max: number) => v.pipe(v.string(), v.trim(), v.check((s) => !isUnstorableText(s), UNSTORABLE_MESSAGE), v.maxLength(max, `must be at most ${max} characters`));

/** Why people report an offer. */
export const REPORT_REASONS = ["misleading", "unavailable", "not-ethical", "spam", "illegal", "other"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const ReportInput = v.object({
  reason: doc(v.picklist(REPORT_REASONS, `must be one of ${REPORT_REASONS.join(", ")}`),
    "`misleading` (wrong or misleading information), `unavailable` (the service does not exist or does not work), `not-ethical` (advertising, tracking, not free software…), `spam`, `illegal`, `other`."),
  message: v.optional(doc(Text(1000), "What people want the operator to know (optional, at most 1000 characters; do not write personal data).")),
});
export type ReportInput = v.InferOutput<typeof ReportInput>;

const By = v.optional(doc(v.pipe(Text(80), v.minLength(1, "must not be empty")), "Who acts, for the audit log (default: \"admin API\")."));

/** Hiding needs a reason; the others take an optional one. */
export const HideInput = v.object({
  reason: doc(v.pipe(Text(500), v.minLength(1, "must say why (it is shown to the provider and kept in the audit log)")), "Why (shown to the provider in its space and kept in the audit log)."),
  by: By,
});
export const ModerationInput = v.object({
  reason: v.optional(doc(Text(500), "Why (kept in the audit log).")),
  by: By,
});
export const CloseReportInput = v.object({
  note: v.optional(doc(Text(500), "What was done about it (kept with the report and in the audit log).")),
  by: By,
});

export const AUDIT_ACTIONS = ["approve", "hide-provider", "unhide-provider", "hide-offer", "unhide-offer", "close-report", "listed-by-membership"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntry = v.object({
  id: v.number(),
  at: doc(v.string(), "When (ISO 8601, UTC)."),
  actor: doc(v.string(), "Who: the name an operator gave (pages, `by`, CLI `--by`), or `system`."),
  via: doc(v.picklist(["api", "web", "cli", "system"]), "Through what: the admin API, the admin pages, the command line, or the directory itself."),
  action: doc(v.picklist(AUDIT_ACTIONS), "What was done."),
  targetType: v.picklist(["provider", "offer", "report"]),
  target: doc(v.string(), "The provider's slug, the offer's id or the report's number."),
  reason: v.nullable(doc(v.string(), "Why, as the operator wrote it.")),
});
export const AuditList = v.object({ items: v.array(AuditEntry), nextCursor: v.nullable(v.string()) });

export const Report = v.object({
  id: v.number(),
  offerId: v.string(),
  offerTitle: v.nullable(v.string()),
  provider: v.nullable(v.object({ slug: v.string(), name: v.string() })),
  reason: v.picklist(REPORT_REASONS),
  message: v.nullable(v.string()),
  locale: v.string(),
  status: v.picklist(["open", "closed"]),
  createdAt: v.string(),
  closedAt: v.nullable(v.string()),
  closedBy: v.nullable(v.string()),
  closedNote: v.nullable(v.string()),
});
export const ReportList = v.object({ items: v.array(Report), nextCursor: v.nullable(v.string()) });
export const ReportAccepted = v.object({ id: v.number(), status: v.literal("open") });

export const QueueEntry = v.object({
  slug: v.string(), name: v.string(), website: v.string(), country: v.string(), orgType: v.string(), email: v.nullable(v.string()),
  description: v.record(v.string(), v.string()),
  verified: doc(v.boolean(), "Domain verified (https website, proof file found)."),
  chatonsMembership: v.picklist(["member", "idle", "unconfirmed", "none"]),
  offerCount: doc(v.number(), "Offers it prepared, not public yet."),
  createdAt: v.string(),
});
export const ReviewQueue = v.object({ items: v.array(QueueEntry), total: v.number() });

export const ModeratedProvider = v.object({
  slug: v.string(), listing: v.picklist(["listed", "waiting-for-review", "hidden"]), reviewedAt: v.nullable(v.string()),
  hiddenAt: v.nullable(v.string()), hiddenReason: v.nullable(v.string()),
});
export const ModeratedOffer = v.object({
  id: v.string(), listed: v.boolean(), hiddenAt: v.nullable(v.string()), hiddenReason: v.nullable(v.string()),
});
export const HiddenList = v.object({
  providers: v.array(v.object({ slug: v.string(), name: v.string(), hiddenAt: v.string(), reason: v.nullable(v.string()) })),
  offers: v.array(v.object({ id: v.string(), title: v.string(), provider: v.string(), hiddenAt: v.string(), reason: v.nullable(v.string()) })),
});

export const ListQuery = v.object({
  status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.picklist(["open", "closed", "all"], "must be open, closed or all"))),
  limit: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.string(), v.regex(/^\d{1,3}$/, "must be an integer from 1 to 100"), v.transform(Number), v.minValue(1, "must be an integer from 1 to 100"), v.maxValue(100, "must be an integer from 1 to 100"))),
  cursor: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.string(), v.regex(/^\d{1,15}$/, "is not a valid cursor"))),
});
