/**
 * `npm start` as a newcomer runs it (SEED=demo, no other process): a person signs up to a demo offer through the
 * HTML form and the status page reaches "active" by itself — the demo providers' receiver is served by the app,
 * verifies the Standard Webhooks signature and calls back with the provider's token, as examples/provider-webhook does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { freePort, startServer } from "../helpers/process.ts";
import { eventually } from "../helpers/wait.ts";

test("SEED=demo: form → status page 'active' with the demo login link, for a webhook offer and a Nextcloud offer", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatons-demo-"));
  // No PUBLIC_URL, as in the README: the public URL is the listening address, so its port must be known up front.
  const server = await startServer({ DATABASE_URL: `file:${join(dir, "d.db")}`, SEED: "demo", PORT: String(await freePort()) });
  try {
    // The README's defaults: the server's own address is its public URL, so callbacks reach it.
    const base = server.url;
    const offers = (await (await fetch(`${base}/api/v1/offers?limit=100&sort=name`)).json()).items as Array<{ id: string; acceptsSignups: boolean; signup: { mode: string } }>;
    for (const mode of ["webhook", "nextcloud"]) {
      const offer = offers.find((o) => o.acceptsSignups && o.signup.mode === mode)!;
      assert.ok(offer, `a demo offer with mode ${mode} takes signups`);
      const form = await fetch(`${base}/signup/${encodeURIComponent(offer.id)}?lang=fr`);
      assert.is(form.status, 200);
      assert.match(await form.text(), /name="consent"/);
      const posted = await fetch(`${base}/signup/${encodeURIComponent(offer.id)}?lang=fr`, {
        method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "camille@example.org", name: "Camille", consent: "yes" }),
      });
      assert.is(posted.status, 303);
      const status = new URL(posted.headers.get("location")!, base).toString();
      const started = Date.now();
      let html = "";
      await eventually(`the ${mode} demo signup to become active`, async () => {
        html = await (await fetch(status)).text();
        return html.includes('<strong data-status="active">');
      }, 60_000);
      // Nextcloud accounts are ready once the person confirms the address Nextcloud emails them (preferred_providers).
      assert.match(html, mode === "webhook" ? /<strong data-status="active">Votre compte est prêt<\/strong>/ : /<strong data-status="active">Compte créé — regardez vos courriels<\/strong>/);
      console.log(`demo ${mode} signup: form posted → "active" seen in ${Date.now() - started} ms`);
      if (mode === "webhook") {
        // The demo receiver reported each step; its login link opens the demo page of this app.
        assert.match(html, /data-status="provisioning"/);
        const login = /<a class="btn" href="([^"]+\/login)"/.exec(html)![1];
        assert.ok(login.startsWith(`${base}/demo/providers/`));
        const page = await (await fetch(login)).text();
        assert.match(page, /Votre compte \(démo\)/);
      }
      assert.not.match(html, /http-equiv="refresh"/, "a final page stops refreshing");
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
