import { describe, expect, it } from 'vitest';
import { PANEL_KINDS, SCENES } from '../../../src/lib/shared/types';
import { DEFAULT_WALL_CONFIG } from '../../../src/lib/shared/wall-defaults';
import {
  STALE_AFTER_MS,
  gridArea,
  isStale,
  panelAsOf,
  pixelShift,
  readingOrder
} from '../../../src/lib/wall/scene-layout';

const times = { tick: 1000, windows: 2000, panels: 3000, care: 4000 };

describe('panelAsOf', () => {
  it.each([
    ['kpis', 2000],
    ['gauge', 2000],
    ['channels', 2000],
    ['map', 3000],
    ['voice', 3000],
    ['influencers', 3000],
    ['care', 4000],
    ['volume', 1000],
    ['river', 1000],
    ['wordcloud', 1000]
  ] as const)('%s → %i', (kind, t) => {
    expect(panelAsOf(kind, times)).toBe(t);
  });

  it('is null before the data arrived', () => {
    expect(panelAsOf('map', { ...times, panels: null })).toBeNull();
  });
});

describe('isStale', () => {
  it.each([
    ['kpis', 0, 10_000, false],
    ['kpis', 0, 10_001, true],
    ['map', 0, 59_000, false],
    ['map', 0, 61_000, true],
    ['kpis', null, 1e12, false]
  ] as const)('%s as of %s at %i → %s', (kind, asOf, now, stale) => {
    expect(isStale(kind, asOf, now)).toBe(stale);
  });

  it('has a limit for every panel kind', () => {
    for (const k of PANEL_KINDS) expect(STALE_AFTER_MS[k]).toBeGreaterThan(0);
  });
});

describe('scene layout', () => {
  it('places a panel on the CSS grid', () => {
    expect(gridArea({ panel: 'map', col: 2, row: 3, cols: 4, rows: 5 })).toEqual({
      column: '2 / span 4',
      row: '3 / span 5'
    });
  });

  it('reads panels top to bottom, then left to right', () => {
    const overview = DEFAULT_WALL_CONFIG.scenes.find((s) => s.id === 'overview')!;
    expect(readingOrder(overview).map((p) => p.panel)).toEqual([
      'kpis',
      'river',
      'volume',
      'sentiment',
      'topics',
      'channels'
    ]);
  });

  it('ships a layout for every scene', () => {
    expect(DEFAULT_WALL_CONFIG.scenes.map((s) => s.id)).toEqual([...SCENES]);
  });
});

describe('pixelShift', () => {
  it('moves at most 2 px, changes every period and repeats every nine', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const s = pixelShift(i * 180_000);
      expect(Math.abs(s.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(s.y)).toBeLessThanOrEqual(2);
      seen.add(`${s.x},${s.y}`);
    }
    expect(seen.size).toBe(9);
    expect(pixelShift(9 * 180_000)).toEqual(pixelShift(0));
    expect(pixelShift(179_999)).toEqual(pixelShift(0));
  });
});
