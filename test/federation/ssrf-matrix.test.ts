/**
 * The request-forgery matrix: every URL field the server fetches or posts to × every form of a private target
 * (loopback, private, link-local, cloud metadata, IPv6 forms hiding IPv4, trailing-dot names, a name resolving to a
 * private address, a redirect to one, DNS rebinding between check and connect), with ALLOW_PRIVATE_NETWORK off.
 * A listener on every local address (dual-stack ::) stands where the forged requests would land: it must see 0.
 * Each cell also asserts the field's own refusal (400 at configuration, a refused attempt, a recorded failure).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { insertProvider } from "../../src/db/queries/providers.ts";
import { createSafeFetch } from "../../src/delivery/net.ts";
import { createPinnedFetch } from "../../src/delivery/pinned-fetch.ts";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { fetchDocument } from "../../src/federation/ingest.ts";
import { startFederation } from "../../src/federation/publisher.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { person, postSignup } from "../helpers/signups.ts";
import { eventually } from "../helpers/wait.ts";

const ADMIN = "admin-token-for-ssrf-0123456789";

type Target = { kind: string; url: string; configRefused: boolean };

/** Every target of the matrix; `configRefused`: refused from its URL alone (literal or local name). */
function targets(L: number, R: string): Target[] {
  const lit = (kind: string, url: string): Target => ({ kind, url, configRefused: true });
  const name = (kind: string, url: string): Target => ({ kind, url, configRefused: false });
  return [
    lit("loopback", `http://127.0.0.1:${L}/x`), lit("loopback", `http://127.1:${L}/x`), lit("loopback", `http://2130706433:${L}/x`),
    lit("loopback", `http://0x7f.0.0.1:${L}/x`), lit("loopback", `http://0177.0.0.1:${L}/x`), lit("loopback", `http://0:${L}/x`),
    lit("loopback", `http://localhost:${L}/x`), lit("loopback", `http://localhost.:${L}/x`), lit("loopback", `http://LocalHost..:${L}/x`),
    lit("loopback", `http://[::1]:${L}/x`), lit("loopback", `http://[::]:${L}/x`),
    lit("private", `http://10.0.0.1:${L}/x`), lit("private", `http://172.16.5.4:${L}/x`), lit("private", `http://192.168.1.1:${L}/x`),
    lit("private", `http://100.64.0.1:${L}/x`), lit("private", `http://[fd12:3456::1]:${L}/x`), lit("private", `http://[fc00::1]:${L}/x`),
    lit("link-local", `http://169.254.1.1:${L}/x`), lit("link-local", `http://[fe80::1]:${L}/x`),
    lit("metadata", "http://169.254.169.254/latest/meta-data/"), lit("metadata", "http://[fd00:ec2::254]/latest/meta-data/"),
    lit("metadata", "http://metadata.google.internal./computeMetadata/v1/"), lit("metadata", "http://100.100.100.200/latest/meta-data/"),
    lit("ipv6-form", `http://[::ffff:127.0.0.1]:${L}/x`), lit("ipv6-form", `http://[::7f00:1]:${L}/x`), lit("ipv6-form", "http://[::a9fe:a9fe]/latest/meta-data/"),
    lit("ipv6-form", `http://[2002:7f00:1::]:${L}/x`), lit("ipv6-form", "http://[2002:a9fe:a9fe::1]/latest/meta-data/"), lit("ipv6-form", `http://[64:ff9b::7f00:1]:${L}/x`),
    lit("ipv6-form", `http://[fec0::1]:${L}/x`), lit("ipv6-form", `http://[100::1]:${L}/x`),
    name("private-name", `http://private-name.test:${L}/x`), name("private-name", `http://mapped-name.test:${L}/x`), name("private-name", "http://metadata-name.test/latest/meta-data/"),
    name("redirect", `${R}/to?u=${encodeURIComponent(`http://127.0.0.1:${L}/x`)}`), name("redirect", `${R}/to?u=${encodeURIComponent(`http://[::ffff:7f00:1]:${L}/x`)}`),
    name("redirect", `${R}/to?u=${encodeURIComponent(`http://localhost.:${L}/x`)}`), name("redirect", `${R}/to?u=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`),
    name("rebinding", `http://rebind.test:${L}/x`),
  ];
}

async function listen(handler: Parameters<typeof createServer>[1], host: string): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, port: (server.address() as AddressInfo).port };
}

