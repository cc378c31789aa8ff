import { describe, expect, it } from 'vitest';
import { snapToRefresh } from '../../scripts/bench-util';

describe('snapToRefresh (frame times for the wall benchmark)', () => {
  it.each([
    {
      name: 'coarsened on-time frames at 60 Hz are all one refresh',
      raw: [16.6, 16.7, 16.8, 16.5, 16.7, 16.6, 16.8, 16.7, 16.7, 16.6],
      missed: 0,
      period: 16.67
    },
    {
      name: 'a frame that spans two or three refreshes counts as two or three',
      raw: [16.7, 16.6, 33.3, 16.7, 16.8, 50.1, 16.7, 16.6, 16.7, 16.7],
      missed: 0.2,
      period: 16.6875
    },
    {
      name: 'a page that misses most refreshes is not mistaken for a slower display',
      raw: [16.7, 16.6, 33.3, 33.4, 33.3, 33.3, 50, 33.3, 33.4, 33.3],
      missed: 0.8,
      period: 16.65
    }
  ])('$name', ({ raw, missed, period }) => {
    const s = snapToRefresh(raw);
    expect(s.periodMs).toBeCloseTo(period, 5);
    expect(s.missed).toBeCloseTo(missed, 10);
    // Every frame is a whole number of refreshes: 1 for on-time ones, more for missed ones.
    expect(s.frames.map((f) => Math.round(f / s.periodMs))).toEqual(
      raw.map((x) => Math.max(1, Math.round(x / 16.67)))
    );
  });

  it('keeps an empty recording empty', () => {
    expect(snapToRefresh([])).toEqual({ periodMs: 0, frames: [], missed: 0 });
  });
});
