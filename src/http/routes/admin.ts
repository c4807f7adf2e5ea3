/** Admin API (Bearer ADMIN_TOKEN): follows of other directories and domain blocks. Disabled without ADMIN_TOKEN. */
import { Hono } from "hono";
import type { Deps } from "../../deps.ts";
import { requireAdmin } from "../auth.ts";
import { BlockInput, FollowerDecision, FollowInput } from "../../domain/schemas.ts";
import { blockDomain, decideFollower, followActor, listBlockedDomains, listFollowerViews, listFollows, unblockDomain, unfollowActor } from "../../federation/following.ts";
import { domainProblem, problemResponse } from "../errors.ts";
import { validate, validationProblem } from "../validate.ts";
import * as v from "valibot";

export function adminRoutes(deps: Deps) {
  const r = new Hono();

  r.use("*", requireAdmin(deps));

  const fed = () => deps.federation;
  const disabled = () => problemResponse(503, "unavailable", "Federation is not configured on this instance.");

  r.get("/follows", async (c) => {
    const items = await listFollows(deps);
    return c.json({ items, total: items.length, nextCursor: null });
  });

  r.post("/follows", validate("json", FollowInput), async (c) => {
    const f = fed();
    if (!f) return disabled();
    const result = await followActor(f, deps, c.req.valid("json").actor);
    if (!result.ok) return domainProblem(result.error);
    return c.json(result.value, 202);
  });

  r.delete("/follows", async (c) => {
    const f = fed();
    if (!f) return disabled();
    const actor = c.req.query("actor");
    if (!actor || !/^https?:\/\//.test(actor)) return validationProblem([{ path: "actor", message: "must be the URL of a followed actor (see GET /api/v1/admin/follows)" }]);
    const result = await unfollowActor(f, deps, actor);
    if (!result.ok) return domainProblem(result.error);
    return c.body(null, 204);
  });

  r.get("/blocks", async (c) => {
    const items = await listBlockedDomains(deps);
    return c.json({ items, total: items.length, nextCursor: null });
  });

  r.post("/blocks", validate("json", BlockInput), async (c) => {
    const result = await blockDomain(deps, c.req.valid("json").domain);
    return c.json(result, result.created ? 201 : 200);
  });

  r.delete("/blocks/:domain", async (c) => {
    const parsed = v.safeParse(BlockInput.entries.domain, c.req.param("domain"));
    if (!parsed.success) return validationProblem([{ path: "domain", message: parsed.issues[0].message }]);
    if (!(await unblockDomain(deps, parsed.output))) return problemResponse(404, "not-found", `${parsed.output} is not blocked.`);
    return c.body(null, 204);
  });

  r.get("/followers", async (c) => {
    const status = c.req.query("status");
    if (status !== undefined && status !== "pending" && status !== "accepted") return validationProblem([{ path: "status", message: "must be pending or accepted" }]);
    const items = await listFollowerViews(deps, status);
    return c.json({ items, total: items.length, nextCursor: null });
  });

  for (const [path, accept] of [["/followers/accept", true], ["/followers/reject", false]] as const) {
    r.post(path, validate("json", FollowerDecision), async (c) => {
      const f = fed();
      if (!f) return disabled();
      const { actor, follower } = c.req.valid("json");
      const result = await decideFollower(f, deps, actor, follower, accept);
      if (!result.ok) return domainProblem(result.error);
      return result.value ? c.json(result.value) : c.body(null, 204);
    });
  }

  return r;
}
