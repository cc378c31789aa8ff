import { describe, expect, it } from 'vitest';
import { CHUNK_VALUES, chunkedLength, chunkRows, flatChunks } from '../../../server/core/flat-rows';

/** Rows of `width` values each, every value telling its row and column. */
const rows = (n: number, width: number): unknown[][] =>
  Array.from({ length: n }, (_, r) =>
    Array.from({ length: width }, (_, c) =>
      c % 3 === 0 ? `${r}:${c}` : c % 3 === 1 ? r + c / 10 : null
    )
  );

describe('flatChunks', () => {
  it.each([
    ['no rows', 0, 27, 0],
    ['one row', 1, 27, 1],
    ['a batch of 1,000 mentions (27 values a row)', 1000, 27, 3],
    ['its facts (18 values a row)', 1000, 18, 2],
    ['exactly one chunk', chunkRows(16), 16, 1],
    ['one past a chunk', chunkRows(16) + 1, 16, 2],
    ['rows wider than a chunk', 3, CHUNK_VALUES + 1, 3]
  ])('%s: every value, in order, in whole rows', (_, n, width, chunks) => {
    const input = rows(n, width);
    const out = flatChunks(input, width);
    expect(out).toHaveLength(chunks);
    expect(out.flat()).toEqual(input.flat());
    expect(chunkedLength(out)).toBe(n * width);
    for (const c of out) {
      expect(c.length % width).toBe(0);
      if (width <= CHUNK_VALUES) expect(c.length).toBeLessThanOrEqual(CHUNK_VALUES);
    }
    // Spread evenly: no chunk is a small remainder.
    const sizes = out.map((c) => c.length / width);
    if (sizes.length > 1) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('keeps arrays and nulls as values, not spread further', () => {
    expect(
      flatChunks(
        [
          [1, null],
          [[2], 'x']
        ],
        2
      )
    ).toEqual([[1, null, [2], 'x']]);
  });
});
