/**
 * `node --import ./scripts/jsonld-node.mjs …` (tests, `npm run dev`, the CLI, benchmarks): resolves jsonld's browser
 * bundle, which @fedify/vocab-runtime imports and which carries core-js (replacing JSON.stringify, Array.prototype.push
 * and other built-ins for the whole process), to jsonld's own Node build. The production bundle does the same at build
 * time (scripts/build.mjs). docs/decisions/0028.
 */
import { register } from "node:module";

register("./jsonld-node-hooks.mjs", import.meta.url);
