/** CLI commands for pull sources and provider tokens: crawl, import-statoolinfos, token (cli.ts adds --admin). */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseConfig, type Config } from "../config.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { findProviderBySlug } from "../db/queries/providers.ts";
import { createSafeFetch, type SafeFetch, type SafeFetchOptions } from "../delivery/net.ts";
import { createPinnedFetch } from "../delivery/pinned-fetch.ts";
import { consoleLogger, systemClock } from "../lib/log.ts";
import { rotateToken } from "../domain/providers/accounts.ts";
import { crawlRound, DEFAULT_CONCURRENCY, type CrawlProgress } from "../domain/sources/crawler.ts";
import { importFederation, importStatoolInfos } from "../domain/sources/import.ts";
import { openDatabase, resolveHost } from "./shared.ts";
import { adoptListingPolicy } from "../domain/catalog/offers.ts";
import { option, UsageError, type Command } from "./cli-common.ts";


async function open(config: Config) {
  const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  await migrateToLatest(db);
  await adoptListingPolicy(db, config.listingPolicy, systemClock.now());
  const pinned = createPinnedFetch({ allowPrivate: config.allowPrivateNetwork, resolve: resolveHost });
  const http = createSafeFetch({ fetch: pinned, allowPrivate: config.allowPrivateNetwork, resolve: resolveHost });
  return { db, client, http, deps: { db, http, clock: systemClock, log: consoleLogger("warn"), intervalMs: config.crawlIntervalMs, federationUrl: config.chatonsFederationUrl, statoolinfosHosts: config.statoolinfosHosts } };
}

/** Serves file: URLs from disk (for a local organization file and relative subs), everything else over HTTP. */
export function withFiles(http: SafeFetch): SafeFetch {
  return Object.assign(async (url: string, opts?: SafeFetchOptions) => {
    if (!url.startsWith("file:")) return http(url, opts);
    let body: Uint8Array;
    try { body = new Uint8Array(readFileSync(fileURLToPath(url))); } catch { body = new Uint8Array(); return { status: 404, headers: new Headers(), body, url, text: () => "" }; }
    return { status: 200, headers: new Headers(), body, url, text: () => new TextDecoder().decode(body) };
  }, { check: (url: string) => (url.startsWith("file:") ? Promise.resolve() : http.check(url)) });
}

/** A progress line rewritten in place on a terminal; every 10% otherwise (logs, CI). */
export function progressPrinter(out: NodeJS.WriteStream = process.stdout) {
  let lastPct = -1;
  return (p: CrawlProgress) => {
    const line = `crawl ${p.done}/${p.total}  failed ${p.failed}  deferred ${p.deferred}`;
    if (out.isTTY) { out.write(`\r${line}${p.done === p.total ? "\n" : ""}`); return; }
    const pct = Math.floor((p.done / p.total) * 10);
    if (pct !== lastPct || p.done === p.total) { lastPct = pct; out.write(`${line}\n`); }
  };
}

