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
