/** The message catalogs: both languages say the same things with the same placeholders, and nothing is left untranslated. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMPARE_CATALOGS } from "../../src/i18n/compare.ts";
import { MAIN_CATALOGS } from "../../src/i18n/index.ts";
import { MAIL_CATALOGS } from "../../src/i18n/mail.ts";
import { PAGES_CATALOGS } from "../../src/i18n/pages.ts";
import { PROVIDER_CATALOGS } from "../../src/i18n/provider.ts";
import { SIGNUP_CATALOGS } from "../../src/i18n/signups.ts";
import { INTEROP_CATALOGS } from "../../src/i18n/interop.ts";
import { ADMIN_CATALOGS } from "../../src/i18n/admin.ts";

const ALL = { MAIN_CATALOGS, COMPARE_CATALOGS, PAGES_CATALOGS, SIGNUP_CATALOGS, MAIL_CATALOGS, INTEROP_CATALOGS, PROVIDER_CATALOGS, ADMIN_CATALOGS } as unknown as Record<string, { en: Record<string, string>; fr: Record<string, string> }>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every message has the same placeholders in French and English", () => {
  const bad: string[] = [];
  for (const [name, c] of Object.entries(ALL)) {
    for (const key of Object.keys(c.en)) {
      if (JSON.stringify(placeholders(c.en[key])) !== JSON.stringify(placeholders(c.fr[key]))) bad.push(`${name} ${key}: ${c.en[key]} / ${c.fr[key]}`);
    }
    assert.equal(Object.keys(c.fr).sort(), Object.keys(c.en).sort(), name);
  }
  assert.equal(bad, []);
});

test("French and English differ everywhere but in words both languages write the same way", () => {
  const same = Object.entries(ALL).flatMap(([name, c]) => Object.keys(c.en).filter((k) => c.en[k] === c.fr[k]).map((k) => `${name} ${k}`));
  // A message copied from one language into the other would show up here.
  assert.equal(same, [
    "MAIN_CATALOGS nav.api", "MAIN_CATALOGS search.service", "MAIN_CATALOGS field.cursor", "MAIN_CATALOGS facet.service",
    "MAIN_CATALOGS offer.version", "MAIN_CATALOGS offer.license", "MAIN_CATALOGS offer.quota", "MAIN_CATALOGS offer.source",
    "MAIN_CATALOGS orgType.association", "MAIN_CATALOGS audience.associations", "MAIN_CATALOGS support.docs",
    "COMPARE_CATALOGS compare.unknown", "COMPARE_CATALOGS field.service", "PAGES_CATALOGS privacy.cookiesTitle",
    "SIGNUP_CATALOGS status.contact", "MAIL_CATALOGS mail.signature", "INTEROP_CATALOGS price.fixed",
  ]);
});

test.run();
