/** `/api/v1/offers`: search (with a cache of serialized responses per catalog version) and one offer by id. */
import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { LruCache } from "../../domain/catalog/lru.ts";
import { offerById } from "../../domain/catalog/views.ts";
import { SearchQuery } from "../../domain/schemas.ts";
import { bodyEtag, cachedJson, etagMatches, PUBLIC_CACHE } from "../cache.ts";
import { domainProblem, problem } from "../errors.ts";
import { validate } from "../validate.ts";
import { dayNumber } from "../../lib/time.ts";

/** Serialized search responses are reused for this long at one catalog version (their `stale` flags age). */
const RESPONSE_FRESH_MS = 60_000;

/** A serialized answer: UTF-8 bytes (written to the socket as they are, and counted exactly by the cache). */
type Cached = { body: Uint8Array<ArrayBuffer>; etag: string };

function send(c: Context, r: Cached): Response {
  const headers = { etag: r.etag, "cache-control": PUBLIC_CACHE, vary: "Accept-Encoding" };
  if (etagMatches(c.req.header("if-none-match"), r.etag)) return new Response(null, { status: 304, headers });
  return new Response(r.body, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}

const encoder = new TextEncoder();

export function offersRoutes(deps: Deps) {
  const r = new Hono();
  const catalog = deps.search;
  // The other half of SEARCH_CACHE_MB (the search service's snapshots have the first).
  const responses = new LruCache<Cached>((deps.config.searchCacheMb * 1024 * 1024) / 2);

  // Answers are cached under the query string exactly as sent (with the catalog version and the day, which the fair
  // order depends on): a repeated search is answered before its parameters are even parsed — the same string always
  // parses to the same query. Every write bumps the catalog version, so keying on it invalidates without bookkeeping.
  const rawKey = (c: Context, version: string, now: number) => {
    const url = c.req.url;
    const q = url.indexOf("?");
    return `${version}|${dayNumber(now)}|${q < 0 ? "" : url.slice(q + 1)}`;
  };
  const bypass = (c: Context) => deps.config.searchCacheBypass && c.req.header("x-search-cache") === "off";

  r.get("/", async (c, next) => {
    if (!responses.enabled || bypass(c)) return next();
    const now = deps.clock.now();
    const hit = responses.get(rawKey(c, await catalog.version(), now), now, RESPONSE_FRESH_MS);
    return hit ? send(c, hit) : next();
  }, validate("query", SearchQuery), async (c) => {
    const now = deps.clock.now();
    const useCache = !bypass(c);
    const version = await catalog.version();
    const prepared = catalog.prepare(c.req.valid("query"), now);
    const result = await catalog.run(prepared, { useCache, version });
    if (!result.ok) return domainProblem(result.error);
    const { items, total, facets, nextCursor, suggestion, understood } = result.value;
    const text = JSON.stringify({ items, total, facets, nextCursor, ...(suggestion ? { suggestion } : {}), ...(understood ? { understood } : {}) });
    const fresh = { body: encoder.encode(text), etag: await bodyEtag(text) };
    // Cached under the version the answer was computed at: an answer is never stored under a newer version.
    if (useCache && prepared.key !== undefined && result.value.version) {
      const key = rawKey(c, result.value.version, now);
      responses.set(key, fresh, fresh.body.byteLength + 2 * key.length + 120, now);
    }
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
