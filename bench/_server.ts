/**
 * The server as `npm start` runs it, for benchmarks: `buildServer()` runs scripts/build.mjs (npm's prestart), and
 * `startServer()` spawns `node <npm start's Node options> build/node.js` on a free 127.0.0.1 port, resolving once it
 * prints that it listens. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" adds Node options (profiling).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((res) => { const s = createServer(); s.listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); }); });
}

/** Builds build/node.js as `npm start`'s prestart does. */
export function buildServer(): void {
  const built = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("build failed");
}

/** The Node options `npm start` passes (package.json), so a bench runs the server exactly as it starts. */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  return start.split(/\s+/).filter((a) => a.startsWith("--"));
}

/** `node` arguments that run the built server as `npm start` does (plus BENCH_NODE_ARGS). */
export const serverArgs = (): string[] => [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), ...startFlags(), join(root, "build/node.js")];

export type Server = { base: string; child: ChildProcess; startedMs: number; peakMb(): number; rssMb(): number; stop(): Promise<number> };

/** Starts `args` (node) on a free port and resolves once it prints that it listens. */
export async function startServer(args: string[], env: Record<string, string>, what: string): Promise<Server> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what} did not start in 60 s`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => { if (d.toString().includes("listening")) { clearTimeout(t); res(); } });
    child.on("exit", (code) => rej(new Error(`${what} exited with ${code}`)));
  });
  const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  return {
    base: `http://127.0.0.1:${port}`, child, startedMs: performance.now() - t0, peakMb: () => status("VmHWM"), rssMb: () => status("VmRSS"),
    async stop() {
      const t = performance.now();
      child.kill("SIGTERM");
      await new Promise((res) => { child.once("exit", res); setTimeout(res, 15_000); });
      return performance.now() - t;
    },
  };
}
