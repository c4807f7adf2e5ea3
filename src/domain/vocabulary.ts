/** The closed vocabularies of the public contract (api.md). One list each, used by schemas, search and pages. */
export const SERVICES = [
  "storage", "office", "chat", "videoconference", "pad", "spreadsheet", "forms", "poll",
  "mail", "website", "git", "video", "social", "calendar", "maps", "other",
] as const;
export const ORG_TYPES = ["association", "cooperative", "company", "collective", "individual", "public"] as const;
export const PRICE_MODELS = ["free", "pay-what-you-want", "fixed", "membership"] as const;
export const PRICE_PERIODS = ["month", "year", "once"] as const;
/** `none`: no account needed (CHATONS `service.registration = None`): the service is used as it is. */
export const REGISTRATIONS = ["open", "approval", "members", "closed", "none"] as const;
export const CAPACITIES = ["available", "full"] as const;
export const AUDIENCES = ["individuals", "associations", "companies", "public-sector"] as const;
export const SUPPORTS = ["docs", "email", "chat", "phone", "onboarding", "training"] as const;
export const SIGNUP_MODES = ["webhook", "nextcloud", "external"] as const;
export const SOURCES = ["local", "crawled", "federated"] as const;
/** CHATONS membership as shown: confirmed member, confirmed member whose activity is paused, self-declared only, none (domain/sources/membership.ts). */
export const MEMBERSHIPS = ["member", "idle", "unconfirmed", "none"] as const;
export const SORTS = ["relevance", "price", "updated", "name", "fair"] as const;

export type Service = (typeof SERVICES)[number];
export type OrgType = (typeof ORG_TYPES)[number];
export type PriceModel = (typeof PRICE_MODELS)[number];
export type Registration = (typeof REGISTRATIONS)[number];
export type Sort = (typeof SORTS)[number];

/** Search filters (api.md): repeatable fields are OR within a field and AND across fields. */
export const FILTER_FIELDS = [
  "service", "software", "country", "dataLocation", "lang", "price", "registration", "audience", "orgType", "available", "member", "verified",
] as const;
