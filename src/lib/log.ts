/** The clock and logger every layer is given (never read from globals), and their production implementations. */

export type Clock = { now(): number };
export type Logger = {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
};

export const systemClock: Clock = { now: () => Date.now() };

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/** One JSON line per event on stderr-like sinks; the same on Node and in Workers (console). */
export function consoleLogger(level: LogLevel): Logger {
  const min = LEVELS[level];
  const at = (l: Exclude<LogLevel, "silent">) => (msg: string, extra?: Record<string, unknown>) => {
    if (LEVELS[l] < min) return;
    console[l === "debug" ? "log" : l](JSON.stringify({ level: l, msg, ...extra }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
