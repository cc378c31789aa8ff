/**
 * Windowing for long lists: which rows of a fixed-height list are in view (plus a margin), so
 * only those are in the DOM however many rows there are. Pure arithmetic.
 */

/** The rows to render: indexes `first` to `last` inclusive (`last` < `first` when none). */
export interface RowWindow {
  first: number;
  last: number;
  /** Offset of row `first` from the top of the list, px. */
  offsetTop: number;
  /** Height of the whole list, px. */
  totalHeight: number;
}

export interface WindowInput {
  /** How far the viewport is scrolled, px. */
  scrollTop: number;
  /** Height of the viewport, px. */
  viewportHeight: number;
  /** Height of every row, px (> 0). */
  rowHeight: number;
  /** Number of rows. */
  count: number;
  /** Extra rows rendered above and below the viewport. */
  overscan?: number;
}

/** The rows in view at `scrollTop`, with `overscan` rows either side, clamped to the list. */
export function rowWindow({
  scrollTop,
  viewportHeight,
  rowHeight,
  count,
  overscan = 5
}: WindowInput): RowWindow {
  const n = Math.max(0, Math.floor(Number.isFinite(count) ? count : 0));
  const h = rowHeight > 0 && Number.isFinite(rowHeight) ? rowHeight : 1;
  const totalHeight = n * h;
  if (n === 0) return { first: 0, last: -1, offsetTop: 0, totalHeight: 0 };
  const view = Math.max(0, Number.isFinite(viewportHeight) ? viewportHeight : 0);
  const maxTop = Math.max(0, totalHeight - view);
  const top = Math.min(Math.max(0, Number.isFinite(scrollTop) ? scrollTop : 0), maxTop);
  const margin = Math.max(0, Math.floor(overscan));
  const firstVisible = Math.min(n - 1, Math.floor(top / h));
  // The row under the viewport's bottom edge, exclusive of an exact boundary.
  const lastVisible = Math.min(n - 1, Math.max(firstVisible, Math.ceil((top + view) / h) - 1));
  const first = Math.max(0, firstVisible - margin);
  const last = Math.min(n - 1, lastVisible + margin);
  return { first, last, offsetTop: first * h, totalHeight };
}

/**
 * True when the next page should be loaded: more exist, none is loading, and the last row
 * rendered is within `threshold` rows of the end of what is loaded.
 */
export function shouldLoadMore(
  last: number,
  loaded: number,
  hasMore: boolean,
  loading: boolean,
  threshold = 50
): boolean {
  return hasMore && !loading && last >= loaded - 1 - threshold;
}

/**
 * Keys (`source/id`) of the mentions a list has loaded, kept across pages so that a page which
 * overlaps the last adds only what is new, without rebuilding a set of every key per page (with
 * 100,000 loaded that made a frame long). Not reactive state: it only filters.
 */
export class LoadedKeys {
  private keys = new Set<string>();

  /** Forgets everything and remembers `items`. */
  reset(items: readonly { source: string; id: string }[]): void {
    this.keys = new Set(items.map((m) => `${m.source}/${m.id}`));
  }

  /** The items not loaded before, in order; they are remembered. */
  fresh<T extends { source: string; id: string }>(items: readonly T[]): T[] {
    return items.filter((m) => {
      const k = `${m.source}/${m.id}`;
      if (this.keys.has(k)) return false;
      this.keys.add(k);
      return true;
    });
  }
}
