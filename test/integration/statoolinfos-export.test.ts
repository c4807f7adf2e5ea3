/** Our catalog as StatoolInfos at /.well-known/chatonsinfos/…, read back by our own importer: the same offers. */
import { getRequestListener } from "@hono/node-server";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { importFederation } from "../../src/domain/sources/import.ts";
import { crawlDeps } from "../../src/domain/sources/manage.ts";
import { parseProperties } from "../../src/domain/sources/properties.ts";
import { json, putOffer, registerProvider, sampleOffer, testEnv, type TestEnv } from "../helpers/deps.ts";
import { startServer } from "../helpers/server.ts";

const CONTENT = ["service", "software", "title", "description", "price", "registration", "capacity", "quota", "dataLocation", "languages", "includes", "audience", "support"];
const content = (o: Record<string, unknown>) => Object.fromEntries(CONTENT.map((k) => [k, o[k]]));

test("export → import round trip: a second directory importing our Federation file gets the same offers, field by field", async () => {
  let a: TestEnv | undefined;
  const server = await startServer((req, res) => getRequestListener(a!.app.fetch)(req, res));
  a = await testEnv({ config: { publicUrl: server.url } });
  const b = await testEnv();
  try {
    const p1 = await registerProvider(a.app, "chaton-export", { name: "Chaton Export", country: "BE", orgType: "cooperative", description: { fr: "Coopérative # d’hébergement = libre", en: "Hosting co-op" } });
    await putOffer(a.app, p1.slug, p1.token, "cloud", sampleOffer({
      title: { fr: "Cloud : 10 Go\npour tous", en: "Cloud: 10 GB for all" }, description: { fr: "Fichiers \\ agendas # contacts", en: "Files, calendars" },
      price: { model: "fixed", amount: 500, currency: "EUR", period: "month" }, registration: "approval", includes: [{ service: "calendar", software: "Nextcloud Calendar" }],
      audience: ["associations", "individuals"], support: ["email", "docs"], quota: { storageGB: 10 }, languages: ["fr", "en", "nl"], dataLocation: "BE",
    }));
    await putOffer(a.app, p1.slug, p1.token, "pad", sampleOffer({
      service: "pad", software: { name: "Etherpad" }, title: { fr: "Pad" }, description: { fr: "Écrire à plusieurs." }, price: { model: "free" },
      registration: "none", capacity: "full", quota: {}, languages: ["fr"], audience: [], support: [], signup: { mode: "external", url: "https://pad.example/" },
    }));
    const p2 = await registerProvider(a.app, "autre-chaton");
    await putOffer(a.app, p2.slug, p2.token, "visio", sampleOffer({ service: "videoconference", software: { name: "Jitsi Meet", license: "Apache-2.0" }, price: { model: "membership", amount: 1000, currency: "EUR", period: "year" }, registration: "members" }));
    await registerProvider(a.app, "sans-offre");

    const fed = await a.app.request("/.well-known/chatonsinfos/federation.properties");
    assert.equal([fed.status, fed.headers.get("content-type")], [200, "text/plain; charset=utf-8"]);
    const fedText = await fed.text();
    const subs = [...parseProperties(fedText).values].filter(([k]) => k.startsWith("subs."));
    assert.equal(subs, [["subs.autre-chaton", `${server.url}/.well-known/chatonsinfos/autre-chaton.properties`], ["subs.chaton-export", `${server.url}/.well-known/chatonsinfos/chaton-export.properties`]]);
    const again = await a.app.request("/.well-known/chatonsinfos/chaton-export.properties", { headers: { "if-none-match": (await a.app.request("/.well-known/chatonsinfos/chaton-export.properties")).headers.get("etag")! } });
    assert.is(again.status, 304);
    assert.is((await a.app.request("/.well-known/chatonsinfos/sans-offre.properties")).status, 404);

    const r = await importFederation(crawlDeps(b.deps), `${server.url}/.well-known/chatonsinfos/federation.properties`);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    if (!r.ok) return;
    assert.equal([r.value.members, r.value.created, r.value.failed, r.value.offers.created], [2, 2, 0, 3]);
    for (const slug of ["chaton-export", "autre-chaton"]) {
      const mine = await json(await a.app.request(`/api/v1/providers/${slug}`));
      const theirs = await json(await b.app.request(`/api/v1/providers/${slug}`));
      assert.equal([theirs.name, theirs.country, theirs.orgType, theirs.description.fr], [mine.name, mine.country, mine.orgType, mine.description.fr]);
      assert.equal(theirs.offers.map((o: any) => o.id), mine.offers.map((o: any) => o.id));
      assert.equal(theirs.offers.map(content), mine.offers.map(content));
      // Pulled offers are joined on the publisher's side: its page for the offer.
      assert.equal(theirs.offers.map((o: any) => o.signup), mine.offers.map((o: any) => ({ mode: "external", url: `${server.url}/offers/${encodeURIComponent(o.id)}` })));
    }
  } finally { await server.close(); await a.close(); await b.close(); }
});

test.run();
