import { describe, expect, it } from 'vitest';
import { backoffDelay, CONNECTOR_BACKOFF } from '../../../server/core/backoff';

describe('backoffDelay', () => {
  const opts = { baseMs: 500, maxMs: 60_000 };
  it.each([
    // attempt, random, expected: a uniform draw in [cap/2, cap], cap = min(max, base·2^n)
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [1, 0.5, 750],
    [3, 1, 4000],
    [6, 0, 16_000],
    [7, 1, 60_000], // 64 s capped at 60 s
    [20, 0, 30_000],
    [1000, 0.5, 45_000], // huge attempt counts neither overflow nor exceed the cap
    [-5, 0, 250], // negative attempts behave as the first
    [2, 7, 2000], // random outside [0, 1) is clamped
    [2, -1, 1000]
  ])('attempt %i with draw %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, opts, random)).toBe(expected);
  });

  it('grows monotonically in its bounds and never exceeds the cap', () => {
    let prevLow = 0;
    for (let n = 0; n < 40; n++) {
      const low = backoffDelay(n, CONNECTOR_BACKOFF, 0);
      const high = backoffDelay(n, CONNECTOR_BACKOFF, 1);
      expect(low).toBeGreaterThanOrEqual(prevLow);
      expect(high).toBeLessThanOrEqual(CONNECTOR_BACKOFF.maxMs);
      expect(high).toBe(low * 2);
      prevLow = low;
    }
  });
});
