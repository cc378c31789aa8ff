import { describe, expect, it } from 'vitest';
import { flatRows } from '../../../server/core/flat-rows';

/** Rows of `width` values each, every value telling its row and column. */
const rows = (n: number, width: number): unknown[][] =>
  Array.from({ length: n }, (_, r) =>
    Array.from({ length: width }, (_, c) =>
      c % 3 === 0 ? `${r}:${c}` : c % 3 === 1 ? r + c / 10 : null
    )
  );

describe('flatRows', () => {
  it.each([
    ['no rows', 0, 27],
    ['one row', 1, 27],
    ['a batch of 1,000', 1000, 27],
    ['exactly one chunk', 4096, 16],
    ['one past a chunk', 4097, 16],
    ['several chunks and a remainder', 3 * 4096 + 5, 27]
  ])('%s: every value, in order', (_, n, width) => {
    const input = rows(n, width);
    const out = flatRows(input);
    expect(out).toHaveLength(n * width);
    expect(out).toEqual(input.flat());
  });

  it('keeps arrays and nulls as values, not spread further', () => {
    expect(
      flatRows([
        [1, null],
        [[2], 'x']
      ])
    ).toEqual([1, null, [2], 'x']);
  });
});
