/**
 * Mentions per configured topic over a sliding window of one-minute buckets: the counts behind
 * the wall's top-topics panel. Memory is bounded by buckets × configured topics.
 */
const EMPTY: ReadonlyMap<string, number> = new Map();

export class TopicWindow {
  private readonly buckets: Map<string, number>[];
  private readonly starts: number[];

  constructor(
    readonly windowMs = 15 * 60_000,
    private readonly bucketMs = 60_000
  ) {
    const n = Math.ceil(windowMs / bucketMs);
    this.buckets = Array.from({ length: n }, () => new Map<string, number>());
    this.starts = new Array<number>(n).fill(-Infinity);
  }

  /** Counts one mention of `topics` created at `t` (clamped to now; older than the window: skipped). */
  add(topics: readonly string[], t: number, now: number): void {
    if (topics.length === 0) return;
    const at = t > now ? now : t;
    if (at <= now - this.windowMs) return;
    const start = Math.floor(at / this.bucketMs) * this.bucketMs;
    const i = Math.floor(start / this.bucketMs) % this.buckets.length;
    let bucket = this.buckets[i]!;
    if (this.starts[i] !== start) {
      // A bucket from an earlier lap of the ring: its minute left the window.
      bucket = new Map();
      this.buckets[i] = bucket;
      this.starts[i] = start;
    }
    for (const name of topics) bucket.set(name, (bucket.get(name) ?? 0) + 1);
  }

  /** Mentions per topic in the one-minute bucket starting at `start` (empty when not kept). */
  countsAt(start: number): ReadonlyMap<string, number> {
    const i = Math.floor(start / this.bucketMs) % this.buckets.length;
    return this.starts[i] === start ? this.buckets[i]! : EMPTY;
  }

  /** Topics by mentions inside the window at `now`, most first (ties by name). */
  top(now: number, n = 8): { name: string; count: number }[] {
    const totals = new Map<string, number>();
    const from = Math.floor((now - this.windowMs) / this.bucketMs) * this.bucketMs;
    this.buckets.forEach((b, i) => {
      if (this.starts[i]! <= from) return;
      for (const [name, c] of b) totals.set(name, (totals.get(name) ?? 0) + c);
    });
    return [...totals]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, n);
  }
}
