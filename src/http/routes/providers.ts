import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { decodeJsonCursor, encodeJsonCursor } from "../../domain/cursor.ts";
import { registerProvider, rotateToken } from "../../domain/providers/accounts.ts";
import { requireProvider, type ProviderVars } from "../auth.ts";
import { patchOffer, putOffer, removeOffer, type Precondition } from "../../domain/providers/offers.ts";
import { findOfferById, findOffersByProvider, type OfferWithProvider } from "../../db/queries/offers.ts";
import { findProviderBySlug, listProviders } from "../../db/queries/providers.ts";
import { OfferInput, ProviderInput, ProviderQuery, Slug } from "../../domain/schemas.ts";
import * as v from "valibot";
import { bodyEtag, cachedJson, etagMatches } from "../cache.ts";
import { domainProblem, problem } from "../errors.ts";
import { serializeOffer, serializeProvider } from "../serializers.ts";
import { readJsonBody, validate, validationProblem } from "../validate.ts";

type Cursor = { name: string; id: number };

const encodeCursor = (c: Cursor) => encodeJsonCursor([c.name, c.id]);
function decodeCursor(s: string): Cursor | undefined {
  const d = decodeJsonCursor(s);
  if (!Array.isArray(d)) return undefined;
  const [name, id] = d;
  return typeof name === "string" && Number.isSafeInteger(id) ? { name, id } : undefined;
}

export function providersRoutes(deps: Deps) {
  const r = new Hono<ProviderVars>();
  const now = () => deps.clock.now();

  /** If-Match against the offer's current ETag; absent header = unconditional write. */
  const ifMatch = (c: Context): Precondition | undefined => {
    const header = c.req.header("if-match");
    if (!header) return undefined;
    return async (current: OfferWithProvider | undefined) =>
      current !== undefined && etagMatches(header, await bodyEtag(JSON.stringify(serializeOffer(current, now()))), false);
  };

  const auth = requireProvider(deps);

  const offerResponse = async (c: Context, id: string, status: 200 | 201) => {
    const row = await findOfferById(deps.db, id);
    return cachedJson(c, serializeOffer(row!, now()), "no-store", status);
  };

  r.get("/", validate("query", ProviderQuery), async (c) => {
    const q = c.req.valid("query");
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !after) return validationProblem([{ path: "cursor", message: "is not a valid cursor" }]);
    const limit = q.limit ?? 20;
    const { rows, total } = await listProviders(deps.db, { q: q.q, country: q.country, member: q.member, limit, after });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ name: last.name.toLowerCase(), id: last.id }) : null;
    return cachedJson(c, { items: page.map((p) => serializeProvider(p)), total, nextCursor });
  });

  r.post("/", validate("json", ProviderInput), async (c) => {
    const result = await registerProvider(deps.db, c.req.valid("json"), now());
    if (!result.ok) return domainProblem(result.error);
    const { provider, token, verification } = result.value;
    c.header("location", `/api/v1/providers/${provider.slug}`);
    c.header("cache-control", "no-store");
    return c.json({ provider: { ...serializeProvider(provider, 0), email: provider.email }, token, verification }, 201);
  });

  r.get("/:slug", async (c) => {
    const p = await findProviderBySlug(deps.db, c.req.param("slug"));
    if (!p || p.source === "federated") return problem(c, 404, "not-found", `No provider "${c.req.param("slug")}".`);
    const offers = await findOffersByProvider(deps.db, p.id);
    const t = now();
    return cachedJson(c, { ...serializeProvider(p, offers.length), offers: offers.map((o) => serializeOffer(o, t)) });
  });

  r.post("/:slug/token/rotate", auth, async (c) => {
    c.header("cache-control", "no-store");
    return c.json({ token: await rotateToken(deps.db, c.var.provider, now()) });
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
    const current = await findOfferById(deps.db, `${c.var.provider.slug}~${c.req.param("offerSlug")}`);
    if (!current) return problem(c, 404, "not-found", `No offer "${c.req.param("offerSlug")}" for this provider.`);
    const { id: _id, provider: _p, stale: _s, updatedAt: _u, source: _src, origin: _o, ...editable } = serializeOffer(current, now());
    const result = await patchOffer(deps.db, c.var.provider, current.slug, body as Record<string, unknown>, editable, now(), ifMatch(c));
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
