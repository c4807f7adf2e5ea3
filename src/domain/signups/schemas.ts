/** Valibot schemas of the signup flow's edges (bodies in, documented objects out). */
import * as v from "valibot";
import { OFFER_ID_PATTERN } from "../catalog/offers.ts";
import { CountryCode, Email, LanguageTag } from "../schemas.ts";
import { SERVICES } from "../vocabulary.ts";

const HttpUrl = v.pipe(v.string(), v.trim(), v.maxLength(2048), v.url("must be an absolute URL"), v.regex(/^https?:\/\//i, "must be an http(s) URL"));
/** Documents a field for the generated JSON Schemas and OpenAPI. */
const doc = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));
const STATUSES = "`pending` (received by the directory), `delivered` (handed to the provider), `provisioning` (the provider is creating the account), `active` (ready), `rejected` (declined by the provider), `failed` (could not be delivered)";
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
    offerId: v.optional(doc(v.pipe(v.string(), v.maxLength(200), v.regex(OFFER_ID_PATTERN, "must be an offer id such as provider~offer")), "The offer to join (`<provider>~<offer>`). Give either `offerId` or `service`.")),
    service: v.optional(doc(v.picklist(SERVICES), "Instead of `offerId`: any offer of this service that takes signups; the directory picks one (capacity, then `language`/`country`).")),
    software: v.optional(doc(v.pipe(Text(80), v.minLength(1)), "With `service`: only offers running this software, e.g. `Nextcloud`.")),
    language: v.optional(doc(LanguageTag, "With `service`: prefer providers helping in this language (BCP 47, e.g. `fr`).")),
    country: v.optional(doc(CountryCode, "With `service`: prefer providers or data in this country (ISO 3166-1 alpha-2).")),
    email: doc(Email, "The person's email address: the provider writes to it to set up the account (at most 254 characters)."),
    name: doc(v.pipe(Text(120), v.minLength(1, "must not be empty")), "The person's name (1–120 characters)."),
    username: v.optional(doc(v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, dots, dashes or underscores")), "Wished username (1–64 letters, digits, dots, dashes or underscores); the provider may choose another.")),
    locale: v.optional(doc(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as fr or en-GB")), "The person's language (BCP 47): emails and the status page use it. Default `fr`."), "fr"),
    message: v.optional(doc(Text(2000), "A message to the provider (at most 2000 characters).")),
    consent: doc(v.literal(true, "must be true: the person agrees that their email and name are sent to the provider"), "Must be `true`: the person agrees that their email and name are sent to the provider. There is never a password field."),
  }),
  v.check((b) => (b.offerId === undefined) !== (b.service === undefined), "give either offerId or service (not both)"),
);
export type SignupInput = v.InferOutput<typeof SignupInput>;

export const SignupEventInput = v.object({
  status: doc(v.picklist(PROVIDER_REPORTS), "Where the signup stands now: `provisioning` (creating the account), `active` (ready; final), `rejected` (declined; final)."),
  message: v.optional(doc(Text(1000), "Shown to the person as the provider wrote it, e.g. why it was declined (at most 1000 characters).")),
  loginUrl: v.optional(doc(HttpUrl, "With `active`: where the person logs in (http or https URL); shown on the status page and in the email.")),
});
export type SignupEventInput = v.InferOutput<typeof SignupEventInput>;

export const WebhookInput = v.object({ url: doc(HttpUrl, "Where the directory POSTs `signup.requested` and `webhook.test` events, signed per Standard Webhooks (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`). A public http(s) URL.") });
export const NextcloudInput = v.object({
  url: doc(HttpUrl, "The Nextcloud instance's base URL, e.g. `https://cloud.example.org`."),
  token: doc(v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9]{8,128}$/, "must be the provider token shown in Nextcloud's preferred_providers settings")), "The token shown in the settings of Nextcloud's `preferred_providers` app (8–128 letters and digits). Never shown back."),
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
  id: doc(v.string(), "The signup's id."), status: doc(v.picklist(SIGNUP_STATUSES), `Always \`pending\` here. One of ${STATUSES}.`),
  statusUrl: doc(v.string(), "The person's status page; its `token` is the only key to the signup (keep it)."),
  provider: doc(v.string(), "The provider's slug."), offerId: doc(v.string(), "The offer chosen."),
});

export const SignupStatus = v.object({
  id: doc(v.string(), "The signup's id."),
  status: doc(v.picklist(SIGNUP_STATUSES), `Where it stands: ${STATUSES}.`),
  offerId: doc(v.string(), "The offer."),
  provider: doc(v.string(), "The provider's slug."),
  events: doc(v.array(v.object({ status: v.picklist(SIGNUP_STATUSES), at: doc(v.string(), "ISO 8601 UTC time."), message: v.optional(doc(v.string(), "The provider's message, or the directory's in the person's language.")) })), "Every step, oldest first."),
  loginUrl: v.optional(doc(v.string(), "Where to log in, once `active`.")),
  /** While not final: the hand-over to the provider (attempts so far, the next one, when the directory gives up). */
  delivery: v.optional(doc(v.object({ attempts: v.number(), nextAttemptAt: v.optional(v.string()), givesUpAt: v.string(), lastError: v.optional(v.string()) }), "While not final: the hand-over to the provider — attempts so far, the next one, when the directory gives up (ISO 8601 times).")),
});

export const Delivery = v.object({
  id: doc(v.string(), "The event's `webhook-id` (the same on every retry)."), type: doc(v.string(), "`signup.requested` for providers; operators also see emails (`mail.…`)."),
  signupId: v.optional(doc(v.string(), "The signup it carries.")), provider: doc(v.string(), "The provider's slug."),
  status: doc(v.picklist(["pending", "delivered", "rejected", "dead"]), "`pending` (being delivered or waiting for a retry), `delivered` (2xx), `rejected` (a 4xx answer or no endpoint), `dead` (retries over)."),
  attempts: doc(v.number(), "Attempts so far."), lastStatus: v.optional(doc(v.number(), "HTTP status of the last answer.")),
  lastError: v.optional(doc(v.string(), "What went wrong last.")), nextAttemptAt: v.optional(doc(v.string(), "While pending: the next attempt (ISO 8601).")),
  createdAt: doc(v.string(), "ISO 8601 UTC time."), updatedAt: doc(v.string(), "ISO 8601 UTC time."),
});
export const DeliveryList = v.object({ items: v.array(Delivery), nextCursor: v.nullable(v.string()) });

export const DeliveryQuery = v.object({
  status: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.picklist(["pending", "delivered", "rejected", "dead"]))),
  limit: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.regex(/^\d{1,3}$/, "must be an integer from 1 to 100"), v.transform(Number), v.minValue(1), v.maxValue(100))),
  cursor: v.optional(v.pipe(v.array(v.string()), v.transform((l) => l[l.length - 1]), v.regex(/^\d{1,15}$/, "is not a valid cursor"))),
});
