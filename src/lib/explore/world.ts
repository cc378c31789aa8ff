/**
 * The world map of `/explore` and the wall's map panel: Natural Earth countries at 1:110m from the
 * `world-atlas` package, bundled (nothing is fetched at run time) and loaded through a dynamic
 * import (world-map.ts), so only a page that draws a map carries it.
 */

import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 500;

/** The drawn map: an SVG path for the land, one for the borders, and a projection. */
export interface WorldMap {
  width: number;
  height: number;
  land: string;
  borders: string;
  sphere: string;
  /** [x, y] in the map's viewBox, or null when the point cannot be projected. */
  project: (lon: number, lat: number) => [number, number] | null;
}

/** Builds the map (once per page: the caller keeps it). */
export function buildWorldMap(): WorldMap {
  const topo = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
  const countries = feature(topo, topo.objects.countries);
  const projection = geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4]
    ],
    { type: 'Sphere' }
  );
  const path = geoPath(projection);
  return {
    width: MAP_WIDTH,
    height: MAP_HEIGHT,
    land: path(countries) ?? '',
    borders: path(mesh(topo, topo.objects.countries, (a, b) => a !== b)) ?? '',
    sphere: path({ type: 'Sphere' }) ?? '',
    project: (lon, lat) => {
      const p = projection([lon, lat]);
      return p && Number.isFinite(p[0]) && Number.isFinite(p[1]) ? [p[0], p[1]] : null;
    }
  };
}
