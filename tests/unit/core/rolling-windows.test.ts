import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../../src/lib/shared/types';
import {
  F,
  FIELD_COUNT,
  RollingWindows,
  upgradeRollupCounts,
  type WindowInput
} from '../../../server/core/window/rolling-windows';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
let n = 0;

function mention(over: Partial<WindowInput> & { createdAt: number }): WindowInput {
  n++;
  return {
    ref: n,
    channel: 'twitter',
    label: 'neutral',
    isBrand: false,
    replyToRef: 0,
    ...over
  };
}

/** A fake clock: the test moves time; the windows only see `now`. */
class FakeClock {
  constructor(public t: number) {}
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

describe('RollingWindows.summary(window, now)', () => {
  const cases: {
    name: string;
    ages: number[];
    expected: Record<'1m' | '5m' | '15m' | '1h' | '24h', number>;
  }[] = [
    { name: 'nothing', ages: [], expected: { '1m': 0, '5m': 0, '15m': 0, '1h': 0, '24h': 0 } },
    {
      name: 'one mention now',
      ages: [0],
      expected: { '1m': 1, '5m': 1, '15m': 1, '1h': 1, '24h': 1 }
    },
    {
      name: 'mentions spread over a day',
      ages: [10_000, 90_000, 400_000, 1_000_000, 2 * 3_600_000, 23 * 3_600_000],
      expected: { '1m': 1, '5m': 2, '15m': 3, '1h': 4, '24h': 6 }
    },
    {
      name: 'older than a day is dropped',
      ages: [25 * 3_600_000],
      expected: { '1m': 0, '5m': 0, '15m': 0, '1h': 0, '24h': 0 }
    }
  ];

  it.each(cases)('counts volume per window: $name', ({ ages, expected }) => {
    const w = new RollingWindows();
    const now = T0;
    // Feed oldest first, each at its own time, the way a live stream arrives.
    for (const age of [...ages].sort((a, b) => b - a))
      w.add(mention({ createdAt: now - age }), now - age);
    for (const [win, volume] of Object.entries(expected)) {
      expect(w.summary(win as keyof typeof expected, now).volume, win).toBe(volume);
    }
  });

  it('rolls mentions out of the 1m window as the clock advances', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    w.add(mention({ createdAt: clock.t }), clock.t);
    expect(w.summary('1m', clock.t).volume).toBe(1);
    clock.advance(59_000);
    expect(w.summary('1m', clock.t).volume).toBe(1);
    clock.advance(1_000);
    expect(w.summary('1m', clock.t).volume).toBe(0);
    expect(w.summary('5m', clock.t).volume).toBe(1);
  });

  it('counts per channel and sentiment, with net sentiment in [-1, 1]', () => {
    const w = new RollingWindows();
    const spec: [Channel, WindowInput['label']][] = [
      ['twitter', 'negative'],
      ['twitter', 'negative'],
      ['reddit', 'positive'],
      ['news', 'neutral']
    ];
    for (const [channel, label] of spec) w.add(mention({ createdAt: T0, channel, label }), T0);
    const s = w.summary('5m', T0);
    expect(s.byChannel).toEqual({
      ...Object.fromEntries(CHANNELS.map((c) => [c, 0])),
      twitter: 2,
      reddit: 1,
      news: 1
    });
    expect(s.sentiment).toEqual({ negative: 2, neutral: 1, positive: 1, net: -0.25 });
    expect(s.perMinute).toBe(0.8);
  });

  it('clamps mentions from the future to now', () => {
    const w = new RollingWindows();
    w.add(mention({ createdAt: T0 + 3_600_000 }), T0);
    expect(w.summary('1m', T0).volume).toBe(1);
  });

  it('counts a mention older than all history as late, not in any window', () => {
    const w = new RollingWindows();
    w.add(mention({ createdAt: T0 - 2 * 86_400_000 }), T0);
    expect(w.lateDropped).toBe(1);
    expect(w.summary('24h', T0).volume).toBe(0);
  });
});

