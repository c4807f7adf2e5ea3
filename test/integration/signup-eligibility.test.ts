/** The one "can this offer take a signup now" rule: its JS form and its SQL form agree on every combination. */
import { test } from "uvu";
import * as v from "valibot";
import * as assert from "uvu/assert";
import { disableWebhook, upsertNextcloud, upsertWebhook } from "../../src/db/queries/destinations.ts";
import { findOffersByIds } from "../../src/db/queries/offers.ts";
import { findCandidate, findCandidates } from "../../src/db/queries/signups.ts";
import { createProvider, saveOffer, toOfferRow } from "../../src/domain/catalog/offers.ts";
import { presentOffer } from "../../src/domain/catalog/views.ts";
import { acceptsSignups, PICK_RULE, SIGNUP_RULE, whyNoSignup } from "../../src/domain/signups/eligibility.ts";
import { OfferInput } from "../../src/domain/schemas.ts";
import { CAPACITIES, REGISTRATIONS, SIGNUP_MODES, SOURCES } from "../../src/domain/vocabulary.ts";
import { sampleOffer, testEnv, T0 } from "../helpers/deps.ts";

test("every source × registration × capacity × mode × destination: SQL predicate = JS rule = acceptsSignups", async () => {
  const env = await testEnv();
  try {
    const db = env.deps.db;
    const now = new Date(T0).toISOString();
    // both: webhook and Nextcloud enabled; disabled: a webhook disabled after a 410; none: no destination at all.
    const ids: string[] = [];
    await db.transaction().execute(async (trx) => {
      for (const dest of ["both", "disabled", "none"]) {
        const p = await createProvider(trx, { slug: `p-${dest}`, name: dest, website: `https://${dest}.example`, email: null, country: "FR", org_type: "association", created_at: now, updated_at: now }, now);
        if (dest === "both") { await upsertWebhook(trx, p.id, "https://both.example/hook", "whsec_AAAA", now); await upsertNextcloud(trx, p.id, "https://both.example", "token1234", now); }
        if (dest === "disabled") { await upsertWebhook(trx, p.id, "https://disabled.example/hook", "whsec_AAAA", now); await disableWebhook(trx, p.id, "HTTP 410", now); }
        for (const source of SOURCES) for (const registration of REGISTRATIONS) for (const capacity of CAPACITIES) for (const mode of SIGNUP_MODES) {
          const slug = `${source}-${registration}-${capacity}-${mode}`;
          const input = v.parse(OfferInput, sampleOffer({ registration, capacity, signup: mode === "external" ? { mode, url: "https://x.example/join" } : { mode } }));
          const row = toOfferRow(p, slug, input, now, source, source === "federated" ? { id: `https://a.example/ap/offers/${slug}`, actor: "https://a.example/ap/providers/x", directory: "https://a.example/ap/directory" } : undefined);
          await saveOffer(trx, p, row);
          ids.push(row.id);
        }
      }
    });
    assert.is(ids.length, 3 * SOURCES.length * REGISTRATIONS.length * CAPACITIES.length * SIGNUP_MODES.length);
    const since = new Date(0).toISOString();
    for (const rule of [SIGNUP_RULE, PICK_RULE]) {
      const inSql = new Set((await findCandidates(db, rule, {}, since)).map((c) => c.id));
      const inJs = new Set<string>();
      for (const id of ids) if (acceptsSignups((await findCandidate(db, id, since))!, rule)) inJs.add(id);
      assert.equal([...inSql].sort(), [...inJs].sort());
      // local|crawled × (open, approval, members | open) × available × (webhook, nextcloud) at the provider with both.
      assert.is(inSql.size, 2 * rule.registrations.length * 1 * 2);
      assert.ok([...inSql].every((id) => id.startsWith("p-both~")));
    }
    const presented = (await findOffersByIds(db, ids)).map((r) => presentOffer(r, T0));
    const accepted = presented.filter((o) => o.acceptsSignups).map((o) => o.id).sort();
    assert.equal(accepted, (await findCandidates(db, SIGNUP_RULE, {}, since)).map((c) => c.id).sort());
    // Reasons come most fundamental first.
    const why = async (id: string) => whyNoSignup((await findCandidate(db, id, since))!);
    assert.equal(await Promise.all([
      "p-both~federated-open-available-webhook", "p-both~local-closed-full-external", "p-both~local-closed-full-webhook",
      "p-both~crawled-open-full-nextcloud", "p-disabled~local-open-available-webhook", "p-none~local-approval-available-nextcloud", "p-both~local-members-available-webhook",
      "p-both~local-none-available-webhook",
    ].map(why)), ["federated", "external", "closed", "full", "unreachable", "unreachable", undefined, "no-account"]);
  } finally { await env.close(); }
});

test.run();
