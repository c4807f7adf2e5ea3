/** Runs the real Node entry points as child processes (server start-up, CLI), bounded in time. */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

export type Server = { url: string; child: ChildProcess; output: () => string; stop(signal?: NodeJS.Signals): Promise<number | null> };

/** Starts `src/runtime/node.ts` on a free port and resolves once it prints its address. */
export function startServer(env: Record<string, string>, timeoutMs = 20_000): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/jsonld-node.mjs", "src/runtime/node.ts"], {
    cwd: ROOT, env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", LISTING_POLICY: "open", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({
          url: m[1], child, output: () => out,
          async stop(signal = "SIGTERM") {
            child.kill(signal);
            const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
            const code = await exited;
            clearTimeout(t);
            return code;
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${out}`)); });
  });
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/jsonld-node.mjs", "src/runtime/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, LISTING_POLICY: "open", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const t = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code) => { clearTimeout(t); res({ code, stdout, stderr }); });
  });
}

/** A port free right now on 127.0.0.1 (for servers whose public URL must name their port before they start). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, "127.0.0.1", res));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((res) => srv.close(() => res()));
  return port;
}
