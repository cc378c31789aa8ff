import { describe, expect, it } from 'vitest';
import { backtest } from '../../../server/core/detect/backtest';
import type { SeriesPoint } from '../../../server/core/detect/series';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 0, 0, 0);

/** Deterministic counts around `level` (a fixed ±20 % pattern), with bursts at given minutes. */
function series(
  minutes: number,
  level: number,
  bursts: Record<number, number> = {}
): SeriesPoint[] {
  const wiggle = [0, 0.2, -0.1, 0.15, -0.2, 0.05, -0.05, 0.1];
  return Array.from({ length: minutes }, (_, i) => ({
    t: T0 + i * MIN,
    value: bursts[i] ?? Math.round(level * (1 + wiggle[i % wiggle.length]!))
  }));
}

describe('backtest', () => {
  it.each([
    ['no bursts', {}, 0],
    ['one burst', { 300: 400 }, 1],
    ['two bursts a day apart', { 300: 400, 1740: 400 }, 2]
  ] as const)('%s: %s alert(s) at balanced', (_name, bursts, alerts) => {
    const r = backtest(series(2000, 30, bursts), { intervalMs: MIN, sensitivity: 'balanced' });
    expect(r.alerts).toBe(alerts);
    expect(r.onsets.map((o) => (o.t - T0) / MIN)).toEqual(Object.keys(bursts).map(Number));
    for (const o of r.onsets) {
      expect(o.observed).toBe(400);
      expect(o.expected).toBeLessThan(40);
      expect(o.upper).toBeLessThan(o.observed);
      expect(o.severity).toBeGreaterThanOrEqual(1);
    }
    expect(r.rows).toBe(2000);
    expect(r.from).toBe(T0);
    expect(r.to).toBe(T0 + 1999 * MIN);
  });

  it('fills missing minutes with zero counts, so a gap is part of the history', () => {
    const points = series(600, 30).filter((_, i) => i < 200 || i >= 260);
    const r = backtest(points, { intervalMs: MIN, sensitivity: 'balanced' });
    expect(r.rows).toBe(600);
  });

  it('sorts its input and skips repeated minutes', () => {
    const points = series(400, 30, { 300: 400 });
    const shuffled = [...points.slice(200), ...points.slice(0, 200), points[10]!];
    const r = backtest(shuffled, { intervalMs: MIN, sensitivity: 'balanced' });
    expect(r.rows).toBe(400);
    expect(r.alerts).toBe(1);
  });

  it('orders the presets: high raises at least as many alerts as balanced, balanced as low', () => {
    const bursts: Record<number, number> = {};
    for (let i = 200; i < 2000; i += 97) bursts[i] = 30 + (i % 5) * 25;
    const counts = (['low', 'balanced', 'high'] as const).map(
      (sensitivity) => backtest(series(2000, 30, bursts), { intervalMs: MIN, sensitivity }).alerts
    );
    expect(counts[0]).toBeLessThanOrEqual(counts[1]!);
    expect(counts[1]).toBeLessThanOrEqual(counts[2]!);
    expect(counts[2]).toBeGreaterThan(0);
  });

  it('caps the listed onsets but still counts every alert', () => {
    const bursts: Record<number, number> = {};
    for (let i = 200; i < 5000; i += 400) bursts[i] = 600;
    const r = backtest(series(5000, 30, bursts), {
      intervalMs: MIN,
      sensitivity: 'high',
      limit: 2
    });
    expect(r.onsets).toHaveLength(2);
    expect(r.alerts).toBeGreaterThan(2);
  });

  it('answers an empty history', () => {
    expect(backtest([], { intervalMs: MIN, sensitivity: 'balanced' })).toMatchObject({
      rows: 0,
      alerts: 0,
      from: null,
      to: null,
      onsets: []
    });
  });
});
