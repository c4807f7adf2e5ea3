/**
 * `npm run cli -- <command>`: operator commands against any DATABASE_URL (local file or remote libSQL).
 * Every command answers `--help`. Exit codes: 0 done; 1 failed (or, for `crawl`, a source failed or was read only in
 * part: cron notices); 2 the command line was not understood. docs/decisions/0032.
 */
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import { ConfigError, parseConfig, type Config } from "../config.ts";
import { migrateToLatest } from "../db/migrator.ts";
import { consistencyProblems } from "../db/queries/consistency.ts";
import { backupInto, verifyBackup } from "../db/backup.ts";
import { adoptListingPolicy } from "../domain/catalog/offers.ts";
import { loadSeeds, parseSeeds, SeedError } from "../domain/catalog/seeding.ts";
import { exportCatalog, importCatalog } from "../domain/catalog/transfer.ts";
import { approveProvider, hideOffer, hideProvider, unhideOffer, unhideProvider, type Actor } from "../domain/moderation/actions.ts";
import { reviewQueue } from "../domain/moderation/views.ts";
import { redeliver } from "../domain/signups/destinations.ts";
import { purgePersonalData } from "../domain/signups/jobs.ts";
import { deliveryList } from "../domain/signups/views.ts";
import { randomToken } from "../lib/ids.ts";
import { systemClock } from "../lib/log.ts";
import { sourceCommands } from "./cli-sources.ts";
import { option, positional, UsageError, type Command } from "./cli-common.ts";

export { UsageError, type Command };
import { openDatabase, readSeedFiles } from "./shared.ts";

/** Opens DATABASE_URL, migrated, recording LISTING_POLICY only if no server ever did (docs/decisions/0030). */
async function openDb(config: Config = parseConfig(process.env)) {
  const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  await migrateToLatest(db);
  await adoptListingPolicy(db, config.listingPolicy, systemClock.now());
  return { db, client, config };
}

/** Who acts from the command line, for the audit log: `--by`, else the system user at this machine. */
function cliActor(args: string[]): Actor {
  let who = option(args, "--by");
  if (!who) { try { who = `${userInfo().username}@${hostname()}`; } catch { who = "cli"; } }
  return { name: who.slice(0, 80), via: "cli" };
}

