/**
 * Low-cardinality strings of flat values (a mention's source and channel, a sentiment label, an
 * intent, …) sent between threads as small integers into a table that travels with them. A
 * structured clone copies every string it meets, even the thousandth "positive" of a batch, and
 * the receiver allocates each copy again; an integer costs neither. Measured on 1,000 enriched
 * rows: about 40 % less time to clone and rebuild them on the writer thread. The care queue keeps
 * its few-valued strings (source, topics, policy, rule) the same way, as indexes (core/care).
 */
export class StringTable {
  /** The strings in the order they were first seen: what the receiver indexes. */
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The index of `s`, or null for null. */
  id(s: string): number;
  id(s: string | null): number | null;
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
