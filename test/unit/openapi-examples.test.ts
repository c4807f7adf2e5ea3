/**
 * The examples of the API reference: one per operation, each request example accepted by the operation's body schema,
 * each response example valid for its response's schema and holding no field the schema does not describe.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as v from "valibot";
import { buildOpenApi, componentSchemas, jsonSchema, operations } from "../../src/http/openapi.ts";
import { OPERATION_EXAMPLES } from "../../src/http/openapi-examples.ts";

/** Paths of `value` whose keys the JSON Schema `schema` does not list (objects with `properties` only). */
function unknownKeys(value: unknown, schema: any, path = ""): string[] {
  if (!value || typeof value !== "object" || !schema) return [];
  if (Array.isArray(value)) return value.flatMap((x, i) => unknownKeys(x, schema.items, `${path}[${i}]`));
  if (!schema.properties) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, x]) =>
    k in schema.properties ? unknownKeys(x, schema.properties[k], path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k]);
}

test("every operation has an example, and every example names an operation", () => {
  const keys = operations.map((op) => `${op.method} ${op.path}`);
  assert.equal(keys.filter((k) => !(k in OPERATION_EXAMPLES)), []);
  assert.equal(Object.keys(OPERATION_EXAMPLES).filter((k) => !keys.includes(k)), []);
});

test("request examples are accepted by the operation's body schema; response examples match their response's schema", () => {
  const problems: string[] = [];
  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    const ex = OPERATION_EXAMPLES[key];
    if (op.body) {
      if (ex.request === undefined) problems.push(`${key}: no request example`);
      const r = v.safeParse(componentSchemas[op.body], ex.request);
      if (!r.success) problems.push(`${key}: request example refused: ${r.issues.map((i) => `${v.getDotPath(i)} ${i.message}`).join("; ")}`);
      for (const k of unknownKeys(ex.request, jsonSchema(componentSchemas[op.body]))) problems.push(`${key}: request example has ${k}, which ${op.body} does not describe`);
    }
    if (!ex.response) { problems.push(`${key}: no response example`); continue; }
    const response = op.responses[ex.response.status];
    if (!response) { problems.push(`${key}: the example's status ${ex.response.status} is not documented`); continue; }
    if (ex.response.status === "204") { if (ex.response.body !== null) problems.push(`${key}: 204 has no body`); continue; }
    if (response.schema) {
      const r = v.safeParse(componentSchemas[response.schema], ex.response.body);
      if (!r.success) problems.push(`${key}: response example invalid: ${r.issues.map((i) => `${v.getDotPath(i)} ${i.message}`).join("; ")}`);
      for (const k of unknownKeys(ex.response.body, jsonSchema(componentSchemas[response.schema]))) problems.push(`${key}: response example has ${k}, which ${response.schema} does not describe`);
    }
  }
  assert.equal(problems, []);
});

test("the generated document carries the examples and says what price.amount means", () => {
  const doc = buildOpenApi() as any;
  const put = doc.paths["/api/v1/providers/{slug}/offers/{offerSlug}"].put;
  assert.equal(put.requestBody.content["application/json"].example.price, { model: "fixed", amount: 500, currency: "EUR", period: "month" });
  assert.is(put.responses["201"].content["application/json"].example.id, "chatons-du-lot~nuage");
  assert.match(doc.components.schemas.OfferInput.properties.price.properties.amount.description, /cents for EUR: `500` is 5\.00 €/);
  // Every field of the provider-facing bodies is described.
  for (const name of ["OfferInput", "ProviderInput", "SourceInput", "WebhookInput", "NextcloudInput", "SignupEventInput", "SignupInput", "Offer"]) {
    const missing: string[] = [];
    const walk = (s: any, path: string) => {
      for (const [k, p] of Object.entries<any>(s?.properties ?? {})) {
        if (!p.description && !p.$ref) missing.push(`${path}${k}`);
        if (p.type === "object") walk(p, `${path}${k}.`);
        if (p.type === "array" && p.items?.type === "object") walk(p.items, `${path}${k}[].`);
      }
    };
    walk(doc.components.schemas[name], "");
    assert.equal(missing, [], name);
  }
});

test.run();
