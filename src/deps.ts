import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";
import type { SafeFetch } from "./delivery/net.ts";

export type Clock = { now(): number };
export type Logger = {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
};

/** Everything the app needs from the outside world. Runtimes build it; tests pass fakes. */
export type Deps = {
  db: Db;
  config: Config;
  clock: Clock;
  /** Raw fetch, for libraries that need one (Fedify); wrap app-level outbound calls in `http` instead. */
  fetch: typeof fetch;
  /** Guarded outbound HTTP (crawler, verification, webhooks): SSRF checks, timeout, size limit (delivery/net.ts). */
  http: SafeFetch;
  log: Logger;
  /** Wakes the in-process signup delivery worker (Node) right after a signup is queued; absent elsewhere. */
  wakeSignupWorker?: () => void;
};

export const systemClock: Clock = { now: () => Date.now() };

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** One JSON line per event on stderr-like sinks; the same on Node and in Workers (console). */
export function consoleLogger(level: keyof typeof LEVELS): Logger {
  const min = LEVELS[level];
  const at = (l: Exclude<keyof typeof LEVELS, "silent">) => (msg: string, extra?: Record<string, unknown>) => {
    if (LEVELS[l] < min) return;
    console[l === "debug" ? "log" : l](JSON.stringify({ level: l, msg, ...extra }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
