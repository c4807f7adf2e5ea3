/** Valibot schemas of the signup flow's edges (bodies in, documented objects out). */
import * as v from "valibot";
import { OFFER_ID_PATTERN } from "../catalog/offers.ts";
import { CountryCode, Email, LanguageTag } from "../schemas.ts";
import { SERVICES } from "../vocabulary.ts";

const HttpUrl = v.pipe(v.string(), v.trim(), v.maxLength(2048), v.url("must be an absolute URL"), v.regex(/^https?:\/\//i, "must be an http(s) URL"));
const Text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`));

export const SIGNUP_STATUSES = ["pending", "delivered", "provisioning", "active", "rejected", "failed"] as const;
export const FINAL_STATUSES = ["active", "rejected", "failed"] as const;
export const PROVIDER_REPORTS = ["provisioning", "active", "rejected"] as const;

/**
 * `POST /api/v1/signups`. Either `offerId`, or `service` (optionally `software`) and the directory picks an offer.
 * `language`/`country` are preferences for the pick. There is no password field, ever.
 */
export const SignupInput = v.pipe(
  v.object({
    offerId: v.optional(v.pipe(v.string(), v.maxLength(200), v.regex(OFFER_ID_PATTERN, "must be an offer id such as provider~offer"))),
    service: v.optional(v.picklist(SERVICES)),
    software: v.optional(v.pipe(Text(80), v.minLength(1))),
    language: v.optional(LanguageTag),
    country: v.optional(CountryCode),
    email: Email,
    name: v.pipe(Text(120), v.minLength(1, "must not be empty")),
    username: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, dots, dashes or underscores"))),
    locale: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as fr or en-GB")), "fr"),
    message: v.optional(Text(2000)),
    consent: v.literal(true, "must be true: the person agrees that their email and name are sent to the provider"),
  }),
  v.check((b) => (b.offerId === undefined) !== (b.service === undefined), "give either offerId or service (not both)"),
);
export type SignupInput = v.InferOutput<typeof SignupInput>;

export const SignupEventInput = v.object({
  status: v.picklist(PROVIDER_REPORTS),
  message: v.optional(Text(1000)),
  loginUrl: v.optional(HttpUrl),
});
export type SignupEventInput = v.InferOutput<typeof SignupEventInput>;

export const WebhookInput = v.object({ url: HttpUrl });
export const NextcloudInput = v.object({
  url: HttpUrl,
  token: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9]{8,128}$/, "must be the provider token shown in Nextcloud's preferred_providers settings")),
});

// ---- federated signups (docs/federated-signups.md) ----

/** `POST /api/v1/federation/signups`: a directory hands a signup for one of our offers over (signed as its actor). */
export const HandoverRequest = v.object({
  offer: v.pipe(v.string(), v.maxLength(2048), v.url("must be the offer's ActivityPub id")),
  account: v.object({
    email: Email,
    name: v.pipe(Text(120), v.minLength(1, "must not be empty")),
    username: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, dots, dashes or underscores")))),
    locale: v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as fr or en-GB")),
  }),
  message: v.optional(v.nullable(Text(2000))),
  consent: v.literal(true, "must be true: the person agreed that their email and name are sent to the provider"),
  callbackUrl: HttpUrl,
});
export type HandoverRequest = v.InferOutput<typeof HandoverRequest>;

const StatusEvent = v.object({
  status: v.picklist(SIGNUP_STATUSES),
  at: v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 time")),
  message: v.optional(v.nullable(Text(1000))),
});

/** `POST <callbackUrl>`: the offer's directory reports where a handed-over signup stands (signed as its actor). */
export const HandoverStatus = v.object({
  id: v.pipe(v.string(), v.maxLength(200)),
  status: v.picklist(SIGNUP_STATUSES),
  events: v.pipe(v.array(StatusEvent), v.maxLength(50)),
  loginUrl: v.optional(v.nullable(HttpUrl)),
});
export type HandoverStatus = v.InferOutput<typeof HandoverStatus>;

/** The answer to a hand-over: the offer's directory's signup id and where it stands. */
export const HandoverAccepted = v.object({ id: v.string(), status: v.picklist(SIGNUP_STATUSES), replayed: v.boolean() });
/** The answer to a status report: where the signup stands on the directory that handed it over. */
export const HandoverStatusApplied = v.object({ status: v.picklist(SIGNUP_STATUSES) });

// ---- documented outputs ----

export const SignupAccepted = v.object({
  id: v.string(), status: v.picklist(SIGNUP_STATUSES), statusUrl: v.string(), provider: v.string(), offerId: v.string(),
});

export const SignupStatus = v.object({
  id: v.string(),
  status: v.picklist(SIGNUP_STATUSES),
  offerId: v.string(),
  provider: v.string(),
  events: v.array(v.object({ status: v.picklist(SIGNUP_STATUSES), at: v.string(), message: v.optional(v.string()) })),
  loginUrl: v.optional(v.string()),
  /** While not final: the hand-over to the provider (attempts so far, the next one, when the directory gives up). */
  delivery: v.optional(v.object({ attempts: v.number(), nextAttemptAt: v.optional(v.string()), givesUpAt: v.string(), lastError: v.optional(v.string()) })),
});

export const Delivery = v.object({
  id: v.string(), type: v.string(), signupId: v.optional(v.string()), provider: v.string(),
  status: v.picklist(["pending", "delivered", "rejected", "dead"]), attempts: v.number(), lastStatus: v.optional(v.number()),
  lastError: v.optional(v.string()), nextAttemptAt: v.optional(v.string()), createdAt: v.string(), updatedAt: v.string(),
});
export const DeliveryList = v.object({ items: v.array(Delivery), nextCursor: v.nullable(v.string()) });

export const DeliveryQuery = v.object({
  status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.picklist(["pending", "delivered", "rejected", "dead"]))),
  limit: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.regex(/^\d{1,3}$/, "must be an integer from 1 to 100"), v.transform(Number), v.minValue(1), v.maxValue(100))),
  cursor: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.regex(/^\d{1,15}$/, "is not a valid cursor"))),
});
