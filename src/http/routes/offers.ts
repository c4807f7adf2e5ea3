import { Hono } from "hono";
import type { Deps } from "../../deps.ts";
import { searchOffers } from "../../domain/catalog/search.ts";
import { findOfferById } from "../../db/queries/offers.ts";
import { SearchQuery } from "../../domain/schemas.ts";
import { cachedJson } from "../cache.ts";
import { domainProblem, problem } from "../errors.ts";
import { serializeOffer } from "../serializers.ts";
import { validate } from "../validate.ts";

export function offersRoutes(deps: Deps) {
  const r = new Hono();

  r.get("/", validate("query", SearchQuery), async (c) => {
    const now = deps.clock.now();
    const result = await searchOffers(deps.db, c.req.valid("query"), now);
    if (!result.ok) return domainProblem(result.error);
    const { items, total, facets, nextCursor } = result.value;
    return cachedJson(c, { items: items.map((o) => serializeOffer(o, now)), total, facets, nextCursor });
  });

  r.get("/:id", async (c) => {
    const id = c.req.param("id");
    const row = id.length <= 200 ? await findOfferById(deps.db, id) : undefined;
    if (!row) return problem(c, 404, "not-found", `No offer with id "${id.slice(0, 200)}".`);
    return cachedJson(c, serializeOffer(row, deps.clock.now()));
  });

  return r;
}
