import type { RiverItem } from '$lib/shared/types';

/** How many mentions the river keeps, newest first. */
export const RIVER_LIMIT = 60;

/** Puts `items` (newest last) in front of `river` (newest first), without repeats, capped. */
export function prependNewest(
  river: readonly RiverItem[],
  items: readonly RiverItem[]
): RiverItem[] {
  const seen = new Set<string>();
  const out: RiverItem[] = [];
  const add = (r: RiverItem): void => {
    if (out.length >= RIVER_LIMIT || seen.has(r.id)) return;
    seen.add(r.id);
    out.push(r);
  };
  for (let i = items.length - 1; i >= 0; i--) {
    const r = items[i];
    if (r) add(r);
  }
  for (const r of river) add(r);
  return out;
}

/**
 * Flows the river (newest first) down `columns` columns of `height` pixels, filled one after the
 * other: each takes items until they reach its bottom, the one crossing the bottom included (it
 * fades out there), so every column is full and nothing is laid out below an edge for nothing.
 * An item not measured yet counts as `guess` pixels; guessing the smallest height seen draws one
 * or two too many at worst, never a gap. Before anything is measured (`height` or `guess` not
 * positive) each column takes `firstDraw` items. What fits in no column is left out.
 */
export function flowColumns<T extends { id: string }>(
  items: readonly T[],
  columns: number,
  height: number,
  heightOf: (item: T) => number | undefined,
  guess: number,
  firstDraw = 12
): T[][] {
  const count = Math.max(1, Math.floor(columns));
  const out: T[][] = [[]];
  let used = 0;
  for (const item of items) {
    let column = out[out.length - 1]!;
    const full = height > 0 && guess > 0 ? used >= height : column.length >= Math.max(1, firstDraw);
    if (full) {
      if (out.length === count) break;
      column = [];
      out.push(column);
      used = 0;
    }
    column.push(item);
    used += heightOf(item) ?? guess;
  }
  return out;
}
