/**
 * `npm run bench -- fuzz`: the fuzz test at scale — 50,000 generated requests (FUZZ_RUNS to change it) over every
 * API, HTML and ActivityPub route of an in-process app on a fresh database with the demo catalog, with the same
 * checks as test/integration/fuzz.test.ts (no 5xx, problem+json errors, security headers, no fetch for unsigned
 * deliveries), then /healthz and the database consistency check. Prints requests/s and the status classes; exits 1
 * on the first broken rule (fast-check then prints the shrunk request and its seed path).
 */
import "../src/federation/shim.ts";
import { catalogRowCounts, consistencyProblems } from "../src/db/queries/consistency.ts";
import { FUZZ_SEED, fuzzEnv, runFuzz, statusClasses } from "../test/helpers/fuzz.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 50_000);
const SEED = Number(process.env.FUZZ_SEED ?? FUZZ_SEED);

const { env, errors, http, world } = await fuzzEnv();
let code = 0;
try {
  let sent = 0;
  const started = performance.now();
  const progress = setInterval(() => console.log(`  ${sent} requests…`), 10_000);
  let statuses: Map<number, number>;
  try {
    ({ statuses } = await runFuzz(env.app, http, world, { seed: SEED, runs: RUNS, onSent: (n) => { sent = n; } }));
  } finally { clearInterval(progress); }
  const seconds = (performance.now() - started) / 1000;
  const classes = statusClasses(statuses);
  const health = await (await env.app.request("/healthz")).json();
  const problems = await consistencyProblems(env.deps.db);
  const counts = await catalogRowCounts(env.deps.db);
  const totals = [(await (await env.app.request("/api/v1/offers?limit=1")).json()).total, (await (await env.app.request("/api/v1/providers?limit=1")).json()).total];
  console.log(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s), seed ${SEED}`);
  console.log(`  status classes: 2xx ${classes[0]}, 3xx ${classes[1]}, 4xx ${classes[2]}, 5xx ${classes[3]}; most frequent: ${[...statuses].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([s, n]) => `${s}×${n}`).join(" ")}`);
  console.log(`  outbound attempts (all refused, no network): ${http.calls.length}; unhandled errors logged: ${errors.length}`);
  console.log(`  healthz: ${JSON.stringify(health)}; consistency problems: ${problems.length ? JSON.stringify(problems) : "none"}`);
  console.log(`  API totals ${totals.join("/")} vs rows ${counts.offers}/${counts.localProviders} (offers/providers)`);
  if (errors.length || problems.length || health.status !== "ok" || totals[0] !== counts.offers || totals[1] !== counts.localProviders) code = 1;
} catch (e) {
  console.error(String((e as Error).message ?? e));
  code = 1;
} finally {
  await env.close();
}
process.exit(code);
