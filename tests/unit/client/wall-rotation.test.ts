import { describe, expect, it } from 'vitest';
import type { PlaylistDef, RuleKind, WallConfig } from '../../../src/lib/shared/types';
import { DEFAULT_WALL_CONFIG } from '../../../src/lib/shared/wall-defaults';
import {
  parseWallParams,
  pickScene,
  playlistAt,
  sceneShowsAlert,
  type Rotation
} from '../../../src/lib/wall/rotation';

const lobby: PlaylistDef = {
  id: 'lobby',
  title: 'Lobby',
  items: [
    { scene: 'overview', dwellSeconds: 30 },
    { scene: 'topics', dwellSeconds: 20 },
    { scene: 'care', dwellSeconds: 10 }
  ]
};
const config: WallConfig = { ...DEFAULT_WALL_CONFIG, playlists: [lobby] };
// A whole number of 60 s cycles, so positions are easy to read.
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

describe('parseWallParams', () => {
  it.each([
    ['', { scene: null, playlist: null, kiosk: false, screen: null, distance: 'desk' }],
    ['?scene=care', { scene: 'care' }],
    ['?scene=nope', { scene: null }],
    ['?playlist=lobby', { playlist: 'lobby' }],
    ['?playlist=Bad%20Id', { playlist: null }],
    ['?kiosk', { kiosk: true }],
    ['?kiosk=1', { kiosk: true }],
    ['?kiosk=0', { kiosk: false }],
    ['?screen=2of3', { screen: { index: 2, count: 3 } }],
    ['?screen=4of3', { screen: null }],
    ['?screen=0of3', { screen: null }],
    ['?screen=two', { screen: null }],
    ['?distance=hall', { distance: 'hall' }],
    ['?distance=moon', { distance: 'desk' }],
    ['?contrast=high', { highContrast: true }],
    ['?contrast=low', { highContrast: false }]
  ])('%s', (search, expected) => {
    expect(parseWallParams(search)).toMatchObject(expected);
  });
});

describe('playlistAt', () => {
  it.each([
    [0, 'overview', 0, 30_000],
    [29_999, 'overview', 0, 30_000],
    [30_000, 'topics', 1, 50_000],
    [49_999, 'topics', 1, 50_000],
    [50_000, 'care', 2, 60_000],
    [60_000, 'overview', 0, 90_000],
    [60_000 * 1000 + 35_000, 'topics', 1, 60_000 * 1000 + 50_000]
  ])('at +%i ms: %s (item %i, ends +%i)', (dt, scene, index, ends) => {
    expect(playlistAt(lobby, T0 + dt)).toEqual({ scene, index, endsAt: T0 + ends });
  });

  it('is the same on every screen at the same server time', () => {
    const a = playlistAt(lobby, T0 + 123_456);
    const b = playlistAt({ ...lobby }, T0 + 123_456);
    expect(a).toEqual(b);
  });
});

describe('sceneShowsAlert', () => {
  const scene = (id: string) => DEFAULT_WALL_CONFIG.scenes.find((s) => s.id === id);
  it.each([
    ['crisis', 'threshold', true],
    ['crisis', 'sla', true],
    ['care', 'sla', true],
    ['care', 'anomaly', false],
    ['overview', 'threshold', false],
    ['missing', 'threshold', false]
  ] as [string, RuleKind, boolean][])('%s shows a %s alert: %s', (id, kind, shows) => {
    expect(sceneShowsAlert(scene(id), kind)).toBe(shows);
  });
});

describe('pickScene', () => {
  const params = (search: string) => parseWallParams(search);
  const base = { pinned: null, config, now: T0, firing: [] as RuleKind[], previous: null };

  it.each([
    ['no parameters: the overview', { params: params('') }, 'overview'],
    ['?scene= wins over a playlist', { params: params('?scene=river&playlist=lobby') }, 'river'],
    ['a pinned display wins', { pinned: 'care', params: params('?scene=river') }, 'care'],
    ['a retired pinned name is ignored', { pinned: 'old', params: params('') }, 'overview'],
    ['an unknown playlist: the overview', { params: params('?playlist=none') }, 'overview'],
    ['the playlist rotates', { params: params('?playlist=lobby'), now: T0 + 31_000 }, 'topics'],
    ['no config yet: the overview', { params: params('?playlist=lobby'), config: null }, 'overview']
  ])('%s', (_name, over, scene) => {
    expect(pickScene({ ...base, ...over }).scene).toBe(scene);
  });

  it('keeps a scene showing a firing alert up until the alert stops firing', () => {
    const p = params('?playlist=lobby');
    let r: Rotation | null = null;
    const step = (now: number, firing: RuleKind[]): string => {
      r = pickScene({ ...base, params: p, now, firing, previous: r });
      return r.scene;
    };
    // A threshold alert fires: no scene of the lobby shows it, so the rotation goes on.
    expect(step(T0 + 31_000, ['threshold'])).toBe('topics');
    expect(step(T0 + 51_000, ['threshold'])).toBe('care');
    // An SLA alert fires while the care scene is up: it stays past its dwell time.
    expect(step(T0 + 55_000, ['sla'])).toBe('care');
    expect(r).toEqual({ scene: 'care', held: 'care' });
    expect(step(T0 + 200_000, ['sla', 'threshold'])).toBe('care');
    // Resolved: rotation resumes where the clock says.
    expect(step(T0 + 201_000, [])).toBe(playlistAt(lobby, T0 + 201_000).scene);
  });

  it('does not hold a scene the playlist does not have', () => {
    const r = pickScene({
      ...base,
      params: params('?playlist=lobby'),
      now: T0 + 31_000,
      firing: ['sla'],
      previous: { scene: 'crisis', held: null }
    });
    expect(r).toEqual({ scene: 'topics', held: null });
  });
});
