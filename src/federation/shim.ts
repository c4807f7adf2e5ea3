/**
 * Fedify 2.x targets Node ≥ 22, where `navigator` is a global; on Node 20 its key import fails with
 * "navigator is not defined". Import this module before anything that loads Fedify (runtime, tests, bench).
 */
const g = globalThis as { navigator?: { userAgent: string } };
g.navigator ??= { userAgent: "Node.js" };
export {};
