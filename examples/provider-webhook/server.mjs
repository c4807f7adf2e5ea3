// Reference receiver for chatons-directory signup webhooks. Copy it, replace provisionAccount(), run it.
//
//   WEBHOOK_SECRET=whsec_…  DIRECTORY_TOKEN=cdp_…  DIRECTORY_URL=https://annuaire.example.org  PORT=8787  node server.mjs
//
// Every request is checked with the official `standardwebhooks` package (HMAC signature over id.timestamp.body);
// timestamps more than 5 minutes away are refused; a webhook-id already seen is acknowledged (200) but not processed
// twice, because the directory retries until it gets a 2xx and a lost answer must not create two accounts.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const TOLERANCE_SEC = 5 * 60;
const MAX_BODY = 256 * 1024;

/** Replace this with your real account creation (Nextcloud OCS API, LDAP, a ticket…). Never ask for a password. */
async function defaultProvision(account) {
  console.log(`would create an account for ${account.name} <${account.email}> (${account.locale})`);
  return { loginUrl: undefined };
}

/**
 * Builds the request handler. Options: secret (whsec_…), directoryToken (your provider API token),
 * directoryUrl (only callback URLs on this origin get the token), provision(account, data), now() in ms.
 */
export function createReceiver({ secret, directoryToken, directoryUrl, provision = defaultProvision, now = Date.now, fetchFn = fetch, log = console }) {
  const webhook = new Webhook(secret);
  const seen = new Map(); // webhook-id → time first seen (kept a little longer than the timestamp tolerance)

  const forget = () => {
    const limit = now() - 2 * TOLERANCE_SEC * 1000;
    for (const [id, at] of seen) if (at < limit) seen.delete(id);
  };

  async function callback(url, body) {
    if (directoryUrl && new URL(url).origin !== new URL(directoryUrl).origin) throw new Error(`refusing to send the token to ${url}`);
    const res = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${directoryToken}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
  }

  async function handleSignup(data) {
    try {
      await callback(data.callbackUrl, { status: "provisioning" });
      const { loginUrl } = await provision(data.account, data);
      await callback(data.callbackUrl, { status: "active", ...(loginUrl ? { loginUrl } : {}) });
    } catch (e) {
      log.error(`signup ${data.signupId}: ${e.message}`);
      await callback(data.callbackUrl, { status: "rejected", message: "The account could not be created." }).catch(() => {});
    }
  }

  const handler = (req, res) => {
    const reply = (status, body) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method !== "POST" || new URL(req.url, "http://x").pathname !== "/webhook") return reply(404, { error: "not found" });
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
      };
      const ts = Number(headers["webhook-timestamp"]);
      if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > TOLERANCE_SEC) return reply(400, { error: "stale or missing timestamp" });
      let event;
      try {
        event = webhook.verify(body, headers); // checks the signature (and the timestamp again)
      } catch {
        return reply(400, { error: "invalid signature" });
      }
      forget();
      if (seen.has(headers["webhook-id"])) return reply(200, { status: "duplicate" });
      seen.set(headers["webhook-id"], now());
      if (event.type === "webhook.test") return reply(200, { status: "ok" });
      if (event.type !== "signup.requested") return reply(200, { status: "ignored" });
      // Answer at once (the directory waits 10 s at most), then provision and report progress through the callback.
      reply(202, { status: "accepted" });
      handleSignup(event.data);
    });
  };
  return { handler, seen };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { WEBHOOK_SECRET, DIRECTORY_TOKEN, DIRECTORY_URL, PORT = "8787", HOST = "127.0.0.1" } = process.env;
  if (!WEBHOOK_SECRET?.startsWith("whsec_") || !DIRECTORY_TOKEN) {
    console.error("set WEBHOOK_SECRET (whsec_…, from PUT /api/v1/providers/{slug}/webhook) and DIRECTORY_TOKEN (your provider API token)");
    process.exit(1);
  }
  const { handler } = createReceiver({ secret: WEBHOOK_SECRET, directoryToken: DIRECTORY_TOKEN, directoryUrl: DIRECTORY_URL });
  createServer(handler).listen(Number(PORT), HOST, () => console.log(`provider webhook receiver on http://${HOST}:${PORT}/webhook`));
}
