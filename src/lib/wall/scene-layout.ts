import type { PanelKind, SceneDef, ScenePanel } from '$lib/shared/types';

/** How long each panel's data may go without an update before the panel shows it is stale. */
export const STALE_AFTER_MS: Record<PanelKind, number> = {
  kpis: 10_000,
  volume: 10_000,
  sentiment: 10_000,
  gauge: 10_000,
  channels: 10_000,
  // Top topics arrive every few ticks.
  topics: 30_000,
  treemap: 30_000,
  wordcloud: 30_000,
  // `wall:panels` comes every 15 s.
  map: 60_000,
  voice: 60_000,
  influencers: 60_000,
  river: 10_000,
  alerts: 10_000,
  care: 10_000
};

/** When each kind of data last changed, on the server's clock (null: not received yet). */
export interface DataTimes {
  /** The last tick or snapshot. */
  tick: number | null;
  /** The 15-minute window's computation time. */
  windows: number | null;
  /** The last `wall:panels`. */
  panels: number | null;
  /** The last `care:summary`. */
  care: number | null;
}

/** When a panel's data was computed, from the data it draws. */
export function panelAsOf(kind: PanelKind, t: DataTimes): number | null {
  switch (kind) {
    case 'kpis':
    case 'gauge':
    case 'channels':
      return t.windows;
    case 'map':
    case 'voice':
    case 'influencers':
      return t.panels;
    case 'care':
      return t.care;
    default:
      return t.tick;
  }
}

/** Whether data computed at `asOf` is stale at `now` for a panel of this kind. */
export function isStale(kind: PanelKind, asOf: number | null, now: number): boolean {
  return asOf !== null && now - asOf > STALE_AFTER_MS[kind];
}

/** The CSS grid placement of a panel on its scene. */
export function gridArea(p: ScenePanel): { column: string; row: string } {
  return { column: `${p.col} / span ${p.cols}`, row: `${p.row} / span ${p.rows}` };
}

/**
 * The panels in reading order (top to bottom, then left to right): the order a keyboard and a
 * screen reader meet them, and the order a portrait screen stacks them.
 */
export function readingOrder(scene: SceneDef): ScenePanel[] {
  return [...scene.panels].sort((a, b) => a.row - b.row || a.col - b.col);
}

/** A subtle, periodic pixel shift against burn-in: the offset at `now`, the same on every screen. */
export function pixelShift(now: number, periodMs = 180_000): { x: number; y: number } {
  const STEPS: readonly [number, number][] = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [-1, 1],
    [-1, 0],
    [-1, -1],
    [0, -1],
    [1, -1]
  ];
  const i = Math.floor(now / periodMs) % STEPS.length;
  const [x, y] = STEPS[(i + STEPS.length) % STEPS.length]!;
  return { x: x * 2, y: y * 2 };
}