export const sourceCommands: Record<string, Command> = {
  crawl: {
    usage: "crawl [--provider slug] [--concurrency n]",
    summary: "pull every provider's source now (or one provider's), with progress and a summary",
    help: `Pulls every pull source now (or the one of --provider), --concurrency at a time (default ${DEFAULT_CONCURRENCY}), then
refreshes the CHATONS collective's list when CHATONS_FEDERATION_URL is set. Prints progress, then a summary and each
failure. Exit 1 when any source failed or was read only in part (degraded), or the collective's list could not be
read: a cron job notices. Exit 0 when every source was read.`,
    async run(args) {
      const config = parseConfig(process.env);
      const { client, deps } = await open(config);
      try {
        const providerSlug = option(args, "--provider");
        const concurrency = Number(option(args, "--concurrency") ?? DEFAULT_CONCURRENCY);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError("--concurrency must be an integer from 1 to 256");
        if (providerSlug && !(await findProviderBySlug(deps.db, providerSlug))) throw new Error(`no provider "${providerSlug}"`);
        const s = await crawlRound(deps, { force: true, providerSlug, concurrency, onProgress: progressPrinter() });
        const listFailed = s.federation?.status === "failed";
        if (s.federation) console.log(`CHATONS list ${s.federation.url}: ${s.federation.status}${s.federation.error ? ` (${s.federation.error})` : ""}, ${s.federation.members} member file(s)`);
        if (s.total === 0) { console.log(providerSlug ? `provider "${providerSlug}" has no pull source` : "no pull sources to crawl"); return listFailed ? 1 : 0; }
        console.log(`crawled ${s.total} source(s) in ${(s.ms / 1000).toFixed(1)} s (concurrency ${s.concurrency}): ${s.updated} updated (${s.degraded} degraded), ${s.notModified} not modified, ${s.failed} failed, ${s.deferred} deferred`);
        console.log(`offers: ${s.created} created, ${s.changed} changed, ${s.deleted} deleted, ${s.hidden} hidden (unconfirmed for 30 days)`);
        for (const f of s.failures.slice(0, 20)) console.log(`  failed ${f.provider}: ${f.error}`);
        if (s.failures.length > 20) console.log(`  … and ${s.failures.length - 20} more`);
        if (s.failed || s.degraded || listFailed) {
          console.error(`crawl: ${s.failed} of ${s.total} source(s) failed, ${s.degraded} read in part${listFailed ? "; the CHATONS list could not be read" : ""}`);
          return 1;
        }
      } finally { client.close(); }
    },
  },

  "import-statoolinfos": {
    usage: "import-statoolinfos <url-or-file> [--slug slug] | import-statoolinfos --federation <url-or-file>",
    summary: "create or update a provider from a StatoolInfos organization file (or every member of the collective's list)",
    help: `<url-or-file>: creates or updates the provider described by a StatoolInfos organization file and pulls its
services (a URL also becomes its pull source). --slug names an existing provider to update.
--federation <url-or-file>: stores the CHATONS collective's Federation file (its member list) and imports every
member, with a progress line each. Exit 1 when the file cannot be read or any member failed.`,
    async run(args) {
      const federation = args.includes("--federation");
      const target = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--slug");
      if (!target) throw new UsageError("name the organization (or Federation) file or URL");
      const config = parseConfig(process.env);
      const { client, deps } = await open(config);
      try {
        const url = /^https?:\/\//i.test(target) ? target : pathToFileURL(resolve(target)).toString();
        const http = withFiles(deps.http);
        if (federation) {
          const r = await importFederation({ ...deps, http }, url, (p) => {
            const line = p.result.ok
              ? `${p.result.value.created ? "created" : "updated"} ${p.result.value.provider.slug} (${p.result.value.membership}): ${p.result.value.report.created} offers created, ${p.result.value.report.updated} updated${p.result.value.report.status === "degraded" ? `, ${p.result.value.report.failures?.length ?? 0} service file(s) failed` : ""}`
              : `failed: ${p.result.error.detail}`;
            console.log(`[${p.done}/${p.total}] ${line}`);
          });
          if (!r.ok) throw new Error(r.error.detail);
          const s = r.value;
          for (const i of s.list.issues) console.log(`  ${target}${i.line ? `:${i.line}` : ""}: ${i.message}`);
          console.log(`${s.members} member organization file(s) listed by ${target}: ${s.created} providers created, ${s.updated} updated, ${s.failed} failed, ${s.degraded} degraded`);
          console.log(`offers: ${s.offers.created} created, ${s.offers.updated} updated, ${s.offers.deleted} deleted; confirmed CHATONS members: ${s.list.confirmed}, unconfirmed declarations: ${s.list.unconfirmed}`);
          for (const f of s.failures.slice(0, 20)) console.log(`  failed ${f.url}: ${f.error}`);
          return s.failed ? 1 : 0;
        }
        const r = await importStatoolInfos({ ...deps, http }, url, { slug: option(args, "--slug") });
        if (!r.ok) throw new Error(r.error.detail);
        const { provider, created, report, profileIssues, membership } = r.value;
        const member = { member: ", CHATONS member", idle: ", CHATONS member (activity paused)", unconfirmed: ", declares CHATONS membership (not confirmed by the collective's list)", none: "" }[membership];
        console.log(`${created ? "created" : "updated"} provider ${provider.slug} (${provider.name}, ${provider.country}, ${provider.org_type}${member})`);
        if (report.status === "failed") console.log(`offers not pulled: ${report.error}`);
        else console.log(`offers: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted, ${report.skipped.length} skipped${report.status === "degraded" ? ` — degraded: ${report.failures?.length ?? 0} service file(s) failed` : ""}`);
        // The pull re-reads the organization file: print each of its issues once.
        const seen = new Set(report.issues.filter((i) => i.file === url).map((i) => `${i.line}:${i.message}`));
        for (const i of profileIssues) if (!seen.has(`${i.line}:${i.message}`)) console.log(`  ${target}${i.line ? `:${i.line}` : ""}: ${i.message}`);
        for (const i of report.issues) console.log(`  ${i.file === url ? target : i.file}${i.line ? `:${i.line}` : ""}: ${i.message}`);
        if (/^https?:/i.test(url)) console.log(`the file is now the provider's pull source (refreshed every ${config.crawlIntervalMs / 3_600_000} h)`);
        if (provider.listed !== 1) console.log("the provider waits for review (LISTING_POLICY=reviewed): npm run cli -- moderate approve " + provider.slug);
        return report.status === "failed" ? 1 : 0;
      } finally { client.close(); }
    },
  },

  token: {
    usage: "token <provider-slug>",
    summary: "issue a new API token for a provider (revokes its other tokens); prints it once",
    help: "Issues a new API token for the provider (e.g. after it revoked a leaked one) and prints it once.",
    async run(args) {
      const slug = args[0];
      if (!slug) throw new UsageError("name the provider");
      const config = parseConfig(process.env);
      const { client, deps } = await open(config);
      try {
        const provider = await findProviderBySlug(deps.db, slug);
        if (!provider) throw new Error(`no provider "${slug}"`);
        console.log(await rotateToken(deps.db, provider, systemClock.now()));
      } finally { client.close(); }
    },
  },
};