/** A progress line rewritten in place on a terminal, every 10 % otherwise (logs, cron). */
function progress(label: string, out: NodeJS.WriteStream = process.stderr) {
  let lastPct = -1;
  return (p: { done: number; total: number }) => {
    const line = `${label} ${p.done}/${p.total}`;
    if (out.isTTY) { out.write(`\r${line}${p.done === p.total ? "\n" : ""}`); return; }
    const pct = p.total ? Math.floor((p.done / p.total) * 10) : 10;
    if (pct !== lastPct || p.done === p.total) { lastPct = pct; out.write(`${line}\n`); }
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const commands: Record<string, Command> = {
  migrate: {
    usage: "migrate", summary: "apply pending database migrations",
    help: "Applies every pending migration to DATABASE_URL (local file or remote libSQL) and lists them.",
    async run() {
      const config = parseConfig(process.env);
      const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database is up to date");
      } finally { client.close(); }
    },
  },
  seed: {
    usage: "seed", summary: "load the demo seeds (only into an empty catalog)",
    help: "Loads seeds/demo/ (fictional providers and offers, counted as reviewed) when the catalog has no provider.",
    async run() {
      const { db, client } = await openDb();
      try {
        const result = await loadSeeds(db, parseSeeds(readSeedFiles()), systemClock.now());
        console.log(result ? `loaded ${result.providers} providers and ${result.offers} offers` : "the catalog is not empty: seeds not loaded");
      } finally { client.close(); }
    },
  },
  check: {
    usage: "check", summary: "check the database: integrity, search index, signup and outbox invariants",
    help: "Runs SQLite's integrity check and the invariants the write paths keep. Exit 1 when any fails, naming each with its row count.",
    async run() {
      const { db, client } = await openDb();
      try {
        const problems = await consistencyProblems(db);
        for (const p of problems) console.log(`${p.check}: ${p.rows} row(s)`);
        if (problems.length) throw new Error(`${problems.length} check(s) failed`);
        console.log("database is consistent");
      } finally { client.close(); }
    },
  },
  ...sourceCommands,
  export: {
    usage: "export [--output file]", summary: "write the whole catalog as one JSON document (no secrets)",
    help: `Writes every local provider (profile, membership, domain proof, listing and moderation state, pull source,
where it receives signups) with its offers as one JSON document, valid against schemas/catalog-document.schema.json.
No secret is written: API tokens, webhook secrets and Nextcloud tokens stay behind. Federated providers and offers
are left out (the directories that publish them send them again).
Options: --output file (default: standard output). Progress goes to standard error.`,
    async run(args) {
      const out = option(args, "--output");
      const { db, client } = await openDb();
      try {
        const doc = await exportCatalog(db, systemClock.now(), out ? progress("export") : undefined);
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        const offers = doc.providers.reduce((n, p) => n + p.offers.length, 0);
        if (out) {
          writeFileSync(resolve(out), text);
          console.log(`exported ${doc.providers.length} providers and ${offers} offers to ${out} (${mb(Buffer.byteLength(text))})`);
        } else process.stdout.write(text);
      } finally { client.close(); }
    },
  },
  import: {
    usage: "import <file>", summary: "load a catalog export into an empty database",
    help: `Validates the document (schemas/catalog-document.schema.json), then writes it in one transaction into an
empty catalog: providers as exported, offers through the write path (same search index), nothing sent to other
directories. Webhooks and Nextcloud come back disabled: providers set them again for new secrets; they sign in with
an emailed link, or ask for a token (npm run cli -- token <slug>). Exit 1 when the document is invalid (each
problem with its path) or the catalog is not empty; nothing is written then.`,
    async run(args) {
      const [file] = positional(args);
      if (!file) throw new UsageError("name the file to import");
      let input: unknown;
      try { input = JSON.parse(readFileSync(resolve(file), "utf8")); } catch (e) { throw new Error(`${file}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : (e as Error).message}`); }
      const { db, client } = await openDb();
      try {
        const r = await importCatalog(db, input, systemClock.now(), progress("import"));
        if (!r.ok) {
          if (r.error.kind === "invalid") for (const e of r.error.errors) console.error(`  ${e.path}: ${e.message}`);
          throw new Error(r.error.detail);
        }
        const s = r.value;
        console.log(`imported ${s.providers} providers, ${s.offers} offers and ${s.sources} pull sources; ${s.disabledDestinations} webhook/Nextcloud destination(s) wait for their providers to set them again`);
      } finally { client.close(); }
    },
  },
  backup: {
    usage: "backup <file> [--force]", summary: "a consistent copy of the embedded database, while the server runs",
    help: `Copies the embedded database (DATABASE_URL=file:…) into <file> with SQLite's VACUUM INTO: one read
transaction, so the copy is consistent even while the server writes (WAL), and compact. Then opens the copy and runs
PRAGMA integrity_check. Prints its size and how long it took. --force replaces an existing file.
Restore: stop the server, replace the database file with the copy (and remove its -wal and -shm files), start.
A remote libSQL database (libsql://, https://) cannot be copied this way: use your libSQL host's backups or
point-in-time restore, or export the catalog (npm run cli -- export). Exit 1 on any failure.`,
    async run(args) {
      const [file] = positional(args);
      if (!file) throw new UsageError("name the file to write the backup to");
      const config = parseConfig(process.env);
      if (!config.databaseUrl.startsWith("file:")) {
        throw new Error("DATABASE_URL is a remote libSQL database: VACUUM INTO writes only next to an embedded file. Use your libSQL host's backups (point-in-time restore, dump), or export the catalog: npm run cli -- export --output catalog.json");
      }
      const target = resolve(file);
      if (existsSync(target)) {
        if (!args.includes("--force")) throw new Error(`${file} exists; choose another name or add --force`);
        unlinkSync(target);
      }
      const { db, client } = await openDatabase(config.databaseUrl, config.databaseAuthToken);
      try {
        const started = performance.now();
        await backupInto(db, target);
        const ms = performance.now() - started;
        const check = await verifyBackup(target);
        if (!check.ok) throw new Error(`the copy failed its integrity check: ${check.messages.join("; ")}`);
        console.log(`backup written to ${file}: ${mb(statSync(target).size)} in ${(ms / 1000).toFixed(2)} s; integrity check ok (${check.offers} offers, ${check.providers} providers, ${check.signups} signups)`);
      } finally { client.close(); }
    },
  },
  deliveries: {
    usage: "deliveries [--status pending|delivered|rejected|dead] [--limit n] | deliveries retry <id>… | deliveries retry --all-dead",
    summary: "list webhook, Nextcloud, mail and hand-over deliveries; send dead letters again",
    help: `Lists deliveries, newest first (default: the dead ones), with their attempts and last error.
"retry <id>…" queues dead or rejected deliveries again with the same webhook-id (the running server delivers them);
"retry --all-dead" does it for every dead one. Exit 1 when a retry is refused.`,
    async run(args) {
      const { db, client } = await openDb();
      try {
        if (args[0] === "retry") {
          const all = args.includes("--all-dead");
          let ids = positional(args.slice(1));
          if (!all && ids.length === 0) throw new UsageError("name the deliveries to retry, or --all-dead");
          if (all) {
            ids = [];
            for (let cursor: string | null | undefined = undefined; ;) {
              const page: Awaited<ReturnType<typeof deliveryList>> = await deliveryList(db, { status: "dead", limit: 100, cursor: cursor ?? undefined });
              ids.push(...page.items.map((d) => d.id));
              if (!page.nextCursor) break;
              cursor = page.nextCursor;
            }
          }
          let refused = 0;
          for (const id of ids) {
            const r = await redeliver(db, id, undefined, systemClock.now());
            if (r.ok) console.log(`queued ${id} again`);
            else { refused++; console.error(`${id}: ${r.error.detail}`); }
          }
          console.log(`${ids.length - refused} of ${ids.length} delivery(ies) queued again`);
          return refused ? 1 : 0;
        }
        const status = (option(args, "--status") ?? "dead") as "pending" | "delivered" | "rejected" | "dead";
        if (!["pending", "delivered", "rejected", "dead"].includes(status)) throw new UsageError("--status must be pending, delivered, rejected or dead");
        const limit = Number(option(args, "--limit") ?? 50);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError("--limit must be an integer from 1 to 100");
        const page = await deliveryList(db, { status, limit });
        for (const d of page.items) {
          console.log(`${d.id}  ${d.type}  ${d.provider}  ${d.status}  attempts ${d.attempts}  ${d.updatedAt}${d.lastStatus ? `  HTTP ${d.lastStatus}` : ""}${d.lastError ? `  ${d.lastError}` : ""}`);
        }
        console.log(`${page.items.length} ${status} delivery(ies)${page.nextCursor ? " (more: use the admin API)" : ""}`);
      } finally { client.close(); }
    },
  },
  purge: {
    usage: "purge", summary: "run the personal-data purge now",
    help: `Erases now what the hourly purge would: personal data of signups finished more than SIGNUP_RETENTION ago
(and of unfinished ones idle for 30 days), what people wrote in reports closed 30 days ago, ended sessions, old
sign-in links and rate-limit windows. Prints what it erased.`,
    async run() {
      const { db, client, config } = await openDb();
      try {
        const r = await purgePersonalData(db, systemClock.now(), config.signupRetentionMs);
        console.log(`erased the personal data of ${r.signups} signup(s) and ${r.reports} report message(s); removed ${r.sessions} ended session(s)`);
      } finally { client.close(); }
    },
  },
  moderate: {
    usage: "moderate queue | approve <provider> | hide <provider|offer-id> --reason text | unhide <provider|offer-id> [--reason text]  [--by name]",
    summary: "the review queue; approve, hide or show again a provider or an offer",
    help: `queue: the providers waiting for review. approve <provider>: it becomes public with its offers.
hide <provider|offer-id> --reason text: out of search, pages, the API and exports; other directories get a Delete.
unhide: shown again (a new Create). An offer id has a "~" (provider~offer); anything else names a provider.
Every action goes into the audit log as --by (default: your system user at this machine). Exit 1 when refused.`,
    async run(args) {
      const [action, target] = positional(args, ["--reason", "--by"]);
      if (!action || !["queue", "approve", "hide", "unhide"].includes(action)) throw new UsageError("say queue, approve, hide or unhide");
      if (action !== "queue" && !target) throw new UsageError(`name the provider${action === "approve" ? "" : " or offer"} to ${action}`);
      const reason = option(args, "--reason");
      if (action === "hide" && !reason?.trim()) throw new UsageError("hide needs --reason (the provider sees it)");
      const { db, client } = await openDb();
      try {
        if (action === "queue") {
          const q = await reviewQueue(db);
          for (const p of q.items) console.log(`${p.slug}  ${p.name}  ${p.website}  joined ${p.createdAt}  ${p.offerCount} offer(s)  domain ${p.verified ? "verified" : "not verified"}  membership ${p.chatonsMembership}`);
          console.log(`${q.total} provider(s) waiting for review`);
          return;
        }
        const actor = cliActor(args);
        const now = systemClock.now();
        const isOffer = target!.includes("~");
        if (action === "approve" && isOffer) throw new UsageError("approve names a provider, not an offer");
        const r = action === "approve" ? await approveProvider(db, target!, actor, reason, now)
          : action === "hide" ? (isOffer ? await hideOffer(db, target!, actor, reason!, now) : await hideProvider(db, target!, actor, reason!, now))
          : isOffer ? await unhideOffer(db, target!, actor, reason, now) : await unhideProvider(db, target!, actor, reason, now);
        if (!r.ok) throw new Error(r.error.detail);
        const v = r.value as { slug?: string; listing?: string; id?: string; listed?: boolean };
        console.log(v.slug ? `${v.slug}: ${v.listing} (logged as ${actor.name})` : `${v.id}: ${v.listed ? "listed" : "not listed"} (logged as ${actor.name})`);
      } finally { client.close(); }
    },
  },
};

// `token` covers both kinds of tokens: a provider's API token (from cli-sources) and a new admin token.
const providerToken = commands.token;
commands.token = {
  usage: "token <provider-slug> | token --admin",
  summary: "issue a provider's new API token, or make a new admin token",
  help: `token <provider-slug>: a new API token for the provider (its other tokens are revoked, its browsers are
signed out and sign-in links not yet used stop working). Printed once.
token --admin: prints a new random admin token to put in ADMIN_TOKEN; restarting with it signs every operator out
of /admin (sessions remember the token they were opened with) and the old token stops working.`,
  async run(args) {
    if (args.includes("--admin")) {
      console.log(randomToken(32, "cda_"));
      console.error("set it as ADMIN_TOKEN and restart the server (operators then sign in again)");
      return;
    }
    return providerToken.run(args);
  },
};

const HELP = () => `chatons-directory command line

Usage: npm run cli -- <command> [options]      npm run cli -- <command> --help

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(20)}${c.summary}`).join("\n")}
  help, --help        show this help

Exit codes: 0 done; 1 failed (crawl: a source failed); 2 the command line was not understood.
Environment: DATABASE_URL (default file:data/directory.db), DATABASE_AUTH_TOKEN for remote libSQL.`;

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(HELP());
    return name ? 0 : 1;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(`unknown command "${name}"; run: npm run cli -- --help`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`Usage: npm run cli -- ${command.usage}\n\n${command.summary}.\n\n${command.help}`);
    return 0;
  }
  try {
    return (await command.run(args)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${name}: ${e.message}\nusage: npm run cli -- ${command.usage}`);
      return 2;
    }
    const message = e instanceof ConfigError || e instanceof SeedError ? e.message : `${name} failed: ${e instanceof Error ? e.message : String(e)}`;
    console.error(message);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
