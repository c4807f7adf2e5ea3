/**
 * Preloaded with `node --import` before a program: records the engine's own built-ins, and on SIGUSR2 prints (one
 * JSON line on stderr, prefixed `builtins:`) every one that is no longer the same function or value. Polyfill
 * bundles (core-js) hide their replacements from `toString()`; identity does not lie.
 */
const holders = {
  globalThis, JSON, Math, Reflect, Object, Array, String, Number, Promise, Symbol, Map, Set, WeakMap, Date, RegExp, Error, URL, URLSearchParams,
  "Array.prototype": Array.prototype, "String.prototype": String.prototype, "Object.prototype": Object.prototype, "Promise.prototype": Promise.prototype,
  "Map.prototype": Map.prototype, "Set.prototype": Set.prototype, "Number.prototype": Number.prototype, "Function.prototype": Function.prototype,
  "RegExp.prototype": RegExp.prototype, "Date.prototype": Date.prototype, "Symbol.prototype": Symbol.prototype,
  "TypedArray.prototype": Object.getPrototypeOf(Uint8Array.prototype), Uint8Array, "Uint8Array.prototype": Uint8Array.prototype,
  ArrayBuffer, "ArrayBuffer.prototype": ArrayBuffer.prototype, "Error.prototype": Error.prototype, Atomics, Intl,
};
const before = new Map();
const present = new Set();
for (const [name, holder] of Object.entries(holders)) {
  for (const key of Reflect.ownKeys(holder)) {
    present.add(`${name}.${String(key)}`);
    const d = Object.getOwnPropertyDescriptor(holder, key);
    if (d && "value" in d) before.set(`${name}.${String(key)}`, [holder, key, d.value]);
  }
}
const stringify = JSON.stringify;
const push = Array.prototype.push;
process.on("SIGUSR2", () => {
  const replaced = [];
  for (const [id, [holder, key, value]] of before) {
    const d = Object.getOwnPropertyDescriptor(holder, key);
    if (!d || !("value" in d) || !Object.is(d.value, value)) replaced.push(id);
  }
  // Properties added that the engine does not have (polyfills of newer or proposed features).
  const added = [];
  for (const [name, holder] of Object.entries(holders)) {
    for (const key of Reflect.ownKeys(holder)) if (!present.has(`${name}.${String(key)}`)) added.push(`${name}.${String(key)}`);
  }
  process.stderr.write(`builtins: ${stringify({ stringify: JSON.stringify === stringify, push: Array.prototype.push === push, replaced, added })}\n`);
});
