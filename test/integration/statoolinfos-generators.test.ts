/**
 * StatoolInfos files as real generators write them (test/fixtures/statoolinfos/README.md says which source each
 * shape comes from), imported field by field; the collective's Federation file confirming exactly its members.
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crawlRound } from "../../src/domain/sources/crawler.ts";
import { importFederation, importStatoolInfos } from "../../src/domain/sources/import.ts";
import { crawlDeps } from "../../src/domain/sources/manage.ts";
import { formatProperties } from "../../src/domain/sources/properties.ts";
import { ROOT } from "../../src/runtime/shared.ts";
import { json, registerProvider, testEnv } from "../helpers/deps.ts";
import { startServer, staticFiles } from "../helpers/server.ts";

const FIX = resolve(ROOT, "test/fixtures/statoolinfos");
const read = (dir: string, base: string) => new Map(readdirSync(resolve(FIX, dir)).map((f) => [f, readFileSync(resolve(FIX, dir, f), "utf8").replaceAll("https://HOST", base).replaceAll("https\\://HOST", base.replace(":", "\\:"))]));

/** The offers of a provider as the API shows them, reduced to what the files say. */
async function offersOf(app: Awaited<ReturnType<typeof testEnv>>["app"], slug: string) {
  const body = await json(await app.request(`/api/v1/providers/${slug}`));
  return body.offers.map((o: any) => ({
    id: o.id, title: o.title.fr, description: o.description.fr, service: o.service, software: o.software, price: o.price.model,
    registration: o.registration, capacity: o.capacity, dataLocation: o.dataLocation, signup: o.signup.url, source: o.source,
  })).sort((a: any, b: any) => a.id.localeCompare(b.id));
}

test("chatonsinfos_ynh files (quoted subs, the broken external sub, multi-instance app ids, quoted values) import every offer, field by field", async () => {
  const env = await testEnv();
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files, "text/plain; charset=utf-8")(req, res));
  try {
    const ynh = read("yunohost", server.url);
    // The app's default path is /.well_known/chatonsinfos/ (manifest.toml); the external sub lives elsewhere.
    for (const [name, body] of ynh) files.set(name === "jitsi.properties" ? "/ext/jitsi.properties" : `/.well_known/chatonsinfos/${name}`, body);
    const orgUrl = `${server.url}/.well_known/chatonsinfos/organization.properties`;
    const r = await importStatoolInfos(crawlDeps(env.deps), orgUrl);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    if (!r.ok) return;
    const { provider, report } = r.value;
    assert.equal([provider.slug, provider.name, provider.org_type, provider.country, provider.website, r.value.membership], ["le-petit-chaton", "Le Petit Chaton", "association", "FR", `${server.url}/`, "unconfirmed"]);
    assert.equal([report.status, report.created, report.failures], ["updated", 3, undefined]);
    assert.ok(report.issues.some((i) => i.line === 53 && i.message === `subs.jitsi: the generator wrote "jitsi:${server.url}/ext/jitsi.properties" as the key; read as ${server.url}/ext/jitsi.properties`), JSON.stringify(report.issues));
    assert.equal(await offersOf(env.app, provider.slug), [
      { id: "le-petit-chaton~jitsi", title: "Visio", description: "Visioconférence sans compte, hébergée en Belgique", service: "videoconference", software: { name: "Jitsi Meet", license: "Apache-2.0" }, price: "free", registration: "open", capacity: "full", dataLocation: "BE", signup: "https://visio.petit-chaton.example/", source: "crawled" },
      { id: "le-petit-chaton~my-webapp-2", title: "Pad de l'asso", description: "Bloc-notes collaboratif en temps réel", service: "pad", software: { name: "Etherpad", license: "Apache-2.0" }, price: "free", registration: "open", capacity: "available", dataLocation: "FR", signup: `${server.url}/pad`, source: "crawled" },
      { id: "le-petit-chaton~nextcloud", title: "Nextcloud", description: "Online storage, file sharing platform and various other applications", service: "storage", software: { name: "Nextcloud", license: "AGPL-3.0-or-later" }, price: "membership", registration: "members", capacity: "available", dataLocation: "FR", signup: `${server.url}/nextcloud`, source: "crawled" },
    ]);
  } finally { await server.close(); await env.close(); }
});

