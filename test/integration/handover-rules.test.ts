/**
 * The offer's directory's rules for taking a signup handed over by another directory (domain/signups/handover.ts),
 * with the signer already verified: who may hand over, for which offers, how often, and what a retry gets.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { upsertFollower } from "../../src/db/queries/federation.ts";
import { acceptHandover, type HandoverContext } from "../../src/domain/signups/handover.ts";
import type { HandoverRequest } from "../../src/domain/signups/schemas.ts";
import { testEnv, type TestEnv } from "../helpers/deps.ts";
import { providerWithOffer } from "../helpers/signups.ts";

const B = "https://annuaire-b.example/ap/directory";
const ctx = (env: TestEnv, over: Partial<HandoverContext> = {}): HandoverContext => ({
  nowMs: env.deps.clock.now(), publicUrl: env.deps.config.publicUrl, directoryIdentifier: "_directory",
  limits: { directory: { max: 3, windowMs: 3_600_000 }, email: { max: 2, windowMs: 86_400_000 } }, ...over,
});
const request = (env: TestEnv, over: Partial<HandoverRequest> = {}): HandoverRequest => ({
  offer: `${env.deps.config.publicUrl}/ap/offers/chaton-a~cloud`,
  account: { email: "camille@example.org", name: "Camille", locale: "fr" }, consent: true,
  callbackUrl: "https://annuaire-b.example/api/v1/federation/signups/su_1/status", ...over,
});

async function setUp() {
  const env = await testEnv();
  await providerWithOffer(env, "chaton-a", { webhookUrl: "http://127.0.0.1:9/hook" });
  await upsertFollower(env.deps.db, { actor: "_directory", follower_id: B, inbox: `${B}/inbox`, shared_inbox: null, follow_id: `${B}#follow`, status: "accepted", created_at: "2026-11-25T12:00:00.000Z" });
  return env;
}

test("only a directory we federate with, for our own offer, with its callback on its own origin", async () => {
  const env = await setUp();
  try {
    const stranger = await acceptHandover(env.deps.db, "https://other.example/ap/directory", "k1", request(env), ctx(env));
    assert.equal(stranger.ok ? undefined : [stranger.error.kind, stranger.error.detail], ["forbidden", "This directory does not federate with yours: follow it first."]);
    const elsewhere = await acceptHandover(env.deps.db, B, "k1", request(env, { callbackUrl: "https://evil.example/hook" }), ctx(env));
    assert.equal(elsewhere.ok ? undefined : elsewhere.error.kind, "invalid");
    const noKey = await acceptHandover(env.deps.db, B, undefined, request(env), ctx(env));
    assert.equal(noKey.ok ? undefined : noKey.error.kind, "invalid");
    const unknown = await acceptHandover(env.deps.db, B, "k1", request(env, { offer: `${env.deps.config.publicUrl}/ap/offers/nobody~x` }), ctx(env));
    assert.equal(unknown.ok ? undefined : unknown.error.kind, "not-found");
    const foreign = await acceptHandover(env.deps.db, B, "k1", request(env, { offer: "https://annuaire-c.example/ap/offers/chaton-a~cloud" }), ctx(env));
    assert.equal(foreign.ok ? undefined : foreign.error.kind, "not-found");
    const taken = await acceptHandover(env.deps.db, B, "k1", request(env), ctx(env));
    assert.ok(taken.ok);
    const row = await env.deps.db.selectFrom("signups").selectAll().executeTakeFirstOrThrow();
    assert.equal([row.remote_directory, row.callback_url, row.idempotency_key, row.mode], [B, "https://annuaire-b.example/api/v1/federation/signups/su_1/status", `handover:${B}:k1`, "webhook"]);
    // No email to the person from here: their own directory writes to them.
    const outbox = await env.deps.db.selectFrom("outbox").select("type").execute();
    assert.equal(outbox.map((o) => o.type), ["signup.requested"]);
  } finally { await env.close(); }
});

test("a retry with the same key answers the same signup; the same key with other data is refused", async () => {
  const env = await setUp();
  try {
    const first = await acceptHandover(env.deps.db, B, "key-1", request(env), ctx(env));
    const again = await acceptHandover(env.deps.db, B, "key-1", request(env), ctx(env));
    assert.ok(first.ok && again.ok);
    assert.is(again.value.id, first.value.id);
    assert.is(again.value.replayed, true);
    const other = await acceptHandover(env.deps.db, B, "key-1", request(env, { account: { email: "other@example.org", name: "X", locale: "fr" } }), ctx(env));
    assert.equal(other.ok ? undefined : other.error.kind, "idempotency-mismatch");
    // Keys are per directory: another directory's "key-1" is another signup.
    await upsertFollower(env.deps.db, { actor: "_directory", follower_id: "https://annuaire-c.example/ap/directory", inbox: "x", shared_inbox: null, follow_id: "y", status: "accepted", created_at: "2026-11-25T12:00:00.000Z" });
    const c = await acceptHandover(env.deps.db, "https://annuaire-c.example/ap/directory", "key-1", request(env, { callbackUrl: "https://annuaire-c.example/cb" }), ctx(env));
    assert.ok(c.ok && c.value.id !== first.value.id);
    assert.is((await env.deps.db.selectFrom("signups").select("id").execute()).length, 2);
  } finally { await env.close(); }
});

test("rate limits: per handing directory, and per email like local signups", async () => {
  const env = await setUp();
  try {
    const emails = ["a@example.org", "b@example.org", "c@example.org", "d@example.org"];
    const results = [];
    for (const [i, email] of emails.entries()) {
      results.push(await acceptHandover(env.deps.db, B, `k${i}`, request(env, { account: { email, name: "X", locale: "fr" } }), ctx(env)));
    }
    assert.equal(results.map((r) => (r.ok ? "ok" : r.error.kind)), ["ok", "ok", "ok", "rate-limited"]);
    const last = results[3];
    assert.ok(!last.ok && last.error.kind === "rate-limited" && last.error.retryAfterSec > 0);
    const env2 = await setUp();
    try {
      const same = [];
      for (let i = 0; i < 3; i++) same.push(await acceptHandover(env2.deps.db, B, `e${i}`, request(env2), ctx(env2)));
      assert.equal(same.map((r) => (r.ok ? "ok" : r.error.kind === "rate-limited" ? r.error.scope : r.error.kind)), ["ok", "ok", "email"]);
    } finally { await env2.close(); }
  } finally { await env.close(); }
});

test("a second hop is refused: a directory hands over only to the offer's own directory", async () => {
  const env = await setUp();
  try {
    // chaton-a~cloud as a federated offer here (its own directory is elsewhere).
    await env.deps.db.updateTable("offers").set({ source: "federated", origin_json: JSON.stringify({ id: "https://annuaire-c.example/ap/offers/x", actor: "https://annuaire-c.example/ap/providers/x", directory: "https://annuaire-c.example/ap/directory" }) }).execute();
    const r = await acceptHandover(env.deps.db, B, "k", request(env), ctx(env));
    assert.equal(r.ok ? undefined : r.error.kind, "not-found");
  } finally { await env.close(); }
});

test.run();
