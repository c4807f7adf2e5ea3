/** NodeInfo 2.1: what software this is and how many providers and offers it lists. */
import type { Federation } from "@fedify/fedify";
import { countLocal } from "../db/queries/federation.ts";
import type { FederationDeps } from "./types.ts";

export function registerNodeInfo(federation: Federation<void>, deps: FederationDeps): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async () => {
    const counts = await countLocal(deps.db);
    return {
      software: { name: "chatons-directory", version: "0.1.0", homepage: new URL("https://chatons-directory.org/") },
      protocols: ["activitypub"],
      openRegistrations: true,
      usage: { users: { total: counts.providers }, localPosts: counts.offers, localComments: 0 },
      metadata: { offers: counts.offers, providers: counts.providers },
    };
  });
}
