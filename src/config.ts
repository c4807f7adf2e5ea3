import * as v from "valibot";

/** Parses "5s,30s,2m,1h" style durations into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms"];
  return Math.round(Number(m[1]) * unit);
}

const Duration = v.pipe(
  v.string(),
  v.transform((s) => parseDuration(s)),
  v.number("must be a duration such as 30s, 10m or 6h"),
);

const DurationList = v.pipe(
  v.string(),
  v.transform((s) => s.split(",").map((p) => p.replace(/…|\.\.\.$/, "")).filter((p) => p.trim() !== "").map(parseDuration)),
  v.check((list) => list.length > 0 && list.every((d) => d !== undefined), "must be a comma-separated list of durations such as 5s,30s,2m"),
  v.transform((list) => list as number[]),
);

const Flag = v.pipe(v.picklist(["0", "1", "true", "false"], "must be 0 or 1"), v.transform((s) => s === "1" || s === "true"));

const EnvSchema = v.object({
  PORT: v.optional(v.pipe(v.string(), v.regex(/^\d{1,5}$/, "must be a port number"), v.transform(Number), v.maxValue(65535, "must be a port number")), "3000"),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), "127.0.0.1"),
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^(file:|:memory:$|libsql:\/\/|https?:\/\/|wss?:\/\/)/, "must start with file:, libsql://, http(s):// or be :memory:")),
    "file:data/directory.db",
  ),
  DATABASE_AUTH_TOKEN: v.optional(v.string()),
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url("must be an absolute URL such as https://annuaire.example"))),
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
  SEED: v.optional(v.picklist(["demo", "none"], "must be demo or none"), "demo"),
  ALLOW_PRIVATE_NETWORK: v.optional(Flag, "0"),
  WEBHOOK_RETRY_SCHEDULE: v.optional(DurationList, "5s,30s,2m,10m,1h,6h,12h"),
  CRAWL_INTERVAL: v.optional(Duration, "6h"),
  LOG_LEVEL: v.optional(v.picklist(["debug", "info", "warn", "error", "silent"]), "info"),
  FEDERATION_FOLLOWS: v.optional(v.picklist(["auto", "manual"], "must be auto or manual"), "auto"),
  SEARCH_CACHE_MB: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, "must be a number of megabytes (0 disables)"), v.transform(Number)), "64"),
  SEARCH_CACHE_BYPASS: v.optional(Flag, "0"),
  SEARCH_FACET_INDEX: v.optional(Flag, "1"),
  SEARCH_WORKERS: v.optional(v.pipe(v.string(), v.regex(/^[0-8]$/, "must be a number of threads from 0 to 8 (0: search in the server's own thread)"), v.transform(Number)), "1"),
  SIGNUP_RETENTION: v.optional(Duration, "7d"),
  CLIENT_IP_HEADER: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]+$/, "must be a header name such as x-forwarded-for"))),
  SMTP_URL: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587"))),
  MAIL_FROM: v.optional(v.pipe(v.string(), v.maxLength(300), v.regex(/^(?:[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, "must be an address such as Annuaire <annuaire@example.org>"))),
  OPERATOR_NAME: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200, "must be at most 200 characters"))),
  OPERATOR_CONTACT: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(300), v.regex(/^(?:https?:\/\/\S+|mailto:\S+@\S+|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, "must be an email address or an http(s):// URL such as https://annuaire.example/contact"))),
  CHATONS_FEDERATION_URL: v.optional(v.pipe(v.string(), v.url("must be the URL of the collective's StatoolInfos Federation file"), v.regex(/^https?:\/\//i, "must be an http(s) URL"))),
  WEBHOOK_SECRET_OVERLAP: v.optional(Duration, "24h"),
  SIGNUP_RATE_LIMIT_IP: v.optional(v.pipe(v.string(), v.transform(parseRate), v.object({ max: v.number(), windowMs: v.number() }, "must look like 20/1h")), "20/1h"),
  SIGNUP_RATE_LIMIT_EMAIL: v.optional(v.pipe(v.string(), v.transform(parseRate), v.object({ max: v.number(), windowMs: v.number() }, "must look like 3/1d")), "3/1d"),
  HANDOVER_RATE_LIMIT: v.optional(v.pipe(v.string(), v.transform(parseRate), v.object({ max: v.number(), windowMs: v.number() }, "must look like 300/1h")), "300/1h"),
  REGISTRATION_RATE_LIMIT_IP: v.optional(Rate("20/1h"), "20/1h"),
  SOURCE_RATE_LIMIT_PROVIDER: v.optional(Rate("12/1h"), "12/1h"),
  SOURCE_RATE_LIMIT_IP: v.optional(Rate("30/1h"), "30/1h"),
  VERIFICATION_RATE_LIMIT_PROVIDER: v.optional(Rate("12/1h"), "12/1h"),
  VERIFICATION_RATE_LIMIT_IP: v.optional(Rate("30/1h"), "30/1h"),
  LISTING_POLICY: v.optional(v.picklist(["open", "reviewed"], "must be open or reviewed"), "reviewed"),
  REPORT_RATE_LIMIT_IP: v.optional(Rate("5/1h"), "5/1h"),
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
  METRICS_LISTEN: v.optional(v.pipe(v.string(), v.regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be host:port such as 127.0.0.1:9464"))),
  STATOOLINFOS_HOSTS: v.optional(v.pipe(
    v.string(),
    v.transform((s) => s.split(",").map((h) => h.trim().toLowerCase().replace(/\.+$/, "")).filter(Boolean)),
    v.check((hosts) => hosts.every((h) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(h)), "must be a comma-separated list of host names such as stats.chatons.org"),
  ), ""),
});

/** A rate such as "20/1h": at most 20 per hour (fixed windows). */
function Rate(example: string) {
  return v.pipe(v.string(), v.transform(parseRate), v.object({ max: v.number(), windowMs: v.number() }, `must look like ${example}`));
}