describe('first response and unanswered', () => {
  it('times the first brand reply, and only the first', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    const customer = mention({ createdAt: clock.t });
    w.add(customer, clock.t);
    expect(w.summary('1h', clock.t).unanswered).toBe(1);
    clock.advance(12 * 60_000);
    w.add(mention({ createdAt: clock.t, isBrand: true, replyToRef: customer.ref }), clock.t);
    clock.advance(60_000);
    w.add(mention({ createdAt: clock.t, isBrand: true, replyToRef: customer.ref }), clock.t);
    const s = w.summary('1h', clock.t);
    expect(s.unanswered).toBe(0);
    expect(s.responseTime.count).toBe(1);
    expect(Math.abs(s.responseTime.p50Ms! - 720_000) / 720_000).toBeLessThan(0.021);
    expect(w.pendingCount).toBe(0);
  });

  it.each([
    { name: 'reply to unknown mention', replyTo: 987_654_321, unanswered: 1, count: 0 },
    { name: 'brand post without reply', replyTo: 0, unanswered: 1, count: 0 }
  ])('ignores a $name', ({ replyTo, unanswered, count }) => {
    const w = new RollingWindows();
    w.add(mention({ createdAt: T0 }), T0);
    w.add(mention({ createdAt: T0, isBrand: true, replyToRef: replyTo }), T0);
    const s = w.summary('1h', T0);
    expect(s.unanswered).toBe(unanswered);
    expect(s.responseTime.count).toBe(count);
    expect(s.responseTime.p50Ms).toBeNull();
  });

  it('computes p50 and p90 over many replies', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    const delays = Array.from({ length: 100 }, (_, i) => (i + 1) * 10_000);
    const customers = delays.map(() => mention({ createdAt: clock.t }));
    for (const c of customers) w.add(c, clock.t);
    const replyAt = clock.t;
    customers.forEach((c, i) => {
      w.add(
        mention({ createdAt: replyAt + delays[i]!, isBrand: true, replyToRef: c.ref }),
        replyAt + delays[i]!
      );
    });
    const now = replyAt + 1_000_000;
    const s = w.summary('1h', now);
    expect(s.responseTime.count).toBe(100);
    expect(Math.abs(s.responseTime.p50Ms! - 505_000) / 505_000).toBeLessThan(0.03);
    expect(Math.abs(s.responseTime.p90Ms! - 910_000) / 910_000).toBeLessThan(0.03);
  });

  it('keeps the waiting set bounded by its cap, oldest out first', () => {
    const w = new RollingWindows(10);
    for (let i = 0; i < 25; i++) w.add(mention({ createdAt: T0 + i }), T0 + i);
    expect(w.pendingCount).toBe(10);
  });

  it('forgets waiting mentions older than a day', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    w.add(mention({ createdAt: clock.t }), clock.t);
    clock.advance(86_400_000 + 1);
    w.expire(clock.t);
    expect(w.pendingCount).toBe(0);
  });
});

