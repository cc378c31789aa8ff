import type { MinuteRollup } from './rolling-windows';

/**
 * A time-indexed ring of fixed-width buckets, stored columnar in typed arrays: `size` buckets of
 * `stepMs`, each with `fields` counters and a `sketchBuckets`-wide response-time histogram.
 */
export class Ring {
  readonly starts: Float64Array;
  readonly counts: Float64Array;
  readonly sketch: Uint32Array;

  constructor(
    readonly size: number,
    readonly stepMs: number,
    readonly fields: number,
    readonly sketchBuckets: number
  ) {
    this.starts = new Float64Array(size).fill(-1);
    this.counts = new Float64Array(size * fields);
    this.sketch = new Uint32Array(size * sketchBuckets);
  }

  /**
   * The slot for time `t`, resetting it when it still holds an older bucket; -1 when `t` is
   * outside the horizon that ends at `now`.
   */
  slot(t: number, now: number): number {
    const start = Math.floor(t / this.stepMs) * this.stepMs;
    const newest = Math.floor(now / this.stepMs) * this.stepMs;
    if (start > newest || start <= newest - this.size * this.stepMs) return -1;
    const i = (start / this.stepMs) % this.size;
    const held = this.starts[i]!;
    if (held === start) return i;
    if (held > start) return -1;
    this.starts[i] = start;
    this.counts.fill(0, i * this.fields, (i + 1) * this.fields);
    this.sketch.fill(0, i * this.sketchBuckets, (i + 1) * this.sketchBuckets);
    return i;
  }

  /** The slot holding exactly the bucket that starts at `start`, or -1. */
  find(start: number): number {
    if (start < 0) return -1;
    const i = (start / this.stepMs) % this.size;
    return this.starts[i] === start ? i : -1;
  }

  /** Bucket start of a slot. */
  startOf(slot: number): number {
    return this.starts[slot]!;
  }

  /** A slot's counters and sparse sketch as a storable rollup. */
  rollup(slot: number): MinuteRollup {
    const counts = Array.from(this.counts.subarray(slot * this.fields, (slot + 1) * this.fields));
    const sketch: number[] = [];
    const base = slot * this.sketchBuckets;
    for (let i = 0; i < this.sketchBuckets; i++) {
      const n = this.sketch[base + i]!;
      if (n > 0) sketch.push(i, n);
    }
    return { start: this.starts[slot]!, counts, sketch };
  }

  /** Overwrites a slot (already claimed with `slot()`) from a stored rollup. */
  load(slot: number, r: MinuteRollup): void {
    for (let f = 0; f < this.fields; f++) this.counts[slot * this.fields + f] = r.counts[f] ?? 0;
    const base = slot * this.sketchBuckets;
    this.sketch.fill(0, base, base + this.sketchBuckets);
    for (let i = 0; i + 1 < r.sketch.length; i += 2) {
      const idx = r.sketch[i]!;
      if (idx >= 0 && idx < this.sketchBuckets) this.sketch[base + idx] = r.sketch[i + 1]!;
    }
  }
}
