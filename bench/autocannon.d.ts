// Minimal typing of what bench/search.ts uses from autocannon 8 (it ships no types).
declare module "autocannon" {
  type Result = { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
  export default function autocannon(opts: Record<string, unknown>): Promise<Result>;
}
