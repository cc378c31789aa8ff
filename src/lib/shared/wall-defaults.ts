import { SCENES, type PlaylistDef, type SceneDef, type WallConfig } from './types';

/**
 * The wall's built-in scenes and playlists: what a new installation shows, and what the wall draws
 * before the server's `wall:config` arrives. Validation lives with the server
 * (server/core/wall/config.ts).
 */

/** Columns of every scene's grid. */
export const GRID_COLUMNS = 12;

const p = (
  panel: SceneDef['panels'][number]['panel'],
  col: number,
  row: number,
  cols: number,
  rows: number
): SceneDef['panels'][number] => ({ panel, col, row, cols, rows });

/** The built-in scenes, as a new installation shows them. */
export const DEFAULT_SCENES: readonly SceneDef[] = [
  {
    id: 'overview',
    title: 'Overview',
    rows: 8,
    panels: [
      p('kpis', 1, 1, 9, 2),
      p('volume', 1, 3, 9, 3),
      p('sentiment', 1, 6, 5, 3),
      p('topics', 6, 6, 4, 3),
      p('river', 10, 1, 3, 5),
      p('channels', 10, 6, 3, 3)
    ]
  },
  {
    id: 'crisis',
    title: 'Crisis',
    rows: 8,
    panels: [
      // Alerts and volume share rows 1–4, so a 32:9 wall folds the scene into two halves.
      p('alerts', 1, 1, 4, 4),
      p('gauge', 1, 5, 4, 4),
      p('volume', 5, 1, 8, 4),
      p('sentiment', 5, 5, 4, 4),
      p('river', 9, 5, 4, 4)
    ]
  },
  { id: 'care', title: 'Customer care', rows: 1, panels: [p('care', 1, 1, 12, 1)] },
  {
    id: 'topics',
    title: 'Topics and geography',
    rows: 8,
    panels: [
      p('map', 1, 1, 7, 5),
      p('treemap', 8, 1, 5, 5),
      p('wordcloud', 1, 6, 7, 3),
      p('topics', 8, 6, 5, 3)
    ]
  },
  {
    id: 'voice',
    title: 'Share of voice',
    rows: 8,
    panels: [
      p('voice', 1, 1, 6, 4),
      p('gauge', 7, 1, 3, 4),
      p('channels', 10, 1, 3, 4),
      p('influencers', 1, 5, 6, 4),
      p('sentiment', 7, 5, 6, 4)
    ]
  },
  {
    id: 'river',
    title: 'Live river',
    rows: 8,
    panels: [p('river', 1, 1, 8, 8), p('influencers', 9, 1, 4, 4), p('wordcloud', 9, 5, 4, 4)]
  }
];

/** Playlists a new installation offers. */
export const DEFAULT_PLAYLISTS: readonly PlaylistDef[] = [
  {
    id: 'lobby',
    title: 'Lobby',
    items: [
      { scene: 'overview', dwellSeconds: 30 },
      { scene: 'topics', dwellSeconds: 20 },
      { scene: 'voice', dwellSeconds: 20 },
      { scene: 'river', dwellSeconds: 20 }
    ]
  },
  {
    id: 'care-room',
    title: 'Care room',
    items: [
      { scene: 'care', dwellSeconds: 60 },
      { scene: 'overview', dwellSeconds: 20 }
    ]
  },
  {
    id: 'everything',
    title: 'Every scene',
    items: SCENES.map((scene) => ({ scene, dwellSeconds: 20 }))
  }
];

export const DEFAULT_WALL_CONFIG: WallConfig = {
  version: 1,
  scenes: DEFAULT_SCENES.map((s) => ({ ...s, panels: s.panels.map((x) => ({ ...x })) })),
  playlists: DEFAULT_PLAYLISTS.map((l) => ({ ...l, items: l.items.map((i) => ({ ...i })) }))
};
