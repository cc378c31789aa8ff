import {
  SCENES,
  type PlaylistDef,
  type RuleKind,
  type Scene,
  type SceneDef,
  type WallConfig
} from '$lib/shared/types';

/** Viewing distances the wall's type is sized for. */
export const DISTANCES = ['desk', 'room', 'hall'] as const;
export type Distance = (typeof DISTANCES)[number];

/** What the wall's URL asks for. */
export interface WallParams {
  /** `?scene=care`: one scene, no rotation. */
  scene: Scene | null;
  /** `?playlist=lobby`: rotate that playlist's scenes. */
  playlist: string | null;
  /** `?kiosk`: every control hidden (a screen nobody touches). */
  kiosk: boolean;
  /** `?screen=2of3`: this screen's part of a video wall `count` screens wide. */
  screen: { index: number; count: number } | null;
  /** `?distance=room`: type sized for the viewing distance (desk by default). */
  distance: Distance;
  /** `?contrast=high`: pure black and white, thicker borders. */
  highContrast: boolean;
}

const isScene = (s: string | null): s is Scene => (SCENES as readonly string[]).includes(s ?? '');

/** Reads the wall's URL parameters; anything unknown or malformed falls back to its default. */
export function parseWallParams(search: string): WallParams {
  const q = new URLSearchParams(search);
  const scene = q.get('scene');
  const playlist = q.get('playlist');
  const screen = /^(\d{1,2})of(\d{1,2})$/.exec(q.get('screen') ?? '');
  const index = screen ? Number(screen[1]) : 0;
  const count = screen ? Number(screen[2]) : 0;
  const distance = q.get('distance');
  const kiosk = q.get('kiosk');
  return {
    scene: isScene(scene) ? scene : null,
    playlist: playlist && /^[a-z0-9][a-z0-9-]{0,39}$/.test(playlist) ? playlist : null,
    kiosk: kiosk !== null && kiosk !== '0' && kiosk !== 'false',
    screen: count >= 1 && index >= 1 && index <= count ? { index, count } : null,
    distance: (DISTANCES as readonly string[]).includes(distance ?? '')
      ? (distance as Distance)
      : 'desk',
    highContrast: q.get('contrast') === 'high'
  };
}

/** Where a playlist is at `now`: its scene, position and when that scene ends. */
export interface PlaylistPosition {
  scene: Scene;
  index: number;
  endsAt: number;
}

/**
 * The playlist's scene at `now`. Positions are counted from the epoch on the server's clock, so
 * every screen of a wall (and every wall on the same playlist) shows the same scene at the same
 * moment without talking to each other.
 */
export function playlistAt(playlist: PlaylistDef, now: number): PlaylistPosition {
  const cycle = playlist.items.reduce((a, i) => a + i.dwellSeconds * 1000, 0);
  if (cycle <= 0 || playlist.items.length === 0)
    return { scene: 'overview', index: 0, endsAt: Number.POSITIVE_INFINITY };
  const cycleStart = now - (((now % cycle) + cycle) % cycle);
  let t = cycleStart;
  for (let i = 0; i < playlist.items.length; i++) {
    const item = playlist.items[i]!;
    t += item.dwellSeconds * 1000;
    if (now < t) return { scene: item.scene, index: i, endsAt: t };
  }
  const last = playlist.items.length - 1;
  return { scene: playlist.items[last]!.scene, index: last, endsAt: cycleStart + cycle };
}

/**
 * Whether a scene shows a firing alert of this kind: any alert on a scene with the alerts panel,
 * an SLA alert on a scene with the care panel.
 */
export function sceneShowsAlert(scene: SceneDef | undefined, kind: RuleKind): boolean {
  return (
    scene?.panels.some((p) => p.panel === 'alerts' || (p.panel === 'care' && kind === 'sla')) ??
    false
  );
}

/** The rotation's state between frames: the scene on screen, and whether an alert holds it. */
export interface Rotation {
  scene: Scene;
  held: Scene | null;
}

/**
 * What the wall shows. A pinned display or `?scene=` wins; then a playlist rotates, except that a
 * scene showing a firing alert stays up until that alert stops firing (then the rotation resumes
 * where the clock says); with neither, the overview.
 */
export function pickScene(input: {
  /** The display link's pinned scene (a retired name is ignored). */
  pinned: string | null;
  params: WallParams;
  config: WallConfig | null;
  now: number;
  /** Kinds of the alerts firing now (drills left out). */
  firing: readonly RuleKind[];
  previous: Rotation | null;
}): Rotation {
  const { pinned, params, config, now, firing, previous } = input;
  if (isScene(pinned)) return { scene: pinned, held: null };
  if (params.scene) return { scene: params.scene, held: null };
  const playlist = params.playlist
    ? config?.playlists.find((p) => p.id === params.playlist)
    : undefined;
  if (!playlist) return { scene: 'overview', held: null };
  const current = previous?.scene;
  if (current && playlist.items.some((i) => i.scene === current)) {
    const def = config?.scenes.find((s) => s.id === current);
    if (firing.some((k) => sceneShowsAlert(def, k))) return { scene: current, held: current };
  }
  return { scene: playlistAt(playlist, now).scene, held: null };
}
