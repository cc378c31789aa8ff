import { describe, expect, it } from 'vitest';
import {
  historyFromRollups,
  matchesByMinute,
  matchQuery
} from '../../../server/core/alerts/history';
import { F, FIELD_COUNT } from '../../../server/core/window/rolling-windows';
import type { StoredMatch } from '../../../server/ports';
import type { AlertRule } from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;

const base = {
  id: 'r',
  name: 'r',
  enabled: true,
  severity: 'warning' as const,
  scope: {},
  forMs: 0,
  holdMs: 0,
  escalateAfterMs: null
};
const keyword: AlertRule = {
  ...base,
  kind: 'keyword',
  terms: ['recall', 'data breach'],
  minCount: 1,
  windowMs: MIN
};
const influencer: AlertRule = {
  ...base,
  kind: 'influencer',
  minTier: 'influencer',
  negativeOnly: true
};

function row(createdAt: number, text: string, over: Partial<StoredMatch> = {}): StoredMatch {
  return {
    createdAt,
    text,
    channel: 'twitter',
    topics: [],
    sentiment: 'negative',
    influenceTier: 'everyday',
    ...over
  };
}

describe('back-test history', () => {
  it('asks the store for each term’s longest word, or the tiers at or above the rule’s', () => {
    expect(matchQuery(keyword)).toEqual({ textLike: ['recall', 'breach'] });
    expect(matchQuery(influencer)).toEqual({ tiers: ['influencer', 'celebrity'] });
    expect(matchQuery({ ...base, kind: 'sla', targetMs: MIN, minCount: 1 })).toBeNull();
  });

  it.each([
    ['whole words only', [row(T0, 'recalled it'), row(T0 + 1, 'a RECALL!')], 1],
    ['a phrase across a hyphen', [row(T0, 'Data-breach again'), row(T0 + 2, 'database breach')], 1],
    [
      'two minutes',
      [row(T0, 'recall'), row(T0 + MIN + 5, 'recall'), row(T0 + MIN + 9, 'recall')],
      3
    ]
  ])('counts keyword matches per minute: %s', (_name, rows, total) => {
    const m = matchesByMinute(keyword, rows);
    expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(total);
    for (const k of m.keys()) expect(k % MIN).toBe(0);
  });

  it('applies the scope and, for influencers, tier and negativity', () => {
    const scoped = { ...keyword, scope: { channel: 'reddit' as const } };
    expect(matchesByMinute(scoped, [row(T0, 'recall')]).size).toBe(0);
    const rows = [
      row(T0, 'x', { influenceTier: 'celebrity' }),
      row(T0, 'x', { influenceTier: 'notable' }),
      row(T0, 'x', { influenceTier: 'influencer', sentiment: 'positive' })
    ];
    expect(matchesByMinute(influencer, rows).get(T0)).toBe(1);
    expect(matchesByMinute({ ...influencer, negativeOnly: false }, rows).get(T0)).toBe(2);
  });

  it('turns rollups into one row per minute, zeros where none was stored', () => {
    const counts = new Array<number>(FIELD_COUNT).fill(0);
    counts[F.total] = 12;
    counts[F.negative] = 3;
    counts[F.customer] = 10;
    counts[F.answered] = 4;
    const h = historyFromRollups(
      [{ start: T0 + MIN, counts, sketch: [] }],
      T0,
      T0 + 3 * MIN,
      new Map([[T0 + 2 * MIN, 5]])
    );
    expect(h.map((x) => [x.start, x.total, x.negative, x.unanswered, x.matches])).toEqual([
      [T0, 0, 0, 0, 0],
      [T0 + MIN, 12, 3, 6, 0],
      [T0 + 2 * MIN, 0, 0, 0, 5]
    ]);
  });
});
