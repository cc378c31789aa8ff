import { CHANNELS, emptySeriesBlock, type SeriesBlock, type SeriesPoint } from '$lib/shared/types';

/** How far back the per-second history reaches (15 minutes). */
export const SECONDS_HORIZON_MS = 15 * 60_000;

/** How far back the per-minute history reaches (24 hours). */
export const MINUTES_HORIZON_MS = 24 * 60 * 60_000;

/** Returns an empty columnar block with the given bucket width. */
export const emptyBlock = emptySeriesBlock;

/** Copies a block so it can be changed without touching the original arrays. */
function cloneBlock(b: SeriesBlock): SeriesBlock {
  return {
    stepMs: b.stepMs,
    t: b.t.slice(),
    total: b.total.slice(),
    byChannel: CHANNELS.map((_, i) => (b.byChannel[i] ?? []).slice()),
    negative: b.negative.slice(),
    neutral: b.neutral.slice(),
    positive: b.positive.slice(),
    unanswered: b.unanswered.slice(),
    responseP50Ms: b.responseP50Ms.slice()
  };
}

/** Index of the first bucket whose start is >= t (binary search on the ascending `t`). */
function lowerBound(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Writes point `p` into every column at index `i`, replacing (`deleteCount` 1) or inserting (0). */
function put(b: SeriesBlock, i: number, p: SeriesPoint, deleteCount: 0 | 1): void {
  b.t.splice(i, deleteCount, p.t);
  b.total.splice(i, deleteCount, p.total);
  CHANNELS.forEach((_, c) => b.byChannel[c]?.splice(i, deleteCount, p.byChannel[c] ?? 0));
  b.negative.splice(i, deleteCount, p.negative);
  b.neutral.splice(i, deleteCount, p.neutral);
  b.positive.splice(i, deleteCount, p.positive);
  b.unanswered.splice(i, deleteCount, p.unanswered);
  b.responseP50Ms.splice(i, deleteCount, p.responseP50Ms);
}

/** Removes the first `n` buckets from every column. */
function dropFront(b: SeriesBlock, n: number): void {
  if (n <= 0) return;
  b.t.splice(0, n);
  b.total.splice(0, n);
  for (const col of b.byChannel) col.splice(0, n);
  b.negative.splice(0, n);
  b.neutral.splice(0, n);
  b.positive.splice(0, n);
  b.unanswered.splice(0, n);
  b.responseP50Ms.splice(0, n);
}

/**
 * Returns a new block with tick points merged in by `t` (same bucket replaced, newer appended,
 * late older buckets inserted in order) and buckets older than `horizonMs` before `now` dropped.
 */
export function mergePoints(
  block: SeriesBlock,
  points: readonly SeriesPoint[],
  horizonMs: number,
  now: number
): SeriesBlock {
  const next = cloneBlock(block);
  const oldest = now - horizonMs;
  for (const p of points) {
    if (p.t < oldest) continue;
    const last = next.t[next.t.length - 1];
    if (last === undefined || p.t > last) {
      put(next, next.t.length, p, 0);
      continue;
    }
    const i = lowerBound(next.t, p.t);
    put(next, i, p, next.t[i] === p.t ? 1 : 0);
  }
  dropFront(next, lowerBound(next.t, oldest));
  return next;
}
