/** What others read from us: offers as `Proposal` objects, actors' outboxes (backfill) and followers collections. */
import type { Context, Federation } from "@fedify/fedify";
import { Announce, Create, Note, Proposal, type Recipient } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { countFollowers, countLocalOffers, listFollowers, localOfferSeqs, removeFollowersByInbox } from "../db/queries/federation.ts";
import { findOfferById, loadOffersBySeq } from "../db/queries/offers.ts";
import { localProvider } from "./actors.ts";
import { DIRECTORY, type FederationDeps, type Urls } from "./types.ts";
import { offerDocument, offerToProposal } from "./vocab.ts";
import { noteStamp, offerNote } from "./notes.ts";
import { findOffersByProvider } from "../db/queries/offers.ts";

const PAGE = 50;
const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

export function registerCollections(federation: Federation<void>, deps: FederationDeps, urls: (ctx: Context<void>) => Urls): void {
  federation.setObjectDispatcher(Proposal, "/ap/offers/{id}", async (ctx, { id }) => {
    const row = await findOfferById(deps.db, id);
    if (!row || row.source === "federated") return null;
    return offerDocument(row, urls(ctx), ctx.contextLoader);
  });

  // The post of an offer version, for Mastodon-like software (notes.ts). An older version's id answers with the
  // current offer only when it is that version: older posts are gone (404), as a deleted status would be.
  federation.setObjectDispatcher(Note, "/ap/offers/{id}/notes/{stamp}", async (ctx, { id, stamp }) => {
    const row = await findOfferById(deps.db, id);
    if (!row || row.source === "federated" || noteStamp(row) !== stamp) return null;
    return offerNote(row, urls(ctx));
  });

  // Featured ("pinned") posts: the current post of each of the provider's offers, which Mastodon shows on the profile.
  federation.setFeaturedDispatcher("/ap/providers/{identifier}/featured", async (ctx, identifier) => {
    if (identifier === DIRECTORY) return { items: [] };
    const p = await localProvider(deps, identifier);
    if (!p) return null;
    const rows = (await findOffersByProvider(deps.db, p.id)).filter((r) => r.source !== "federated")
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at)).slice(0, 20);
    return { items: rows.map((r) => offerNote(r, urls(ctx))) };
  });

  // Outboxes list the current offers as Create activities (the directory's wrapped in Announce), so a new
  // follower can backfill the catalog from them. Pages are keyed on offers.seq.
  federation
    .setOutboxDispatcher("/ap/providers/{identifier}/outbox", async (ctx, identifier, cursor) => {
      if (cursor === null) return null;
      const providerId = identifier === DIRECTORY ? undefined : (await localProvider(deps, identifier))?.id;
      if (identifier !== DIRECTORY && providerId === undefined) return null;
      const seqs = await localOfferSeqs(deps.db, { providerId, afterSeq: Number(cursor) || 0, limit: PAGE });
      const rows = await loadOffersBySeq(deps.db, seqs);
      const u = urls(ctx);
      const items = rows.map((row) => {
        const create = new Create({
          id: new URL(`${u.offerUri(row.id).href}#create-${Date.parse(row.updated_at)}`), actor: u.actorUri(row.p_slug), object: offerToProposal(row, u),
          published: Temporal.Instant.from(row.updated_at), tos: [PUBLIC], ccs: [u.followersUri(row.p_slug)],
        });
        return identifier === DIRECTORY
          ? new Announce({ id: new URL(`${ctx.getActorUri(DIRECTORY).href}#announce-${row.seq}-${Date.parse(row.updated_at)}`), actor: ctx.getActorUri(DIRECTORY), object: create, tos: [PUBLIC] })
          : create;
      });
      const last = seqs[seqs.length - 1];
      return { items, nextCursor: seqs.length === PAGE && last !== undefined ? String(last) : null };
    })
    .setFirstCursor(() => "0")
    .setCounter(async (_ctx, identifier) => {
      if (identifier === DIRECTORY) return countLocalOffers(deps.db);
      const p = await localProvider(deps, identifier);
      return p ? countLocalOffers(deps.db, p.id) : null;
    });

  federation
    .setFollowersDispatcher("/ap/providers/{identifier}/followers", async (_ctx, identifier) => {
      const rows = await listFollowers(deps.db, identifier);
      const items: Recipient[] = rows.map((r) => ({ id: new URL(r.follower_id), inboxId: new URL(r.inbox), endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null }));
      return { items };
    })
    .setCounter(async (_ctx, identifier) => countFollowers(deps.db, identifier));

  // An inbox that answers 404/410 is gone for good: forget the followers delivered through it.
  federation.setOutboxPermanentFailureHandler(async (_ctx, { inbox, reason }) => {
    if (reason !== "http") return;
    const removed = await removeFollowersByInbox(deps.db, inbox.href);
    deps.log.info("federation: inbox gone; followers removed", { inbox: inbox.href, removed });
  });
}
