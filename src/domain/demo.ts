/**
 * The demo's own providers' side (SEED=demo only): every demo provider's webhook and Nextcloud destination point at
 * a receiver served by this app (/demo/providers/{slug}/…), which verifies signatures and calls back like
 * examples/provider-webhook/ does, so a person can follow a demo signup up to "active" with nothing else running.
 * Credentials are made fresh at each start and live only in memory.
 */
import type { Db } from "../db/client.ts";
import { upsertNextcloud, upsertWebhook } from "../db/queries/destinations.ts";
import { listDemoProviders } from "../db/queries/providers.ts";
import { newWebhookSecret, signWebhook } from "../delivery/webhooks.ts";
import { constantTimeEqual } from "../lib/crypto.ts";
import { randomToken } from "../lib/ids.ts";
import type { Logger } from "../lib/log.ts";
import { iso } from "../lib/time.ts";
import { reindexProvider } from "./catalog/offers.ts";
import { rotateToken } from "./providers/accounts.ts";

/** What the demo receiver of one provider knows: its API token (for callbacks) and its webhook secret (to verify). */
export type DemoCredentials = { slug: string; token: string; secret: string; nextcloudToken: string };

/** Base path of a demo provider's receiver. */
export const demoBase = (publicUrl: string, slug: string) => `${publicUrl}/demo/providers/${encodeURIComponent(slug)}`;

/** Points every demo provider's destinations at the in-app receiver with fresh secrets; returns them by slug. */
export async function setUpDemoReceivers(db: Db, publicUrl: string, nowMs: number): Promise<Map<string, DemoCredentials>> {
  const out = new Map<string, DemoCredentials>();
  const now = iso(nowMs);
  for (const p of await listDemoProviders(db)) {
    const token = await rotateToken(db, p, nowMs);
    const secret = newWebhookSecret();
    const nextcloudToken = randomToken(24).replace(/[^A-Za-z0-9]/g, "x");
    const base = demoBase(publicUrl, p.slug);
    await db.transaction().execute(async (trx) => {
      await upsertWebhook(trx, p.id, `${base}/webhook`, secret, now);
      await upsertNextcloud(trx, p.id, `${base}/nextcloud`, nextcloudToken, now);
      await reindexProvider(trx, p);
    });
    out.set(p.slug, { slug: p.slug, token, secret, nextcloudToken });
  }
  return out;
}

export type DemoReply = { status: number; body: Record<string, unknown> };

/** Checks a Standard Webhooks signature header (`v1,<sig>` entries, space separated) against the secret, in constant time. */
async function signatureValid(secret: string, id: string, timestamp: string, body: string, header: string): Promise<boolean> {
  const expected = await signWebhook(secret, id, Number(timestamp), body);
  let ok = false;
  for (const sig of header.split(" ")) ok = constantTimeEqual(sig, expected) || ok;
  return ok;
}

/**
 * The receiver behind the demo providers, playing each provider's part as examples/provider-webhook/server.mjs does:
 * refuses unsigned, forged or stale requests, acknowledges a repeated webhook-id without acting twice, answers 202,
 * then reports `provisioning` and, a moment later, `active` with a login link, through the signup's callback URL with
 * the provider's token. Nextcloud requests (preferred_providers) are answered like a real instance that created the
 * account. `stepMs` spaces the steps so a person watching the status page sees each one.
 */
export function createDemoReceiver(opts: {
  credentials: Map<string, DemoCredentials>; publicUrl: string; fetch: typeof fetch; log: Logger; now?: () => number; stepMs?: number;
}) {
  const now = opts.now ?? Date.now;
  const stepMs = opts.stepMs ?? 1500;
  const seen = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  const TOLERANCE_MS = 5 * 60_000;

  const callback = async (cred: DemoCredentials, url: string, body: Record<string, unknown>) => {
    if (new URL(url).origin !== new URL(opts.publicUrl).origin) throw new Error(`refusing to send the token to ${url}`);
    const res = await opts.fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${cred.token}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`callback answered ${res.status}`);
  };
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Like a real provider, the demo one writes to people in their language (the signup's `account.locale`).
  const creating = (locale: string) => (/^en\b/i.test(locale) ? "Demo host: creating your account." : "Hébergeur de démonstration : création de votre compte.");
  const provision = (cred: DemoCredentials, data: { signupId: string; callbackUrl: string; locale: string }) => {
    const run = (async () => {
      try {
        await later(stepMs);
        await callback(cred, data.callbackUrl, { status: "provisioning", message: creating(data.locale) });
        await later(stepMs);
        await callback(cred, data.callbackUrl, { status: "active", loginUrl: `${demoBase(opts.publicUrl, cred.slug)}/login` });
      } catch (e) {
        opts.log.warn("demo receiver: callback failed", { signup: data.signupId, error: e instanceof Error ? e.message : String(e) });
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  return {
    async webhook(slug: string, headers: { id?: string; timestamp?: string; signature?: string }, body: string): Promise<DemoReply> {
      const cred = opts.credentials.get(slug);
      if (!cred) return { status: 404, body: { error: "not a demo provider" } };
      const { id, timestamp, signature } = headers;
      if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { status: 400, body: { error: "missing webhook headers" } };
      if (Math.abs(now() - Number(timestamp) * 1000) > TOLERANCE_MS) return { status: 400, body: { error: "stale timestamp" } };
      if (!(await signatureValid(cred.secret, id, timestamp, body, signature))) return { status: 400, body: { error: "invalid signature" } };
      for (const [k, at] of seen) if (at < now() - 2 * TOLERANCE_MS) seen.delete(k);
      if (seen.has(id)) return { status: 200, body: { status: "duplicate" } };
      seen.set(id, now());
      let event: { type?: string; data?: { signupId?: string; callbackUrl?: string; account?: { locale?: string } } };
      try { event = JSON.parse(body); } catch { return { status: 400, body: { error: "not JSON" } }; }
      if (event.type === "webhook.test") return { status: 200, body: { status: "ok" } };
      if (event.type !== "signup.requested" || !event.data?.signupId || !event.data.callbackUrl) return { status: 200, body: { status: "ignored" } };
      provision(cred, { signupId: event.data.signupId, callbackUrl: event.data.callbackUrl, locale: String(event.data.account?.locale ?? "fr") });
      return { status: 202, body: { status: "accepted" } };
    },
    /** preferred_providers' account request: the token must be the one configured for this provider. */
    nextcloud(slug: string, token: string, email: string): DemoReply {
      const cred = opts.credentials.get(slug);
      if (!cred || token !== cred.nextcloudToken) return { status: 401, body: { data: { message: "Invalid token" } } };
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) return { status: 400, body: { data: { message: "Invalid email" } } };
      return { status: 201, body: { data: { message: "Demo: account created, check your email to set your password." } } };
    },
    isDemo: (slug: string) => opts.credentials.has(slug),
    /** Waits for the callbacks still on their way (tests, shutdown). */
    async settle(): Promise<void> { await Promise.allSettled([...pending]); },
  };
}

export type DemoReceiver = ReturnType<typeof createDemoReceiver>;
