import { describe, expect, it } from 'vitest';
import {
  MIXED_BAND,
  bandPath,
  clampNet,
  gaugeAngle,
  gaugeTone,
  polar
} from '../../src/lib/components/wall/panels/gauge';
import {
  MAX_RADIUS,
  MIN_RADIUS,
  mapDots,
  negativeShare,
  topCells
} from '../../src/lib/components/wall/panels/map-dots';
import { openAlerts, windowText } from '../../src/lib/components/wall/panels/panel-text';
import {
  cellLabel,
  treemapLayout,
  type TreemapRect
} from '../../src/lib/components/wall/panels/treemap-layout';
import {
  boxesOverlap,
  fontSizeFor,
  layoutWordCloud,
  type CloudWord
} from '../../src/lib/components/wall/panels/word-cloud';
import type { AlertView } from '../../src/lib/shared/types';

const EPS = 1e-6;

/** Every unordered pair of a list. */
function pairs<T>(list: readonly T[]): [T, T][] {
  return list.flatMap((a, i) => list.slice(i + 1).map((b): [T, T] => [a, b]));
}

function rectsOverlap(a: TreemapRect, b: TreemapRect): boolean {
  return (
    a.x < b.x + b.width - EPS &&
    b.x < a.x + a.width - EPS &&
    a.y < b.y + b.height - EPS &&
    b.y < a.y + a.height - EPS
  );
}

describe('treemapLayout', () => {
  const cases: {
    name: string;
    items: { name: string; count: number }[];
    width: number;
    height: number;
    names: string[];
  }[] = [
    { name: 'no items', items: [], width: 400, height: 300, names: [] },
    {
      name: 'one item fills the box',
      items: [{ name: 'Billing', count: 5 }],
      width: 400,
      height: 300,
      names: ['Billing']
    },
    {
      name: 'largest first, ties by name',
      items: [
        { name: 'b', count: 10 },
        { name: 'a', count: 10 },
        { name: 'c', count: 40 }
      ],
      width: 600,
      height: 200,
      names: ['c', 'a', 'b']
    },
    {
      name: 'zero, negative, non-finite and repeated items left out',
      items: [
        { name: 'x', count: 0 },
        { name: 'y', count: -3 },
        { name: 'z', count: Number.NaN },
        { name: 'w', count: 7 },
        { name: 'w', count: 99 }
      ],
      width: 300,
      height: 300,
      names: ['w']
    },
    {
      name: 'an empty box',
      items: [{ name: 'a', count: 1 }],
      width: 0,
      height: 300,
      names: []
    },
    {
      name: 'many items in a tall box',
      items: Array.from({ length: 12 }, (_, i) => ({ name: `t${i}`, count: (i + 1) * 3 })),
      width: 200,
      height: 800,
      names: Array.from({ length: 12 }, (_, i) => `t${11 - i}`)
    }
  ];

  it.each(cases)('$name', ({ items, width, height, names }) => {
    const rects = treemapLayout(items, width, height, 0);
    expect(rects.map((r) => r.name)).toEqual(names);
    const total = rects.reduce((s, r) => s + r.count, 0);
    for (const r of rects) {
      // Inside the box.
      expect(r.x).toBeGreaterThanOrEqual(-EPS);
      expect(r.y).toBeGreaterThanOrEqual(-EPS);
      expect(r.x + r.width).toBeLessThanOrEqual(width + EPS);
      expect(r.y + r.height).toBeLessThanOrEqual(height + EPS);
      // Area proportional to count (no gaps: the cells tile the box).
      expect(r.width * r.height).toBeCloseTo((r.count / total) * width * height, 3);
    }
    for (const [p, q] of pairs(rects)) expect(rectsOverlap(p, q)).toBe(false);
  });

  it('keeps cells apart by the gap, and is deterministic', () => {
    const items = [
      { name: 'a', count: 30 },
      { name: 'b', count: 20 },
      { name: 'c', count: 10 },
      { name: 'd', count: 5 }
    ];
    const a = treemapLayout(items, 500, 300, 4);
    expect(treemapLayout(items, 500, 300, 4)).toEqual(a);
    for (const [p, q] of pairs(a)) {
      const gapX = Math.max(q.x - (p.x + p.width), p.x - (q.x + q.width));
      const gapY = Math.max(q.y - (p.y + p.height), p.y - (q.y + q.height));
      expect(Math.max(gapX, gapY)).toBeGreaterThanOrEqual(4 - EPS);
    }
  });
});

