import { describe, expect, it } from 'vitest';
import {
  MINUTES_HORIZON_MS,
  SECONDS_HORIZON_MS,
  mergePoints
} from '../../../src/lib/realtime/series';
import { prependNewest, RIVER_LIMIT } from '../../../src/lib/realtime/river';
import type { RiverItem, SeriesPoint } from '../../../src/lib/shared/types';
import { RollingWindows, type WindowInput } from '../../../server/core/window/rolling-windows';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A tiny seeded PRNG so the stream is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('server ticks merged by the client', () => {
  it.each([1, 2, 3])(
    'reproduce the server series exactly, late data included, without holes (seed %i)',
    (seed) => {
      const random = rng(seed);
      const w = new RollingWindows();
      let now = T0;
      let n = 0;
      const add = (createdAt: number): void => {
        const m: WindowInput = {
          ref: ++n,
          channel: random() < 0.5 ? 'twitter' : 'reddit',
          createdAt,
          label: random() < 0.3 ? 'negative' : 'neutral',
          isBrand: false,
          replyToRef: 0
        };
        w.add(m, now);
      };
      for (let i = 0; i < 50; i++) add(now - Math.floor(random() * 600_000));
      // The client starts from a snapshot, then only ever sees ticks.
      w.changes(now);
      let seconds = w.series(w.seconds, now);
      let minutes = w.series(w.minutes, now);
      for (let tick = 0; tick < 200; tick++) {
        now += 700 + Math.floor(random() * 900);
        const burst = Math.floor(random() * 6);
        for (let i = 0; i < burst; i++) add(now - Math.floor(random() * 2000));
        // Now and then a straggler minutes late.
        if (random() < 0.1) add(now - Math.floor(random() * 700_000));
        const c = w.changes(now);
        seconds = mergePoints(seconds, c.seconds, SECONDS_HORIZON_MS, now);
        minutes = mergePoints(minutes, c.minutes, MINUTES_HORIZON_MS, now);
      }
      const truthS = w.series(w.seconds, now);
      const truthM = w.series(w.minutes, now);
      // The server's block spans the full horizon; compare the overlapping, gap-free tail.
      const tailS = truthS.t.indexOf(seconds.t[0]!);
      expect(seconds.t).toEqual(truthS.t.slice(tailS));
      expect(seconds.total).toEqual(truthS.total.slice(tailS));
      expect(seconds.byChannel).toEqual(truthS.byChannel.map((c) => c.slice(tailS)));
      expect(seconds.negative).toEqual(truthS.negative.slice(tailS));
      const tailM = truthM.t.indexOf(minutes.t[0]!);
      expect(minutes.t).toEqual(truthM.t.slice(tailM));
      expect(minutes.total).toEqual(truthM.total.slice(tailM));
      for (let i = 1; i < seconds.t.length; i++)
        expect(seconds.t[i]! - seconds.t[i - 1]!).toBe(1000);
    }
  );
});

describe('mergePoints(block, points, horizon, now)', () => {
  const point = (t: number, total: number): SeriesPoint => ({
    t,
    total,
    byChannel: [total, 0, 0, 0, 0, 0, 0],
    negative: 0,
    neutral: total,
    positive: 0,
    unanswered: 0,
    responseP50Ms: null
  });
  const base = mergePoints(
    mergePoints(
      {
        stepMs: 1000,
        t: [],
        total: [],
        byChannel: [[], [], [], [], [], [], []],
        negative: [],
        neutral: [],
        positive: [],
        unanswered: [],
        responseP50Ms: []
      },
      [point(T0, 1), point(T0 + 1000, 2)],
      SECONDS_HORIZON_MS,
      T0 + 1000
    ),
    [],
    SECONDS_HORIZON_MS,
    T0 + 1000
  );

  it.each([
    [
      'replaces the bucket with the same t',
      [point(T0 + 1000, 5)],
      T0 + 1000,
      [T0, T0 + 1000],
      [1, 5]
    ],
    [
      'appends a newer bucket',
      [point(T0 + 2000, 3)],
      T0 + 2000,
      [T0, T0 + 1000, T0 + 2000],
      [1, 2, 3]
    ],
    [
      'inserts a late older bucket in order',
      [point(T0 - 1000, 4)],
      T0 + 1000,
      [T0 - 1000, T0, T0 + 1000],
      [4, 1, 2]
    ],
    [
      'drops buckets past the horizon',
      [point(T0 + SECONDS_HORIZON_MS + 500, 7)],
      T0 + SECONDS_HORIZON_MS + 500,
      [T0 + 1000, T0 + SECONDS_HORIZON_MS + 500],
      [2, 7]
    ]
  ])('%s', (_name, points, now, ts, totals) => {
    const next = mergePoints(base, points, SECONDS_HORIZON_MS, now);
    expect(next.t).toEqual(ts);
    expect(next.total).toEqual(totals);
    expect(next.byChannel[0]).toEqual(totals);
    expect(base.t).toEqual([T0, T0 + 1000]);
  });
});

describe('prependNewest(river, items)', () => {
  const item = (id: string): RiverItem => ({
    id,
    channel: 'twitter',
    createdAt: T0,
    text: id,
    author: { handle: '@a', name: 'A', followers: 1, verified: false },
    sentiment: { score: 0, label: 'neutral' },
    isBrandReply: false,
    url: null,
    source: 'test',
    intent: 'other',
    topics: [],
    influenceTier: 'everyday',
    priority: 0
  });

  it('puts the newest first, skips repeats and keeps at most the limit', () => {
    const river = prependNewest([item('b'), item('a')], [item('c'), item('b'), item('d')]);
    expect(river.map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
    const many = prependNewest(
      river,
      Array.from({ length: 100 }, (_, i) => item(`n${i}`))
    );
    expect(many).toHaveLength(RIVER_LIMIT);
    expect(many[0]!.id).toBe('n99');
  });
});
