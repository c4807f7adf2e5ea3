/**
 * A request and a response example for each documented operation, keyed `"<method> <path>"`. They go into the
 * generated OpenAPI document (and /docs); test/unit/openapi-examples.test.ts checks each against its operation's
 * valibot schemas, so they cannot drift from what the API accepts and answers.
 */

const offerInput = {
  service: "storage",
  software: { name: "Nextcloud", version: "30.0.4", license: "AGPL-3.0" },
  title: { fr: "Nuage du Lot", en: "Lot cloud" },
  description: { fr: "Vos fichiers, agendas et contacts, hébergés dans le Lot. 10 Go par compte.", en: "Your files, calendars and contacts, hosted in the Lot. 10 GB per account." },
  price: { model: "fixed", amount: 500, currency: "EUR", period: "month" },
  registration: "open",
  capacity: "available",
  quota: { storageGB: 10, users: 1 },
  dataLocation: "FR",
  languages: ["fr", "en"],
  includes: [{ service: "calendar", software: "Nextcloud Calendar" }],
  audience: ["individuals", "associations"],
  support: ["docs", "email"],
  signup: { mode: "webhook" },
};

const providerSummary = {
  slug: "chatons-du-lot", name: "Chatons du Lot", country: "FR", orgType: "association", chatonsMember: true, chatonsMembership: "member", verified: true,
  reviewed: false, newlyListed: false,
};

const offer = {
  id: "chatons-du-lot~nuage", provider: providerSummary, ...offerInput,
  acceptsSignups: true, stale: false, updatedAt: "2026-11-25T12:00:00.000Z", source: "local",
};

const provider = {
  slug: "chatons-du-lot", name: "Chatons du Lot", website: "https://chatons-du-lot.example", country: "FR", orgType: "association",
  description: { fr: "Une association qui héberge des services libres dans le Lot." }, chatonsMember: true, chatonsMembership: "member", verified: true, reviewed: false, newlyListed: false,
  createdAt: "2026-11-02T09:30:00.000Z", updatedAt: "2026-11-25T12:00:00.000Z", offerCount: 1,
};

const providerInput = {
  slug: "chatons-du-lot", name: "Chatons du Lot", website: "https://chatons-du-lot.example", email: "contact@chatons-du-lot.example",
  country: "FR", orgType: "association", description: { fr: "Une association qui héberge des services libres dans le Lot." },
};

const pullReport = {
  status: "updated", at: "2026-11-25T12:00:00.000Z", created: 1, updated: 0, unchanged: 1, deleted: 0,
  skipped: [{ slug: "visio", reason: "invalid: service must be one of storage, office, …" }],
  issues: [{ file: "https://chatons-du-lot.example/offers.json", line: 27, message: "offers[2].service: Invalid type: Expected (\"storage\" | …) but received \"visio\"" }],
};

const source = {
  url: "https://chatons-du-lot.example/offers.json", format: "json", health: 100, state: "healthy", nextPullAt: "2026-11-25T18:00:00.000Z",
  lastPullAt: "2026-11-25T12:00:00.000Z", lastSuccessAt: "2026-11-25T12:00:00.000Z", lastPull: pullReport,
};

const delivery = {
  id: "msg_2f6c0e8b9a4d4e1f8a7b6c5d4e3f2a1b", type: "signup.requested", signupId: "su_Q2hhdG9uc0x", provider: "chatons-du-lot", status: "dead",
  attempts: 7, lastStatus: 503, lastError: "HTTP 503", createdAt: "2026-11-25T12:00:00.000Z", updatedAt: "2026-11-28T12:00:00.000Z",
};

const signupStatus = {
  id: "su_Q2hhdG9uc0x", status: "active", offerId: "chatons-du-lot~nuage", provider: "chatons-du-lot",
  events: [
    { status: "pending", at: "2026-11-25T12:00:00.000Z" }, { status: "delivered", at: "2026-11-25T12:00:01.000Z" },
    { status: "active", at: "2026-11-25T14:10:00.000Z", message: "Bienvenue !" },
  ],
  loginUrl: "https://nuage.chatons-du-lot.example/login",
};

