/** Helpers the benchmark scripts share: JSON-line output, percentiles, frame recording. */
import type { Page } from '@playwright/test';

/** Prints one benchmark line as JSON (null when the measurement was skipped). */
export function emit(
  name: string,
  value: number | null,
  unit: string,
  extra: Record<string, unknown>,
  digits = 3
): void {
  const f = 10 ** digits;
  const v = value === null ? null : Math.round(value * f) / f;
  process.stdout.write(JSON.stringify({ name, value: v, unit, ...extra }) + '\n');
}

/** The q-quantile of `values` (nearest rank below). */
export function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
}

/**
 * Starts recording every frame's interval in the page (requestAnimationFrame deltas); the
 * returned function stops nothing and reads them, without the first (a partial frame).
 */
export async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  // A string, not a function: the TypeScript loader would add helpers the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return async () => ((await page.evaluate('window.__frames')) as number[]).slice(1);
}

/**
 * Frame intervals snapped to the display's refresh: each becomes the whole number of refresh
 * periods it spans (at least one), times the period, which is the median interval. Chromium
 * coarsens requestAnimationFrame timestamps, so at 60 Hz on-time frames read 16.5 to 16.8 ms;
 * snapped, an on-time frame is 16.7 ms and one that missed a refresh is 33.3 ms. The period is the
 * mean of the intervals near the 10th-percentile one (a page that misses most refreshes still has
 * some frames on time, so its misses are not taken for the period). Also the share of frames
 * that missed a refresh.
 */
export function snapToRefresh(intervals: readonly number[]): {
  periodMs: number;
  frames: number[];
  missed: number;
} {
  const fast = percentile([...intervals], 0.1);
  const onTime = intervals.filter((x) => x < 1.5 * fast);
  const periodMs = onTime.reduce((a, x) => a + x, 0) / onTime.length;
  if (!(periodMs > 0)) return { periodMs: 0, frames: [...intervals], missed: 0 };
  let missed = 0;
  const frames = intervals.map((x) => {
    const n = Math.max(1, Math.round(x / periodMs));
    if (n > 1) missed++;
    return n * periodMs;
  });
  return { periodMs, frames, missed: intervals.length ? missed / intervals.length : 0 };
}