describe('cellLabel', () => {
  const cases: {
    name: string;
    rect: { name: string; width: number; height: number };
    font: number;
    want: { name: string; withCount: boolean } | null;
  }[] = [
    {
      name: 'name and count fit',
      rect: { name: 'Billing', width: 200, height: 100 },
      font: 16,
      want: { name: 'Billing', withCount: true }
    },
    {
      name: 'one line only',
      rect: { name: 'Billing', width: 200, height: 30 },
      font: 16,
      want: { name: 'Billing', withCount: false }
    },
    {
      name: 'a long name is cut with an ellipsis',
      rect: { name: 'Delivery problems', width: 100, height: 100 },
      font: 16,
      // (100 - 12.8) / 9.6 → 9 characters: 8 and the ellipsis.
      want: { name: 'Delivery…', withCount: true }
    },
    {
      name: 'too narrow',
      rect: { name: 'Billing', width: 40, height: 100 },
      font: 16,
      want: null
    },
    {
      name: 'too low',
      rect: { name: 'Billing', width: 200, height: 15 },
      font: 16,
      want: null
    },
    {
      name: 'a short name in a small cell',
      rect: { name: 'UX', width: 40, height: 30 },
      font: 16,
      want: { name: 'UX', withCount: false }
    },
    { name: 'no font size', rect: { name: 'a', width: 200, height: 200 }, font: 0, want: null }
  ];

  it.each(cases)('$name', ({ rect, font, want }) => {
    expect(cellLabel(rect, font)).toEqual(want);
  });
});

