/**
 * Rows of positional values end to end, in chunks of whole rows: how a batch's row values and
 * counting facts travel between threads (adapters/store, ARCHITECTURE.md, Persistence).
 *
 * Why chunks: V8 allocates an array whose elements take more than 128 KB (about 16,000 values)
 * as a large object, on pages of its own that it maps from the kernel, which faults and zeroes
 * them as they are written, and unmaps again once the array dies. One batch of 1,000 mentions is
 * 27,000 row values and 18,000 facts, and every thread it crosses allocates each anew (a
 * structured clone rebuilds arrays at their full length). Measured: building a 27,000-value array
 * costs about 1 ms; the same values in chunks, 0.06–0.09 ms.
 */
export type Chunks = unknown[][];

/** Most values in one chunk: 12,000 × 8 bytes stays under V8's 128 KB large-object threshold. */
export const CHUNK_VALUES = 12_000;

/** Rows per chunk for rows of `width` values. */
export function chunkRows(width: number): number {
  return Math.max(1, Math.floor(CHUNK_VALUES / Math.max(1, width)));
}

/**
 * The rows' values end to end, in chunks of whole rows (at most `chunkRows(width)` each, the
 * rows spread evenly). Appending tens of thousands of values to a growing array one push at a
 * time costs about 70 ns each in V8; building each row as an array literal and concatenating them
 * costs about half, and the result is a packed array, which crosses threads densely (a
 * preallocated array would be holey, and V8 clones holey arrays element by element with their
 * indexes, twice the bytes and twice the time). No rows, no chunks.
 */
export function flatChunks(rows: readonly (readonly unknown[])[], width: number): Chunks {
  const n = rows.length;
  const out: Chunks = [];
  if (n === 0) return out;
  const parts = Math.ceil(n / chunkRows(width));
  const none: unknown[] = [];
  for (let p = 0; p < parts; p++) {
    const from = Math.floor((p * n) / parts);
    const to = Math.floor(((p + 1) * n) / parts);
    out.push(none.concat(...rows.slice(from, to)));
  }
  return out;
}

/** Values in all chunks. */
export function chunkedLength(chunks: readonly (readonly unknown[])[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}
