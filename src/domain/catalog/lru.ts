/** A small LRU map bounded by an estimate of its size in bytes; entries remember when they were stored. */
export class LruCache<V> {
  private map = new Map<string, { value: V; bytes: number; at: number }>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(private maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The value stored under `key` if it is at most `maxAgeMs` old (at `nowMs`); refreshes its recency. */
  get(key: string, nowMs: number, maxAgeMs: number): V | undefined {
    const e = this.map.get(key);
    if (!e || nowMs - e.at > maxAgeMs || nowMs < e.at) {
      this.misses++;
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, e);
    this.hits++;
    return e.value;
  }

  set(key: string, value: V, bytes: number, nowMs: number): void {
    if (!this.enabled || bytes > this.maxBytes / 4) return;
    const old = this.map.get(key);
    if (old) { this.used -= old.bytes; this.map.delete(key); }
    this.map.set(key, { value, bytes, at: nowMs });
    this.used += bytes;
    for (const [k, e] of this.map) {
      if (this.used <= this.maxBytes) break;
      this.map.delete(k);
      this.used -= e.bytes;
    }
  }

  get size(): number {
    return this.map.size;
  }
}
