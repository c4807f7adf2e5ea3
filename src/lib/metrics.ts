/**
 * Counters and histograms kept in memory, written in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): `# HELP` and `# TYPE` lines, then
 * one `name{label="value"} number` line per sample; histograms as cumulative `_bucket{le="…"}` lines ending with
 * `le="+Inf"`, then `_sum` and `_count`. Label values escape `\`, `"` and newlines. No dependency: it runs the same
 * on Node and in Workers (where each isolate counts its own requests; the database gauges are shared).
 */

export type Labels = Record<string, string>;
export type Sample = { labels?: Labels; value: number };
/** A metric computed when scraped (from the database, the process…): gauges, or counters read from stored state. */
export type Family = { name: string; help: string; type: "gauge" | "counter"; samples: Sample[] };

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const labelText = (labels: Labels | undefined, extra?: [string, string]) => {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push(extra);
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
};
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN");
const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

class Counter {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1) {
    const k = keyOf(labels);
    const cur = this.values.get(k);
    if (cur) cur.value += by; else this.values.set(k, { labels, value: by });
  }
  render(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} counter`,
      ...[...this.values.values()].map((s) => `${this.name}${labelText(s.labels)} ${num(s.value)}`)];
  }
}

class Histogram {
  readonly values = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(labels: Labels, value: number) {
    const k = keyOf(labels);
    let s = this.values.get(k);
    if (!s) { s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }; this.values.set(k, s); }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++;
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const s of this.values.values()) {
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText(s.labels, ["le", num(b)])} ${s.counts[i]}`));
      out.push(`${this.name}_bucket${labelText(s.labels, ["le", "+Inf"])} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${num(s.sum)}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/** Request latency buckets in seconds: a few ms (cached searches) up to the 10 s outbound timeouts. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metrics one app instance counts itself: HTTP requests by route template and status, and their latency. */
export class MetricsRegistry {
  readonly requests = new Counter("chatons_http_requests_total", "HTTP requests answered, by method, route template and status.");
  readonly latency = new Histogram("chatons_http_request_duration_seconds", "Time to answer HTTP requests, by route template.", LATENCY_BUCKETS);

  /** Records one answered request. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  /** The exposition text: what this instance counted, then the families computed at scrape time. */
  render(families: Family[] = []): string {
    const lines = [...this.requests.render(), ...this.latency.render()];
    for (const f of families) {
      lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of f.samples) lines.push(`${f.name}${labelText(s.labels)} ${num(s.value)}`);
    }
    return `${lines.join("\n")}\n`;
  }
}
