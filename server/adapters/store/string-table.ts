import { StringTable } from '../../core/string-table';

/**
 * Replaces, in place, the strings in `columns` of every row (`width` values each) of the chunks
 * (core/flat-rows.ts) by their index in a new table, which it returns. Null stays null.
 */
export function tableColumns(
  chunks: readonly unknown[][],
  width: number,
  columns: readonly number[]
): string[] {
  const t = new StringTable();
  for (const values of chunks) {
    for (let o = 0; o < values.length; o += width) {
      for (const k of columns) values[o + k] = t.id(values[o + k] as string | null);
    }
  }
  return t.strings;
}

/** Undoes `tableColumns` in place: indexes in `columns` back to the table's strings. */
export function untableColumns(
  chunks: readonly unknown[][],
  width: number,
  columns: readonly number[],
  strings: readonly string[]
): void {
  for (const values of chunks) {
    for (let o = 0; o < values.length; o += width) {
      for (const k of columns) {
        const i = values[o + k] as number | null;
        if (i !== null) values[o + k] = strings[i];
      }
    }
  }
}
