import { describe, expect, it } from 'vitest';
import { emptySeriesBlock, type SeriesBlock } from '../../../src/lib/shared/types';
import {
  deltaText,
  minuteSpark,
  netDelta,
  sparkPoints,
  volumeDelta
} from '../../../src/lib/wall/kpi-trend';

const MIN = 60_000;
const NOW = 1_800_000_000_000 - (1_800_000_000_000 % MIN) + 30_000; // half way into a minute

/** A per-minute block: one [total, negative, positive] per minute, the last one the filling minute. */
function block(rows: [number, number, number][]): SeriesBlock {
  const b = emptySeriesBlock(MIN);
  const first = Math.floor(NOW / MIN) * MIN - (rows.length - 1) * MIN;
  rows.forEach(([total, negative, positive], i) => {
    b.t.push(first + i * MIN);
    b.total.push(total);
    b.negative.push(negative);
    b.positive.push(positive);
    b.neutral.push(total - negative - positive);
    b.unanswered.push(negative);
    b.responseP50Ms.push(positive > 0 ? positive * MIN : null);
  });
  return b;
}

describe('minuteSpark', () => {
  it('gives the whole minutes before the filling one, oldest first, zeros where none', () => {
    const b = block([
      [4, 2, 0],
      [10, 0, 5],
      [99, 0, 0] // the minute still filling: left out
    ]);
    const s = minuteSpark(b, NOW, 3);
    expect(s.volume).toEqual([0, 4, 10]);
    expect(s.net).toEqual([null, -0.5, 0.5]);
    // In this fixture a minute's unanswered is its negatives, its median response positives × 1 min.
    expect(s.unanswered).toEqual([0, 2, 0]);
    expect(s.response).toEqual([null, null, 5 * MIN]);
  });

  it('is all zeros without history', () => {
    expect(minuteSpark(null, NOW, 2)).toEqual({
      volume: [0, 0],
      net: [null, null],
      response: [null, null],
      unanswered: [0, 0]
    });
  });
});

describe('volumeDelta and netDelta', () => {
  // 10 whole minutes then the filling one: previous 5 have 10/min, the last 5 have 12/min.
  const rows: [number, number, number][] = [
    ...Array.from({ length: 5 }, (): [number, number, number] => [10, 5, 0]),
    ...Array.from({ length: 5 }, (): [number, number, number] => [12, 0, 6]),
    [500, 500, 0]
  ];

  it.each([
    [rows, 5, { value: 0.2, direction: 'up' }],
    [rows.map(([t, n, p]) => [t === 12 ? 10 : t, n, p]), 5, { value: 0, direction: 'flat' }],
    [rows.slice(3), 5, null], // not two whole periods of history
    [[...Array.from({ length: 5 }, () => [0, 0, 0]), ...rows.slice(5)], 5, null] // nothing before
  ] as [[number, number, number][], number, unknown][])('volume %#', (r, p, expected) => {
    const d = volumeDelta(block(r), NOW, p);
    if (expected === null) expect(d).toBeNull();
    else
      expect(d).toMatchObject({
        ...(expected as object),
        value: expect.closeTo((expected as { value: number }).value, 6)
      });
  });

  it('net sentiment moves in points: from −50 to +50', () => {
    expect(netDelta(block(rows), NOW, 5)).toEqual({ value: 100, direction: 'up' });
    expect(netDelta(block(rows.slice(2)), NOW, 5)).toBeNull();
  });
});

describe('deltaText and sparkPoints', () => {
  it.each([
    [{ value: 0.2, direction: 'up' }, '%', '↑ +20% vs previous 5 min'],
    [{ value: -0.5, direction: 'down' }, '%', '↓ −50% vs previous 5 min'],
    [{ value: 0, direction: 'flat' }, '%', '→ ±0% vs previous 5 min'],
    [{ value: -12, direction: 'down' }, 'pts', '↓ −12 pts vs previous 5 min']
  ] as const)('%j %s → %s', (d, unit, text) => {
    expect(deltaText(d, unit, '5 min')).toBe(text);
  });

  it('scales values into a 100×20 box, skipping gaps', () => {
    expect(sparkPoints([0, 5, 10], 0)).toBe('0.0,19.0 50.0,10.0 100.0,1.0');
    expect(sparkPoints([null, -1, 1], -1, 1)).toBe('50.0,19.0 100.0,1.0');
    expect(sparkPoints([3])).toBe('');
  });
});
