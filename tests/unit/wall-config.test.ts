import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WALL_CONFIG,
  completeWallConfig,
  wallConfigSchema
} from '../../server/core/wall/config';
import { fieldOf } from '../../server/http/json-body';
import { SCENES, type WallConfig } from '../../src/lib/shared/types';

/** A deep copy of the defaults to change one thing in. */
const base = (): WallConfig => structuredClone(DEFAULT_WALL_CONFIG);

/** The first issue of a parse as the PUT route reports it (`field: message`), or null. */
function firstIssue(input: unknown): { field: string; message: string } | null {
  const r = wallConfigSchema.safeParse(input);
  return r.success ? null : fieldOf(r.error.issues);
}

describe('wallConfigSchema', () => {
  it('accepts the defaults, and a config with no scenes or playlists', () => {
    expect(wallConfigSchema.parse(base())).toEqual(DEFAULT_WALL_CONFIG);
    expect(firstIssue({ version: 1, scenes: [], playlists: [] })).toBeNull();
  });

  const cases: {
    name: string;
    change: (c: WallConfig & Record<string, unknown>) => unknown;
    field: string;
    message: RegExp;
  }[] = [
    {
      name: 'two panels overlapping',
      change: (c) => {
        c.scenes[0]!.panels[1] = { panel: 'volume', col: 2, row: 2, cols: 3, rows: 3 };
      },
      field: 'scenes.0.panels.1',
      message: /volume overlaps kpis at row 2, column 2/
    },
    {
      name: 'a panel past the last column',
      change: (c) => {
        c.scenes[2]!.panels[0] = { panel: 'care', col: 5, row: 1, cols: 12, rows: 1 };
      },
      field: 'scenes.2.panels.0.cols',
      message: /care ends past column 12/
    },
    {
      name: "a panel past the scene's rows",
      change: (c) => {
        c.scenes[2]!.panels[0] = { panel: 'care', col: 1, row: 1, cols: 12, rows: 2 };
      },
      field: 'scenes.2.panels.0.rows',
      message: /ends past the scene's 1 rows/
    },
    {
      name: 'an unknown panel',
      change: (c) => {
        (c.scenes[0]!.panels[0] as { panel: string }).panel = 'weather';
      },
      field: 'scenes.0.panels.0.panel',
      message: /must be one of kpis, volume/
    },
    {
      name: 'an unknown scene',
      change: (c) => {
        (c.scenes[1] as { id: string }).id = 'lobby';
      },
      field: 'scenes.1.id',
      message: /must be one of overview, crisis/
    },
    {
      name: 'a scene defined twice',
      change: (c) => {
        c.scenes[1] = structuredClone(c.scenes[0]!);
      },
      field: 'scenes.1.id',
      message: /overview is defined twice/
    },
    {
      name: 'a playlist defined twice',
      change: (c) => {
        c.playlists[2]!.id = 'lobby';
      },
      field: 'playlists.2.id',
      message: /playlist lobby is defined twice/
    },
    {
      name: 'a dwell time too short',
      change: (c) => {
        c.playlists[0]!.items[1]!.dwellSeconds = 4;
      },
      field: 'playlists.0.items.1.dwellSeconds',
      message: /^dwellSeconds must be at least 5$/
    },
    {
      name: 'a dwell time too long',
      change: (c) => {
        c.playlists[1]!.items[0]!.dwellSeconds = 3601;
      },
      field: 'playlists.1.items.0.dwellSeconds',
      message: /^dwellSeconds must be at most 3600$/
    },
    {
      name: 'a dwell time that is not whole',
      change: (c) => {
        c.playlists[1]!.items[0]!.dwellSeconds = 7.5;
      },
      field: 'playlists.1.items.0.dwellSeconds',
      message: /whole number/
    },
    {
      name: 'an unknown top-level key',
      change: (c) => {
        c.theme = 'dark';
      },
      field: 'theme',
      message: /unknown field\(s\): theme/
    },
    {
      name: 'an unknown key in a panel',
      change: (c) => {
        (c.scenes[0]!.panels[0] as unknown as Record<string, unknown>).color = 'red';
      },
      field: 'color',
      message: /unknown field\(s\): color/
    },
    {
      name: 'another version',
      change: (c) => {
        (c as { version: number }).version = 2;
      },
      field: 'version',
      message: /version must be 1/
    },
    {
      name: 'an empty playlist',
      change: (c) => {
        c.playlists[0]!.items = [];
      },
      field: 'playlists.0.items',
      message: /needs at least one scene/
    },
    {
      name: 'a playlist id with capitals',
      change: (c) => {
        c.playlists[0]!.id = 'Lobby';
      },
      field: 'playlists.0.id',
      message: /lower-case letters/
    }
  ];

  it.each(cases)('refuses $name, naming the field', ({ change, field, message }) => {
    const c = base() as WallConfig & Record<string, unknown>;
    change(c);
    const issue = firstIssue(c);
    expect(issue?.field).toBe(field);
    expect(issue?.message).toMatch(message);
  });
});

describe('completeWallConfig', () => {
  it('gives every built-in scene, in the built-in order, with the saved layouts', () => {
    const river = {
      id: 'river' as const,
      title: 'River only',
      rows: 1,
      panels: [{ panel: 'river' as const, col: 1, row: 1, cols: 12, rows: 1 }]
    };
    const playlists = [
      { id: 'night', title: 'Night', items: [{ scene: 'river' as const, dwellSeconds: 60 }] }
    ];
    const c = completeWallConfig({ version: 1, scenes: [river], playlists });
    expect(c.scenes.map((s) => s.id)).toEqual([...SCENES]);
    expect(c.scenes.find((s) => s.id === 'river')).toEqual(river);
    expect(c.scenes.find((s) => s.id === 'overview')).toEqual(DEFAULT_WALL_CONFIG.scenes[0]);
    expect(c.playlists).toEqual(playlists);
    expect(wallConfigSchema.safeParse(c).success).toBe(true);
  });

  it('completes an empty config to the built-in scenes and no playlists', () => {
    const c = completeWallConfig({ version: 1, scenes: [], playlists: [] });
    expect(c.scenes).toEqual(DEFAULT_WALL_CONFIG.scenes);
    expect(c.playlists).toEqual([]);
  });

  it('leaves the defaults as they are', () => {
    expect(completeWallConfig(base())).toEqual(DEFAULT_WALL_CONFIG);
  });
});
