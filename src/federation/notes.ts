/**
 * Offers for people (docs/decisions/0014): Mastodon keeps only `Note`, `Question` and a few converted types
 * (mastodon/mastodon app/lib/activitypub/activity.rb at df4e21bce7dd1db08212efe297b8e40b7ccbc2e5: SUPPORTED_TYPES,
 * CONVERTED_TYPES) and drops our `Proposal`. So each offer version is also a `Note` at
 * `/ap/offers/{id}/notes/{stamp}` (stamp: the version's `updated` in epoch ms): a new id per change, since Mastodon
 * ignores an `Update` of a status it never saw and would not show a re-sent id again.
 */
import { LanguageString, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { OfferWithProvider } from "../db/queries/offers.ts";
import { offerPageUrl, offerPost, POST_LOCALES } from "../domain/catalog/posts.ts";
import type { Urls } from "./types.ts";

export const noteStamp = (row: { updated_at: string }) => String(Date.parse(row.updated_at));

export function noteUri(urls: Urls, row: { id: string; updated_at: string }): URL {
  return new URL(`${urls.offerUri(row.id).href}/notes/${noteStamp(row)}`);
}

/** The post announcing this version of the offer (new when it was never changed, else an update). */
export function offerNote(row: OfferWithProvider, urls: Urls): Note {
  const created = row.created_at === row.updated_at;
  const posts = POST_LOCALES.map((l) => ({ locale: l, ...offerPost(row, urls.publicUrl, l, created) }));
  return new Note({
    id: noteUri(urls, row),
    attribution: urls.actorUri(row.p_slug),
    contents: [posts[0].html, ...posts.map((p) => new LanguageString(p.html, p.locale))],
    url: new URL(offerPageUrl(urls.publicUrl, row.id)),
    published: Temporal.Instant.from(row.updated_at),
    to: PUBLIC_COLLECTION,
    cc: urls.followersUri(row.p_slug),
  });
}
