import type uPlot from 'uplot';
import type { SeriesBlock } from '$lib/shared/types';

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
