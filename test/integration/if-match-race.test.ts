/**
 * Optimistic concurrency under concurrency: 10 rounds of 10 concurrent writes carrying the same ETag. Exactly one
 * write wins each round, the other nine get 412, and the stored offer is the winner's. Run in one process, and
 * across two server processes sharing one database file (where only the write transaction can order them).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { json, putOffer, registerProvider, sampleOffer, sampleProvider, testEnv } from "../helpers/deps.ts";
import { startServer } from "../helpers/process.ts";

const ROUNDS = 10;
const WRITERS = 10;

type Send = (path: string, init: RequestInit) => Promise<Response>;

/** Runs the rounds against `senders` (writer i uses senders[i % n]); returns each round's statuses. */
async function race(senders: Send[], slug: string, token: string, method: "PATCH" | "PUT" | "DELETE"): Promise<number[][]> {
  const rounds: number[][] = [];
  const path = `/api/v1/providers/${slug}/offers/cloud`;
  for (let round = 0; round < ROUNDS; round++) {
    if (method === "DELETE") assert.is((await senders[0](path, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(sampleOffer()) })).status < 300, true);
    const current = await senders[0](`/api/v1/offers/${slug}~cloud`, {});
    const etag = current.headers.get("etag")!;
    assert.ok(etag, "the offer has an ETag");
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => senders[w % senders.length](path, {
      method, headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "if-match": etag },
      body: method === "PATCH" ? JSON.stringify({ title: { en: `round ${round} writer ${w}` } })
        : method === "PUT" ? JSON.stringify(sampleOffer({ title: { fr: `tour ${round} écrivain ${w}` } })) : undefined,
    }).then(async (r) => ({ status: r.status, body: r.status === 200 ? await json(r) : (r.status === 204 ? null : await json(r)) }))));
    rounds.push(results.map((r) => r.status));
    const winners = results.filter((r) => r.status === 200 || r.status === 204);
    assert.is(winners.length, 1, `round ${round}: ${results.map((r) => r.status).join(",")}`);
    for (const r of results.filter((x) => x.status === 412)) assert.is(r.body.type, "https://chatons-directory.org/problems/precondition-failed");
    const stored = await senders[0](`/api/v1/offers/${slug}~cloud`, {});
    if (method === "DELETE") assert.is(stored.status, 404);
    else {
      const offer = await json(stored);
      if (method === "PATCH") assert.is(offer.title.en, winners[0].body.title.en, "the stored offer is the winner's");
      else assert.is(offer.title.fr, winners[0].body.title.fr, "the stored offer is the winner's");
    }
  }
  return rounds;
}

test(`If-Match race in one process: ${ROUNDS} rounds × ${WRITERS} concurrent PATCH, PUT and DELETE, exactly one winner each`, async () => {
  const env = await testEnv();
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-race");
    assert.is((await putOffer(env.app, slug, token, "cloud", sampleOffer())).status, 201);
    const send: Send = async (path, init) => env.app.request(path, init);
    for (const method of ["PATCH", "PUT", "DELETE"] as const) {
      const rounds = await race([send], slug, token, method);
      assert.equal(rounds.map((r) => r.filter((s) => s === 412).length), Array(ROUNDS).fill(WRITERS - 1), method);
    }
  } finally { await env.close(); }
});

test(`If-Match race across two server processes on one database: ${ROUNDS} rounds × ${WRITERS} PATCH, exactly one winner each`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-race-"));
  const env = { DATABASE_URL: `file:${join(dir, "race.db")}`, SEED: "none", LOG_LEVEL: "error" };
  const a = await startServer(env);
  const b = await startServer(env);
  try {
    const on = (base: string): Send => (path, init) => fetch(`${base}${path}`, init);
    const reg = await on(a.url)("/api/v1/providers", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sampleProvider("chaton-race2")) });
    const { token } = await json(reg);
    const put = await on(b.url)("/api/v1/providers/chaton-race2/offers/cloud", { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(sampleOffer()) });
    assert.is(put.status, 201);
    const rounds = await race([on(a.url), on(b.url)], "chaton-race2", token, "PATCH");
    assert.equal(rounds.map((r) => r.filter((s) => s === 200).length), Array(ROUNDS).fill(1));
    console.log(`  If-Match race: ${ROUNDS} rounds × ${WRITERS} writers over 2 processes, 1 winner per round`);
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
