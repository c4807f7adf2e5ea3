/** JSON-LD expansion of remote documents: every reader of incoming ActivityPub data goes through it. */
import type { DocumentLoader } from "@fedify/fedify";
import jsonld from "jsonld";

export type Node = Record<string, unknown>;

/** The expanded form of a document holding exactly one node, else undefined; throws on invalid JSON-LD. */
export async function expandOne(doc: unknown, contextLoader: DocumentLoader): Promise<Node | undefined> {
  const out = await jsonld.expand(doc, { documentLoader: contextLoader as never });
  return out.length === 1 ? out[0] : undefined;
}