/** "20/1h" → at most 20 per hour (fixed windows). */
function parseRate(text: string): { max: number; windowMs: number } | undefined {
  const [n, d] = text.split("/");
  const max = Number(n);
  const windowMs = d ? parseDuration(d) : undefined;
  return Number.isInteger(max) && max > 0 && windowMs ? { max, windowMs } : undefined;
}

export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  publicUrl: string;
  adminToken?: string;
  seed: "demo" | "none";
  allowPrivateNetwork: boolean;
  webhookRetrySchedule: number[];
  crawlIntervalMs: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Incoming ActivityPub follows: accepted at once (`auto`) or kept pending for the admin API (`manual`). */
  federationFollows: "auto" | "manual";
  /** Memory for search result caches (snapshots + serialized responses); 0 disables them. */
  searchCacheMb: number;
  /** Lets a request skip the search cache with `x-search-cache: off` (benchmarks only). */
  searchCacheBypass: boolean;
  /** Count facets with an in-memory index loaded once per catalog version (off: SQL only, e.g. on Workers). */
  searchFacetIndex: boolean;
  /**
   * Search worker threads (Node, `file:` databases): each holds a read-only connection and its own in-memory index, and
   * computes cache misses off the thread that serves HTTP; 0 computes them in that thread (docs/decisions/0026).
   */
  searchWorkers: number;
  /** True when the schedule ends with "…" (or is the default): the last delay repeats until 3 days after the first attempt. */
  webhookRetryRepeat: boolean;
  /** Personal data of a signup is erased this long after it reached a final state. */
  signupRetentionMs: number;
  /** Header holding the client address (set by a trusted proxy); unset = the connection's address. */
  clientIpHeader?: string;
  signupRateLimitIp: { max: number; windowMs: number };
  signupRateLimitEmail: { max: number; windowMs: number };
  /** Signups another directory may hand over per window (each person's email is also limited as for local signups). */
  handoverRateLimit: { max: number; windowMs: number };
  /** The CHATONS collective's Federation file (its member list); absent = no membership can be confirmed. */
  chatonsFederationUrl?: string;
  /** After a webhook secret rotation, how long deliveries are also signed with the previous secret. */
  webhookSecretOverlapMs: number;
  /** Provider registrations per client address. */
  registrationRateLimitIp: { max: number; windowMs: number };
  /** Pull-source changes (PUT/DELETE …/source, each PUT pulls at once) per provider and per client address. */
  sourceRateLimitProvider: { max: number; windowMs: number };
  sourceRateLimitIp: { max: number; windowMs: number };
  /** Domain-proof checks (POST …/verification, each one fetches the provider's site) per provider and per client address. */
  verificationRateLimitProvider: { max: number; windowMs: number };
  verificationRateLimitIp: { max: number; windowMs: number };
  /** Hosts whose StatoolInfos service files may be followed from any organization file (besides the file's own host). */
  statoolinfosHosts: string[];
  /** How a provider never listed becomes public: at once (`open`) or once an operator approves it (`reviewed`; docs/decisions/0030). */
  listingPolicy: "open" | "reviewed";
  /** Reports ("Signaler cette offre") per client address. */
  reportRateLimitIp: { max: number; windowMs: number };
  /** `Authorization: Bearer` token that opens /metrics on the main listener; absent = /metrics answers 403 there. */
  metricsToken?: string;
  /** Node: a second listener serving /metrics only, without a token (bind it to an address only operators reach). */
  metricsListen?: { host: string; port: number };
  /** Outgoing mail (signup follow-up); absent = no mail is sent, and pages say so. */
  mail?: { smtpUrl: string; from: string };
  /** Who runs this directory, shown on /about and /privacy (the data controller of signups). */
  operator: { name?: string; contact?: string };
};

