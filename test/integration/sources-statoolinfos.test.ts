import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crawlRound } from "../../src/domain/sources/crawler.ts";
import { crawlDeps } from "../../src/domain/sources/manage.ts";
import { ROOT } from "../../src/runtime/shared.ts";
import { json, registerProvider, testEnv } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";

const DIR = resolve(ROOT, "seeds/statoolinfos");
const PREFIX = "/.well-known/chatonsinfos/";

/** The seed files served under the well-known path, their absolute URLs pointed at the local server. */
function seedFiles(base: string) {
  const files = new Map<string, string>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".properties"))) {
    files.set(PREFIX + f, readFileSync(resolve(DIR, f), "utf8").replaceAll("https://chatons.example.net", base));
  }
  return files;
}

test("StatoolInfos pull of the seed files: mapped offers, precise issues, ended service not listed, then an all-304 re-crawl", async () => {
  const env = await testEnv();
  let files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  files = seedFiles(server.url);
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-libre", { country: "FR" });
    const orgUrl = `${server.url}${PREFIX}organization.properties`;
    const res = await env.app.request(`/api/v1/providers/${slug}/source`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ url: orgUrl, format: "statoolinfos" }),
    });
    assert.is(res.status, 200);
    const { lastPull } = await json(res);
    // peertube.properties is missing: the pull is degraded, never healthy, and a first pull creates nothing for it.
    assert.equal([lastPull.status, lastPull.created, lastPull.deleted], ["degraded", 3, 0]);
    assert.equal(lastPull.failures, [{ slug: "peertube", sub: "subs.peertube", file: orgUrl, line: 34, url: `${server.url}${PREFIX}peertube.properties`, status: 404, error: "HTTP 404", offer: "not-created" }]);
    const src = await json(await env.app.request(`/api/v1/providers/${slug}/source`, { headers: { authorization: `Bearer ${token}` } }));
    assert.equal([src.state, src.health], ["degraded", 100]);
    assert.equal(lastPull.issues, [
      { file: orgUrl, line: 27, message: 'no "=" on this line (expected key = value): "Voir aussi nos statistiques sur https://stats.example"' },
      { file: `${server.url}${PREFIX}framadate.properties`, message: "not listed: service.status.level is OFF" },
      { file: `${server.url}${PREFIX}peertube.properties`, message: 'HTTP 404; no offer "peertube" created' },
    ]);
    const offers = (await json(await env.app.request("/api/v1/providers/chaton-libre"))).offers;
    const view = offers.map((o: any) => ({ id: o.id, service: o.service, software: o.software, title: o.title.fr, price: o.price.model, registration: o.registration, capacity: o.capacity, dataLocation: o.dataLocation, signup: o.signup, source: o.source }));
    assert.equal(view, [
      { id: "chaton-libre~nextcloud", service: "storage", software: { name: "Nextcloud", version: "30.0.4", license: "AGPL-3.0" }, title: "Cloud du Chaton", price: "free", registration: "open", capacity: "available", dataLocation: "FR", signup: { mode: "external", url: "https://cloud.chatons.example.net/" }, source: "crawled" },
      { id: "chaton-libre~etherpad", service: "pad", software: { name: "Etherpad", version: "2.2.6", license: "Apache-2.0" }, title: "Pads collaboratifs", price: "membership", registration: "members", capacity: "full", dataLocation: "FR", signup: { mode: "external", url: "https://pad.chatons.example.net/" }, source: "crawled" },
      { id: "chaton-libre~jitsi", service: "videoconference", software: { name: "Jitsi Meet", license: "Apache-2.0" }, title: "Visio Chaton", price: "free", registration: "open", capacity: "available", dataLocation: "BE", signup: { mode: "external", url: "https://visio.chatons.example.net/" }, source: "crawled" },
    ].sort((a, b) => a.title.localeCompare(b.title)));
    // A pull manages offers only: the profile (and membership) stays as the provider registered it.
    const p = await json(await env.app.request("/api/v1/providers/chaton-libre"));
    assert.equal([p.name, p.chatonsMember], ["Hébergeur chaton-libre", false]);

    // Re-crawl while peertube.properties is still 404: everything is re-read (its offer must not be confirmed), nothing changes.
    env.deps.clock.advance(7 * 3_600_000);
    const r1 = await crawlRound(crawlDeps(env.deps));
    assert.equal([r1.updated, r1.notModified, r1.created, r1.changed], [1, 0, 0, 0]);
    assert.is((await env.deps.db.selectFrom("offer_changes").select("id").execute()).length, 3);

    // The missing file appears: its offer is created.
    files.set(`${PREFIX}peertube.properties`, "file.class = Service\nservice.name = Vidéos\nservice.registration = Member\nsoftware.name = PeerTube\n");
    env.deps.clock.advance(7 * 3_600_000);
    const r2 = await crawlRound(crawlDeps(env.deps));
    assert.equal([r2.updated, r2.created], [1, 1]);
    const peertube = await json(await env.app.request("/api/v1/offers/chaton-libre~peertube"));
    assert.equal([peertube.service, peertube.registration, peertube.price.model, peertube.dataLocation], ["video", "members", "membership", "FR"]);

    // Now every file answers 304: nothing parsed, nothing written, no events.
    const before = server.requests.length;
    env.deps.clock.advance(7 * 3_600_000);
    const s = await crawlRound(crawlDeps(env.deps));
    assert.equal([s.notModified, s.updated, s.failed], [1, 0, 0]);
    const again = server.requests.slice(before);
    assert.equal(again.map((r) => r.path).sort(), ["etherpad", "framadate", "jitsi", "nextcloud", "organization", "peertube"].map((n) => `${PREFIX}${n}.properties`));
    assert.ok(again.every((r) => typeof r.headers["if-none-match"] === "string"));
    assert.is((await env.deps.db.selectFrom("offer_changes").select("id").execute()).length, 4);

    // A service file changes and a sub disappears from the organization file: full re-read.
    files.set(`${PREFIX}etherpad.properties`, files.get(`${PREFIX}etherpad.properties`)!.replace("service.registration.load = FULL", "service.registration.load = OPEN"));
    files.set(`${PREFIX}organization.properties`, files.get(`${PREFIX}organization.properties`)!.replace(/subs\.jitsi = .*\r\n/, ""));
    env.deps.clock.advance(7 * 3_600_000);
    const s2 = await crawlRound(crawlDeps(env.deps));
    assert.equal([s2.updated, s2.changed, s2.deleted], [1, 1, 1]);
    const events = await env.deps.db.selectFrom("offer_changes").select(["offer_id", "kind"]).orderBy("id").execute();
    assert.equal(events.slice(4), [{ offer_id: "chaton-libre~etherpad", kind: "updated" }, { offer_id: "chaton-libre~jitsi", kind: "deleted" }]);

    // The site starts answering an HTML page with 200 (a broken CMS): the pull fails instead of deleting every offer.
    files.set(`${PREFIX}organization.properties`, "<!doctype html>\n<html><body>Page introuvable</body></html>\n");
    env.deps.clock.advance(7 * 3_600_000);
    const s3 = await crawlRound(crawlDeps(env.deps));
    assert.equal([s3.failed, s3.deleted], [1, 0]);
    assert.is(s3.failures[0].error, `${orgUrl}: not a StatoolInfos organization file (no organization.name, no subs.* lines)`);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 3);
  } finally { await server.close(); await env.close(); }
});

test("StatoolInfos: a missing organization file fails the pull and writes nothing", async () => {
  const env = await testEnv();
  const server = await startServer(staticFiles(new Map()));
  try {
    const { slug, token } = await registerProvider(env.app, "chaton-vide");
    const res = await env.app.request(`/api/v1/providers/${slug}/source`, {
      method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ url: `${server.url}/org.properties`, format: "statoolinfos" }),
    });
    const body = await json(res);
    assert.equal([res.status, body.lastPull.status, body.lastPull.error, body.health], [200, "failed", `${server.url}/org.properties: HTTP 404`, 75]);
    assert.is((await env.deps.db.selectFrom("offers").select("id").execute()).length, 0);
  } finally { await server.close(); await env.close(); }
});

test.run();
