import { z } from 'zod';
import {
  PANEL_KINDS,
  SCENES,
  type Scene,
  type SceneDef,
  type WallConfig
} from '../../../src/lib/shared/types';
import { DEFAULT_WALL_CONFIG, GRID_COLUMNS } from '../../../src/lib/shared/wall-defaults';

export {
  DEFAULT_PLAYLISTS,
  DEFAULT_SCENES,
  DEFAULT_WALL_CONFIG,
  GRID_COLUMNS
} from '../../../src/lib/shared/wall-defaults';

/** Settings key of the wall's scenes and playlists. */
export const WALL_SETTINGS_KEY = 'wall';

const sceneId = z.enum(SCENES, { error: `must be one of ${SCENES.join(', ')}` });
const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

const panelSchema = z.strictObject({
  panel: z.enum(PANEL_KINDS, { error: `must be one of ${PANEL_KINDS.join(', ')}` }),
  col: int(1, GRID_COLUMNS, 'col'),
  row: int(1, 24, 'row'),
  cols: int(1, GRID_COLUMNS, 'cols'),
  rows: int(1, 24, 'rows')
});

const sceneSchema = z
  .strictObject({
    id: sceneId,
    title: z.string().trim().min(1, 'title must not be empty').max(60, 'title is too long'),
    rows: int(1, 24, 'rows'),
    panels: z.array(panelSchema).min(1, 'a scene needs at least one panel').max(24)
  })
  .superRefine((scene, ctx) => {
    const taken = new Map<string, number>();
    scene.panels.forEach((x, i) => {
      if (x.col + x.cols - 1 > GRID_COLUMNS)
        ctx.addIssue({
          code: 'custom',
          path: ['panels', i, 'cols'],
          message: `${x.panel} ends past column ${GRID_COLUMNS} (col ${x.col} + cols ${x.cols})`
        });
      if (x.row + x.rows - 1 > scene.rows)
        ctx.addIssue({
          code: 'custom',
          path: ['panels', i, 'rows'],
          message: `${x.panel} ends past the scene's ${scene.rows} rows (row ${x.row} + rows ${x.rows})`
        });
      for (let r = x.row; r < x.row + x.rows; r++)
        for (let c = x.col; c < x.col + x.cols; c++) {
          const other = taken.get(`${r}:${c}`);
          if (other !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['panels', i],
              message: `${x.panel} overlaps ${scene.panels[other]!.panel} at row ${r}, column ${c}`
            });
            return;
          }
          taken.set(`${r}:${c}`, i);
        }
    });
  });

const playlistSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'id must be 1–40 lower-case letters, digits or dashes'),
  title: z.string().trim().min(1, 'title must not be empty').max(60, 'title is too long'),
  items: z
    .array(
      z.strictObject({
        scene: sceneId,
        dwellSeconds: int(5, 3600, 'dwellSeconds')
      })
    )
    .min(1, 'a playlist needs at least one scene')
    .max(50, 'a playlist holds at most 50 scenes')
});

/**
 * A wall configuration as saved or imported. Every scene is optional (a missing one keeps its
 * built-in layout) and may appear once; playlist ids are unique.
 */
export const wallConfigSchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }),
    scenes: z.array(sceneSchema).max(SCENES.length),
    playlists: z.array(playlistSchema).max(50, 'at most 50 playlists')
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.scenes.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['scenes', i, 'id'],
          message: `${s.id} is defined twice`
        });
      seen.add(s.id);
    });
    const ids = new Set<string>();
    c.playlists.forEach((l, i) => {
      if (ids.has(l.id))
        ctx.addIssue({
          code: 'custom',
          path: ['playlists', i, 'id'],
          message: `playlist ${l.id} is defined twice`
        });
      ids.add(l.id);
    });
  });

/**
 * The configuration the wall uses: every built-in scene, the saved layout where there is one, in
 * the built-in order.
 */
export function completeWallConfig(saved: WallConfig): WallConfig {
  const byId = new Map<Scene, SceneDef>(saved.scenes.map((s) => [s.id, s]));
  return {
    version: 1,
    scenes: DEFAULT_WALL_CONFIG.scenes.map((d) => byId.get(d.id) ?? d),
    playlists: saved.playlists
  };
}
