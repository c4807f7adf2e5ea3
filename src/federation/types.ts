/** What every federation module shares: the deps it is given, its settings, and the built federation. */
import type { Context, Federation } from "@fedify/fedify";
import type { Actor } from "@fedify/vocab";
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { SafeFetch } from "../delivery/net.ts";
import type { SignedPost } from "../delivery/handover.ts";
import type { Clock, Logger } from "../lib/log.ts";
import type { LibsqlKvStore } from "./kv.ts";
import type { Loaders } from "./loaders.ts";
import type { LibsqlMessageQueue } from "./mq.ts";

/** Fedify identifier of the directory actor; not a valid provider slug, so it never collides with one. */
export const DIRECTORY = "_directory";
export const DIRECTORY_USERNAME = "directory";

/** The few dependencies federation code uses (never the app's whole Deps). */
export type FederationDeps = {
  db: Db;
  config: Pick<Config, "publicUrl" | "allowPrivateNetwork" | "federationFollows">;
  clock: Clock;
  http: SafeFetch;
  log: Logger;
};

export type FederationSettings = {
  /** Accept incoming Follows at once (default) or keep them pending for an operator. */
  autoAcceptFollows?: boolean;
  /** Concurrent deliveries per queue listener. */
  workers?: number;
  pollMs?: number;
  /** Key generation (tests reuse one pre-made RSA pair: generating one costs seconds on a loaded machine). */
  generateKeyPair?: (algorithm: "RSASSA-PKCS1-v1_5" | "Ed25519") => Promise<CryptoKeyPair>;
};

/** URLs of our own ActivityPub objects. */
export type Urls = { offerUri(id: string): URL; actorUri(slug: string): URL; followersUri(slug: string): URL; publicUrl: string };

export type DirectoryFederation = {
  federation: Federation<void>;
  kv: LibsqlKvStore;
  queue: LibsqlMessageQueue;
  settings: Required<FederationSettings>;
  /** The guarded document, context and key loaders Fedify was built with (loaders.ts). */
  loaders: Loaders;
  /** Runs Fedify work (lookups, sends) with its global fetch under the outbound policy (outbound.ts). */
  outbound<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the outbound policy lets us deliver to this inbox URL (checked after DNS where a resolver exists). */
  inboxAllowed(url: string): Promise<boolean>;
  /** Whether `host` (or a parent domain) is blocked by the operator. */
  isBlocked(host: string): Promise<boolean>;
  context(): Context<void>;
  /** The actor document of `identifier` as we serve it (embedded in a profile `Update`: Mastodon reads only that). */
  actorObject(identifier: string): Promise<Actor | null>;
  urls(ctx?: Context<void>): Urls;
  /** Our directory actor's id. */
  directoryActor(): string;
  /** Its identifier in our federation tables (followers of the directory are stored under it). */
  directoryIdentifier: string;
  /** POSTs JSON signed as our directory actor (hand-overs and their status reports). */
  signedPost: SignedPost;
  /** The actor that signed an incoming request, once its signature is verified; undefined otherwise. */
  verifySigner(request: Request): Promise<string | undefined>;
};
