/**
 * The world map for explore's map and the wall's map panel, loaded through a dynamic import (a separate chunk) and
 * built once per page: a panel that mounts again, as scenes rotate, reuses it.
 */

import type { WorldMap } from '$lib/explore/world';

let pending: Promise<WorldMap> | null = null;

/** The world map, built on first use. A failed load is tried again on the next call. */
export function loadWorldMap(): Promise<WorldMap> {
  if (!pending) {
    pending = import('$lib/explore/world')
      .then((w) => w.buildWorldMap())
      .catch((err: unknown) => {
        pending = null;
        throw err;
      });
  }
  return pending;
}
