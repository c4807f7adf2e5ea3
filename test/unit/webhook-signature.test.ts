import { test } from "uvu";
import * as assert from "uvu/assert";
import { Webhook } from "standardwebhooks";
import { classifyStatus, newWebhookSecret, signWebhook } from "../../src/delivery/webhooks.ts";
import { retryDelay } from "../../src/delivery/outbox.ts";

test("signatures verify with the standardwebhooks package itself; a changed body or id does not", async () => {
  const secret = newWebhookSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.is(Buffer.from(secret.slice(6), "base64").length, 32);
  const id = "msg_2b1f";
  const ts = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: "signup.requested", data: { email: "é@example.org" } });
  const signature = await signWebhook(secret, id, ts, body);
  assert.match(signature, /^v1,[A-Za-z0-9+/]{43}=$/);
  const wh = new Webhook(secret);
  const headers = { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature };
  assert.equal(wh.verify(body, headers), JSON.parse(body));
  assert.throws(() => wh.verify(body.replace("é", "e"), headers));
  assert.throws(() => wh.verify(body, { ...headers, "webhook-id": "msg_other" }));
  assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers));
  // Known vector from the Standard Webhooks reference implementations.
  assert.is(
    await signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'),
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  );
});

test("classification: 2xx delivered, 408/429/5xx retry, 410 gone, other 4xx rejected", () => {
  const kinds = [200, 202, 204, 408, 429, 500, 503, 400, 401, 404, 409, 410, 422].map((s) => `${s}:${classifyStatus(s).kind}`);
  assert.equal(kinds, ["200:delivered", "202:delivered", "204:delivered", "408:retry", "429:retry", "500:retry", "503:retry", "400:rejected", "401:rejected", "404:rejected", "409:rejected", "410:gone", "422:rejected"]);
});

test("retry delays follow the schedule with ±10 % jitter, end with it, or repeat the last delay for 3 days", () => {
  const s = [1000, 1000, 2000];
  assert.equal([1, 2, 3, 4].map((n) => retryDelay(s, false, n, 0, () => 0.5)), [1000, 1000, 2000, undefined]);
  assert.is(retryDelay(s, false, 1, 0, () => 0), 900);
  assert.is(retryDelay(s, false, 3, 0, () => 0.999999), 2200);
  const h12 = 12 * 3_600_000;
  assert.is(retryDelay([5000, h12], true, 5, 2 * 86_400_000, () => 0.5), h12);
  assert.is(retryDelay([5000, h12], true, 5, 2.6 * 86_400_000, () => 0.5), undefined);
});

test.run();
