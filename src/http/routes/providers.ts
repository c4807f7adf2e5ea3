/** `/api/v1/providers`: listing and registration, one provider's page, and the offers a provider publishes. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { listProviderViews, ownListing, ownOfferById, ownOffers, presentProvider, providerWithOffers } from "../../domain/catalog/views.ts";
import { listingPolicy, offerId } from "../../domain/catalog/offers.ts";
import { registerProvider, rotateToken } from "../../domain/providers/accounts.ts";
import { patchOffer, putOffer, removeOffer, type Precondition } from "../../domain/providers/offers.ts";
import { OfferInput, ProviderInput, ProviderQuery, Slug } from "../../domain/schemas.ts";
import { requireProvider, type ProviderVars } from "../auth.ts";
import { bodyEtag, cachedJson, etagMatches } from "../cache.ts";
import { clientIp } from "../client-ip.ts";
import { domainProblem, problem } from "../errors.ts";
import { readJsonBody, validate, validationProblem } from "../validate.ts";

export function providersRoutes(deps: Deps) {
  const r = new Hono<ProviderVars>();
  const now = () => deps.clock.now();

  /** If-Match against the offer's current ETag; absent header = unconditional write. */
  const ifMatch = (c: Context): Precondition | undefined => {
    const header = c.req.header("if-match");
    if (!header) return undefined;
    return async (current) => current !== undefined && etagMatches(header, await bodyEtag(JSON.stringify(current)), false);
  };

  const auth = requireProvider(deps);

  /** The written offer as its provider sees it: listed or, while the public does not see it, with why (`listing`). */
  const offerResponse = async (c: Context, id: string, status: 200 | 201) => {
    const offer = await ownOfferById(deps.db, id, now(), await listingPolicy(deps.db));
    return cachedJson(c, offer, "no-store", status);
  };

  r.get("/", validate("query", ProviderQuery), async (c) => {
    const result = await listProviderViews(deps.db, c.req.valid("query"), now());
    if (!result.ok) return domainProblem(result.error);
    return cachedJson(c, result.value);
  });

  r.post("/", validate("json", ProviderInput), async (c) => {
    const result = await registerProvider(deps.db, c.req.valid("json"), now(), { ip: clientIp(c, deps.config.clientIpHeader), perIp: deps.config.registrationRateLimitIp });
    if (!result.ok) return domainProblem(result.error);
    const { provider, token, verification } = result.value;
    c.header("location", `/api/v1/providers/${provider.slug}`);
    c.header("cache-control", "no-store");
    return c.json({ provider: { ...presentProvider(provider, 0, now()), email: provider.email, listing: ownListing(provider, await listingPolicy(deps.db)) }, token, verification }, 201);
  });

  r.get("/:slug", async (c) => {
    const page = await providerWithOffers(deps.db, c.req.param("slug"), now());
    if (!page) return problem(c, 404, "not-found", `No provider "${c.req.param("slug")}".`);
    return cachedJson(c, { ...page.provider, offers: page.offers });
  });

  r.post("/:slug/token/rotate", auth, async (c) => {
    c.header("cache-control", "no-store");
    return c.json({ token: await rotateToken(deps.db, c.var.provider, now()) });
  });

  /** Every offer of the provider, public or not yet (`listing` says why the public does not see one). */
  r.get("/:slug/offers", auth, async (c) => {
    const items = await ownOffers(deps.db, c.var.provider.id, now(), await listingPolicy(deps.db));
    return cachedJson(c, { items, total: items.length }, "no-store");
  });

  /** One offer as its provider sees it, with the ETag that `If-Match` expects on the next write. */
  r.get("/:slug/offers/:offerSlug", auth, async (c) => {
    const offerSlug = c.req.param("offerSlug");
    const offer = v.is(Slug, offerSlug) ? await ownOfferById(deps.db, offerId(c.var.provider.slug, offerSlug), now(), await listingPolicy(deps.db)) : undefined;
    if (!offer) return problem(c, 404, "not-found", `No offer "${offerSlug}" for this provider.`);
    return cachedJson(c, offer, "no-store");
  });

  r.put("/:slug/offers/:offerSlug", auth, validate("json", OfferInput), async (c) => {
    const offerSlug = c.req.param("offerSlug");
    if (!v.is(Slug, offerSlug)) return validationProblem([{ path: "offerSlug", message: "must be 2–63 lowercase letters, digits or hyphens" }]);
    const result = await putOffer(deps.db, c.var.provider, offerSlug, c.req.valid("json"), now(), ifMatch(c));
    if (!result.ok) return domainProblem(result.error);
    return offerResponse(c, result.value.row.id, result.value.kind === "created" ? 201 : 200);
  });

  r.patch("/:slug/offers/:offerSlug", auth, async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    if (!body || typeof body !== "object" || Array.isArray(body)) return validationProblem([{ path: "(body)", message: "must be a JSON object (merge patch)" }]);
    const result = await patchOffer(deps.db, c.var.provider, c.req.param("offerSlug"), body as Record<string, unknown>, now(), ifMatch(c));
    if (!result.ok) return domainProblem(result.error);
    return offerResponse(c, result.value.row.id, 200);
  });

  r.delete("/:slug/offers/:offerSlug", auth, async (c) => {
    const result = await removeOffer(deps.db, c.var.provider, c.req.param("offerSlug"), now(), ifMatch(c));
    if (!result.ok) return domainProblem(result.error);
    return c.body(null, 204);
  });

  return r;
}
