/** NodeInfo 2.1 against the official schema (test/fixtures/nodeinfo/README.md says where it comes from). */
import Ajv from "ajv-draft-04";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../../src/runtime/shared.ts";
import { putOffer, registerProvider, sampleOffer, testEnv } from "../helpers/deps.ts";

const schema = JSON.parse(readFileSync(resolve(ROOT, "test/fixtures/nodeinfo/schema-2.1.json"), "utf8"));

test("NodeInfo 2.1 validates against the official 2.1 JSON Schema, reached through the well-known discovery link", async () => {
  const env = await testEnv();
  try {
    const p = await registerProvider(env.app, "chaton-ni");
    await putOffer(env.app, p.slug, p.token, "cloud", sampleOffer());
    const wk = await (await env.app.request("/.well-known/nodeinfo", { headers: { accept: "application/json" } })).json() as { links: Array<{ rel: string; href: string }> };
    const link = wk.links.find((l) => l.rel === "http://nodeinfo.diaspora.software/ns/schema/2.1");
    assert.ok(link, JSON.stringify(wk));
    const res = await env.app.request(new URL(link!.href).pathname, { headers: { accept: "application/json" } });
    assert.is(res.status, 200);
    const doc = await res.json() as Record<string, any>;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.equal([doc.software.name, doc.usage.users.total, doc.usage.localPosts, "$schema" in doc], ["chatons-directory", 1, 1, false]);
    // The schema does catch what was wrong before: the key Fedify adds.
    assert.not.ok(validate({ ...doc, $schema: "http://nodeinfo.diaspora.software/ns/schema/2.1#" }));
  } finally { await env.close(); }
});

test.run();
