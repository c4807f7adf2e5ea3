/**
 * Provider self-service beyond offers: the private account view, token revocation, domain proof, pull source.
 * Every route authenticates the token against the provider in the path (401 / 403 / 404 before the body is read).
 */
import { Hono, type Context } from "hono";
import type { Deps } from "../../deps.ts";
import { revokeAllTokens, verificationUrl } from "../../domain/providers/accounts.ts";
import { requireProvider, type ProviderVars } from "../auth.ts";
import { verifyProvider } from "../../domain/providers/verification.ts";
import { SourceInput } from "../../domain/sources/document.ts";
import { providerSource, removeProviderSource, setProviderSource } from "../../domain/sources/manage.ts";
import { ownListing, presentProvider } from "../../domain/catalog/views.ts";
import { listingPolicy } from "../../domain/catalog/offers.ts";
import { clientIp } from "../client-ip.ts";
import { domainProblem, problem } from "../errors.ts";
import * as v from "valibot";
import { fieldErrors, readJsonBody, validationProblem } from "../validate.ts";

export function providerPublishingRoutes(deps: Deps) {
  const r = new Hono<ProviderVars>();
  const auth = requireProvider(deps);
  const noStore = (c: Context) => c.header("cache-control", "no-store");
  const ip = (c: Context) => clientIp(c, deps.config.clientIpHeader);
  const sourceLimits = (c: Context) => ({ ip: ip(c), perIp: deps.config.sourceRateLimitIp, perProvider: deps.config.sourceRateLimitProvider });

  r.get("/:slug/account", auth, async (c) => {
    const p = c.var.provider;
    const source = await providerSource(deps.db, p);
    noStore(c);
    return c.json({
      provider: { ...presentProvider(p, undefined, deps.clock.now()), email: p.email, listing: ownListing(p, await listingPolicy(deps.db)) },
      verification: { url: verificationUrl(p.website), token: p.verification_token, verified: p.verified === 1, verifiedAt: p.verified_at },
      source: source ?? null,
    });
  });

  r.delete("/:slug/token", auth, async (c) => {
    await revokeAllTokens(deps.db, c.var.provider, deps.clock.now());
    return c.body(null, 204);
  });

  r.post("/:slug/verification", auth, async (c) => {
    const result = await verifyProvider(deps, c.var.provider, { ip: ip(c), perIp: deps.config.verificationRateLimitIp, perProvider: deps.config.verificationRateLimitProvider });
    if (!result.ok) return domainProblem(result.error);
    noStore(c);
    return c.json(result.value);
  });

  r.get("/:slug/source", auth, async (c) => {
    const source = await providerSource(deps.db, c.var.provider);
    if (!source) return problem(c, 404, "not-found", "This provider has no pull source; set one with PUT.");
    noStore(c);
    return c.json(source);
  });

  r.put("/:slug/source", auth, async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    const input = v.safeParse(SourceInput, body, { abortPipeEarly: true });
    if (!input.success) return validationProblem(fieldErrors(input.issues));
    const background = (p: Promise<unknown>) => {
      try { c.executionCtx.waitUntil(p); } catch { /* Node: the promise simply runs on */ }
    };
    const result = await setProviderSource(deps, c.var.provider, input.output, { background, limits: sourceLimits(c) });
    if (!result.ok) return domainProblem(result.error);
    noStore(c);
    return c.json(result.value.source, result.value.pending ? 202 : 200);
  });

  r.delete("/:slug/source", auth, async (c) => {
    const result = await removeProviderSource(deps, c.var.provider, sourceLimits(c));
    if (!result.ok) return domainProblem(result.error);
    if (!result.value.removed) return problem(c, 404, "not-found", "This provider has no pull source.");
    return c.body(null, 204);
  });

  return r;
}
