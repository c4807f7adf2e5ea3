/** `/api/v1/signups`: create (202), read with the status token, provider progress reports. */
import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { Deps } from "../../deps.ts";
import { bearer, providerOfToken } from "../../domain/providers/accounts.ts";
import { createSignup } from "../../domain/signups/create.ts";
import { SignupEventInput, SignupInput } from "../../domain/signups/schemas.ts";
import { eventText, readStatus, reportSignupEvent, type StatusView, type ViewOptions } from "../../domain/signups/status.ts";
import { clientIp } from "../client-ip.ts";
import { domainProblem } from "../errors.ts";
import { statusPath } from "../../domain/signups/views.ts";
import { validate, validationProblem } from "../validate.ts";

const IdempotencyKey = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,255}$/, "must be 1–255 visible ASCII characters (a UUID is best)"));

/** Shared by the API and the HTML form handler. */
export async function submitSignup(deps: Deps, c: Context, input: SignupInput, idempotencyKey?: string) {
  const result = await createSignup(deps.db, input, {
    nowMs: deps.clock.now(), ip: clientIp(c, deps.config.clientIpHeader), idempotencyKey,
    limits: { ip: deps.config.signupRateLimitIp, email: deps.config.signupRateLimitEmail }, mail: deps.mailer !== undefined,
  });
  if (result.ok && !result.value.replayed) deps.wakeSignupWorker?.();
  return result;
}

/** How the status page and API read a signup: whether mail is on, and how long hand-overs are retried. */
export const statusOptions = (deps: Deps): ViewOptions => ({
  mail: deps.mailer !== undefined, retry: { schedule: deps.config.webhookRetrySchedule, repeat: deps.config.webhookRetryRepeat },
});

/** The API's view of a signup; the directory's step messages in the person's language. */
export function serializeStatus(s: StatusView) {
  return {
    id: s.id, status: s.status, offerId: s.offerId, provider: s.provider,
    events: s.events.map((e) => ({ status: e.status, at: e.at, ...(e.message ? { message: eventText(e.message, s.locale) } : {}) })),
    ...(s.loginUrl ? { loginUrl: s.loginUrl } : {}), ...(s.delivery ? { delivery: s.delivery } : {}),
  };
}

export function signupsRoutes(deps: Deps) {
  const r = new Hono();

  r.post("/", validate("json", SignupInput), async (c) => {
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !v.is(IdempotencyKey, key)) {
      return validationProblem([{ path: "Idempotency-Key", message: "must be 1–255 visible ASCII characters (a UUID is best)" }]);
    }
    const result = await submitSignup(deps, c, c.req.valid("json"), key);
    if (!result.ok) return domainProblem(result.error);
    const { signup, token, providerSlug, replayed } = result.value;
    const path = statusPath(signup.id, token);
    c.header("cache-control", "no-store");
    c.header("location", `/api/v1${path}`);
    if (replayed) c.header("idempotent-replayed", "true");
    return c.json({ id: signup.id, status: signup.status, statusUrl: `${deps.config.publicUrl}${path}`, provider: providerSlug, offerId: signup.offer_id }, 202);
  });

  r.get("/:id", async (c) => {
    const result = await readStatus(deps.db, c.req.param("id"), c.req.query("token"), statusOptions(deps));
    if (!result.ok) return domainProblem(result.error);
    c.header("cache-control", "no-store");
    return c.json(serializeStatus(result.value));
  });

  r.post("/:id/events", validate("json", SignupEventInput), async (c) => {
    const token = bearer(c.req.header("authorization"));
    const provider = await providerOfToken(deps.db, token);
    if (!provider) return domainProblem({ kind: "unauthorized", detail: token ? "The token is unknown or revoked." : "Send the provider's API token as Authorization: Bearer <token>." });
    const result = await reportSignupEvent(deps.db, provider, c.req.param("id"), c.req.valid("json"), { nowMs: deps.clock.now(), mail: deps.mailer !== undefined }, statusOptions(deps));
    if (!result.ok) return domainProblem(result.error);
    c.header("cache-control", "no-store");
    return c.json(serializeStatus(result.value));
  });

  return r;
}