const follow = { actor: "https://annuaire.example/ap/directory", handle: "@directory@annuaire.example", status: "accepted", createdAt: "2026-11-25T12:00:00.000Z", acceptedAt: "2026-11-25T12:00:02.000Z" };
const follower = { actor: "directory", follower: "https://annuaire.example/ap/directory", status: "pending", createdAt: "2026-11-25T12:00:00.000Z" };

export type OperationExample = { request?: unknown; response?: { status: string; body: unknown } };

export const OPERATION_EXAMPLES: Record<string, OperationExample> = {
  "get /api/v1/offers": { response: { status: "200", body: {
    items: [offer], total: 1, nextCursor: null,
    facets: { service: [{ value: "storage", count: 1 }], price: [{ value: "fixed", count: 1 }] },
  } } },
  "get /api/v1/offers/{id}": { response: { status: "200", body: offer } },
  "get /api/v1/compare": { response: { status: "200", body: {
    items: [offer, { ...offer, id: "chatons-du-lot~nuage-plus", price: { model: "fixed", amount: 1000, currency: "EUR", period: "month" }, quota: { storageGB: 50, users: 1 } }],
    comparison: [
      { id: "chatons-du-lot~nuage", service: "storage", software: "Nextcloud", softwareVersion: "30.0.4", monthlyPrice: { amount: 500, currency: "EUR" }, priceModel: "fixed", storageGB: 10, users: 1, registration: "open", capacity: "available", dataLocation: "FR", languages: ["fr", "en"], audience: ["individuals", "associations"], support: ["docs", "email"], signupMode: "webhook", stale: false },
      { id: "chatons-du-lot~nuage-plus", service: "storage", software: "Nextcloud", softwareVersion: "30.0.4", monthlyPrice: { amount: 1000, currency: "EUR" }, priceModel: "fixed", storageGB: 50, users: 1, registration: "open", capacity: "available", dataLocation: "FR", languages: ["fr", "en"], audience: ["individuals", "associations"], support: ["docs", "email"], signupMode: "webhook", stale: false },
    ],
    differences: ["monthlyPrice", "storageGB"],
  } } },
  "get /api/v1/providers": { response: { status: "200", body: { items: [provider], total: 1, nextCursor: null } } },
  "post /api/v1/providers": { request: providerInput, response: { status: "201", body: {
    provider: {
      ...provider, verified: false, chatonsMember: false, chatonsMembership: "none", newlyListed: false, offerCount: 0, email: "contact@chatons-du-lot.example",
      listing: { state: "waiting-for-review" },
    },
    token: "cdp_9bQ3vX0fK2mN7pR4sT6uW8yZ1aC3eG5iJ7lO9qS2uV4",
    verification: { url: "https://chatons-du-lot.example/.well-known/chatons-directory.txt", token: "chatons-directory-verification=h7Yd2kPq9sLm4xWn8bRt3vZc" },
  } } },
  "get /api/v1/providers/{slug}": { response: { status: "200", body: { ...provider, offers: [offer] } } },
  "post /api/v1/providers/{slug}/token/rotate": { response: { status: "200", body: { token: "cdp_Xk3mQ9pL2vN8bR4tW6yZ1aC3eG5iJ7lO9qS2uV4xY6z" } } },
  "get /api/v1/providers/{slug}/offers": { response: { status: "200", body: { items: [offer, { ...offer, id: "chatons-du-lot~pad", service: "pad", software: { name: "HedgeDoc", version: "1.10.0" }, title: { fr: "Pads", en: "Pads" }, listing: { state: "waiting-for-review" } }], total: 2 } } },
  "get /api/v1/providers/{slug}/offers/{offerSlug}": { response: { status: "200", body: offer } },
  "put /api/v1/providers/{slug}/offers/{offerSlug}": { request: offerInput, response: { status: "201", body: offer } },
  "patch /api/v1/providers/{slug}/offers/{offerSlug}": { request: { capacity: "full", price: { amount: 600 } }, response: { status: "200", body: { ...offer, capacity: "full", acceptsSignups: false, price: { ...offerInput.price, amount: 600 } } } },
  "delete /api/v1/providers/{slug}/offers/{offerSlug}": { response: { status: "204", body: null } },
  "get /api/v1/admin/follows": { response: { status: "200", body: { items: [follow], total: 1, nextCursor: null } } },
  "post /api/v1/admin/follows": { request: { actor: "@directory@annuaire.example" }, response: { status: "202", body: { ...follow, status: "pending", acceptedAt: null } } },
  "delete /api/v1/admin/follows": { response: { status: "204", body: null } },
  "get /api/v1/admin/blocks": { response: { status: "200", body: { items: [{ domain: "spam.example", createdAt: "2026-11-25T12:00:00.000Z" }], total: 1, nextCursor: null } } },
  "post /api/v1/admin/blocks": { request: { domain: "spam.example" }, response: { status: "201", body: { domain: "spam.example", created: true, purgedOffers: 3 } } },
  "delete /api/v1/admin/blocks/{domain}": { response: { status: "204", body: null } },
  "get /api/v1/admin/followers": { response: { status: "200", body: { items: [follower], total: 1, nextCursor: null } } },
  "post /api/v1/admin/followers/accept": { request: { actor: "directory", follower: "https://annuaire.example/ap/directory" }, response: { status: "200", body: { ...follower, status: "accepted" } } },
  "post /api/v1/admin/followers/reject": { request: { actor: "directory", follower: "https://annuaire.example/ap/directory" }, response: { status: "204", body: null } },
  "get /api/v1/ping": { response: { status: "200", body: { pong: true } } },
  "get /api/v1/providers/{slug}/account": { response: { status: "200", body: {
    provider: { ...provider, email: "contact@chatons-du-lot.example", listing: { state: "listed" } },
    verification: { url: "https://chatons-du-lot.example/.well-known/chatons-directory.txt", token: "chatons-directory-verification=h7Yd2kPq9sLm4xWn8bRt3vZc", verified: true, verifiedAt: "2026-11-03T10:00:00.000Z" },
    source,
  } } },
  "delete /api/v1/providers/{slug}/token": { response: { status: "204", body: null } },
  "post /api/v1/providers/{slug}/verification": { response: { status: "200", body: { verified: true, verifiedAt: "2026-11-25T12:00:00.000Z", url: "https://chatons-du-lot.example/.well-known/chatons-directory.txt" } } },
  "get /api/v1/providers/{slug}/source": { response: { status: "200", body: source } },
  "put /api/v1/providers/{slug}/source": { request: { url: "https://chatons-du-lot.example/offers.json", format: "json" }, response: { status: "200", body: source } },
  "delete /api/v1/providers/{slug}/source": { response: { status: "204", body: null } },
  "post /api/v1/signups": {
    request: { offerId: "chatons-du-lot~nuage", email: "camille@example.org", name: "Camille Martin", username: "camille", locale: "fr", message: "Pour notre association de randonnée.", consent: true },
    response: { status: "202", body: { id: "su_Q2hhdG9uc0x", status: "pending", statusUrl: "https://annuaire.example/signups/su_Q2hhdG9uc0x?token=st_b3V0aWwgZGUgc3VpdmkgcGVyc29ubmVs", provider: "chatons-du-lot", offerId: "chatons-du-lot~nuage" } },
  },
  "get /api/v1/signups/{id}": { response: { status: "200", body: signupStatus } },
  "post /api/v1/signups/{id}/events": { request: { status: "active", loginUrl: "https://nuage.chatons-du-lot.example/login", message: "Bienvenue !" }, response: { status: "200", body: signupStatus } },
  "post /api/v1/federation/signups": {
    request: {
      offer: "https://annuaire.chatons-du-lot.example/ap/offers/chatons-du-lot~nuage",
      account: { email: "camille@example.org", name: "Camille Martin", username: null, locale: "fr" },
      message: null, consent: true, callbackUrl: "https://annuaire-b.example/api/v1/federation/signups/su_8fK2mQ1xZ0aB/status",
    },
    response: { status: "202", body: { id: "su_Q2hhdG9uc0x", status: "pending", replayed: false } },
  },
  "post /api/v1/federation/signups/{id}/status": {
    request: {
      id: "su_Q2hhdG9uc0x", status: "active", loginUrl: "https://nuage.chatons-du-lot.example/login",
      events: [{ status: "pending", at: "2026-11-25T12:00:00.000Z" }, { status: "delivered", at: "2026-11-25T12:00:01.000Z" }, { status: "active", at: "2026-11-25T12:03:12.000Z" }],
    },
    response: { status: "200", body: { status: "active" } },
  },
  "get /api/v1/providers/{slug}/signups": { response: { status: "200", body: {
    items: [{ id: "su_Q2hhdG9uc0x", status: "delivered", offerId: "chatons-du-lot~nuage", createdAt: "2026-11-25T12:00:00.000Z", updatedAt: "2026-11-25T12:00:01.000Z", account: { email: "camille@example.org", name: "Camille Martin", username: "camille", locale: "fr" }, message: "Pour notre association de randonnée." }],
    nextCursor: null,
  } } },
  "get /api/v1/providers/{slug}/webhook": { response: { status: "200", body: { url: "https://chatons-du-lot.example/directory-hook", enabled: true, updatedAt: "2026-11-25T12:00:00.000Z" } } },
  "put /api/v1/providers/{slug}/webhook": { request: { url: "https://chatons-du-lot.example/directory-hook" }, response: { status: "200", body: { url: "https://chatons-du-lot.example/directory-hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } } },
  "post /api/v1/providers/{slug}/webhook/rotate": { response: { status: "200", body: { url: "https://chatons-du-lot.example/directory-hook", secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD" } } },
  "post /api/v1/providers/{slug}/webhook/test": { response: { status: "200", body: { webhookId: "msg_test_0Jx3l2s9QmWv7k1Zp4Yt", delivered: true, outcome: "delivered", status: 204 } } },
  "put /api/v1/providers/{slug}/nextcloud": { request: { url: "https://cloud.chatons-du-lot.example", token: "Kq7xP2mW9vR4tZ8b" }, response: { status: "200", body: { url: "https://cloud.chatons-du-lot.example" } } },
  "get /api/v1/providers/{slug}/nextcloud": { response: { status: "200", body: { url: "https://cloud.chatons-du-lot.example", updatedAt: "2026-11-25T12:00:00.000Z" } } },
  "delete /api/v1/providers/{slug}/nextcloud": { response: { status: "204", body: null } },
  "get /api/v1/providers/{slug}/deliveries": { response: { status: "200", body: { items: [delivery], nextCursor: null } } },
  "post /api/v1/providers/{slug}/deliveries/{id}/redeliver": { response: { status: "202", body: { ...delivery, status: "pending", attempts: 0, lastStatus: 503, nextAttemptAt: "2026-11-28T12:05:00.000Z" } } },
  "get /api/v1/admin/deliveries": { response: { status: "200", body: { items: [delivery], nextCursor: null } } },
  "post /api/v1/admin/deliveries/{id}/redeliver": { response: { status: "202", body: { ...delivery, status: "pending", attempts: 0, nextAttemptAt: "2026-11-28T12:05:00.000Z" } } },
  "get /healthz": { response: { status: "200", body: { status: "ok", db: "ok", loops: {
    "federation-publisher": { lastStartedAt: "2026-11-25T12:00:00.000Z", lastFinishedAt: "2026-11-25T12:00:00.041Z", lastError: null, lastErrorAt: null, running: false, stuck: false },
    "signup-deliveries": { lastStartedAt: "2026-11-25T12:00:00.500Z", lastFinishedAt: "2026-11-25T12:00:00.503Z", lastError: null, lastErrorAt: null, running: false, stuck: false },
    freshness: { lastStartedAt: "2026-11-25T11:59:05.000Z", lastFinishedAt: "2026-11-25T11:59:06.210Z", lastError: "HTTP 503 from chatons-du-lot.example", lastErrorAt: "2026-11-25T11:00:06.210Z", running: false, stuck: false },
  } } } },
  "post /api/v1/offers/{id}/reports": { request: { reason: "unavailable", message: "Le lien d’inscription renvoie une erreur 404." }, response: { status: "201", body: { id: 12, status: "open" } } },
  "get /api/v1/admin/review": { response: { status: "200", body: { total: 1, items: [{
    slug: "nuage-des-causses", name: "Nuage des Causses", website: "https://nuage-des-causses.example", country: "FR", orgType: "association", email: "contact@nuage-des-causses.example",
    description: { fr: "Une petite association de l’Aveyron." }, verified: true, chatonsMembership: "unconfirmed", offerCount: 2, createdAt: "2026-11-24T18:02:00.000Z",
  }] } } },
  "get /api/v1/admin/providers/{slug}": { response: { status: "200", body: { slug: "nuage-des-causses", listing: "waiting-for-review", reviewedAt: null, hiddenAt: null, hiddenReason: null } } },
  "post /api/v1/admin/providers/{slug}/approve": { request: { reason: "site and offers checked", by: "Camille" }, response: { status: "200", body: { slug: "nuage-des-causses", listing: "listed", reviewedAt: "2026-11-25T12:00:00.000Z", hiddenAt: null, hiddenReason: null } } },
  "post /api/v1/admin/providers/{slug}/hide": { request: { reason: "Not an ethical host: its offers carry advertising.", by: "Camille" }, response: { status: "200", body: { slug: "nuage-des-causses", listing: "hidden", reviewedAt: "2026-11-25T12:00:00.000Z", hiddenAt: "2026-11-26T09:00:00.000Z", hiddenReason: "Not an ethical host: its offers carry advertising." } } },
  "post /api/v1/admin/providers/{slug}/unhide": { request: { reason: "advertising removed" }, response: { status: "200", body: { slug: "nuage-des-causses", listing: "listed", reviewedAt: "2026-11-25T12:00:00.000Z", hiddenAt: null, hiddenReason: null } } },
  "post /api/v1/admin/offers/{id}/hide": { request: { reason: "The price shown is not the price asked." }, response: { status: "200", body: { id: "chatons-du-lot~nuage", listed: false, hiddenAt: "2026-11-26T09:00:00.000Z", hiddenReason: "The price shown is not the price asked." } } },
  "post /api/v1/admin/offers/{id}/unhide": { request: { reason: "price fixed" }, response: { status: "200", body: { id: "chatons-du-lot~nuage", listed: true, hiddenAt: null, hiddenReason: null } } },
  "get /api/v1/admin/hidden": { response: { status: "200", body: {
    providers: [{ slug: "pub-cloud", name: "Pub Cloud", hiddenAt: "2026-11-26T09:00:00.000Z", reason: "advertising" }],
    offers: [{ id: "chatons-du-lot~nuage", title: "Nuage du Lot", provider: "Chatons du Lot", hiddenAt: "2026-11-26T09:00:00.000Z", reason: "The price shown is not the price asked." }],
  } } },
  "get /api/v1/admin/reports": { response: { status: "200", body: { nextCursor: null, items: [{
    id: 12, offerId: "chatons-du-lot~nuage", offerTitle: "Nuage du Lot", provider: { slug: "chatons-du-lot", name: "Chatons du Lot" }, reason: "unavailable",
    message: "Le lien d’inscription renvoie une erreur 404.", locale: "fr", status: "open", createdAt: "2026-11-25T12:00:00.000Z", closedAt: null, closedBy: null, closedNote: null,
  }] } } },
  "post /api/v1/admin/reports/{id}/close": { request: { note: "asked the host to fix its link", by: "Camille" }, response: { status: "200", body: {
    id: 12, offerId: "chatons-du-lot~nuage", offerTitle: "Nuage du Lot", provider: { slug: "chatons-du-lot", name: "Chatons du Lot" }, reason: "unavailable",
    message: "Le lien d’inscription renvoie une erreur 404.", locale: "fr", status: "closed", createdAt: "2026-11-25T12:00:00.000Z", closedAt: "2026-11-25T15:00:00.000Z", closedBy: "Camille", closedNote: "asked the host to fix its link",
  } } },
  "get /api/v1/admin/audit": { response: { status: "200", body: { nextCursor: null, items: [
    { id: 2, at: "2026-11-25T15:00:00.000Z", actor: "Camille", via: "web", action: "close-report", targetType: "report", target: "12", reason: "asked the host to fix its link" },
    { id: 1, at: "2026-11-25T12:00:00.000Z", actor: "Camille", via: "api", action: "approve", targetType: "provider", target: "nuage-des-causses", reason: "site and offers checked" },
  ] } } },
};