describe('word cloud', () => {
  type W = CloudWord & { id: number };
  const words = (n: number, spikeEvery = 0): W[] =>
    Array.from({ length: n }, (_, i) => ({
      id: i,
      text: `term${i}${'x'.repeat(i % 5)}`,
      count: 100 - i * 3,
      bold: spikeEvery > 0 && i % spikeEvery === 0
    }));

  const cases: { name: string; words: W[]; width: number; height: number; maxFont: number }[] = [
    { name: 'a few words, wide box', words: words(5), width: 800, height: 300, maxFont: 48 },
    { name: 'many words, wide box', words: words(40, 4), width: 900, height: 360, maxFont: 60 },
    { name: 'many words, tall box', words: words(30, 3), width: 300, height: 700, maxFont: 40 },
    { name: 'a crowded small box', words: words(40), width: 200, height: 120, maxFont: 30 },
    {
      name: 'equal counts',
      words: words(8).map((w) => ({ ...w, count: 5 })),
      width: 500,
      height: 300,
      maxFont: 36
    }
  ];

  it.each(cases)('$name: inside the bounds, no overlaps', ({ words, width, height, maxFont }) => {
    const placed = layoutWordCloud(words, { width, height, minFont: 12, maxFont, padding: 2 });
    expect(placed.length).toBeGreaterThan(0);
    for (const p of placed) {
      expect(p.x - p.width / 2).toBeGreaterThanOrEqual(-EPS);
      expect(p.x + p.width / 2).toBeLessThanOrEqual(width + EPS);
      expect(p.y - p.height / 2).toBeGreaterThanOrEqual(-EPS);
      expect(p.y + p.height / 2).toBeLessThanOrEqual(height + EPS);
      expect(p.fontSize).toBeGreaterThanOrEqual(12 - EPS);
      expect(p.fontSize).toBeLessThanOrEqual(maxFont + EPS);
    }
    for (const [p, q] of pairs(placed)) expect(boxesOverlap(p, q)).toBe(false);
  });

  it.each(cases)(
    '$name: deterministic, whatever the input order',
    ({ words, width, height, maxFont }) => {
      const opts = { width, height, minFont: 12, maxFont };
      const a = layoutWordCloud(words, opts);
      expect(layoutWordCloud(words, opts)).toEqual(a);
      expect(layoutWordCloud([...words].reverse(), opts)).toEqual(a);
    }
  );

  it('places the largest word at the centre, and drops words that do not fit', () => {
    const placed = layoutWordCloud(words(40), {
      width: 200,
      height: 120,
      minFont: 12,
      maxFont: 30
    });
    expect(placed[0]?.text).toBe('term0');
    expect(placed[0]?.x).toBeCloseTo(100);
    expect(placed[0]?.y).toBeCloseTo(60);
    expect(placed.length).toBeLessThan(40);
  });

  it('estimates bold text wider, and leaves out a word wider than the box', () => {
    const [plain] = layoutWordCloud([{ text: 'abcdef', count: 1 }], {
      width: 400,
      height: 100,
      minFont: 20,
      maxFont: 20
    });
    const [bold] = layoutWordCloud([{ text: 'abcdef', count: 1, bold: true }], {
      width: 400,
      height: 100,
      minFont: 20,
      maxFont: 20
    });
    expect(plain?.width).toBeCloseTo(6 * 0.6 * 20);
    expect(bold?.width).toBeGreaterThan(plain?.width ?? Infinity);
    expect(
      layoutWordCloud([{ text: 'x'.repeat(50), count: 1 }], {
        width: 100,
        height: 100,
        minFont: 20,
        maxFont: 20
      })
    ).toEqual([]);
  });

  it('skips empty, zero and repeated words, and an empty box', () => {
    const opts = { width: 300, height: 200, minFont: 10, maxFont: 30 };
    const placed = layoutWordCloud(
      [
        { text: ' ', count: 5 },
        { text: 'a', count: 0 },
        { text: 'b', count: 3 },
        { text: 'b', count: 9 }
      ],
      opts
    );
    expect(placed.map((p) => [p.text, p.count])).toEqual([['b', 9]]);
    expect(layoutWordCloud([{ text: 'b', count: 1 }], { ...opts, width: 0 })).toEqual([]);
  });

  const sizes: { count: number; min: number; max: number; want: number }[] = [
    { count: 100, min: 1, max: 100, want: 40 },
    { count: 1, min: 1, max: 100, want: 10 },
    { count: 25, min: 1, max: 100, want: 10 + (4 / 9) * 30 },
    { count: 7, min: 7, max: 7, want: 25 }
  ];
  it.each(sizes)('font size for $count in $min–$max', ({ count, min, max, want }) => {
    expect(fontSizeFor(count, min, max, 10, 40)).toBeCloseTo(want);
  });
});

describe('gauge', () => {
  const angles: { value: number; angle: number; tone: string }[] = [
    { value: -1, angle: -90, tone: 'negative' },
    { value: -2, angle: -90, tone: 'negative' },
    { value: -0.5, angle: -45, tone: 'negative' },
    { value: -MIXED_BAND, angle: -9, tone: 'mixed' },
    { value: 0, angle: 0, tone: 'mixed' },
    { value: Number.NaN, angle: 0, tone: 'mixed' },
    { value: MIXED_BAND, angle: 9, tone: 'mixed' },
    { value: 0.11, angle: 9.9, tone: 'positive' },
    { value: 1, angle: 90, tone: 'positive' },
    { value: 3, angle: 90, tone: 'positive' },
    { value: Number.POSITIVE_INFINITY, angle: 90, tone: 'positive' },
    { value: Number.NEGATIVE_INFINITY, angle: -90, tone: 'negative' }
  ];

  it.each(angles)('value $value → $angle°, $tone', ({ value, angle, tone }) => {
    expect(gaugeAngle(value)).toBeCloseTo(angle);
    expect(gaugeTone(value)).toBe(tone);
    expect(Math.abs(clampNet(value))).toBeLessThanOrEqual(1);
  });

  const points: { angle: number; want: [number, number] }[] = [
    { angle: -90, want: [0, 100] },
    { angle: 0, want: [100, 0] },
    { angle: 90, want: [200, 100] },
    { angle: 45, want: [100 + 100 * Math.SQRT1_2, 100 - 100 * Math.SQRT1_2] }
  ];
  it.each(points)('polar at $angle°', ({ angle, want }) => {
    const [x, y] = polar(100, 100, 100, angle);
    expect(x).toBeCloseTo(want[0]);
    expect(y).toBeCloseTo(want[1]);
  });

  it('draws a band from its start to its end on both radii', () => {
    expect(bandPath(100, 100, 100, 50, -90, 90)).toBe(
      'M0 100 A100 100 0 0 1 200 100 L150 100 A50 50 0 0 0 50 100 Z'
    );
    // The ends may come in either order.
    expect(bandPath(100, 100, 100, 50, 90, 0)).toBe(bandPath(100, 100, 100, 50, 0, 90));
  });
});

