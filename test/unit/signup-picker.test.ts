import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Candidate } from "../../src/db/queries/signups.ts";
import { capacityWeight, DEFAULT_WEIGHT, pickOffer, pickWeighted, preferred } from "../../src/domain/signups/picker.ts";

/** Deterministic PRNG (mulberry32) so the test is reproducible yet exercises the real picker. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cand = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id, provider_id: 1, provider_slug: id.split("~")[0], service: "storage", software_name: "Nextcloud", registration: "open", capacity: "available",
  signup_mode: "webhook", signup_url: null, quota_users: 10, languages_json: '["fr"]', data_location: "FR", provider_country: "FR", source: "local", reachable: 1, open_signups: 0, handover_url: null, origin_json: null,
  ...over,
});

test("10,000 picks follow the declared capacities within 5 % and never pick a full, closed or unreachable offer", () => {
  const cands = [
    cand("a~x", { quota_users: 100 }), cand("b~x", { quota_users: 50 }), cand("c~x", { quota_users: 30 }), cand("d~x", { quota_users: null }),
    cand("full~x", { quota_users: 1000, capacity: "full" }), cand("closed~x", { quota_users: 1000, registration: "closed" }),
    cand("approval~x", { quota_users: 1000, registration: "approval" }), cand("ext~x", { quota_users: 1000, signup_mode: "external" }),
    cand("nohook~x", { quota_users: 1000, reachable: 0 }),
  ];
  const weights: Record<string, number> = { "a~x": 100, "b~x": 50, "c~x": 30, "d~x": DEFAULT_WEIGHT };
  const total = Object.values(weights).reduce((s, w) => s + w, 0);
  const counts: Record<string, number> = {};
  const random = prng(42);
  for (let i = 0; i < 10_000; i++) {
    const c = pickOffer(cands, {}, random)!;
    counts[c.id] = (counts[c.id] ?? 0) + 1;
  }
  assert.equal(Object.keys(counts).sort(), ["a~x", "b~x", "c~x", "d~x"]);
  for (const [id, w] of Object.entries(weights)) {
    const expected = w / total;
    const share = counts[id] / 10_000;
    assert.ok(Math.abs(share - expected) <= 0.05 * expected, `${id}: ${share.toFixed(4)} vs ${expected.toFixed(4)}`);
  }
});

test("open signups reduce an offer's weight (load spreads), never below 1", () => {
  assert.is(capacityWeight({ quota_users: 100, open_signups: 30 }), 70);
  assert.is(capacityWeight({ quota_users: 5, open_signups: 30 }), 1);
  assert.is(capacityWeight({ quota_users: null, open_signups: 0 }), DEFAULT_WEIGHT);
  assert.is(pickWeighted([], Math.random), undefined);
  assert.is(pickWeighted([{ item: "only", weight: 3 }], () => 0.999), "only");
});

test("language and country preferences pick the best non-empty tier", () => {
  const fr = cand("fr~x", { languages_json: '["fr"]', data_location: "FR", provider_country: "FR" });
  const beEn = cand("be~x", { languages_json: '["en","nl"]', data_location: "BE", provider_country: "BE" });
  const chFr = cand("ch~x", { languages_json: '["fr-CH"]', data_location: "CH", provider_country: "CH" });
  const all = [fr, beEn, chFr];
  assert.equal(preferred(all, { language: "fr", country: "CH" }).map((c) => c.id), ["ch~x"]);
  assert.equal(preferred(all, { language: "fr" }).map((c) => c.id), ["fr~x", "ch~x"]);
  assert.equal(preferred(all, { language: "de", country: "BE" }).map((c) => c.id), ["be~x"]);
  assert.equal(preferred(all, { language: "de", country: "DE" }).map((c) => c.id), ["fr~x", "be~x", "ch~x"]);
  const random = prng(7);
  for (let i = 0; i < 200; i++) assert.is(pickOffer(all, { language: "en" }, random)!.id, "be~x");
});

test.run();
