import { describe, expect, it } from 'vitest';
import { PANEL_KINDS, SCENES } from '../../../src/lib/shared/types';
import { DEFAULT_WALL_CONFIG } from '../../../src/lib/shared/wall-defaults';
import type { SceneDef, ScenePanel } from '../../../src/lib/shared/types';
import {
  STALE_AFTER_MS,
  foldScene,
  gridArea,
  isStale,
  panelAsOf,
  pixelShift,
  readingOrder,
  wallParts
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

describe('wallParts', () => {
  it.each([
    [16 / 9, 1],
    [16 / 10, 1],
    [21 / 9, 1],
    [64 / 27, 1],
    [32 / 9, 2],
    [48 / 9, 3],
    [(3 * 16) / 9, 3],
    [9 / 16, 1],
    [0, 1],
    [Number.NaN, 1],
    [100, 4]
  ])('aspect %f → %i part(s)', (aspect, parts) => {
    expect(wallParts(aspect)).toBe(parts);
  });
});

describe('foldScene', () => {
  const scene = (id: string): SceneDef => DEFAULT_WALL_CONFIG.scenes.find((s) => s.id === id)!;
  const cells = (panels: readonly ScenePanel[]): Set<string> => {
    const out = new Set<string>();
    for (const p of panels) {
      for (let c = p.col; c < p.col + p.cols; c++) {
        for (let r = p.row; r < p.row + p.rows; r++) out.add(`${c},${r}`);
      }
    }
    return out;
  };

  it('leaves a scene as designed on one 16:9 part', () => {
    const s = scene('overview');
    expect(foldScene(s, 1)).toEqual({ columns: 12, rows: 8, panels: s.panels, parts: 1 });
  });

  it('folds the overview in two at the row no panel spans, each band full height', () => {
    const f = foldScene(scene('overview'), 2);
    // Rows 1–5 (KPIs, volume, river) on the left, 6–8 on the right: 15 rows fit 5 and 3.
    expect(f).toMatchObject({ columns: 24, rows: 15, parts: 2 });
    const at = (panel: string): ScenePanel => f.panels.find((p) => p.panel === panel)!;
    expect(at('kpis')).toEqual({ panel: 'kpis', col: 1, row: 1, cols: 9, rows: 6 });
    expect(at('volume')).toEqual({ panel: 'volume', col: 1, row: 7, cols: 9, rows: 9 });
    expect(at('river')).toEqual({ panel: 'river', col: 10, row: 1, cols: 3, rows: 15 });
    expect(at('sentiment')).toEqual({ panel: 'sentiment', col: 13, row: 1, cols: 5, rows: 15 });
    expect(at('channels')).toEqual({ panel: 'channels', col: 22, row: 1, cols: 3, rows: 15 });
  });

  it.each(DEFAULT_WALL_CONFIG.scenes.flatMap((s) => [2, 3, 4].map((n) => [s.id, n] as const)))(
    '%s in %i parts: inside the grid, no overlap, the same area share per panel',
    (id, n) => {
      const s = scene(id);
      const f = foldScene(s, n);
      expect(f.parts).toBeLessThanOrEqual(n);
      expect(f.panels).toHaveLength(s.panels.length);
      let covered = 0;
      for (const p of f.panels) {
        expect(p.col).toBeGreaterThanOrEqual(1);
        expect(p.row).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(p.row) && Number.isInteger(p.rows)).toBe(true);
        expect(p.col + p.cols - 1).toBeLessThanOrEqual(f.columns);
        expect(p.row + p.rows - 1).toBeLessThanOrEqual(f.rows);
        covered += p.cols * p.rows;
      }
      expect(cells(f.panels).size).toBe(covered);
      // Every band is a full 12-column, full-height copy of its rows: nothing is left empty
      // that the design filled.
      expect(covered / (f.columns * f.rows)).toBeCloseTo(
        [...cells(s.panels)].length / (12 * s.rows)
      );
    }
  );

  it('folds the crisis scene with alerts and volume on the left, the rest on the right', () => {
    const f = foldScene(scene('crisis'), 2);
    expect(f).toMatchObject({ columns: 24, parts: 2 });
    const at = (panel: string): ScenePanel => f.panels.find((p) => p.panel === panel)!;
    for (const p of ['alerts', 'volume'])
      expect(at(p).col + at(p).cols - 1).toBeLessThanOrEqual(12);
    for (const p of ['gauge', 'sentiment', 'river']) expect(at(p).col).toBeGreaterThan(12);
    for (const p of f.panels) expect(p).toMatchObject({ row: 1, rows: f.rows });
  });

  it('a scene with a panel spanning every row cannot fold, and stays as designed', () => {
    expect(foldScene(scene('river'), 2).parts).toBe(1);
    expect(foldScene(scene('care'), 2).parts).toBe(1);
  });

  it('folds into fewer parts when the panels leave fewer places to cut', () => {
    const two: SceneDef = {
      id: 'overview',
      title: 'Two bands',
      rows: 6,
      panels: [
        { panel: 'kpis', col: 1, row: 1, cols: 12, rows: 2 },
        { panel: 'volume', col: 1, row: 3, cols: 12, rows: 4 }
      ]
    };
    const f = foldScene(two, 3);
    expect(f).toMatchObject({ parts: 2, columns: 24, rows: 4 });
    // A video wall of three screens would see a band cross a bezel: it stays as designed.
    expect(foldScene(two, 3, { exact: true }).parts).toBe(1);
    expect(foldScene(two, 2, { exact: true }).parts).toBe(2);
    expect(f.panels).toEqual([
      { panel: 'kpis', col: 1, row: 1, cols: 12, rows: 4 },
      { panel: 'volume', col: 13, row: 1, cols: 12, rows: 4 }
    ]);
  });
});
