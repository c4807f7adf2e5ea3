/**
 * Taking in remote offers (from the inbox and from outbox backfills). Activities are read as expanded
 * JSON-LD; every rule that keeps a peer honest is here: the sender must be an actor we follow, the object and
 * its `attributedTo` must be on the sender's origin, at most one `Announce` hop, objects are dereferenced from
 * their origin and validated with valibot, updates apply only when newer, blocked domains are dropped.
 */
import type { DocumentLoader } from "@fedify/fedify";
import type { ProviderRow } from "../db/database.ts";
import {
  deleteProviders, federatedOfferIdsByOrigin, federatedOfferOrigins, federatedProviderOrigins, findFederatedProviderByActor, findFollowing, isBlockedHost,
} from "../db/queries/federation.ts";
import { findOfferById } from "../db/queries/offers.ts";
import { createProvider, deleteOffer, offerId, saveOffer, toOfferRow, updateProvider } from "../domain/catalog/offers.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { jsonTooDeep, MAX_JSON_DEPTH } from "../lib/json-limits.ts";
import { iso } from "../lib/time.ts";
import { expandOne, type Node } from "./expand.ts";
import type { FederationDeps } from "./types.ts";
import { parseOfferDocument, parseProviderDocument } from "./vocab.ts";

export const AS = "https://www.w3.org/ns/activitystreams#";
export type { Node };
/** What taking in one activity did. */
export type IngestOutcome = { ok: true; did: "stored" | "updated" | "unchanged" | "stale" | "deleted" | "ignored" } | { ok: false; reason: string };
type Deps = FederationDeps;

const nodes = (n: Node, iri: string): Node[] => (Array.isArray(n[iri]) ? (n[iri] as Node[]) : []);
export const idOf = (n: Node | undefined) => (typeof n?.["@id"] === "string" ? (n["@id"] as string) : undefined);
const typeOf = (n: Node) => ((n["@type"] as string[] | undefined) ?? []).map((t) => t.replace(AS, ""));
const origin = (url: string) => { try { return new URL(url).origin; } catch { return "invalid:"; } };
const reject = (reason: string): IngestOutcome => ({ ok: false, reason });

