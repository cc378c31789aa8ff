import type uPlot from 'uplot';
import type { Detection, SeriesBlock, BandPoint } from '$lib/shared/types';

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
 * Columns for the expected band, aligned with `t`: [lower, upper, expected], null where the
 * detector has no point for a bucket.
 */
export function bandColumns(t: readonly number[], band: readonly BandPoint[]): (number | null)[][] {
  const byT = new Map<number, BandPoint>();
  for (const b of band) byT.set(b.t, b);
  const lower: (number | null)[] = [];
  const upper: (number | null)[] = [];
  const expected: (number | null)[] = [];
  for (const x of t) {
    const b = byT.get(x);
    lower.push(b ? b.lower : null);
    upper.push(b ? b.upper : null);
    expected.push(b ? b.expected : null);
  }
  return [lower, upper, expected];
}

/** A clickable point on a chart. */
export interface ChartMarker {
  /** Unique key (a detection id). */
  key: string;
  /** x value (bucket start, ms) and y value in the chart's units. */
  x: number;
  y: number;
  /** Accessible name and tooltip. */
  label: string;
}

/**
 * A marker per detection of the given metrics whose minute is on the chart, at the value the
 * chart draws for that minute (`y` aligned with `t`), oldest first.
 */
export function detectionMarkers(
  t: readonly number[],
  y: readonly (number | null | undefined)[],
  detections: readonly Detection[],
  metrics: readonly Detection['metric'][],
  label: (d: Detection) => string
): ChartMarker[] {
  const index = new Map<number, number>();
  t.forEach((x, i) => index.set(x, i));
  const out: ChartMarker[] = [];
  for (const d of detections) {
    if (!metrics.includes(d.metric)) continue;
    const i = index.get(d.at);
    const v = i === undefined ? null : y[i];
    if (v === null || v === undefined) continue;
    out.push({ key: d.id, x: d.at, y: v, label: label(d) });
  }
  return out.sort((a, b) => a.x - b.x);
}
