import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, parseConfig, parseDuration } from "../../src/config.ts";

test("defaults follow api.md", () => {
  const c = parseConfig({});
  assert.is(c.port, 3000);
  assert.is(c.host, "127.0.0.1");
  assert.is(c.databaseUrl, "file:data/directory.db");
  // The README's address: links, emails and signup callbacks name the origin the server listens on.
  assert.is(c.publicUrl, "http://127.0.0.1:3000");
  assert.is(parseConfig({ HOST: "0.0.0.0", PORT: "8080" }).publicUrl, "http://localhost:8080");
  assert.is(parseConfig({ HOST: "::1" }).publicUrl, "http://[::1]:3000");
  assert.equal(c.operator, {});
  assert.is(c.seed, "demo");
  assert.is(c.allowPrivateNetwork, false);
  assert.equal(c.webhookRetrySchedule, [5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000, 43_200_000]);
  assert.is(c.crawlIntervalMs, 6 * 3_600_000);
  assert.is(c.adminToken, undefined);
});

test("values are parsed; empty strings count as unset", () => {
  const c = parseConfig({ PORT: "8080", PUBLIC_URL: "https://annuaire.example/", ALLOW_PRIVATE_NETWORK: "1", WEBHOOK_RETRY_SCHEDULE: "1s,1s,2s", SEED: "none", DATABASE_AUTH_TOKEN: "" });
  assert.is(c.port, 8080);
  assert.is(c.publicUrl, "https://annuaire.example");
  assert.is(c.allowPrivateNetwork, true);
  assert.equal(c.webhookRetrySchedule, [1000, 1000, 2000]);
  assert.is(c.seed, "none");
  assert.is(c.databaseAuthToken, undefined);
});

test("the operator shown on /about and /privacy: a name and an email or URL to reach it", () => {
  assert.equal(parseConfig({ OPERATOR_NAME: " Association Chatons du Lot ", OPERATOR_CONTACT: "contact@chatons-lot.example" }).operator,
    { name: "Association Chatons du Lot", contact: "contact@chatons-lot.example" });
  assert.equal(parseConfig({ OPERATOR_CONTACT: "https://chatons-lot.example/contact" }).operator, { contact: "https://chatons-lot.example/contact" });
  assert.throws(() => parseConfig({ OPERATOR_CONTACT: "call us" }), /OPERATOR_CONTACT="call us": must be an email address or an http\(s\):\/\/ URL/);
});

test("a bad variable stops start-up with one readable line naming it", () => {
  try {
    parseConfig({ PORT: "abc", DATABASE_URL: "postgres://x", CRAWL_INTERVAL: "often" });
    assert.unreachable("should throw");
  } catch (e) {
    assert.instance(e, ConfigError);
    const msg = (e as Error).message;
    assert.not.match(msg, /\n/);
    assert.match(msg, /^Invalid configuration: PORT="abc": must be a port number; /);
    assert.match(msg, /DATABASE_URL="postgres:\/\/x": must start with file:/);
    assert.match(msg, /CRAWL_INTERVAL="often": must be a duration/);
  }
});

test("durations", () => {
  assert.is(parseDuration("250ms"), 250);
  assert.is(parseDuration("2m"), 120_000);
  assert.is(parseDuration("1.5h"), 5_400_000);
  assert.is(parseDuration("3 days"), undefined);
});

test.run();
