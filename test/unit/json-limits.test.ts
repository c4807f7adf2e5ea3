import { test } from "uvu";
import * as assert from "uvu/assert";
import { mergePatch } from "../../src/domain/providers/offers.ts";
import { isUnstorableText, jsonTooDeep, unstorableTextPath } from "../../src/lib/json-limits.ts";

test("nesting depth: 32 levels pass, 33 do not; 100,000 levels are measured without recursion", () => {
  const nest = (n: number) => { let v: unknown = 1; for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v }; return v; };
  assert.equal([jsonTooDeep(nest(32)), jsonTooDeep(nest(33)), jsonTooDeep(nest(100_000)), jsonTooDeep("x"), jsonTooDeep(null)], [false, true, true, false, false]);
});

test("unstorable text: NUL and unpaired surrogates anywhere, paired surrogates fine; the first offending path is named", () => {
  assert.equal(["a\u0000", "\uD800", "x\uDC00", "\uDBFF\uDBFF\uDC00", "😀", "é\u202E"].map(isUnstorableText), [true, true, true, true, false, false]);
  assert.is(unstorableTextPath({ name: "ok", title: { fr: "bon", en: "bad\u0000" }, tags: ["a", "b\uD83D"] }), "title.en");
  assert.is(unstorableTextPath({ tags: ["a", "b\uD83D"] }), "tags[1]");
  assert.is(unstorableTextPath({ "k\u0000": 1 }), "k\uFFFD");
  assert.is(unstorableTextPath("\uDFFF"), "(body)");
  assert.is(unstorableTextPath({ fine: ["😀", { x: "y" }] }), undefined);
});

test("merge patch follows RFC 7396's examples (appendix A) and survives deep and __proto__ patches", () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: "b" }, { a: "c" }, { a: "c" }], [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }], [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }], [{ a: ["b"] }, { a: "c" }, { a: "c" }], [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }], [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]], [{ a: "b" }, ["c"], ["c"]], [{ a: "foo" }, null, null], [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }], [[1, 2], { a: "b", c: null }, { a: "b" }], [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) assert.equal(mergePatch(target, patch), result, JSON.stringify([target, patch]));
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 50_000; i++) { deep.a = {}; deep = deep.a as Record<string, unknown>; }
  assert.ok(mergePatch({}, root), "50,000 levels merged without a stack overflow");
  const polluted = mergePatch({ x: 1 }, JSON.parse('{"__proto__": {"admin": true}}')) as Record<string, unknown>;
  assert.equal([Object.getPrototypeOf(polluted) === Object.prototype, Object.keys(polluted), (polluted as { admin?: boolean }).admin], [true, ["x", "__proto__"], undefined]);
});

test.run();
