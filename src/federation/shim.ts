/**
 * Fedify 2.x targets Node ≥ 22. On Node 20 two things it uses are missing, and this module adds them (only when
 * missing: on Node 22 and later it does nothing). Import it before anything that loads Fedify (runtime, tests, bench).
 * - `navigator` (its key import fails with "navigator is not defined").
 * - `ArrayBuffer.prototype.transfer` / `transferToFixedLength` (ES2024), which its base64 helpers (byte-encodings)
 *   call. On Node 20 they used to come from core-js inside jsonld's browser bundle, which also replaced
 *   `JSON.stringify` and `Array.prototype.push` for the whole process; we now load jsonld's Node build instead
 *   (docs/decisions/0028), so the two methods are added here, following the specification, and nothing is replaced.
 */
const g = globalThis as { navigator?: { userAgent: string } };
g.navigator ??= { userAgent: "Node.js" };

type Rab = ArrayBuffer & { resizable?: boolean; maxByteLength?: number };

function toIndex(value: unknown): number {
  const n = value === undefined ? 0 : Math.trunc(Number(value)) || 0;
  if (n < 0 || n > Number.MAX_SAFE_INTEGER) throw new RangeError("Invalid array buffer length");
  return n;
}

/** ES2024 ArrayBuffer.prototype.transfer: the contents move to a new buffer of `newLength` bytes; this one is detached. */
function transfer(this: Rab, newLength: unknown, fixed: boolean): ArrayBuffer {
  if (!(this instanceof ArrayBuffer)) throw new TypeError("ArrayBuffer.prototype.transfer called on an incompatible receiver");
  const length = newLength === undefined ? this.byteLength : toIndex(newLength);
  const resizable = !fixed && this.resizable === true;
  const max = this.maxByteLength ?? length;
  // Moving through structuredClone detaches this buffer as the specification requires (and throws if it already is).
  const moved = structuredClone(this, { transfer: [this] }) as Rab;
  if (moved.byteLength === length && (moved.resizable === true) === resizable) return moved;
  const out = resizable ? new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(length, { maxByteLength: Math.max(length, max) }) : new ArrayBuffer(length);
  new Uint8Array(out).set(new Uint8Array(moved, 0, Math.min(length, moved.byteLength)));
  return out;
}

const proto = ArrayBuffer.prototype as unknown as Record<string, unknown>;
for (const [name, fixed] of [["transfer", false], ["transferToFixedLength", true]] as const) {
  if (typeof proto[name] !== "function") {
    Object.defineProperty(proto, name, {
      value: { [name](this: Rab, newLength?: unknown) { return transfer.call(this, newLength, fixed); } }[name],
      writable: true, configurable: true, enumerable: false,
    });
  }
}
export {};
