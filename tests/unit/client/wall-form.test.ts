import { describe, expect, it } from 'vitest';
import { parseWallJson, wallJson, wallLink } from '../../../src/lib/settings/wall-form';
import { DEFAULT_WALL_CONFIG } from '../../../src/lib/shared/wall-defaults';
import { parseWallParams } from '../../../src/lib/wall/rotation';

describe('wall settings form', () => {
  it('round-trips the configuration through the editor text', () => {
    const text = wallJson(DEFAULT_WALL_CONFIG);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseWallJson(text)).toEqual({ ok: true, value: DEFAULT_WALL_CONFIG });
  });

  it.each([['{'], ['{"version": 1,}'], ['not json']])('reports %j as invalid JSON', (text) => {
    const r = parseWallJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^Not valid JSON: /);
  });

  it.each([
    ['playlist', 'lobby', false, '/?playlist=lobby', { playlist: 'lobby', kiosk: false }],
    ['playlist', 'care-room', true, '/?playlist=care-room&kiosk', { kiosk: true }],
    ['scene', 'river', true, '/?scene=river&kiosk', { scene: 'river', kiosk: true }]
  ] as const)('links %s %s (kiosk %s) as %s', (kind, id, kiosk, href, params) => {
    expect(wallLink(kind, id, kiosk)).toBe(href);
    // The wall reads back what the link asks for.
    expect(parseWallParams(href.slice(1))).toMatchObject(params);
  });
});
