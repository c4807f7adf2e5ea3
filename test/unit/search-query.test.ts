import { test } from "uvu";
import * as assert from "uvu/assert";
import { ftsMatch, parseQuery, wordForms } from "../../src/domain/catalog/query.ts";
import { searchCursor } from "../../src/domain/catalog/search.ts";

const { encode: encodeCursor, decode: decodeCursor } = searchCursor;
import { planSearch } from "../../src/domain/catalog/search.ts";
import { T0 } from "../helpers/deps.ts";

test("wordForms: French and English plurals both ways", () => {
  assert.equal(wordForms("agendas"), ["agendas", "agenda"]);
  assert.equal(wordForms("agenda"), ["agenda", "agendas"]);
  assert.equal(wordForms("reseaux"), ["reseaux", "reseau"]);
  assert.equal(wordForms("journaux"), ["journaux", "journau", "journal"]);
  assert.equal(wordForms("libraries"), ["libraries", "library"]);
  assert.equal(wordForms("bureau"), ["bureau", "bureaux"]);
  assert.equal(wordForms("ip"), ["ip"]);
  assert.equal(wordForms("v30"), ["v30"]);
});

test("synonyms come from the data file; multi-word phrases match as a phrase", () => {
  assert.is(ftsMatch("visio"), '("visio"* OR keywords : "videoconference")');
  assert.is(ftsMatch("bloc-notes"), '("bloc notes" OR keywords : "pad")');
  assert.is(ftsMatch("Sondage Doodle"), '("sondage" OR "sondages" OR keywords : "poll") AND ("doodle"* OR keywords : "poll")');
  assert.equal(parseQuery("partage de fichiers").groups.map((g) => g.services), [["storage"]]);
});

test("stopwords are dropped unless nothing else is left", () => {
  assert.is(ftsMatch("un pad pour les associations"), '("pad" OR "pads" OR keywords : "pad") AND ("associations"* OR "association")');
  assert.is(ftsMatch("le"), '"le"*');
  assert.is(ftsMatch("   "), undefined);
});

test("planSearch: canonical key ignores spelling, order and repetition of filters", () => {
  const a = planSearch({ q: "Agendas  Partagés", service: ["pad", "chat", "pad"], limit: 20 }, T0);
  const b = planSearch({ q: "agendas partages", service: ["chat", "pad"] }, T0);
  const keyOf = (p: ReturnType<typeof planSearch>) => (p === "empty" ? "empty" : p.key);
  assert.is.not(keyOf(a), "empty");
  assert.is(keyOf(a), keyOf(b));
  assert.is.not(keyOf(planSearch({}, T0)), keyOf(planSearch({}, T0 + 86_400_000)), "fair order changes with the day");
  assert.is(keyOf(planSearch({ q: "***" }, T0)), "empty");
});

test("cursors round-trip and reject tampering", () => {
  const c = { s: "relevance", k: -3.25, i: 42, v: "17" };
  assert.equal(decodeCursor(encodeCursor(c)), c);
  assert.is(decodeCursor(encodeCursor({ ...c, i: 1.5 })), undefined);
  assert.is(decodeCursor(btoa("[1,2]")), undefined);
  assert.is(decodeCursor("!!"), undefined);
});

test.run();
