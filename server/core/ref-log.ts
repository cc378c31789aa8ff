/**
 * Numbers kept by mention reference (a row seq), oldest reference first: what the wall's thread
 * uses to remember mentions that may still be answered (the windows' unanswered mentions, the care
 * queue), hundreds of thousands of them under a firehose.
 *
 * Why not a `Map`: every mention of a firehose is added, looked up and deleted once in each such
 * structure, and in a `Map` of 200,000 entries each of those is a cache miss in its hash chains,
 * with its tables reallocated as deletions pile up (about 0.7 µs per mention, measured). References
 * arrive in increasing order (rows are committed and counted in order), so here an add is an
 * append to two typed arrays; a lookup interpolates the position of a reference between the
 * oldest and the newest (seqs are nearly consecutive) and finishes with a binary search; a
 * delete marks the entry, and dead entries are dropped in bulk. A reference older than the newest
 * is still placed in order, by shifting (correct, only slower).
 *
 * References are integers within ±2^53; values are any numbers but NaN (NaN marks a dead entry).
 */
export class RefLog {
  private refs: Float64Array;
  private vals: Float64Array;
  private head = 0;
  private tail = 0;
  private live = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.refs = new Float64Array(cap);
    this.vals = new Float64Array(cap);
  }

  /** Live entries. */
  get size(): number {
    return this.live;
  }

  /** Entries the arrays have room for (live, dead not yet dropped, and free). */
  get capacity(): number {
    return this.refs.length;
  }

  /** Adds `ref` with `value`, or sets its value when it is there. */
  set(ref: number, value: number): void {
    if (Number.isNaN(value)) throw new RangeError('RefLog values cannot be NaN');
    const t = this.tail;
    if (t === this.head || ref > this.refs[t - 1]!) {
      if (t === this.refs.length) this.makeRoom();
      this.refs[this.tail] = ref;
      this.vals[this.tail++] = value;
      this.live++;
      return;
    }
    const i = this.lowerBound(ref);
    if (i < this.tail && this.refs[i] === ref) {
      if (Number.isNaN(this.vals[i]!)) this.live++;
      this.vals[i] = value;
      return;
    }
    // Out of order: shift the newer entries up by one.
    if (this.tail === this.refs.length) {
      this.makeRoom();
      this.insertAt(this.lowerBound(ref), ref, value);
    } else this.insertAt(i, ref, value);
  }

  /** The value of `ref`, or undefined. */
  get(ref: number): number | undefined {
    const i = this.indexOf(ref);
    return i < 0 ? undefined : this.vals[i];
  }

  has(ref: number): boolean {
    return this.indexOf(ref) >= 0;
  }

  /** Deletes `ref`; returns its value, or undefined when it was not there. */
  delete(ref: number): number | undefined {
    const i = this.indexOf(ref);
    if (i < 0) return undefined;
    const v = this.vals[i]!;
    this.kill(i);
    return v;
  }

  /** The oldest live entry's reference and value, or undefined when empty. */
  oldest(): { ref: number; value: number } | undefined {
    this.skipDead();
    return this.head < this.tail
      ? { ref: this.refs[this.head]!, value: this.vals[this.head]! }
      : undefined;
  }

  /** Deletes the oldest live entry (no-op when empty). */
  deleteOldest(): void {
    this.skipDead();
    if (this.head < this.tail) this.kill(this.head);
  }

  /** Calls `fn` with each live entry, oldest first, until it returns false. */
  forEach(fn: (value: number, ref: number) => boolean | void): void {
    const { refs, vals } = this;
    for (let i = this.head; i < this.tail; i++) {
      const v = vals[i]!;
      if (Number.isNaN(v)) continue;
      if (fn(v, refs[i]!) === false) return;
    }
  }

  private kill(i: number): void {
    this.vals[i] = NaN;
    this.live--;
    if (i === this.head) this.skipDead();
    // Dead entries in the middle are dropped in bulk once they outnumber the live ones.
    else if (this.tail - this.head > 2 * this.live + 4096) this.compact();
  }

  private skipDead(): void {
    while (this.head < this.tail && Number.isNaN(this.vals[this.head]!)) this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** Position of live `ref`, or -1. */
  private indexOf(ref: number): number {
    const lo = this.head;
    const hi = this.tail;
    if (lo === hi) return -1;
    const refs = this.refs;
    const first = refs[lo]!;
    const last = refs[hi - 1]!;
    if (ref < first || ref > last) return -1;
    // Seqs are nearly consecutive: guess the position, then gallop from it to a small range
    // that holds `ref` (a few cache lines instead of a search over the whole log).
    const guess = lo + Math.floor(((ref - first) / (last - first || 1)) * (hi - 1 - lo));
    let a: number;
    let b: number;
    if (refs[guess]! <= ref) {
      a = guess;
      b = guess + 1;
      for (let step = 1; b < hi && refs[b]! <= ref; step *= 2) {
        a = b;
        b = Math.min(hi, b + step);
      }
    } else {
      b = guess;
      a = guess - 1;
      for (let step = 1; a > lo && refs[a]! > ref; step *= 2) {
        b = a;
        a = Math.max(lo, a - step);
      }
    }
    const i = this.lowerBoundIn(ref, a, b);
    return i < hi && refs[i] === ref && !Number.isNaN(this.vals[i]!) ? i : -1;
  }

  private lowerBound(ref: number): number {
    return this.lowerBoundIn(ref, this.head, this.tail);
  }

  /** First position in [a, b) whose ref is at least `ref` (b when none). */
  private lowerBoundIn(ref: number, a: number, b: number): number {
    const refs = this.refs;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (refs[m]! < ref) a = m + 1;
      else b = m;
    }
    return a;
  }

  private insertAt(i: number, ref: number, value: number): void {
    this.refs.copyWithin(i + 1, i, this.tail);
    this.vals.copyWithin(i + 1, i, this.tail);
    this.refs[i] = ref;
    this.vals[i] = value;
    this.tail++;
    this.live++;
  }

  /** Frees space at the end: drops dead entries and moves the live ones down, or grows. */
  private makeRoom(): void {
    if (this.live * 2 <= this.refs.length) this.compact();
    if (this.tail < this.refs.length) return;
    const refs = new Float64Array(this.refs.length * 2);
    const vals = new Float64Array(this.refs.length * 2);
    refs.set(this.refs.subarray(this.head, this.tail));
    vals.set(this.vals.subarray(this.head, this.tail));
    this.tail -= this.head;
    this.head = 0;
    this.refs = refs;
    this.vals = vals;
  }

  private compact(): void {
    const { refs, vals } = this;
    let w = 0;
    for (let r = this.head; r < this.tail; r++) {
      const v = vals[r]!;
      if (Number.isNaN(v)) continue;
      refs[w] = refs[r]!;
      vals[w++] = v;
    }
    this.head = 0;
    this.tail = w;
  }
}
