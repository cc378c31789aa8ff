import { describe, expect, it } from 'vitest';
import { flowColumns } from '../../../src/lib/realtime/river';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}` }));
/** Item ids per column, as strings like "0 1 2 | 3 4". */
const ids = (columns: { id: string }[][]) =>
  columns.map((c) => c.map((x) => x.id.slice(1)).join(' ')).join(' | ');

describe('flowColumns', () => {
  it.each<[string, number, number, number, Record<string, number>, number, string]>([
    // name, items, columns, column height, measured heights, guess, expected
    ['nothing measured: a first screenful per column', 8, 2, 0, {}, 0, '0 1 2 | 3 4 5'],
    ['one column takes items until one crosses its bottom', 10, 1, 100, {}, 30, '0 1 2 3'],
    ['an item exactly at the bottom ends the column', 10, 1, 90, {}, 30, '0 1 2'],
    [
      'measured heights count, unmeasured ones are guessed',
      10,
      1,
      100,
      { m0: 60, m1: 50 },
      10,
      '0 1'
    ],
    ['columns fill one after the other', 10, 3, 100, {}, 40, '0 1 2 | 3 4 5 | 6 7 8'],
    ['fewer items than fit: one short column', 2, 3, 100, {}, 40, '0 1'],
    ['a tall item takes a column of its own', 5, 2, 100, { m0: 150 }, 40, '0 | 1 2 3'],
    ['no columns asked for: one', 5, 0, 100, {}, 40, '0 1 2']
  ])('%s', (_name, n, columns, height, measured, guess, expected) => {
    const out = flowColumns(items(n), columns, height, (x) => measured[x.id], guess, 3);
    expect(ids(out)).toBe(expected);
  });

  it('keeps the newest-first order across columns and never repeats an item', () => {
    const out = flowColumns(items(60), 4, 500, () => 70, 70);
    const flat = out.flat().map((x) => x.id);
    expect(flat).toEqual(items(flat.length).map((x) => x.id));
    // 500 / 70: seven items leave 10 px, the eighth crosses the bottom; 4 columns of 8.
    expect(out.map((c) => c.length)).toEqual([8, 8, 8, 8]);
  });
});
