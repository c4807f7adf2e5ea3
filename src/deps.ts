import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import type { Mailer } from "./delivery/mail.ts";
import type { SignedPost } from "./delivery/handover.ts";
import type { SafeFetch } from "./delivery/net.ts";
import { createCatalogSearch, type CatalogSearch } from "./domain/catalog/search.ts";
import type { SearchEngine } from "./domain/catalog/search-engine.ts";
import type { DemoReceiver } from "./domain/demo.ts";
import type { DirectoryFederation } from "./federation/types.ts";
import type { Clock, Logger } from "./lib/log.ts";
import type { LoopMonitor } from "./lib/loops.ts";
import type { Family, MetricsRegistry } from "./lib/metrics.ts";

export type { Clock, Logger };

/** Everything the app needs from the outside world. Runtimes build it; tests pass fakes. */
export type Deps = {
  db: Db;
  config: Config;
  clock: Clock;
  /**
   * The one outbound policy (delivery/net.ts): every fetch and POST the server makes — crawler, verification, webhooks,
   * Nextcloud, and federation (Fedify's loaders and deliveries, federation/loaders.ts and outbound.ts) — goes through
   * it: address checks after DNS and on each redirect, timeouts, size limits.
   */
  http: SafeFetch;
  log: Logger;
  /** The catalog search service (caches, in-memory index), built once per app: API and pages share it. */
  search: CatalogSearch;
  /** ActivityPub (Fedify); absent in runtimes or tests that do not federate. */
  federation?: DirectoryFederation;
  /** Wakes the in-process signup delivery worker (Node) right after a signup is queued; absent elsewhere. */
  wakeSignupWorker?: () => void;
  /** Outgoing mail (SMTP_URL on Node); absent = no mail is sent and the pages say so. */
  mailer?: Mailer;
  /** SEED=demo: the receiver playing the demo providers' part (domain/demo.ts); absent otherwise. */
  demo?: DemoReceiver;
  /** Signed POSTs as the directory actor (federated signups); set with `federation`. */
  signedPost?: SignedPost;
  /** HTTP requests counted by this instance for /metrics (createApp makes one when absent). */
  metrics?: MetricsRegistry;
  /** The background loops of a long-running process, for /healthz (Node); absent where nothing loops (Workers). */
  loops?: LoopMonitor;
  /** Process figures for /metrics (Node: resident memory, uptime); absent elsewhere. */
  processFamilies?: () => Family[];
};

/**
 * The search service configured by SEARCH_CACHE_MB (half for ranking snapshots; the API keeps the other half for
 * responses) and SEARCH_FACET_INDEX; `engine` computes misses elsewhere (search worker threads, SEARCH_WORKERS).
 */
export function catalogSearch(db: Db, config: Pick<Config, "searchCacheMb" | "searchFacetIndex">, engine?: SearchEngine): CatalogSearch {
  return createCatalogSearch(db, { cacheBytes: (config.searchCacheMb * 1024 * 1024) / 2, facetIndex: config.searchFacetIndex, ...(engine ? { engine } : {}) });
}