describe('RollingWindows.changes(now) and series(ring, now)', () => {
  it('returns every second since the last call, zeros included, then only new ones', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    w.changes(clock.t);
    w.add(mention({ createdAt: clock.advance(1500) }), clock.t);
    clock.advance(2000);
    const c = w.changes(clock.t);
    expect(c.seconds.map((p) => p.t - T0)).toEqual([0, 1000, 2000, 3000]);
    expect(c.seconds.map((p) => p.total)).toEqual([0, 1, 0, 0]);
    const next = w.changes(clock.t);
    expect(next.seconds.map((p) => p.t - T0)).toEqual([3000]);
  });

  it('re-sends an older second that late data changed', () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    w.changes(clock.t);
    clock.advance(10_000);
    w.changes(clock.t);
    w.add(mention({ createdAt: T0 + 2000 }), clock.t);
    const c = w.changes(clock.t);
    expect(c.seconds.find((p) => p.t === T0 + 2000)?.total).toBe(1);
  });

  it('gives a full, gap-free per-second series of 900 points', () => {
    const w = new RollingWindows();
    w.add(mention({ createdAt: T0 - 5000, channel: 'reddit' }), T0);
    const s = w.series(w.seconds, T0);
    expect(s.t).toHaveLength(900);
    expect(s.t[899]).toBe(T0);
    for (let i = 1; i < s.t.length; i++) expect(s.t[i]! - s.t[i - 1]!).toBe(1000);
    expect(s.total.reduce((a, b) => a + b, 0)).toBe(1);
    expect(s.byChannel[CHANNELS.indexOf('reddit')]!.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("carries each minute's still-unanswered count and median first response, resent when answered", () => {
    const clock = new FakeClock(T0);
    const w = new RollingWindows();
    w.changes(clock.t);
    const a = mention({ createdAt: clock.t });
    const b = mention({ createdAt: clock.t });
    w.add(a, clock.t);
    w.add(b, clock.t);
    w.add(mention({ createdAt: clock.t, isBrand: true }), clock.t); // a brand post: not waiting
    expect(w.changes(clock.t).minutes).toMatchObject([
      { t: T0, total: 3, unanswered: 2, responseP50Ms: null }
    ]);
    // Five minutes later the brand answers the first: its minute is sent again with one fewer.
    clock.advance(5 * 60_000);
    w.changes(clock.t);
    clock.advance(1000);
    w.add(mention({ createdAt: clock.t, isBrand: true, replyToRef: a.ref }), clock.t);
    const c = w.changes(clock.t).minutes;
    expect(c.find((p) => p.t === T0)).toMatchObject({ unanswered: 1, responseP50Ms: null });
    const now = c.find((p) => p.t === T0 + 5 * 60_000)!;
    expect(now.unanswered).toBe(0);
    expect(Math.abs(now.responseP50Ms! - 301_000) / 301_000).toBeLessThan(0.021);
    const s = w.series(w.minutes, clock.t);
    expect(s.unanswered[s.t.indexOf(T0)]).toBe(1);
    expect(s.responseP50Ms[s.t.indexOf(T0 + 5 * 60_000)]).toBe(now.responseP50Ms);
    expect(s.responseP50Ms.filter((v) => v !== null)).toHaveLength(1);
  });

  it('hands out changed minute rollups once, and restores them', () => {
    const w = new RollingWindows();
    w.add(mention({ createdAt: T0 - 120_000, label: 'positive' }), T0);
    w.add(mention({ createdAt: T0, label: 'negative' }), T0);
    const rollups = w.takeDirtyMinutes();
    expect(rollups).toHaveLength(2);
    expect(w.takeDirtyMinutes()).toHaveLength(0);
    const restored = new RollingWindows();
    for (const r of rollups) restored.restoreMinute(r, T0);
    expect(restored.summary('1h', T0).sentiment).toEqual(w.summary('1h', T0).sentiment);
  });
});

describe('upgradeRollupCounts', () => {
  it('inserts zero columns for channels appended since the rollup was stored', () => {
    const stored = 7; // channels when the first rollups were written
    const old = Array.from({ length: FIELD_COUNT - (CHANNELS.length - stored) }, (_, i) => i + 1);
    const up = upgradeRollupCounts(old);
    expect(up).toHaveLength(FIELD_COUNT);
    expect(up.slice(0, F.channel0 + stored)).toEqual(old.slice(0, F.channel0 + stored));
    expect(up.slice(F.channel0 + stored, F.channel0 + CHANNELS.length)).toEqual(
      new Array(CHANNELS.length - stored).fill(0)
    );
    expect(up[F.negative]).toBe(old[F.channel0 + stored]);
    expect(up.at(-1)).toBe(old.at(-1));
  });

  it('leaves current rollups alone', () => {
    const current = Array.from({ length: FIELD_COUNT }, (_, i) => i);
    expect(upgradeRollupCounts(current)).toBe(current);
  });
});
