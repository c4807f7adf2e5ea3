/** `/api/v1/offers`: search (with a cache of serialized responses per catalog version) and one offer by id. */
import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { LruCache } from "../../domain/catalog/lru.ts";
import { offerById } from "../../domain/catalog/views.ts";
import { SearchQuery } from "../../domain/schemas.ts";
import { bodyEtag, cachedJson, etagMatches, PUBLIC_CACHE } from "../cache.ts";
import { domainProblem, problem } from "../errors.ts";
import { validate } from "../validate.ts";

/** Serialized search responses are reused for this long at one catalog version (their `stale` flags age). */
const RESPONSE_FRESH_MS = 60_000;

type Cached = { body: string; etag: string };

function send(c: Context, r: Cached): Response {
  const headers = { etag: r.etag, "cache-control": PUBLIC_CACHE, vary: "Accept-Encoding" };
  if (etagMatches(c.req.header("if-none-match"), r.etag)) return new Response(null, { status: 304, headers });
  return new Response(r.body, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}

export function offersRoutes(deps: Deps) {
  const r = new Hono();
  const catalog = deps.search;
  // The other half of SEARCH_CACHE_MB (the search service's snapshots have the first).
  const responses = new LruCache<Cached>((deps.config.searchCacheMb * 1024 * 1024) / 2);

  r.get("/", validate("query", SearchQuery), async (c) => {
    const now = deps.clock.now();
    const useCache = !(deps.config.searchCacheBypass && c.req.header("x-search-cache") === "off");
    // Every write bumps the catalog version, so keying on it invalidates without any bookkeeping.
    const version = await catalog.version();
    const prepared = catalog.prepare(c.req.valid("query"), now);
    const key = useCache && prepared.key !== undefined ? `${version}|${prepared.key}` : undefined;
    const hit = key ? responses.get(key, now, RESPONSE_FRESH_MS) : undefined;
    if (hit) return send(c, hit);
    const result = await catalog.run(prepared, { useCache, version });
    if (!result.ok) return domainProblem(result.error);
    const { items, total, facets, nextCursor, suggestion, understood } = result.value;
    const body = JSON.stringify({ items, total, facets, nextCursor, ...(suggestion ? { suggestion } : {}), ...(understood ? { understood } : {}) });
    const fresh = { body, etag: await bodyEtag(body) };
    if (key) responses.set(key, fresh, 2 * (body.length + key.length) + 100, now);
    return send(c, fresh);
  });

  r.get("/:id", async (c) => {
    const id = c.req.param("id");
    const offer = await offerById(deps.db, id, deps.clock.now());
    if (!offer) return problem(c, 404, "not-found", `No offer with id "${id.slice(0, 200)}".`);
    return cachedJson(c, offer);
  });

  return r;
}
