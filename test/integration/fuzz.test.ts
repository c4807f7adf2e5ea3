/**
 * Fuzzing every route with fast-check (fixed seed, so a failure replays): at least 5,000 generated requests in
 * npm test (`npm run bench -- fuzz` sends 50,000). Each answer is checked (test/helpers/fuzz.ts: no 5xx, problem+json
 * errors, security headers, no fetch for unsigned deliveries); afterwards the server must be healthy, nothing logged
 * as an unhandled error, and the database consistent (integrity, FTS and tag parity, signup/outbox invariants,
 * API totals equal to row counts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { catalogRowCounts, consistencyProblems } from "../../src/db/queries/consistency.ts";
import { json } from "../helpers/deps.ts";
import { FUZZ_SEED, fuzzEnv, runFuzz, statusClasses } from "../helpers/fuzz.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 5200);

test(`fuzz: ${RUNS} generated requests over every API, HTML and ActivityPub route; then healthy and consistent`, async () => {
  const { env, errors, http, world } = await fuzzEnv();
  try {
    const { statuses, sent } = await runFuzz(env.app, http, world, { seed: FUZZ_SEED, runs: RUNS });

    assert.ok(sent >= 5000, `${sent} requests`);
    assert.equal(errors, [], "nothing logged as an unhandled error");
    assert.equal(await json(await env.app.request("/healthz")), { status: "ok", db: "ok", loops: {} });
    assert.equal(await consistencyProblems(env.deps.db), []);
    const counts = await catalogRowCounts(env.deps.db);
    assert.is((await json(await env.app.request("/api/v1/offers?limit=1"))).total, counts.offers);
    assert.is((await json(await env.app.request("/api/v1/providers?limit=1"))).total, counts.localProviders);
    const byClass = statusClasses(statuses);
    console.log(`  fuzz: ${sent} requests (2xx ${byClass[0]}, 3xx ${byClass[1]}, 4xx ${byClass[2]}, 5xx ${byClass[3]}); ${http.calls.length} outbound attempts, all refused; ${counts.offers} offers, ${counts.localProviders} providers after`);
  } finally { await env.close(); }
});

test.run();
