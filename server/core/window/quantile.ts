/**
 * A streaming quantile sketch over fixed log-spaced buckets (DDSketch-style): relative error
 * about 2 %, mergeable by adding counts, constant memory. Durations are milliseconds.
 */

/** Smallest distinct value; everything below lands in bucket 0. */
export const SKETCH_MIN_MS = 1000;
const GAMMA = 1.04;
const LOG_GAMMA = Math.log(GAMMA);
/** Number of buckets: 1 s up to 30 days at 4 % width. */
export const SKETCH_BUCKETS =
  2 + Math.ceil(Math.log((30 * 86_400_000) / SKETCH_MIN_MS) / LOG_GAMMA);

/** Bucket index of a duration in ms (clamped to the sketch range, NaN and negatives to 0). */
export function sketchIndex(valueMs: number): number {
  if (!(valueMs > SKETCH_MIN_MS)) return 0;
  const i = 1 + Math.floor(Math.log(valueMs / SKETCH_MIN_MS) / LOG_GAMMA);
  return i < SKETCH_BUCKETS ? i : SKETCH_BUCKETS - 1;
}

/** Representative value of a bucket: the geometric middle of its range. */
export function sketchValue(index: number): number {
  if (index <= 0) return SKETCH_MIN_MS / 2;
  return SKETCH_MIN_MS * Math.pow(GAMMA, index - 0.5);
}

/**
 * The q-quantile (0..1) of the counts in `counts[offset .. offset + SKETCH_BUCKETS)`, or null when
 * they are all zero. `total` may be passed when known to save a pass.
 */
export function sketchQuantile(
  counts: ArrayLike<number>,
  q: number,
  offset = 0,
  total = -1
): number | null {
  let n = total;
  if (n < 0) {
    n = 0;
    for (let i = 0; i < SKETCH_BUCKETS; i++) n += counts[offset + i] ?? 0;
  }
  if (n <= 0) return null;
  const rank = Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1) + 0.5)));
  let seen = 0;
  for (let i = 0; i < SKETCH_BUCKETS; i++) {
    seen += counts[offset + i] ?? 0;
    if (seen > rank) return sketchValue(i);
  }
  return sketchValue(SKETCH_BUCKETS - 1);
}

/** The q-quantile (0..1) of ascending values with the sketch's rank rule, or null when empty. */
export function exactQuantile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1) + 0.5)))] ?? null;
}
