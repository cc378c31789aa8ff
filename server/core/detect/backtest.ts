import { Detector, type SeriesKind, type Sensitivity } from './detector';
import type { SeriesPoint } from './series';

/** One alert a setting would have raised. */
export interface BacktestAlert {
  t: number;
  observed: number;
  expected: number;
  upper: number;
  severity: number;
}

export interface BacktestResult {
  sensitivity: Sensitivity;
  /** Rows the detector saw (gaps filled with zero counts). */
  rows: number;
  from: number | null;
  to: number | null;
  /** Alerts raised (onsets only). */
  alerts: number;
  /** The alerts, oldest first (at most `limit`). */
  onsets: BacktestAlert[];
}

/**
 * How many alerts a detector setting would have raised over stored history: the same detector
 * the live pipeline runs, fed the stored per-interval values in order. Missing intervals between
 * the first and the last point count as zero (counts) or are skipped (other kinds). Pure.
 */
export function backtest(
  points: readonly SeriesPoint[],
  opts: { intervalMs: number; sensitivity: Sensitivity; kind?: SeriesKind; limit?: number }
): BacktestResult {
  const kind = opts.kind ?? 'count';
  const d = new Detector({ intervalMs: opts.intervalMs, kind, sensitivity: opts.sensitivity });
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const onsets: BacktestAlert[] = [];
  let alerts = 0;
  let rows = 0;
  const feed = (t: number, value: number): void => {
    rows++;
    const s = d.update(t, value);
    if (!s.onset) return;
    alerts++;
    if (onsets.length < (opts.limit ?? 100)) {
      onsets.push({
        t,
        observed: value,
        expected: Math.round(s.expected * 10) / 10,
        upper: Math.round(s.upper * 10) / 10,
        severity: s.severity
      });
    }
  };
  let prev: number | null = null;
  for (const p of sorted) {
    if (prev !== null && kind === 'count') {
      for (let t = prev + opts.intervalMs; t < p.t; t += opts.intervalMs) feed(t, 0);
    }
    if (prev !== null && p.t <= prev) continue;
    feed(p.t, p.value);
    prev = p.t;
  }
  return {
    sensitivity: opts.sensitivity,
    rows,
    from: sorted[0]?.t ?? null,
    to: prev,
    alerts,
    onsets
  };
}
