/**
 * A contract others can code against: the OpenAPI document validates with two independent validators, every response
 * it lists with a body has a schema, and the answers of a running server (real HTTP) validate against their schemas.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { validate as readmeValidate } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildOpenApi } from "../../src/http/openapi.ts";
import { runDeliveryRound } from "../../src/domain/signups/deliver.ts";
import { ADMIN, drained, eventually, startInstance, type Instance } from "../federation/instances.ts";
import { sampleOffer, sampleProvider } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";
import { startReceiver } from "../helpers/signups.ts";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>; parameters?: Array<{ in: string; name: string }> }>>; components: { schemas: Record<string, object> } };

test("the OpenAPI document is valid for @readme/openapi-parser and @apidevtools/swagger-parser; every response with a body has a schema; header parameters and 304s are declared", async () => {
  const doc = buildOpenApi() as unknown as Doc;
  const readme = await readmeValidate(structuredClone(doc) as never);
  assert.ok(readme.valid, JSON.stringify(readme));
  await SwaggerParser.validate(structuredClone(doc) as never);
  const missing: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    for (const [code, r] of Object.entries(op.responses)) if (!r.content && code !== "204" && code !== "304") missing.push(`${method} ${path} ${code}`);
  }
  assert.equal(missing, []);
  const params = (method: string, path: string) => (doc.paths[path][method].parameters ?? []).map((p) => `${p.in}:${p.name}`);
  assert.ok(params("post", "/api/v1/signups").includes("header:Idempotency-Key"));
  for (const m of ["put", "patch", "delete"]) assert.ok(params(m, "/api/v1/providers/{slug}/offers/{offerSlug}").includes("header:If-Match"));
  for (const p of ["/api/v1/offers", "/api/v1/offers/{id}", "/api/v1/compare", "/api/v1/providers", "/api/v1/providers/{slug}"]) {
    assert.ok(params("get", p).includes("header:If-None-Match"), p);
    assert.ok(doc.paths[p].get.responses["304"], p);
  }
  assert.ok(params("get", "/api/v1/signups/{id}").includes("query:token"));
});

/** Each request through real HTTP; its answer is checked against the documented status and schema. */
function contract(doc: Doc, base: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map(Object.entries(doc.components.schemas).map(([name, s]) => [name, ajv.compile(s)]));
  const seen = new Set<string>();
  const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`) }));
  return {
    seen,
    async call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; token?: string } = {}) {
      const headers: Record<string, string> = { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers };
      const res = await fetch(`${base}${path}`, { method: method.toUpperCase(), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      return this.check(method, path, { status: res.status, headers: res.headers, text: await res.text() });
    },
    /** A POST signed as the directory actor of `from` (federated signups), checked like any other answer. */
    async signed(from: Instance, path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await from.env.deps.federation!.signedPost(`${base}${path}`, JSON.stringify(body), { headers });
      return this.check("post", path, { status: res.status, headers: res.headers, text: res.text() });
    },
    check(method: string, path: string, res: { status: number; headers: Headers; text: string }) {
      const text = res.text;
      const template = templates.find((x) => x.re.test(path.split("?")[0]))?.t;
      assert.ok(template, `${method} ${path}: not documented`);
      const documented = doc.paths[template!][method].responses[String(res.status)];
      assert.ok(documented, `${method} ${template} answered ${res.status}, which is not documented: ${text.slice(0, 300)}`);
      const content = documented.content && Object.entries(documented.content)[0];
      if (content) {
        assert.is((res.headers.get("content-type") ?? "").split(";")[0], content[0], `${method} ${template} ${res.status}: content type`);
        const name = content[1].schema.$ref.split("/").pop()!;
        const check = validators.get(name)!;
        const body = JSON.parse(text);
        assert.ok(check(body), `${method} ${template} ${res.status} does not match ${name}: ${JSON.stringify(check.errors)} in ${text.slice(0, 500)}`);
      } else assert.is(text, "", `${method} ${template} ${res.status}: no body expected`);
      seen.add(`${method} ${template} ${res.status}`);
      return { status: res.status, headers: res.headers, json: () => JSON.parse(text) };
    },
  };
}

test("every documented operation of a running server answers as documented: statuses and bodies validate against their schemas", async () => {
  const doc = buildOpenApi() as unknown as Doc;
  const env = { WEBHOOK_RETRY_SCHEDULE: "1s", SIGNUP_RATE_LIMIT_EMAIL: "100/1h", FEDERATION_FOLLOWS: "manual", ADMIN_TOKEN: ADMIN };
  let a: Instance | undefined;
  let b: Instance | undefined;
  const rx = await startReceiver((r, res) => { res.writeHead(r.body.includes("refuse@example.org") ? 400 : 204).end(); });
  const site = await startServer((req, res) => staticFiles(files)(req, res));
  const files = new Map<string, string>();
  try {
    a = await startInstance("localhost", env);
    b = await startInstance("127.0.0.1", env);
    const c = contract(doc, a.url);
    const admin = ADMIN;

    // Operations and catalog.
    assert.is((await c.call("get", "/healthz")).status, 200);
    assert.is((await c.call("get", "/api/v1/ping")).status, 200);
    const reg = await c.call("post", "/api/v1/providers", { body: sampleProvider("chaton-oa", { website: site.url }) });
    assert.is(reg.status, 201);
    const { token, verification } = reg.json();
    await c.call("post", "/api/v1/providers", { body: sampleProvider("chaton-oa") }); // 409: slug taken
    await c.call("post", "/api/v1/providers", { body: { slug: "x" } }); // 400
    const other = (await c.call("post", "/api/v1/providers", { body: sampleProvider("chaton-other") })).json().token;
    assert.is((await c.call("put", "/api/v1/providers/chaton-oa/offers/cloud", { token, body: sampleOffer() })).status, 201);
    const put = await c.call("put", "/api/v1/providers/chaton-oa/offers/cloud", { token, body: sampleOffer({ quota: { storageGB: 20 } }) });
    assert.is(put.status, 200);
    assert.is((await c.call("put", "/api/v1/providers/chaton-oa/offers/cloud", { token, body: sampleOffer(), headers: { "if-match": '"stale"' } })).status, 412);
    assert.is((await c.call("patch", "/api/v1/providers/chaton-oa/offers/cloud", { token, body: { capacity: "available" }, headers: { "if-match": put.headers.get("etag")! } })).status, 200);
    await c.call("put", "/api/v1/providers/chaton-oa/offers/pad", { token, body: sampleOffer({ service: "pad", software: { name: "Etherpad" }, signup: { mode: "nextcloud" } }) });
    await c.call("put", "/api/v1/providers/chaton-oa/offers/cloud", { token: other, body: sampleOffer() }); // 403
    const own = await c.call("get", "/api/v1/providers/chaton-oa/offers/cloud", { token });
    assert.is(own.status, 200);
    await c.call("get", "/api/v1/providers/chaton-oa/offers/nothing", { token }); // 404
    assert.ok((await c.call("get", "/api/v1/providers/chaton-oa/offers", { token })).json().items.some((o: { id: string }) => o.id === "chaton-oa~cloud"));
    await c.call("get", "/api/v1/providers/chaton-oa/offers", { token: other }); // 403
    await c.call("put", "/api/v1/providers/chaton-oa/offers/cloud", { body: sampleOffer() }); // 401
    for (const path of ["/api/v1/offers?q=cloud&limit=5", "/api/v1/offers/chaton-oa~cloud", "/api/v1/compare?ids=chaton-oa~cloud,chaton-oa~pad", "/api/v1/providers?member=false", "/api/v1/providers/chaton-oa"]) {
      const first = await c.call("get", path);
      assert.is(first.status, 200, path);
      assert.is((await c.call("get", path, { headers: { "if-none-match": first.headers.get("etag")! } })).status, 304, path);
    }
    await c.call("get", "/api/v1/offers?limit=1000"); // 400
    await c.call("get", "/api/v1/offers/nobody~nothing"); // 404
    await c.call("get", "/api/v1/compare?ids=one"); // 400
    await c.call("get", "/api/v1/providers/nobody"); // 404

    // The provider's own side.
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/account", { token })).status, 200);
    files.set("/.well-known/chatons-directory.txt", `${verification.token}\n`);
    assert.is((await c.call("post", "/api/v1/providers/chaton-oa/verification", { token })).status, 200);
    await c.call("get", "/api/v1/providers/chaton-oa/source", { token }); // 404
    files.set("/org.properties", "organization.name = OA\nsubs.visio = visio.properties\n");
    files.set("/visio.properties", "service.name = Visio\nsoftware.name = Jitsi Meet\nservice.registration = None\n");
    assert.is((await c.call("put", "/api/v1/providers/chaton-oa/source", { token, body: { url: `${site.url}/org.properties`, format: "statoolinfos" } })).status, 200);
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/source", { token })).status, 200);
    await c.call("put", "/api/v1/providers/chaton-oa/source", { token, body: { url: "ftp://x", format: "json" } }); // 400
    assert.is((await c.call("delete", "/api/v1/providers/chaton-oa/source", { token })).status, 204);
    await c.call("get", "/api/v1/providers/chaton-oa/webhook", { token }); // 404
    assert.is((await c.call("put", "/api/v1/providers/chaton-oa/webhook", { token, body: { url: rx.url } })).status, 200);
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/webhook", { token })).status, 200);
    assert.is((await c.call("post", "/api/v1/providers/chaton-oa/webhook/rotate", { token })).status, 200);
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/webhook", { token })).status, 200);
    assert.is((await c.call("post", "/api/v1/providers/chaton-oa/webhook/test", { token })).status, 200);
    await c.call("get", "/api/v1/providers/chaton-oa/nextcloud", { token }); // 404
    assert.is((await c.call("put", "/api/v1/providers/chaton-oa/nextcloud", { token, body: { url: `${site.url}/nextcloud`, token: "Xk3pQ9vLm2Rt7Wz5" } })).status, 200);
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/nextcloud", { token })).status, 200);
    assert.is((await c.call("delete", "/api/v1/providers/chaton-oa/nextcloud", { token })).status, 204);

    // Signups, deliveries, dead letters.
    const person = { email: "camille@example.org", name: "Camille", locale: "fr", consent: true };
    const s = await c.call("post", "/api/v1/signups", { body: { offerId: "chaton-oa~cloud", ...person }, headers: { "idempotency-key": "k-1" } });
    assert.is(s.status, 202);
    await c.call("post", "/api/v1/signups", { body: { offerId: "chaton-oa~cloud", ...person, email: "other@example.org" }, headers: { "idempotency-key": "k-1" } }); // 422
    await c.call("post", "/api/v1/signups", { body: { offerId: "nobody~nothing", ...person } }); // 404
    const { id, statusUrl } = s.json();
    const st = new URL(statusUrl).searchParams.get("token")!;
    assert.is((await c.call("get", `/api/v1/signups/${id}?token=${st}`)).status, 200);
    await c.call("get", `/api/v1/signups/${id}?token=wrong`); // 404
    await c.call("post", "/api/v1/signups", { body: { offerId: "chaton-oa~cloud", ...person, email: "refuse@example.org" } });
    await runDeliveryRound(a.env.deps);
    assert.is((await c.call("post", `/api/v1/signups/${id}/events`, { token, body: { status: "provisioning" } })).status, 200);
    await c.call("post", `/api/v1/signups/${id}/events`, { token: other, body: { status: "active" } }); // 403
    assert.is((await c.call("get", "/api/v1/providers/chaton-oa/signups?status=pending,provisioning&limit=5", { token })).status, 200);
    const deliveries = await c.call("get", "/api/v1/providers/chaton-oa/deliveries?status=rejected", { token });
    assert.is(deliveries.status, 200);
    const rejected = deliveries.json().items[0].id;
    assert.is((await c.call("post", `/api/v1/providers/chaton-oa/deliveries/${rejected}/redeliver`, { token })).status, 202);
    await c.call("post", `/api/v1/providers/chaton-oa/deliveries/${rejected}/redeliver`, { token }); // 409: pending again
    await runDeliveryRound(a.env.deps);
    assert.is((await c.call("get", "/api/v1/admin/deliveries?status=rejected", { token: admin })).status, 200);
    assert.is((await c.call("post", `/api/v1/admin/deliveries/${rejected}/redeliver`, { token: admin })).status, 202);
    await c.call("get", "/api/v1/admin/deliveries", { token: "wrong-admin-token-xxxxxxxx" }); // 401

    // Federation administration, with a second directory.
    assert.is((await c.call("get", "/api/v1/admin/follows", { token: admin })).status, 200);
    const cb = contract(doc, b.url);
    assert.is((await cb.call("post", "/api/v1/admin/follows", { token: admin, body: { actor: `${a.url}/ap/directory` } })).status, 202);
    await eventually("follow request received", async () => (await c.call("get", "/api/v1/admin/followers?status=pending", { token: admin })).json().items.length === 1);
    assert.is((await c.call("post", "/api/v1/admin/followers/accept", { token: admin, body: { actor: "directory", follower: `${b.url}/ap/directory` } })).status, 200);
    assert.is((await c.call("post", "/api/v1/admin/followers/accept", { token: admin, body: { actor: "directory", follower: `${b.url}/ap/directory` } })).status, 200); // again: the same follower
    await c.call("post", "/api/v1/admin/followers/reject", { token: admin, body: { actor: "directory", follower: "https://nobody.example/actor" } }); // 404
    await drained(a);
    // Federated signups (docs/federated-signups.md): B hands a signup over to A, signed as B's directory; A reports back.
    const federated = await eventually("A's offer on B, taking hand-overs", async () => (await cb.call("get", "/api/v1/offers?limit=20")).json().items.find((o: { acceptsSignups: boolean; source: string }) => o.source === "federated" && o.acceptsSignups));
    const handover = { offer: `${a.url}/ap/offers/chaton-oa~cloud`, account: { email: "fed@example.org", name: "Fed", locale: "fr" }, consent: true, callbackUrl: `${b.url}/api/v1/federation/signups/su_contract/status` };
    assert.is((await c.signed(b, "/api/v1/federation/signups", handover, { "idempotency-key": "fed-1" })).status, 202);
    assert.is((await c.signed(b, "/api/v1/federation/signups", handover, { "idempotency-key": "fed-1" })).status, 202); // replayed
    await c.signed(b, "/api/v1/federation/signups", { ...handover, account: { ...handover.account, email: "x@example.org" } }, { "idempotency-key": "fed-1" }); // 422
    await c.signed(b, "/api/v1/federation/signups", { ...handover, offer: `${a.url}/ap/offers/nobody~x` }, { "idempotency-key": "fed-2" }); // 404
    await c.signed(b, "/api/v1/federation/signups", { ...handover, consent: false }, { "idempotency-key": "fed-3" }); // 400
    await c.call("post", "/api/v1/federation/signups", { body: handover }); // 401: unsigned
    const onB = (await cb.call("post", "/api/v1/signups", { body: { offerId: federated.id, ...person, email: "fed2@example.org" } })).json();
    await runDeliveryRound(b.env.deps);
    const remote = (await b.env.deps.db.selectFrom("signups").select("remote_id").where("id", "=", onB.id).executeTakeFirstOrThrow()).remote_id!;
    const report = { id: remote, status: "delivered", events: [{ status: "pending", at: "2026-11-25T12:00:00.000Z" }, { status: "delivered", at: "2026-11-25T12:00:01.000Z" }] };
    assert.is((await cb.signed(a, `/api/v1/federation/signups/${onB.id}/status`, report)).status, 200);
    await cb.signed(a, "/api/v1/federation/signups/su_nobody/status", report); // 404
    await cb.signed(a, `/api/v1/federation/signups/${onB.id}/status`, { ...report, status: "nope" }); // 400
    await cb.call("post", `/api/v1/federation/signups/${onB.id}/status`, { body: report }); // 401: unsigned
    // A refuses B (204) while it certainly is a follower; once B has heard it, B asks again and then unfollows (204).
    assert.is((await c.call("post", "/api/v1/admin/followers/reject", { token: admin, body: { actor: "directory", follower: `${b.url}/ap/directory` } })).status, 204);
    await drained(a);
    await eventually("B heard the Reject", async () => (await cb.call("get", "/api/v1/admin/follows", { token: admin })).json().items.length === 0);
    assert.is((await cb.call("post", "/api/v1/admin/follows", { token: admin, body: { actor: `${a.url}/ap/directory` } })).status, 202);
    assert.is((await cb.call("delete", `/api/v1/admin/follows?actor=${encodeURIComponent(`${a.url}/ap/directory`)}`, { token: admin })).status, 204);
    await cb.call("delete", "/api/v1/admin/follows", { token: admin }); // 400: no actor
    assert.is((await c.call("post", "/api/v1/admin/blocks", { token: admin, body: { domain: "spam.example" } })).status, 201);
    assert.is((await c.call("post", "/api/v1/admin/blocks", { token: admin, body: { domain: "spam.example" } })).status, 200);
    assert.is((await c.call("get", "/api/v1/admin/blocks", { token: admin })).status, 200);
    assert.is((await c.call("delete", "/api/v1/admin/blocks/spam.example", { token: admin })).status, 204);
    await c.call("delete", "/api/v1/admin/blocks/spam.example", { token: admin }); // 404

    // Reports and moderation.
    assert.is((await c.call("post", "/api/v1/offers/chaton-oa~cloud/reports", { body: { reason: "misleading", message: "Le prix affiché n’est pas le bon." } })).status, 201);
    await c.call("post", "/api/v1/offers/chaton-oa~cloud/reports", { body: { reason: "nope" } }); // 400
    await c.call("post", "/api/v1/offers/nobody~nothing/reports", { body: { reason: "spam" } }); // 404
    const reported = (await c.call("get", "/api/v1/admin/reports", { token: admin })).json().items[0].id;
    assert.is((await c.call("post", `/api/v1/admin/reports/${reported}/close`, { token: admin, body: { note: "price fixed", by: "Camille" } })).status, 200);
    await c.call("post", `/api/v1/admin/reports/${reported}/close`, { token: admin }); // 409: already closed
    await c.call("get", "/api/v1/admin/reports?status=maybe", { token: admin }); // 400
    assert.is((await c.call("get", "/api/v1/admin/review", { token: admin })).status, 200);
    assert.is((await c.call("get", "/api/v1/admin/providers/chaton-oa", { token: admin })).status, 200);
    await c.call("get", "/api/v1/admin/providers/nobody", { token: admin }); // 404
    assert.is((await c.call("post", "/api/v1/admin/providers/chaton-oa/approve", { token: admin })).status, 200);
    assert.is((await c.call("post", "/api/v1/admin/offers/chaton-oa~cloud/hide", { token: admin, body: { reason: "misleading price" } })).status, 200);
    assert.is((await c.call("post", "/api/v1/admin/offers/chaton-oa~cloud/unhide", { token: admin, body: { reason: "fixed" } })).status, 200);
    await c.call("post", "/api/v1/admin/offers/chaton-oa~cloud/unhide", { token: admin }); // 409: not hidden
    await c.call("post", "/api/v1/admin/offers/chaton-oa~cloud/hide", { token: admin, body: {} }); // 400: no reason
    assert.is((await c.call("post", "/api/v1/admin/providers/chaton-oa/hide", { token: admin, body: { reason: "checking a complaint", by: "Camille" } })).status, 200);
    await c.call("post", "/api/v1/admin/providers/chaton-oa/approve", { token: admin }); // 409: hidden
    assert.is((await c.call("get", "/api/v1/admin/hidden", { token: admin })).status, 200);
    assert.is((await c.call("post", "/api/v1/admin/providers/chaton-oa/unhide", { token: admin })).status, 200);
    assert.is((await c.call("get", "/api/v1/admin/audit?limit=5", { token: admin })).status, 200);
    await c.call("get", "/api/v1/admin/audit", { token: "wrong-admin-token-xxxxxxxx" }); // 401

    // Tokens last.
    assert.is((await c.call("delete", "/api/v1/providers/chaton-oa/offers/pad", { token })).status, 204);
    const rotated = await c.call("post", "/api/v1/providers/chaton-oa/token/rotate", { token });
    assert.is(rotated.status, 200);
    assert.is((await c.call("delete", "/api/v1/providers/chaton-oa/token", { token: rotated.json().token })).status, 204);

    // Every documented operation was answered at least once with a success.
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => `${m} ${p}`));
    const seen = [...c.seen, ...cb.seen];
    const unsuccessful = ops.filter((op) => !seen.some((x) => x.startsWith(`${op} 2`)));
    assert.equal(unsuccessful, []);
    assert.ok(new Set(seen).size >= 70, String(new Set(seen).size)); // distinct (operation, status) pairs checked
  } finally {
    await rx.close(); await site.close();
    await b?.close(); await a?.close();
  }
});

test.run();
