/**
 * The geometry of the wall's topic treemap: squarified rectangles (d3-hierarchy) whose areas are
 * proportional to the counts, and which label fits in each. Pure: the panel renders the SVG.
 */

import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';

/** One thing to size. */
export interface TreemapItem {
  name: string;
  count: number;
}

/** One laid-out cell, in the coordinates of a `width` × `height` box. */
export interface TreemapRect extends TreemapItem {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Estimated width of a character, as a share of the font size (a wide average, to be safe). */
export const CHAR_WIDTH = 0.6;

interface Node {
  name: string;
  count: number;
  children?: Node[];
}

/**
 * Lays `items` out in a `width` × `height` box, largest first. Items without a positive, finite
 * count are left out, and so is a repeated name (its first occurrence counts). `gap` is the space
 * between cells. Returns no cells for an empty box.
 */
export function treemapLayout(
  items: readonly TreemapItem[],
  width: number,
  height: number,
  gap = 2
): TreemapRect[] {
  if (!(width > 0) || !(height > 0)) return [];
  const seen = new Set<string>();
  const leaves: Node[] = [];
  for (const item of items) {
    if (!(item.count > 0) || !Number.isFinite(item.count) || seen.has(item.name)) continue;
    seen.add(item.name);
    leaves.push({ name: item.name, count: item.count });
  }
  if (leaves.length === 0) return [];
  // Largest first, ties by name: the same input always gives the same picture.
  leaves.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const root = hierarchy<Node>({ name: '', count: 0, children: leaves })
    .sum((d) => (d.children ? 0 : d.count))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const laid = treemap<Node>()
    .tile(treemapSquarify)
    .size([width, height])
    .paddingInner(Math.max(0, gap))
    .round(false)(root);
  return laid.leaves().map((leaf) => ({
    name: leaf.data.name,
    count: leaf.data.count,
    x: leaf.x0,
    y: leaf.y0,
    width: Math.max(0, leaf.x1 - leaf.x0),
    height: Math.max(0, leaf.y1 - leaf.y0)
  }));
}

/** What a cell can show: its name (cut to fit, with an ellipsis) and whether its count fits too. */
export interface CellLabel {
  name: string;
  withCount: boolean;
}

/**
 * The label a cell has room for at `fontSize` (same units as the cell), or null when not even a
 * few letters fit. The name takes one line, the count a second when there is height for it.
 */
export function cellLabel(
  rect: Pick<TreemapRect, 'name' | 'width' | 'height'>,
  fontSize: number
): CellLabel | null {
  if (!(fontSize > 0)) return null;
  const pad = fontSize * 0.4;
  const room = Math.floor((rect.width - 2 * pad) / (CHAR_WIDTH * fontSize));
  if (rect.height < fontSize * 1.2 + pad || room < Math.min(4, rect.name.length)) return null;
  const chars = [...rect.name];
  const name = chars.length <= room ? rect.name : `${chars.slice(0, room - 1).join('')}…`;
  return { name, withCount: rect.height >= fontSize * 2.4 + 2 * pad };
}