test("java.util.Properties.store output (\\uXXXX, escaped ':' '=' '#') and hand-written files (':' separators, continuations, CRLF, relative subs) import field by field", async () => {
  const env = await testEnv();
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  try {
    for (const [name, body] of read("java-store", server.url)) files.set(`/java/${name}`, body);
    const r = await importStatoolInfos(crawlDeps(env.deps), `${server.url}/java/organization.properties`);
    assert.ok(r.ok);
    if (!r.ok) return;
    const p = r.value.provider;
    assert.equal([p.slug, p.name, JSON.parse(p.description_json).fr, p.website, p.org_type, p.country, r.value.report.status, r.value.report.issues],
      ["libre-a-tous", "Libre À Tous", "Coopérative d’hébergement #libre = éthique", "https://libre-a-tous.example/", "cooperative", "BE", "updated", []]);
    assert.equal(await offersOf(env.app, p.slug), [
      { id: "libre-a-tous~cloud", title: "Cloud éthique", description: "Stockage de fichiers, agendas et contacts synchronisés.\nSauvegardes chiffrées chaque nuit.", service: "storage", software: { name: "Nextcloud", version: "31.0.2", license: "AGPL-3.0" }, price: "fixed", registration: "approval", capacity: "available", dataLocation: "FR", signup: "https://cloud.libre-a-tous.example/", source: "crawled" },
      { id: "libre-a-tous~sondage", title: "Sondages", description: "Sondages et rendez-vous, sans inscription.", service: "poll", software: { name: "Framadate", license: "CECILL-B" }, price: "free", registration: "open", capacity: "available", dataLocation: "BE", signup: "https://libre-a-tous.example/", source: "crawled" },
    ]);
  } finally { await server.close(); await env.close(); }
});

/** An organization file in the ChatonsInfos template's shape. */
const orgFile = (name: string, website: string, level: string | undefined, subs: Record<string, string> = {}, status = "ACTIVE") => formatProperties([
  ["file.class", "organization"], ["file.protocol", "ChatonsInfos-0.5"], ["organization.name", name], ["organization.website", website],
  ["organization.type", "ASSOCIATION"], ["organization.country.code", "FR"], ["organization.status.level", status],
  ...(level ? [["organization.memberof.chatons.status.level", level] as [string, string], ["organization.memberof.chatons.startdate", "2020-01-01"] as [string, string]] : []),
  // Quoted as chatonsinfos_ynh writes them.
]) + Object.entries(subs).map(([k, v]) => `subs.${k} = '${v}'\n`).join("");

