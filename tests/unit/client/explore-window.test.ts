import { describe, expect, it } from 'vitest';
import {
  LoadedKeys,
  rowWindow,
  shouldLoadMore,
  type RowWindow
} from '../../../src/lib/explore/window';

describe('rowWindow', () => {
  it.each<[string, Parameters<typeof rowWindow>[0], RowWindow]>([
    [
      'the top of a long list',
      { scrollTop: 0, viewportHeight: 500, rowHeight: 100, count: 100_000, overscan: 2 },
      { first: 0, last: 6, offsetTop: 0, totalHeight: 10_000_000 }
    ],
    [
      'the middle, with a margin either side',
      { scrollTop: 5_000_050, viewportHeight: 500, rowHeight: 100, count: 100_000, overscan: 2 },
      { first: 49_998, last: 50_007, offsetTop: 4_999_800, totalHeight: 10_000_000 }
    ],
    [
      'a viewport ending exactly on a row boundary',
      { scrollTop: 1000, viewportHeight: 500, rowHeight: 100, count: 100, overscan: 0 },
      { first: 10, last: 14, offsetTop: 1000, totalHeight: 10_000 }
    ],
    [
      'the bottom',
      { scrollTop: 9_500, viewportHeight: 500, rowHeight: 100, count: 100, overscan: 3 },
      { first: 92, last: 99, offsetTop: 9_200, totalHeight: 10_000 }
    ],
    [
      'a scroll past the end (clamped)',
      { scrollTop: 1e9, viewportHeight: 500, rowHeight: 100, count: 100, overscan: 0 },
      { first: 95, last: 99, offsetTop: 9_500, totalHeight: 10_000 }
    ],
    [
      'a negative scroll (overscroll bounce)',
      { scrollTop: -40, viewportHeight: 250, rowHeight: 100, count: 100, overscan: 0 },
      { first: 0, last: 2, offsetTop: 0, totalHeight: 10_000 }
    ],
    [
      'fewer rows than fit',
      { scrollTop: 0, viewportHeight: 800, rowHeight: 100, count: 3 },
      { first: 0, last: 2, offsetTop: 0, totalHeight: 300 }
    ],
    [
      'an empty list',
      { scrollTop: 0, viewportHeight: 800, rowHeight: 100, count: 0 },
      { first: 0, last: -1, offsetTop: 0, totalHeight: 0 }
    ],
    [
      'a viewport not laid out yet',
      { scrollTop: 0, viewportHeight: 0, rowHeight: 100, count: 10, overscan: 1 },
      { first: 0, last: 1, offsetTop: 0, totalHeight: 1_000 }
    ],
    [
      'fractional heights',
      { scrollTop: 130, viewportHeight: 100.5, rowHeight: 64.5, count: 10, overscan: 0 },
      { first: 2, last: 3, offsetTop: 129, totalHeight: 645 }
    ]
  ])('%s', (_name, input, expected) => {
    expect(rowWindow(input)).toEqual(expected);
  });

  it('keeps the DOM small however long the list', () => {
    for (const scrollTop of [0, 123_456, 4_321_000, 8_399_900]) {
      const w = rowWindow({ scrollTop, viewportHeight: 900, rowHeight: 84, count: 100_000 });
      expect(w.last - w.first + 1).toBeLessThanOrEqual(Math.ceil(900 / 84) + 1 + 10);
      expect(w.offsetTop).toBeLessThanOrEqual(scrollTop);
    }
  });

  it('falls back on nonsense input instead of throwing', () => {
    expect(
      rowWindow({ scrollTop: Number.NaN, viewportHeight: 100, rowHeight: 0, count: 5 })
    ).toMatchObject({ first: 0 });
  });
});

describe('shouldLoadMore', () => {
  it.each<[string, [number, number, boolean, boolean, number?], boolean]>([
    ['near the end of what is loaded', [460, 500, true, false], true],
    ['far from it', [100, 500, true, false], false],
    ['at the end but nothing more', [499, 500, false, false], false],
    ['while a page is loading', [499, 500, true, true], false],
    ['nothing loaded yet', [-1, 0, true, false], true],
    ['a custom threshold', [89, 100, true, false, 10], true]
  ])('%s', (_name, args, expected) => {
    expect(shouldLoadMore(...args)).toBe(expected);
  });
});

describe('LoadedKeys', () => {
  it('keeps only mentions not loaded before, across pages, until reset', () => {
    const keys = new LoadedKeys();
    const m = (source: string, id: string) => ({ source, id });
    keys.reset([m('a', '1'), m('a', '2')]);
    expect(keys.fresh([m('a', '2'), m('a', '3'), m('b', '2')])).toEqual([m('a', '3'), m('b', '2')]);
    expect(keys.fresh([m('a', '3'), m('a', '4')])).toEqual([m('a', '4')]);
    keys.reset([]);
    expect(keys.fresh([m('a', '1')])).toEqual([m('a', '1')]);
  });
});
