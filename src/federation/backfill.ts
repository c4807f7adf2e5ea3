/** Reading a followed directory's outbox (paged) once its Accept arrives, to take in the offers it already lists. */
import type { DocumentLoader } from "@fedify/fedify";
import { expandOne, type Node } from "./expand.ts";
import { AS, fetchDocument, idOf, ingestActivity } from "./ingest.ts";
import type { FederationDeps } from "./types.ts";

const MAX_PAGES = 40;

/** Takes in the offers an outbox lists, as if they had just been delivered. */
export async function backfill(deps: FederationDeps, contextLoader: DocumentLoader, actorId: string, outbox: string | null): Promise<{ pages: number; stored: number; rejected: number }> {
  const stats = { pages: 0, stored: 0, rejected: 0 };
  if (!outbox) return stats;
  const ic = { deps, contextLoader, sender: actorId, directory: actorId };
  try {
    const collection = await expandOne(await fetchDocument(deps, outbox), contextLoader);
    if (!collection) return stats;
    let page: Node | undefined = collection;
    let next: string | undefined = idOf((collection[`${AS}first`] as Node[] | undefined)?.[0]);
    const seen = new Set<string>();
    while (page && stats.pages < MAX_PAGES) {
      stats.pages++;
      const items = ((page[`${AS}orderedItems`] ?? page[`${AS}items`]) as Node[] | undefined) ?? [];
      const flat = items.flatMap((i) => (Array.isArray(i["@list"]) ? (i["@list"] as Node[]) : [i]));
      for (const item of flat) {
        const r = await ingestActivity(ic, item).catch((e) => ({ ok: false as const, reason: String(e) }));
        if (r.ok && (r.did === "stored" || r.did === "updated")) stats.stored++;
        else if (!r.ok) stats.rejected++;
      }
      if (page !== collection) next = idOf((page[`${AS}next`] as Node[] | undefined)?.[0]);
      if (!next || seen.has(next)) break;
      seen.add(next);
      page = await expandOne(await fetchDocument(deps, next), contextLoader);
    }
  } catch (e) {
    deps.log.warn("federation: backfill failed", { actor: actorId, error: String(e) });
  }
  return stats;
}
