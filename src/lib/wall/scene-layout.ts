import { GRID_COLUMNS } from '$lib/shared/wall-defaults';
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

/** The aspect ratio scenes are designed for: one 16:9 screen. */
const DESIGN_ASPECT = 16 / 9;

/**
 * How many 16:9 parts a wall of this shape holds side by side: 1 up to 21:9 (the layout
 * stretches: charts gain time, tiles width), 2 for 32:9, 3 for a 48:9 wall. `aspect` is the whole
 * wall's width over its height (a video wall of M screens: M times one screen's).
 */
export function wallParts(aspect: number): number {
  if (!Number.isFinite(aspect) || aspect <= 0) return 1;
  return Math.max(1, Math.min(4, Math.round(aspect / DESIGN_ASPECT)));
}

/** A scene laid out for the wall's shape: the grid's columns and rows and each panel's place. */
export interface SceneLayout {
  columns: number;
  rows: number;
  panels: ScenePanel[];
  /** How many 16:9 parts the scene was folded into (1: as designed). */
  parts: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Folds a scene designed for one 16:9 screen into `parts` side by side, for a wall that wide
 * (32:9, a row of screens): the scene is cut between rows that no panel spans, as near to equal
 * heights as the panels allow, and the bands are set next to each other, left to right in
 * reading order, each band's rows stretched to the full height. Panels keep their columns within
 * their band and their reading order. A scene with fewer places to cut folds into fewer parts; one
 * with none (a panel spanning every row) stretches as designed. With `exact` (a video wall, one
 * part per screen so that no panel crosses a bezel) it folds into exactly `parts` or not at all.
 */
export function foldScene(
  scene: SceneDef,
  parts: number,
  options: { exact?: boolean } = {}
): SceneLayout {
  const R = scene.rows;
  const asDesigned: SceneLayout = {
    columns: GRID_COLUMNS,
    rows: R,
    panels: scene.panels,
    parts: 1
  };
  if (parts <= 1 || R < 2) return asDesigned;
  // A cut after row k is possible when no panel covers both row k and row k + 1.
  const cuttable = new Set<number>();
  for (let k = 1; k < R; k++) {
    if (!scene.panels.some((p) => p.row <= k && p.row + p.rows - 1 > k)) cuttable.add(k);
  }
  const cuts: number[] = [];
  for (let i = 1; i < parts; i++) {
    const ideal = (i * R) / parts;
    let best: number | null = null;
    for (const k of cuttable) {
      if (k <= (cuts[cuts.length - 1] ?? 0)) continue;
      if (best === null || Math.abs(k - ideal) < Math.abs(best - ideal)) best = k;
    }
    if (best === null) break;
    cuts.push(best);
  }
  if (cuts.length === 0 || (options.exact && cuts.length !== parts - 1)) return asDesigned;
  const bounds = [0, ...cuts, R];
  const heights = bounds.slice(1).map((b, i) => b - bounds[i]!);
  const rows = heights.reduce((a, h) => (a * h) / gcd(a, h), 1);
  const panels = scene.panels.map((p) => {
    const band = bounds.findIndex((b, i) => i > 0 && p.row <= b) - 1;
    const scale = rows / heights[band]!;
    return {
      ...p,
      col: p.col + band * GRID_COLUMNS,
      row: (p.row - bounds[band]! - 1) * scale + 1,
      rows: p.rows * scale
    };
  });
  return { columns: GRID_COLUMNS * heights.length, rows, panels, parts: heights.length };
}
