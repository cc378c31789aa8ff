/**
 * The dots of the wall's world map: one per located 1° cell, area proportional to its mentions,
 * classed by its share of negative mentions. Pure, given the map's projection.
 */

import type { WallPanels } from '$lib/shared/types';

export type GeoPoint = WallPanels['geo']['points'][number];

/** A cell at or above this share of negative mentions is drawn as mostly negative. */
export const NEGATIVE_HEAVY = 0.4;

/** Largest dot radius, in map units (the map is 960 wide). */
export const MAX_RADIUS = 18;
/** Smallest dot radius, so a single mention stays visible. */
export const MIN_RADIUS = 1.5;

export interface MapDot {
  key: string;
  lat: number;
  lon: number;
  x: number;
  y: number;
  r: number;
  count: number;
  negative: number;
  /** Whether the cell's negative share is at least NEGATIVE_HEAVY. */
  heavy: boolean;
}

/** Negative share of a cell, 0 when it has no mentions. */
export function negativeShare(p: Pick<GeoPoint, 'count' | 'negative'>): number {
  return p.count > 0 ? Math.min(1, Math.max(0, p.negative / p.count)) : 0;
}

/**
 * The dots for `points` (at most `limit`, the busiest), largest first so small dots draw on top.
 * Points the projection cannot place, and cells without mentions, are left out.
 */
export function mapDots(
  points: readonly GeoPoint[],
  project: (lon: number, lat: number) => [number, number] | null,
  limit = 500
): MapDot[] {
  const busiest = topCells(points, limit);
  const max = Math.max(1, ...busiest.map((p) => p.count));
  const out: MapDot[] = [];
  for (const p of busiest) {
    const xy = project(p.lon, p.lat);
    if (!xy) continue;
    out.push({
      key: `${p.lat},${p.lon}`,
      lat: p.lat,
      lon: p.lon,
      x: xy[0],
      y: xy[1],
      r: Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(p.count / max)),
      count: p.count,
      negative: p.negative,
      heavy: negativeShare(p) >= NEGATIVE_HEAVY
    });
  }
  return out.sort((a, b) => b.r - a.r);
}

/** The `n` busiest cells with mentions, most first (ties by latitude, then longitude). */
export function topCells(points: readonly GeoPoint[], n: number): GeoPoint[] {
  return points
    .filter((p) => p.count > 0 && Number.isFinite(p.lat) && Number.isFinite(p.lon))
    .sort((a, b) => b.count - a.count || b.lat - a.lat || a.lon - b.lon)
    .slice(0, Math.max(0, n));
}