export class ConfigError extends Error {}

/** "127.0.0.1:9464" or "[::1]:9464" → host and port. */
function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(":");
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(text.slice(i + 1)) };
}

/** The host part of the default sender address: PUBLIC_URL's host, else the machine's name for itself. */
function mailHost(publicUrl: string | undefined, host: string): string {
  const h = publicUrl ? new URL(publicUrl).hostname : host;
  return /^[\d.]+$|:/.test(h) || h === "localhost" ? "localhost.localdomain" : h;
}

/**
 * The origin people reach when nothing says otherwise: the address the server listens on (so the README's
 * `http://127.0.0.1:3000`, the links in pages and emails, and the signup callback URLs all agree), or `localhost` when
 * it listens on every interface.
 */
function defaultPublicUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** Validates the environment once; throws a ConfigError whose message is one readable line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([k, val]) => k in EnvSchema.entries && val !== undefined && val !== ""));
  const r = v.safeParse(EnvSchema, present);
  if (!r.success) {
    const lines = r.issues.map((i) => {
      const name = v.getDotPath(i) ?? "env";
      return `${name}=${JSON.stringify(String(present[name] ?? i.input ?? ""))}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join("; ")}`);
  }
  const e = r.output;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    publicUrl: (e.PUBLIC_URL ?? defaultPublicUrl(e.HOST, e.PORT)).replace(/\/+$/, ""),
    adminToken: e.ADMIN_TOKEN,
    seed: e.SEED,
    allowPrivateNetwork: e.ALLOW_PRIVATE_NETWORK,
    webhookRetrySchedule: e.WEBHOOK_RETRY_SCHEDULE,
    crawlIntervalMs: e.CRAWL_INTERVAL,
    logLevel: e.LOG_LEVEL,
    federationFollows: e.FEDERATION_FOLLOWS,
    searchCacheMb: e.SEARCH_CACHE_MB,
    searchCacheBypass: e.SEARCH_CACHE_BYPASS,
    searchFacetIndex: e.SEARCH_FACET_INDEX,
    searchWorkers: e.SEARCH_WORKERS,
    webhookRetryRepeat: present.WEBHOOK_RETRY_SCHEDULE === undefined || /(…|\.\.\.)\s*$/.test(present.WEBHOOK_RETRY_SCHEDULE),
    signupRetentionMs: e.SIGNUP_RETENTION,
    clientIpHeader: e.CLIENT_IP_HEADER?.toLowerCase(),
    signupRateLimitIp: e.SIGNUP_RATE_LIMIT_IP,
    signupRateLimitEmail: e.SIGNUP_RATE_LIMIT_EMAIL,
    handoverRateLimit: e.HANDOVER_RATE_LIMIT,
    operator: { ...(e.OPERATOR_NAME ? { name: e.OPERATOR_NAME } : {}), ...(e.OPERATOR_CONTACT ? { contact: e.OPERATOR_CONTACT } : {}) },
    ...(e.CHATONS_FEDERATION_URL ? { chatonsFederationUrl: e.CHATONS_FEDERATION_URL } : {}),
    webhookSecretOverlapMs: e.WEBHOOK_SECRET_OVERLAP,
    registrationRateLimitIp: e.REGISTRATION_RATE_LIMIT_IP,
    sourceRateLimitProvider: e.SOURCE_RATE_LIMIT_PROVIDER,
    sourceRateLimitIp: e.SOURCE_RATE_LIMIT_IP,
    verificationRateLimitProvider: e.VERIFICATION_RATE_LIMIT_PROVIDER,
    verificationRateLimitIp: e.VERIFICATION_RATE_LIMIT_IP,
    statoolinfosHosts: e.STATOOLINFOS_HOSTS,
    listingPolicy: e.LISTING_POLICY,
    reportRateLimitIp: e.REPORT_RATE_LIMIT_IP,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    ...(e.METRICS_LISTEN ? { metricsListen: hostPort(e.METRICS_LISTEN) } : {}),
    ...(e.SMTP_URL ? { mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? `chatons-directory <no-reply@${mailHost(e.PUBLIC_URL, e.HOST)}>` } } : {}),
  };
}