test("a Federation file with five members confirms exactly the listed ones; AWAY is not a member, IDLE is shown as such, an unlisted declaration stays unconfirmed; a same-named provider is never overwritten", async () => {
  const env = await testEnv({ env: { CHATONS_FEDERATION_URL: "http://127.0.0.1:1/placeholder" } });
  const files = new Map<string, string>();
  const server = await startServer((req, res) => staticFiles(files)(req, res));
  try {
    const base = server.url;
    const svc = formatProperties([["file.class", "service"], ["service.name", "Cloud"], ["service.registration", "Free"], ["software.name", "Nextcloud"], ["service.status.level", "OK"]]);
    files.set("/a/org.properties", orgFile("Alpha", `${base}/a/`, "ACTIVE", { cloud: `${base}/a/cloud.properties` }));
    files.set("/a/cloud.properties", svc);
    files.set("/b/org.properties", orgFile("Bravo", `${base}/b/`, "ACTIVE"));
    files.set("/c/org.properties", orgFile("Charlie", `${base}/c/`, "IDLE"));
    files.set("/d/org.properties", orgFile("Delta", `${base}/d/`, "AWAY"));
    files.set("/e/org.properties", orgFile("Echo", `${base}/e/`, "ACTIVE", { cloud: `${base}/e/cloud.properties` }, "AWAY"));
    files.set("/e/cloud.properties", svc);
    files.set("/x/org.properties", orgFile("Xray", `${base}/x/`, "ACTIVE")); // declares, never listed
    // The collective's Federation file, as chatons.properties is written: five members.
    files.set("/chatons.properties", [
      "# [File]", "file.class = federation", "file.protocol = ChatonsInfos-0.5", "", "# [Federation]", "federation.name = CHATONS",
      "federation.website = https://www.chatons.org/", "", "# [Subs]",
      ...["a", "b", "c", "d", "e"].map((m) => `subs.${m} = ${base}/${m}/org.properties`), "",
    ].join("\n"));
    // An unrelated provider that happens to be called "Bravo" registered through the API first.
    const other = await registerProvider(env.app, "bravo", { name: "Bravo", website: "https://bravo-other.example" });

    const deps = crawlDeps(env.deps);
    const r = await importFederation(deps, `${base}/chatons.properties`);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    if (!r.ok) return;
    assert.equal([r.value.members, r.value.created, r.value.updated, r.value.failed, r.value.list.confirmed], [5, 5, 0, 0, 2]);
    const x = await importStatoolInfos(deps, `${base}/x/org.properties`);
    assert.ok(x.ok);

    const list = await json(await env.app.request("/api/v1/providers?limit=50"));
    const byName = Object.fromEntries(list.items.map((p: any) => [`${p.name}/${p.slug}`, [p.chatonsMember, p.chatonsMembership]]));
    assert.equal(byName, {
      "Alpha/alpha": [true, "member"], "Bravo/bravo-2": [true, "member"], "Charlie/charlie": [false, "idle"], "Delta/delta": [false, "none"],
      "Echo/echo": [false, "none"], "Xray/xray": [false, "unconfirmed"], "Bravo/bravo": [false, "none"],
    });
    // The same-named provider kept its website and its token still works.
    const kept = await json(await env.app.request("/api/v1/providers/bravo"));
    assert.is(kept.website, "https://bravo-other.example");
    assert.is((await env.app.request("/api/v1/providers/bravo/account", { headers: { authorization: `Bearer ${other.token}` } })).status, 200);
    // member=true keeps exactly the confirmed ACTIVE members; the closed (AWAY) organisation lists no offer.
    const members = await json(await env.app.request("/api/v1/providers?member=true"));
    assert.equal(members.items.map((p: any) => p.slug), ["alpha", "bravo-2"]);
    assert.equal((await json(await env.app.request("/api/v1/providers/echo"))).offers, []);
    assert.equal((await json(await env.app.request("/api/v1/providers/alpha"))).offers.map((o: any) => o.id), ["alpha~cloud"]);
    const page = await (await env.app.request("/providers/xray?lang=en")).text();
    assert.match(page, /data-badge="declared"[^>]*>Declares CHATONS membership</);
    assert.match(await (await env.app.request("/providers/charlie?lang=fr")).text(), /Membre des CHATONS \(activité en pause\)/);

    // Alpha leaves (its own file says AWAY): the next crawl ends its membership. Bravo drops off the collective's list.
    files.set("/a/org.properties", orgFile("Alpha", `${base}/a/`, "AWAY", { cloud: `${base}/a/cloud.properties` }));
    files.set("/chatons.properties", files.get("/chatons.properties")!.replace(`subs.b = ${base}/b/org.properties\n`, ""));
    env.deps.config.chatonsFederationUrl = `${base}/chatons.properties`;
    env.deps.clock.advance(7 * 3_600_000);
    const round = await crawlRound(crawlDeps(env.deps));
    assert.equal([round.federation?.status, round.federation?.members], ["updated", 4]);
    const after = await json(await env.app.request("/api/v1/providers?member=true"));
    assert.equal(after.items.map((p: any) => p.slug), []);
    const alpha = await json(await env.app.request("/api/v1/providers/alpha"));
    assert.equal([alpha.chatonsMembership, (await json(await env.app.request("/api/v1/providers/bravo-2"))).chatonsMembership], ["none", "unconfirmed"]);

    // The collective's site fails: the list is kept, nobody loses a confirmed membership because of an outage.
    files.set("/b/org.properties", orgFile("Bravo", `${base}/b/`, "ACTIVE"));
    files.set("/chatons.properties", files.get("/chatons.properties")!.replace("# [Subs]", `# [Subs]\nsubs.b = ${base}/b/org.properties`));
    env.deps.clock.advance(7 * 3_600_000);
    await crawlRound(crawlDeps(env.deps));
    assert.is((await json(await env.app.request("/api/v1/providers/bravo-2"))).chatonsMembership, "member");
    files.delete("/chatons.properties");
    env.deps.clock.advance(7 * 3_600_000);
    const failed = await crawlRound(crawlDeps(env.deps));
    assert.equal([failed.federation?.status, failed.federation?.error], ["failed", `${base}/chatons.properties: HTTP 404`]);
    assert.is((await json(await env.app.request("/api/v1/providers/bravo-2"))).chatonsMembership, "member");
  } finally { await server.close(); await env.close(); }
});

test.run();
