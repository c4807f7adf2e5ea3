// Minimal typing of what bench/search.ts uses from autocannon 8 (it ships no types).
declare module "autocannon" {
  type Result = { requests: { average: number; total: number }; latency: { p50: number; p99: number; max: number }; non2xx: number; errors: number; duration: number };
  type Instance = Promise<Result> & { stop(): void };
  export default function autocannon(opts: Record<string, unknown>): Instance;
}