describe('map dots', () => {
  const project = (lon: number, lat: number): [number, number] | null =>
    lat > 85 ? null : [lon + 180, 90 - lat];

  it('sizes dots by area, classes them by negative share, drops what it cannot place', () => {
    const dots = mapDots(
      [
        { lat: 10, lon: 20, count: 4, negative: 0 },
        { lat: 50, lon: 0, count: 100, negative: 60 },
        { lat: 89, lon: 0, count: 50, negative: 0 },
        { lat: 0, lon: 0, count: 0, negative: 0 }
      ],
      project
    );
    expect(dots.map((d) => d.key)).toEqual(['50,0', '10,20']);
    expect(dots[0]).toMatchObject({ x: 180, y: 40, r: MAX_RADIUS, heavy: true });
    expect(dots[1]?.r).toBeCloseTo(MAX_RADIUS * Math.sqrt(4 / 100));
    expect(dots[1]?.heavy).toBe(false);
    expect(
      mapDots(
        [
          { lat: 0, lon: 0, count: 1, negative: 0 },
          { lat: 1, lon: 1, count: 1e6, negative: 0 }
        ],
        project
      )[1]?.r
    ).toBe(MIN_RADIUS);
  });

  it('keeps the busiest cells', () => {
    const points = Array.from({ length: 30 }, (_, i) => ({
      lat: i,
      lon: i,
      count: i + 1,
      negative: 0
    }));
    expect(topCells(points, 3).map((p) => p.count)).toEqual([30, 29, 28]);
    expect(negativeShare({ count: 0, negative: 0 })).toBe(0);
    expect(negativeShare({ count: 4, negative: 1 })).toBe(0.25);
  });
});

describe('panel text', () => {
  it.each([
    { ms: 30_000, want: '30 s' },
    { ms: 900_000, want: '15 min' },
    { ms: 3_600_000, want: '1 h' },
    { ms: 5_400_000, want: '90 min' },
    { ms: 86_400_000, want: '24 h' },
    { ms: 7 * 86_400_000, want: '7 d' }
  ])('windowText($ms) = $want', ({ ms, want }) => {
    expect(windowText(ms)).toBe(want);
  });

  it('orders open alerts: firing, pending, acknowledged; most severe, then newest', () => {
    const alert = (
      id: string,
      state: AlertView['state'],
      severity: AlertView['severity'],
      startedAt: number
    ) => ({ id, state, severity, startedAt }) as AlertView;
    const order = openAlerts([
      alert('ack', 'acknowledged', 'critical', 5),
      alert('pend', 'pending', 'info', 1),
      alert('old-warn', 'firing', 'warning', 1),
      alert('res', 'resolved', 'critical', 9),
      alert('new-warn', 'firing', 'warning', 3),
      alert('crit', 'firing', 'critical', 0)
    ]).map((a) => a.id);
    expect(order).toEqual(['crit', 'new-warn', 'old-warn', 'pend', 'ack']);
  });
});
