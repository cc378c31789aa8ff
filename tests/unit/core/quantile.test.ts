import { describe, expect, it } from 'vitest';
import {
  SKETCH_BUCKETS,
  SKETCH_MIN_MS,
  sketchIndex,
  sketchQuantile,
  sketchValue
} from '../../../server/core/window/quantile';

function sketchOf(values: number[]): Uint32Array {
  const s = new Uint32Array(SKETCH_BUCKETS);
  for (const v of values) s[sketchIndex(v)]! += 1;
  return s;
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))]!;
}

describe('sketchIndex(value)', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [SKETCH_MIN_MS, 0],
    [1e15, SKETCH_BUCKETS - 1]
  ])('maps %s to bucket %s', (v, i) => {
    expect(sketchIndex(v)).toBe(i);
  });

  it('is monotonic', () => {
    let prev = 0;
    for (let v = 1; v < 1e10; v *= 1.3) {
      const i = sketchIndex(v);
      expect(i).toBeGreaterThanOrEqual(prev);
      prev = i;
    }
  });

  it('represents every value in range within 2.1 % relative error', () => {
    for (let v = 1500; v < 30 * 86_400_000; v *= 1.07) {
      const rep = sketchValue(sketchIndex(v));
      expect(Math.abs(rep - v) / v).toBeLessThan(0.021);
    }
  });
});

describe('sketchQuantile(counts, q)', () => {
  it('returns null for an empty sketch', () => {
    expect(sketchQuantile(new Uint32Array(SKETCH_BUCKETS), 0.5)).toBeNull();
  });

  it.each([
    ['uniform seconds to an hour', (i: number) => 1000 + ((i * 7919) % 3_600_000)],
    ['log-normal like response times', (i: number) => Math.exp(13.5 + 2 * Math.sin(i * 12.9898))],
    ['constant', () => 720_000]
  ])('matches exact p50 and p90 within 2.1 %% on %s', (_name, gen) => {
    const values = Array.from({ length: 5000 }, (_, i) => gen(i));
    const s = sketchOf(values);
    for (const q of [0.5, 0.9]) {
      const exact = exactQuantile(values, q);
      const approx = sketchQuantile(s, q)!;
      expect(Math.abs(approx - exact) / exact).toBeLessThan(0.021);
    }
  });

  it('honours an offset into a larger array', () => {
    const big = new Uint32Array(SKETCH_BUCKETS * 3);
    big[SKETCH_BUCKETS + sketchIndex(60_000)] = 10;
    expect(sketchQuantile(big, 0.5, SKETCH_BUCKETS)).toBeCloseTo(sketchValue(sketchIndex(60_000)));
    expect(sketchQuantile(big, 0.5, 0)).toBeNull();
  });
});