test("SSRF matrix: no URL field reaches a private target, by any form, redirect or rebinding (the listener sees 0 requests)", async () => {
  const seen: string[] = [];
  const listener = await listen((req, res) => { seen.push(`${req.method} ${req.headers.host}${req.url}`); res.end("internal secret"); }, "::");
  // The redirector plays a public host ("redirector.test") that answers every request with a 307 to its `u`.
  // A path it knows nothing about (the domain proof's /.well-known/…) goes to `fallback`, set per cell.
  const redirect = { fallback: "" };
  const redirector = await listen((req, res) => {
    const u = new URL(req.url ?? "/", "http://x").searchParams.get("u") ?? (redirect.fallback || null);
    res.writeHead(u ? 307 : 404, u ? { location: u } : {}).end();
  }, "127.0.0.1");
  const L = listener.port;
  const R = `http://redirector.test:${redirector.port}`;
  const all = targets(L, R);
  const names: Record<string, string[]> = {
    "redirector.test": ["127.0.0.1"], "private-name.test": ["10.0.0.7"], "mapped-name.test": ["::ffff:127.0.0.1"], "metadata-name.test": ["169.254.169.254"],
    // Rebinding: every check sees a public address, the connection would go to loopback (the pinned fetch refuses).
    "rebind.test": ["93.184.215.14"],
  };
  const checkResolve = async (host: string) => names[host] ?? [];
  const connectResolve = async (host: string) => (host === "rebind.test" ? ["127.0.0.1"] : names[host] ?? []);
  const env: TestEnv = await testEnv({ env: {
    ALLOW_PRIVATE_NETWORK: "0", ADMIN_TOKEN: ADMIN, REGISTRATION_RATE_LIMIT_IP: "100000/1h", SOURCE_RATE_LIMIT_PROVIDER: "100000/1h",
    SOURCE_RATE_LIMIT_IP: "100000/1h", VERIFICATION_RATE_LIMIT_PROVIDER: "100000/1h", VERIFICATION_RATE_LIMIT_IP: "100000/1h",
    SIGNUP_RATE_LIMIT_IP: "100000/1h", SIGNUP_RATE_LIMIT_EMAIL: "100000/1h", WEBHOOK_RETRY_SCHEDULE: "1h",
  } });
  env.deps.http = createSafeFetch({
    fetch: createPinnedFetch({ allowPrivate: false, resolve: connectResolve, trustedHosts: ["redirector.test"] }),
    allowPrivate: false, resolve: checkResolve, trustedOrigins: [R],
  });
  const warnings: string[] = [];
  env.deps.log = { ...env.deps.log, warn: (msg, extra) => warnings.push(`${msg} ${JSON.stringify(extra ?? {})}`) };
  const cells: Record<string, number> = {};
  const cell = (field: string) => { cells[field] = (cells[field] ?? 0) + 1; };
  const authed = (token: string) => ({ "content-type": "application/json", authorization: `Bearer ${token}` });
  const refusedText = /refus|private or loopback|only http/;
  try {
    const hooks = await registerProvider(env.app, "ssrf-hooks");
    assert.is((await putOffer(env.app, hooks.slug, hooks.token, "cloud", sampleOffer({ signup: { mode: "nextcloud" } }))).status, 201);
    const source = await registerProvider(env.app, "ssrf-source");
    for (const [i, t] of all.entries()) {
      // 1. Webhook URL: refused when set, or its (test) delivery refused.
      const wh = await env.app.request(`/api/v1/providers/${hooks.slug}/webhook`, { method: "PUT", headers: authed(hooks.token), body: JSON.stringify({ url: t.url }) });
      if (t.configRefused) {
        assert.is(wh.status, 400, `webhook ${t.url}`);
        assert.equal((await json(wh)).errors, [{ path: "url", message: "must be a public address" }]);
      } else {
        assert.is(wh.status, 200, `webhook ${t.url}`);
        const ping = await json(await env.app.request(`/api/v1/providers/${hooks.slug}/webhook/test`, { method: "POST", headers: authed(hooks.token) }));
        // Webhooks follow no redirect at all (maxRedirects 0); every other refusal is final.
        assert.equal([ping.delivered, ping.outcome], [false, t.kind === "redirect" ? "retry" : "rejected"], `webhook ping ${t.url}: ${JSON.stringify(ping)}`);
        assert.match(ping.error, t.kind === "redirect" ? /^more than 0 redirects$/ : refusedText);
      }
      cell("webhook url");

      // 2. Nextcloud URL: refused when set, or the signup's hand-over refused.
      const nc = await env.app.request(`/api/v1/providers/${hooks.slug}/nextcloud`, { method: "PUT", headers: authed(hooks.token), body: JSON.stringify({ url: t.url, token: "Xk3pQ9vLm2Rt7Wz5" }) });
      if (t.configRefused) assert.is(nc.status, 400, `nextcloud ${t.url}`);
      else {
        assert.is(nc.status, 200, `nextcloud ${t.url}`);
        const accepted = await json(await postSignup(env, { offerId: `${hooks.slug}~cloud`, ...person({ email: `p${i}@example.org` }) }));
        await runDeliveryRound(env.deps, { timeoutMs: 2000 });
        const row = await env.deps.db.selectFrom("outbox").selectAll().where("signup_id", "=", accepted.id).where("type", "=", "signup.requested").executeTakeFirstOrThrow();
        // A redirect is not followed (retried later like the webhook); anything else is refused for good.
        assert.is(row.status, t.kind === "redirect" ? "pending" : "rejected", `nextcloud delivery ${t.url}: ${row.last_error}`);
        assert.match(row.last_error ?? "", t.kind === "redirect" ? /^more than 0 redirects$/ : refusedText);
      }
      cell("nextcloud url");

      // 3. Pull source (JSON document): refused when set, or its pull fails refused.
      const src = await env.app.request(`/api/v1/providers/${source.slug}/source`, { method: "PUT", headers: authed(source.token), body: JSON.stringify({ url: t.url, format: "json" }) });
      if (t.configRefused) assert.is(src.status, 400, `source ${t.url}`);
      else {
        const body = await json(src);
        assert.equal([src.status, body.lastPull.status], [200, "failed"], `source ${t.url}`);
        assert.match(body.lastPull.error, refusedText);
      }
      cell("pull source url");

      // 4. Provider website (the domain-proof fetch).
      redirect.fallback = t.kind === "redirect" ? new URL(t.url).searchParams.get("u")! : "";
      const site = await registerProvider(env.app, `ssrf-site-${i}`, { website: t.url });
      const proof = await env.app.request(`/api/v1/providers/${site.slug}/verification`, { method: "POST", headers: authed(site.token) });
      assert.is(proof.status, 409, `website ${t.url}`);
      const proofDetail = (await json(proof)).detail;
      // An http website is refused before anything is fetched (domain verified needs https); https ones by the guard.
      assert.match(proofDetail, t.url.startsWith("http:") ? /is not an https address: domain verification needs https/ : refusedText, proofDetail);
      cell("website (domain proof)");

      // 5. Admin follow of an actor URL (Fedify's lookup, under the outbound policy).
      const follow = await env.app.request("/api/v1/admin/follows", { method: "POST", headers: { ...authed(ADMIN) }, body: JSON.stringify({ actor: t.url }) });
      assert.ok(follow.status === 404 || follow.status === 503, `follow ${t.url}: ${follow.status}`);
      cell("admin follow actor");

      // 6. The signer's key of an inbox delivery (keyId), with a well-formed signature header.
      const inboxBody = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `https://peer.example/a/${i}`, type: "Follow", actor: "https://peer.example/u", object: `${env.deps.config.publicUrl}/ap/directory` });
      const signed = await env.app.request("/ap/inbox", { method: "POST", body: inboxBody, headers: {
        "content-type": "application/activity+json", date: new Date().toUTCString(), host: new URL(env.deps.config.publicUrl).host,
        digest: `SHA-256=${createHash("sha256").update(inboxBody).digest("base64")}`,
        signature: `keyId="${t.url}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="${randomBytes(256).toString("base64")}"`,
      } });
      assert.is(signed.status, 401, `keyId ${t.url}`);
      cell("inbox signature keyId");

      // 7. JSON-LD loaders (remote contexts and documents) and the ingest's dereferencing of remote objects.
      const loaders = env.deps.federation!.loaders;
      for (const load of [loaders.contextLoaderFactory(), loaders.documentLoaderFactory(), loaders.keyLoaders().contextLoader]) {
        let failed: unknown;
        try { await load(t.url); } catch (e) { failed = e; }
        assert.ok(failed, `loader ${t.url}`);
      }
      let fetchFailed: unknown;
      try { await fetchDocument(env.deps, t.url); } catch (e) { fetchFailed = e; }
      assert.match(String(fetchFailed), refusedText);
      cell("remote context / document / object");
      assert.equal(seen, [], `after ${t.url}`);
    }

    // 8. StatoolInfos service files: an organization file (on the public redirector host) naming every target.
    const subs = all.map((t, i) => `subs.t${i} = ${t.url}`).join("\n");
    const org = `file.class = organization\norganization.name = SSRF\norganization.website = https://ssrf.example\n${subs}\n`;
    const orgServer = await listen((req, res) => res.end(org), "127.0.0.1");
    names["org-host.test"] = ["127.0.0.1"];
    env.deps.http = createSafeFetch({
      fetch: createPinnedFetch({ allowPrivate: false, resolve: connectResolve, trustedHosts: ["redirector.test", "org-host.test"] }),
      allowPrivate: false, resolve: checkResolve, trustedOrigins: [R, `http://org-host.test:${orgServer.port}`],
    });
    try {
      const stat = await registerProvider(env.app, "ssrf-statool");
      const res = await env.app.request(`/api/v1/providers/${stat.slug}/source`, { method: "PUT", headers: authed(stat.token), body: JSON.stringify({ url: `http://org-host.test:${orgServer.port}/org.properties`, format: "statoolinfos" }) });
      const { lastPull } = await json(res);
      assert.is(lastPull.created, 0);
      for (const [i] of all.entries()) assert.ok(lastPull.issues.some((x: any) => x.message.startsWith(`subs.t${i}: `)), `sub ${i} reported`);
      for (const _ of all) cell("statoolinfos subs");
    } finally { await new Promise<void>((r) => orgServer.server.close(() => r())); }

    // 9. Federation deliveries: followers whose inboxes are the targets, then an offer change to deliver.
    const now = new Date().toISOString();
    await env.deps.db.insertInto("fed_followers").values(all.map((t, i) => ({
      actor: "_directory", follower_id: `https://peer${i}.example/u`, inbox: new URL(t.url).href, shared_inbox: null, follow_id: `https://peer${i}.example/f`, status: "accepted" as const, created_at: now,
    }))).execute();
    const pub = await registerProvider(env.app, "ssrf-publisher");
    assert.is((await putOffer(env.app, pub.slug, pub.token, "cloud", sampleOffer())).status, 201);
    const runner = startFederation(env.deps.federation!, env.deps, { publishEveryMs: 50 });
    try {
      await eventually("every delivery refused", async () => {
        const refusals = new Set((await env.deps.db.selectFrom("fed_delivery_refusals").select("inbox").execute()).map((r) => r.inbox));
        // Fedify stores inbox URLs normalised (new URL().href). A redirect's failure names the hop it refused.
        const failedAt = (url: string) => warnings.some((w) => w.startsWith("federation: delivery failed") && w.includes(`"inbox":${JSON.stringify(url)}`) && refusedText.test(w));
        const missing = all.filter((t) => (t.configRefused || t.kind === "private-name")
          ? !refusals.has(new URL(t.url).href)
          : !failedAt(new URL(t.kind === "redirect" ? new URL(t.url).searchParams.get("u")! : t.url).href));
        if (process.env.DEBUG_SSRF) console.log(missing.map((t) => t.url), warnings.slice(-5), await env.deps.db.selectFrom("fed_queue").select(["message", "run_at"]).execute().then((r) => r.map((x) => x.message.slice(0, 200))));
        return missing.length === 0 ? true : undefined;
      }, 60_000);
    } finally { await runner.stop(); }
    for (const _ of all) cell("federation delivery inbox");
    // Refused inboxes lose their followers (checked before any connection); the redirect/rebinding ones stay for retries.
    const left = (await env.deps.db.selectFrom("fed_followers").select("inbox").execute()).map((r) => r.inbox).sort();
    assert.equal(left, all.filter((t) => !t.configRefused && t.kind !== "private-name").map((t) => new URL(t.url).href).sort());
    const refused = await env.deps.db.selectFrom("fed_delivery_refusals").selectAll().execute();
    assert.ok(refused.every((r) => refusedText.test(r.reason) && (r.activity_type === "Announce" || r.activity_type === "Create")), JSON.stringify(refused[0]));

    assert.equal(seen, [], "the listener saw no request");
    const total = Object.values(cells).reduce((a, b) => a + b, 0);
    console.log(`  SSRF matrix: ${Object.keys(cells).length} URL fields × ${all.length} targets = ${total} cells, listener requests: ${seen.length}`);
    assert.is(total, 9 * all.length);
  } finally {
    await new Promise<void>((r) => listener.server.close(() => r()));
    await new Promise<void>((r) => redirector.server.close(() => r()));
    await env.close();
  }
});

test.run();
