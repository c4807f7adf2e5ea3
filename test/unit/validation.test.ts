import { test } from "uvu";
import * as assert from "uvu/assert";
import * as v from "valibot";
import { ftsMatch } from "../../src/domain/catalog/search.ts";
import { OfferInput, SearchQuery } from "../../src/domain/schemas.ts";
import { fold, words } from "../../src/domain/text.ts";
import { monthlyPrice, offerTags } from "../../src/domain/catalog/offers.ts";
import { fieldErrors } from "../../src/http/validate.ts";
import { sampleOffer } from "../helpers/deps.ts";

test("OfferInput applies defaults for optional lists and capacity", () => {
  const { audience, support, includes, capacity, ...rest } = sampleOffer() as Record<string, unknown>;
  const r = v.parse(OfferInput, rest);
  assert.equal(r.audience, []);
  assert.equal(r.includes, []);
  assert.is(r.capacity, "available");
});

test("OfferInput reports every invalid field with its path", () => {
  const r = v.safeParse(OfferInput, sampleOffer({ service: "teleportation", dataLocation: "France", title: {}, price: { model: "fixed", amount: 5.5, currency: "EUR" } }));
  assert.is(r.success, false);
  const errors = fieldErrors(r.issues!);
  assert.equal(errors.map((e) => e.path).sort(), ["dataLocation", "price.amount", "service", "title"]);
  assert.match(errors.find((e) => e.path === "dataLocation")!.message, /ISO 3166-1 alpha-2/);
});

test("price amount needs a currency; external signup needs a url", () => {
  const r = v.safeParse(OfferInput, sampleOffer({ price: { model: "fixed", amount: 500 }, signup: { mode: "external" } }));
  assert.is(r.success, false);
  assert.equal(fieldErrors(r.issues!).map((e) => e.path).sort(), ["price.currency", "signup.url"]);
});

test("SearchQuery: repeatable and comma-separated values, last single value wins, limit bounds", () => {
  const r = v.parse(SearchQuery, { service: ["storage,pad", "chat"], limit: ["5", "7"], member: ["true"] });
  assert.equal(r.service, ["storage", "pad", "chat"]);
  assert.is(r.limit, 7);
  assert.is(r.member, true);
  for (const bad of ["0", "101", "abc", "-1", "1.5"]) assert.is(v.safeParse(SearchQuery, { limit: [bad] }).success, false, bad);
  assert.is(v.safeParse(SearchQuery, { service: ["teleportation"] }).success, false);
});

test("fold and words ignore accents and case the way FTS5 does", () => {
  assert.is(fold("  École   Numérique  "), "ecole numerique");
  assert.is(fold("Œuvre Ça"), "œuvre ca");
  assert.equal(words("Bloc-notes: l'agenda*"), ["bloc", "notes", "l", "agenda"]);
});

test("ftsMatch quotes every word, prefixes the last, and drops FTS syntax", () => {
  assert.is(ftsMatch("Nextc"), '"nextc"*');
  // Each word also matches its plural/singular; "drive" is a storage synonym (src/domain/catalog/synonyms.json).
  assert.is(ftsMatch('École "NEAR( -drive: *'), '("ecole" OR "ecoles") AND ("near" OR "nears") AND ("drive"* OR keywords : "storage")');
  assert.is(ftsMatch('" * - :'), undefined);
});

test("monthly price: free and pay-what-you-want are 0, yearly is divided by 12", () => {
  assert.is(monthlyPrice({ model: "free" }), 0);
  assert.is(monthlyPrice({ model: "pay-what-you-want" }), 0);
  assert.is(monthlyPrice({ model: "membership", amount: 1200, currency: "EUR", period: "year" }), 100);
  assert.is(monthlyPrice({ model: "fixed", amount: 500, currency: "EUR", period: "month" }), 500);
  assert.is(monthlyPrice({ model: "fixed" }), null);
});

test("offer tags cover packs, languages and provider fields", () => {
  const tags = offerTags({
    service: "storage", software_name: "Nextcloud", includes_json: JSON.stringify([{ service: "chat", software: "Rocket.Chat" }]),
    languages_json: '["fr","en-CA"]', price_model: "free", registration: "open", capacity: "full", audience_json: '["associations"]',
    data_location: "FR", source: "local", signup_mode: "webhook", signup_url: null,
  }, { country: "BE", org_type: "cooperative", chatons_member: 1, verified: 0 }, true);
  assert.equal(tags.map((t) => t.join("=")).sort(), [
    "audience=associations", "available=false", "country=BE", "dataLocation=FR", "lang=en", "lang=fr", "member=true", "orgType=cooperative", "place=BE", "place=FR",
    "price=free", "registration=open", "service=chat", "service=storage", "software=nextcloud", "software=rocket.chat", "verified=false",
  ]);
});

test.run();
