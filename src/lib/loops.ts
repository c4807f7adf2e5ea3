/**
 * What /healthz says about the background loops of a long-running process (federation publisher, signup deliveries,
 * freshness): when each last started and finished a round, its last error, and whether it is stuck — a round running
 * longer than the loop allows, or no round for that long while the loop should be ticking.
 */

export type LoopState = {
  lastStartedAt: string | null; lastFinishedAt: string | null; lastError: string | null; lastErrorAt: string | null;
  running: boolean; stuck: boolean;
};

/** What a loop reports: a round starts, a round ends (with its error if it failed). */
export type LoopHandle = { started(): void; finished(error?: unknown): void };

type Entry = { stuckAfterMs: number; since: number; startedAt?: number; finishedAt?: number; error?: string; errorAt?: number; running: boolean };

export class LoopMonitor {
  #loops = new Map<string, Entry>();
  constructor(private now: () => number) {}

  /** A loop that should complete a round at least every `stuckAfterMs` (and no round may run longer). */
  register(name: string, stuckAfterMs: number): LoopHandle {
    const e: Entry = { stuckAfterMs, since: this.now(), running: false };
    this.#loops.set(name, e);
    return {
      started: () => { e.running = true; e.startedAt = this.now(); },
      finished: (error?: unknown) => {
        e.running = false;
        e.finishedAt = this.now();
        if (error !== undefined) { e.error = error instanceof Error ? error.message : String(error); e.errorAt = e.finishedAt; }
      },
    };
  }

  snapshot(): Record<string, LoopState> {
    const now = this.now();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const out: Record<string, LoopState> = {};
    for (const [name, e] of this.#loops) {
      const stuck = e.running ? now - e.startedAt! > e.stuckAfterMs : now - (e.finishedAt ?? e.since) > e.stuckAfterMs;
      out[name] = { lastStartedAt: iso(e.startedAt), lastFinishedAt: iso(e.finishedAt), lastError: e.error ?? null, lastErrorAt: iso(e.errorAt), running: e.running, stuck };
    }
    return out;
  }
}
