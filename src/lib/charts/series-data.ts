import type uPlot from 'uplot';
import type { Detection, SeriesBlock, VolumeBandPoint } from '$lib/shared/types';

/** Number of leading buckets that are complete at `serverTime` (the current bucket is still filling). */
export function completeCount(block: SeriesBlock, serverTime: number | null): number {
  if (serverTime === null) return 0;
  let n = block.t.length;
  while (n > 0 && (block.t[n - 1] ?? 0) + block.stepMs > serverTime) n--;
  return n;
}

/**
 * Trailing rolling rate per minute over `windowBuckets` buckets, for columns of counts; the first
 * buckets use what history they have.
 */
export function ratePerMinute(
  counts: readonly number[],
  n: number,
  stepMs: number,
  windowBuckets: number
): number[] {
  const out = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += counts[i] ?? 0;
    if (i >= windowBuckets) sum -= counts[i - windowBuckets] ?? 0;
    const span = Math.min(i + 1, windowBuckets) * stepMs;
    out[i] = (sum * 60_000) / span;
  }
  return out;
}

/** Mentions-per-minute columns: [t, total, ...one per channel], complete buckets only. */
export function volumeData(
  block: SeriesBlock,
  serverTime: number | null,
  windowBuckets: number
): uPlot.AlignedData {
  const n = completeCount(block, serverTime);
  const rate = (col: readonly number[]): number[] =>
    ratePerMinute(col, n, block.stepMs, windowBuckets);
  return [block.t.slice(0, n), rate(block.total), ...block.byChannel.map(rate)];
}

/** Sentiment count columns per bucket: [t, negative, neutral, positive], complete buckets only. */
export function sentimentData(block: SeriesBlock, serverTime: number | null): uPlot.AlignedData {
  const n = completeCount(block, serverTime);
  return [
    block.t.slice(0, n),
    block.negative.slice(0, n),
    block.neutral.slice(0, n),
    block.positive.slice(0, n)
  ];
}

/** True when the drawn columns (all but x) hold at least one non-zero value. */
export function hasValues(data: uPlot.AlignedData): boolean {
  return data.slice(1).some((col) => col.some((v) => v !== null && v !== undefined && v > 0));
}

/**
 * Columns for the expected band, aligned with `t`: [lower, upper, expected, spike], null where the
 * detector has no point for a bucket. `spike` holds the observed rate on buckets where a volume
 * detection was raised (drawn as markers), null elsewhere.
 */
export function bandColumns(
  t: readonly number[],
  band: readonly VolumeBandPoint[],
  observed: readonly (number | null | undefined)[],
  spikes: readonly Detection[]
): (number | null)[][] {
  const byT = new Map<number, VolumeBandPoint>();
  for (const b of band) byT.set(b.t, b);
  const spikeAt = new Set<number>();
  for (const d of spikes) if (d.metric === 'volume') spikeAt.add(d.at);
  const lower: (number | null)[] = [];
  const upper: (number | null)[] = [];
  const expected: (number | null)[] = [];
  const spike: (number | null)[] = [];
  t.forEach((x, i) => {
    const b = byT.get(x);
    lower.push(b ? b.lower : null);
    upper.push(b ? b.upper : null);
    expected.push(b ? b.expected : null);
    spike.push(spikeAt.has(x) ? (observed[i] ?? null) : null);
  });
  return [lower, upper, expected, spike];
}
