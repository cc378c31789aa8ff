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