/** GETs an ActivityPub document through the guarded fetch; refuses a redirect to another origin. */
export async function fetchDocument(deps: Deps, url: string): Promise<unknown> {
  const res = await deps.http(url, { headers: { accept: 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"' }, maxBytes: 512 * 1024 });
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
  if (origin(res.url) !== origin(url)) throw new Error(`GET ${url}: redirected to another origin`);
  const doc: unknown = JSON.parse(res.text());
  if (jsonTooDeep(doc)) throw new Error(`GET ${url}: the document is nested more than ${MAX_JSON_DEPTH} levels deep`);
  return doc;
}

/** True when the actor is one this directory follows (and has been accepted). */
export async function isFollowed(deps: Deps, actorId: string): Promise<boolean> {
  return (await findFollowing(deps.db, actorId))?.status === "accepted";
}

export type IngestContext = { deps: Deps; contextLoader: DocumentLoader; sender: string; directory: string };

/** Processes one activity (expanded) sent or announced by `sender`. */
export async function ingestActivity(ic: IngestContext, activity: Node, depth = 0): Promise<IngestOutcome> {
  const { deps, sender } = ic;
  if (await isBlockedHost(deps.db, new URL(sender).hostname)) return reject("blocked domain");
  const actor = idOf(nodes(activity, `${AS}actor`)[0]);
  if (!actor || origin(actor) !== origin(sender)) return reject("actor is not on the sender's origin");
  const types = typeOf(activity);
  let object = nodes(activity, `${AS}object`)[0];
  const objectId = idOf(object);
  if (!objectId) return reject("activity without object");
  if (origin(objectId) !== origin(sender)) return reject("object is not on the sender's origin");

  if (types.includes("Announce")) {
    if (depth > 0) return reject("hop limit: nested Announce");
    // A directory's boost of a post (a Note, for people: notes.ts) carries no offer; the Proposal comes separately.
    if (object && typeOf(object).includes("Note")) return ignored();
    if (!object || Object.keys(object).length === 1) {
      const fetched = await expandOne(await fetchDocument(deps, objectId), ic.contextLoader);
      if (!fetched || idOf(fetched) !== objectId) return reject("announced activity could not be fetched");
      object = fetched;
    }
    return ingestActivity(ic, object, depth + 1);
  }
  if (types.includes("Update") && (await findFederatedProviderByActor(deps.db, objectId))) return refreshProvider(ic, objectId);
  if (types.includes("Create") || types.includes("Update")) {
    const claimed = idOf(nodes(object!, `${AS}attributedTo`)[0]);
    if (claimed && origin(claimed) !== origin(sender)) return reject("attributedTo is not on the sender's origin");
    if (object && typeOf(object).some((t) => !t.endsWith("Proposal"))) return ignored();
    return ingestOffer(ic, objectId);
  }
  if (types.includes("Delete")) return ingestDelete(ic, objectId);
  return ignored();
}

const ignored = (): IngestOutcome => ({ ok: true, did: "ignored" });

async function ingestOffer(ic: IngestContext, objectId: string): Promise<IngestOutcome> {
  const { deps, sender } = ic;
  const parsed = await parseOfferDocument(await fetchDocument(deps, objectId), ic.contextLoader);
  if (!parsed.ok) return reject(parsed.reason);
  const remote = parsed.value;
  if (remote.id !== objectId) return reject("dereferenced object has another id");
  if (origin(remote.attributedTo) !== origin(sender)) return reject("attributedTo is not on the sender's origin");
  const provider = await ensureProvider(ic, remote.attributedTo);
  if (!provider) return reject("provider actor could not be read");
  const offerSlug = `o-${(await sha256Hex(remote.id)).slice(0, 16)}`;
  const id = offerId(provider.slug, offerSlug);
  // Hidden here by an operator or not, the stored copy decides whether the remote one is newer.
  const existing = await findOfferById(deps.db, id, { unlisted: true });
  if (existing && existing.updated_at >= remote.updated) return { ok: true, did: "stale" };
  const now = iso(deps.clock.now());
  const row = toOfferRow(provider, offerSlug, remote.input, now, "federated", { id: remote.id, actor: remote.attributedTo, directory: ic.directory }, id);
  row.updated_at = remote.updated;
  // Signups are handed over only to the offer's own origin (never to a third party the document names).
  const handover = remote.handover && origin(remote.handover.url) === origin(sender) ? remote.handover : undefined;
  row.handover_url = handover?.url ?? null;
  row.remote_accepts = handover?.accepts ? 1 : 0;
  const r = await deps.db.transaction().execute((trx) => saveOffer(trx, provider, row));
  return { ok: true, did: r.kind === "created" ? "stored" : r.kind === "updated" ? "updated" : "unchanged" };
}

/** The local row standing for a remote provider actor (`source: federated`, slug `fed-<hash>`), created on first sight. */
async function ensureProvider(ic: IngestContext, actorId: string): Promise<ProviderRow | undefined> {
  const { deps } = ic;
  const known = await findFederatedProviderByActor(deps.db, actorId);
  if (known) return known;
  const parsed = await parseProviderDocument(await fetchDocument(deps, actorId), ic.contextLoader);
  if (!parsed.ok || parsed.value.id !== actorId) return undefined;
  const p = parsed.value;
  const now = iso(deps.clock.now());
  const slug = `fed-${(await sha256Hex(actorId)).slice(0, 12)}`;
  try {
    return await deps.db.transaction().execute((trx) => createProvider(trx, {
      slug, name: p.name, website: p.website, email: null, country: p.country, org_type: p.orgType, chatons_member: p.chatonsMember ? 1 : 0,
      source: "federated", origin_json: JSON.stringify({ id: actorId, actor: actorId, directory: ic.directory }), created_at: now, updated_at: now,
    }, now));
  } catch {
    return findFederatedProviderByActor(deps.db, actorId); // lost a race with a concurrent delivery
  }
}

/** A remote provider changed its profile (Update of its actor): re-read it and reindex its offers. */
async function refreshProvider(ic: IngestContext, actorId: string): Promise<IngestOutcome> {
  const { deps } = ic;
  const known = await findFederatedProviderByActor(deps.db, actorId);
  if (!known) return ignored();
  const parsed = await parseProviderDocument(await fetchDocument(deps, actorId), ic.contextLoader);
  if (!parsed.ok || parsed.value.id !== actorId) return reject(parsed.ok ? "actor document has another id" : parsed.reason);
  const p = parsed.value;
  await deps.db.transaction().execute((trx) => updateProvider(trx, known.id, {
    name: p.name, website: p.website, country: p.country, org_type: p.orgType, chatons_member: p.chatonsMember ? 1 : 0, updated_at: iso(deps.clock.now()),
  }));
  return { ok: true, did: "updated" };
}

async function ingestDelete(ic: IngestContext, objectId: string): Promise<IngestOutcome> {
  const { deps } = ic;
  const ids = await federatedOfferIdsByOrigin(deps.db, objectId);
  const now = iso(deps.clock.now());
  let n = 0;
  for (const id of ids) if (await deps.db.transaction().execute((trx) => deleteOffer(trx, id, now))) n++;
  return { ok: true, did: n ? "deleted" : "ignored" };
}

/** Deletes every federated offer (and provider row) whose actor is on `domain` or a subdomain of it. */
export async function purgeDomain(deps: Deps, domain: string): Promise<number> {
  const onDomain = (url: string) => { try { const h = new URL(url).hostname; return h === domain || h.endsWith(`.${domain}`); } catch { return false; } };
  const offers = await federatedOfferOrigins(deps.db);
  const now = iso(deps.clock.now());
  let n = 0;
  for (const o of offers) {
    const originJson = o.origin_json ? (JSON.parse(o.origin_json) as { actor?: string; directory?: string }) : {};
    if ([originJson.actor, originJson.directory].some((u) => u && onDomain(u))) {
      if (await deps.db.transaction().execute((trx) => deleteOffer(trx, o.id, now))) n++;
    }
  }
  const providers = await federatedProviderOrigins(deps.db);
  await deleteProviders(deps.db, providers.filter((p) => p.origin_json && onDomain((JSON.parse(p.origin_json) as { actor: string }).actor)).map((p) => p.id));
  return n;
}
