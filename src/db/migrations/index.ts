/**
 * The static list of migrations (works in Workers: no filesystem). Names are timestamps, applied in order.
 * Landed migrations are frozen: add a new file and a new line here, never edit an old one.
 */
import type { Migration } from "kysely";
import * as m20261125T1200 from "./2026-11-25T1200_initial.ts";
import * as m20261125T1300 from "./2026-11-25T1300_search_counts.ts";
import * as m20261125T1400 from "./2026-11-25T1400_sources.ts";
import * as m20261125T1500 from "./2026-11-25T1500_signups.ts";
import * as m20261125T1600 from "./2026-11-25T1600_federation.ts";
import * as m20261202T1100 from "./2026-12-02T1100_search_vocabulary.ts";
import * as m20261207T1200 from "./2026-12-07T1200_federated_signups.ts";
import * as m20261207T1400 from "./2026-12-07T1400_chatons_membership.ts";
import * as m20261207T1410 from "./2026-12-07T1410_webhook_secret_overlap.ts";
import * as m20261207T1500 from "./2026-12-07T1500_federation_delivery_refusals.ts";
import * as m20261207T1600 from "./2026-12-07T1600_provider_space.ts";
import * as m20261207T1700 from "./2026-12-07T1700_search_index_changes.ts";
import * as m20261207T1800 from "./2026-12-07T1800_moderation.ts";
import * as m20261207T1900 from "./2026-12-07T1900_listing_index_changes.ts";
import * as m20261207T2000 from "./2026-12-07T2000_offer_hide_marks.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-25T1200_initial": m20261125T1200,
  "2026-11-25T1300_search_counts": m20261125T1300,
  "2026-11-25T1400_sources": m20261125T1400,
  "2026-11-25T1500_signups": m20261125T1500,
  "2026-11-25T1600_federation": m20261125T1600,
  "2026-12-02T1100_search_vocabulary": m20261202T1100,
  "2026-12-07T1200_federated_signups": m20261207T1200,
  "2026-12-07T1400_chatons_membership": m20261207T1400,
  "2026-12-07T1410_webhook_secret_overlap": m20261207T1410,
  "2026-12-07T1500_federation_delivery_refusals": m20261207T1500,
  "2026-12-07T1600_provider_space": m20261207T1600,
  "2026-12-07T1700_search_index_changes": m20261207T1700,
  "2026-12-07T1800_moderation": m20261207T1800,
  "2026-12-07T1900_listing_index_changes": m20261207T1900,
  "2026-12-07T2000_offer_hide_marks": m20261207T2000,
};
