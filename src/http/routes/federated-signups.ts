/**
 * Signups handed over between directories (docs/federated-signups.md), server to server, authenticated by HTTP
 * Signatures as each directory's actor:
 * - `POST /api/v1/federation/signups`: another directory hands us a signup for one of our offers;
 * - `POST /api/v1/federation/signups/{id}/status`: the offer's directory reports where a signup we handed over stands.
 * Bodies are read with a size limit before the signature is checked; nothing is parsed for an unsigned request.
 */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { acceptHandover, applyRemoteStatus } from "../../domain/signups/handover.ts";
import { HandoverRequest, HandoverStatus } from "../../domain/signups/schemas.ts";
import { domainProblem, problemResponse } from "../errors.ts";
import { readLimited, validationProblem } from "../validate.ts";

const MAX_BODY = 64 * 1024;

type Signed = { signer: string; body: unknown } | Response;

/** Reads the body (at most 64 KB), then verifies the signature over it; the JSON is parsed only once it is signed. */
async function signedJson(deps: Deps, c: Context): Promise<Signed> {
  if (!deps.federation) return problemResponse(404, "not-found", "This directory does not federate.");
  if (Number(c.req.header("content-length") ?? "0") > MAX_BODY) return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_BODY} bytes.`);
  const text = await readLimited(c.req.raw, MAX_BODY);
  if (text === undefined) return problemResponse(413, "payload-too-large", `The body must be at most ${MAX_BODY} bytes.`);
  const request = new Request(c.req.url, { method: "POST", headers: c.req.raw.headers, body: text });
  const signer = await deps.federation.verifySigner(request);
  if (!signer) {
    return problemResponse(401, "unauthorized", "Sign the request with HTTP Signatures as your directory's actor.", undefined, { "www-authenticate": 'Signature realm="chatons-directory"' });
  }
  try {
    return { signer, body: JSON.parse(text) };
  } catch {
    return validationProblem([{ path: "(body)", message: "must be JSON" }]);
  }
}

export function federatedSignupRoutes(deps: Deps) {
  const r = new Hono();

  r.post("/api/v1/federation/signups", async (c) => {
    const signed = await signedJson(deps, c);
    if (signed instanceof Response) return signed;
    const parsed = v.safeParse(HandoverRequest, signed.body);
    if (!parsed.success) return validationProblem(parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "(body)", message: i.message })));
    const result = await acceptHandover(deps.db, signed.signer, c.req.header("idempotency-key"), parsed.output, {
      nowMs: deps.clock.now(), publicUrl: deps.config.publicUrl, directoryIdentifier: deps.federation!.directoryIdentifier,
      limits: { directory: deps.config.handoverRateLimit, email: deps.config.signupRateLimitEmail },
    });
    if (!result.ok) return domainProblem(result.error);
    if (!result.value.replayed) deps.wakeSignupWorker?.();
    c.header("cache-control", "no-store");
    if (result.value.replayed) c.header("idempotent-replayed", "true");
    return c.json(result.value, 202);
  });

  r.post("/api/v1/federation/signups/:id/status", async (c) => {
    const signed = await signedJson(deps, c);
    if (signed instanceof Response) return signed;
    const parsed = v.safeParse(HandoverStatus, signed.body);
    if (!parsed.success) return validationProblem(parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? "(body)", message: i.message })));
    const result = await applyRemoteStatus(deps.db, c.req.param("id"), signed.signer, parsed.output, { nowMs: deps.clock.now(), mail: deps.mailer !== undefined });
    if (!result.ok) return domainProblem(result.error);
    deps.wakeSignupWorker?.(); // a final state may have queued the person's email
    c.header("cache-control", "no-store");
    return c.json(result.value);
  });

  return r;
}
