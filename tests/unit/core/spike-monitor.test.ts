import { describe, expect, it } from 'vitest';
import { SpikeMonitor, type MinuteObservation } from '../../../server/core/detect/monitor';
import { CHANNELS } from '../../../src/lib/shared/types';
import { mulberry32 as rng, poisson } from '../../helpers/random';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);

const news = CHANNELS.indexOf('news');
const reddit = CHANNELS.indexOf('reddit');

/** One minute with `perChannel` mentions on news and `burst` extra on reddit. */
function minute(
  i: number,
  rand: () => number,
  over: Partial<MinuteObservation> & { burst?: number; negShare?: number } = {}
): MinuteObservation {
  const base = poisson(rand, 30);
  const burst = over.burst ?? 0;
  const byChannel = CHANNELS.map(() => 0);
  byChannel[news] = base;
  byChannel[reddit] = burst;
  const total = base + burst;
  const negShare = over.negShare ?? 0.1;
  return {
    start: T0 + i * MINUTE,
    total,
    byChannel,
    negative: Math.round(total * negShare),
    scored: total,
    p90Ms: 120_000 + Math.round(rand() * 20_000),
    unanswered: poisson(rand, 5),
    topics: new Map(
      burst > 0
        ? [
            ['Outage', burst],
            ['Billing', 2]
          ]
        : [['Billing', poisson(rand, 2)]]
    ),
    ...over
  };
}

function run(
  minutes: number,
  shape: (i: number) => Partial<MinuteObservation> & { burst?: number; negShare?: number },
  monitor = new SpikeMonitor()
): SpikeMonitor {
  const rand = rng(11);
  for (let i = 0; i < minutes; i++) {
    monitor.observeMinute(minute(i, rand, shape(i)), [{ term: 'outage', count: 40, growth: 3 }]);
  }
  return monitor;
}

describe('SpikeMonitor', () => {
  it('stays quiet on ordinary traffic and draws a band that contains it', () => {
    const m = run(6 * 60, () => ({}));
    expect(m.recent()).toEqual([]);
    const band = m.volumeBand();
    expect(band).toHaveLength(6 * 60);
    const last = band.at(-1)!;
    expect(last.lower).toBeLessThan(30);
    expect(last.upper).toBeGreaterThan(30);
    expect(last.expected).toBeGreaterThan(20);
    expect(last.expected).toBeLessThan(40);
  });

  it('explains a burst: channel, topic, term drivers with shares', () => {
    const m = run(4 * 60 + 1, (i) => (i === 4 * 60 ? { burst: 400 } : {}));
    const volume = m.recent().filter((d) => d.metric === 'volume');
    expect(volume).toHaveLength(1);
    const d = volume[0]!;
    expect(d.at).toBe(T0 + 4 * 60 * MINUTE);
    expect(d.state).toBe('active');
    expect(d.observed).toBeGreaterThan(400);
    expect(d.expected).toBeLessThan(40);
    expect(d.severity).toBeGreaterThanOrEqual(6);
    const byKind = (kind: string) => d.drivers.filter((x) => x.kind === kind);
    expect(byKind('channel')[0]).toMatchObject({ name: 'reddit' });
    expect(byKind('channel')[0]!.share!).toBeGreaterThan(0.9);
    expect(byKind('topic')[0]).toMatchObject({ name: 'Outage' });
    expect(byKind('term')[0]).toMatchObject({ name: 'outage', share: null, expected: null });
    // The channel and the topic series raise their own detections.
    const series = m.recent().map((x) => x.series);
    expect(series).toContain('channel:reddit');
    expect(series).toContain('topic:Outage');
    expect(series).not.toContain('channel:news');
  });

  it('resolves a detection once the series has been calm long enough', () => {
    const m = run(4 * 60 + 5 * 60, (i) => (i === 4 * 60 ? { burst: 400 } : {}));
    const d = m.recent().find((x) => x.metric === 'volume')!;
    expect(d.state).toBe('resolved');
    expect(d.resolution).toBe('cleared');
    expect(d.resolvedAt! - d.at).toBeGreaterThanOrEqual(3 * 60 * MINUTE);
    expect(d.resolvedAt! - d.at).toBeLessThanOrEqual(4 * 60 * MINUTE);
  });

  it('detects a jump in the negative share with the share as a binomial', () => {
    const m = run(4 * 60 + 10, (i) => (i >= 4 * 60 ? { negShare: 0.7 } : {}));
    const neg = m.recent().filter((d) => d.metric === 'negative-share');
    expect(neg).toHaveLength(1);
    expect(neg[0]!.expected).toBeLessThan(0.2);
    expect(neg[0]!.observed).toBeGreaterThan(0.5);
    expect(m.recent().some((d) => d.metric === 'volume')).toBe(false);
  });

  it.each([
    ['response-p90', { p90Ms: 3_600_000 }],
    ['unanswered', { unanswered: 200 }]
  ] as const)('detects a %s spike', (metric, over) => {
    const m = run(4 * 60 + 3, (i) => (i >= 4 * 60 ? over : {}));
    expect(m.recent().filter((d) => d.metric === metric)).toHaveLength(1);
  });

  it('skips minutes without replies for the p90 series instead of reading them as zero', () => {
    const m = run(4 * 60, (i) => (i % 2 === 0 ? { p90Ms: null } : {}));
    expect(m.recent().filter((d) => d.metric === 'response-p90')).toEqual([]);
  });

  it('ignores a minute at or before the last one fed', () => {
    const m = run(10, () => ({}));
    const rand = rng(3);
    expect(m.observeMinute({ ...minute(5, rand), total: 10_000 })).toEqual([]);
    expect(m.volumeBand()).toHaveLength(10);
    expect(m.lastMinute).toBe(T0 + 9 * MINUTE);
  });

  it.each([
    [{ bandMinutes: 30 }, 'band', 30],
    [{ maxTopics: 3 }, 'topics', 3]
  ] as const)('bounds memory (%o)', (opts, what, bound) => {
    const m = new SpikeMonitor(opts);
    const rand = rng(5);
    for (let i = 0; i < 60; i++) {
      m.observeMinute({ ...minute(i, rand), topics: new Map([[`t${i}`, 3]]) });
    }
    if (what === 'band') expect(m.volumeBand()).toHaveLength(bound);
    else {
      const series = (m as unknown as { series: Map<string, { metric: string }> }).series;
      expect([...series.values()].filter((s) => s.metric === 'topic')).toHaveLength(bound);
    }
  });

  it('adds outside drivers (authors) to a detection it holds', () => {
    const m = run(4 * 60 + 1, (i) => (i === 4 * 60 ? { burst: 400 } : {}));
    const d = m.recent().find((x) => x.metric === 'volume')!;
    m.addDrivers(d.id, [
      { kind: 'author', name: '@loud', observed: 9, expected: null, share: 0.02 }
    ]);
    expect(
      m
        .recent()
        .find((x) => x.id === d.id)!
        .drivers.at(-1)
    ).toMatchObject({ name: '@loud' });
    // recent() hands out copies: changing one does not change the monitor.
    m.recent().find((x) => x.id === d.id)!.drivers.length = 0;
    expect(m.recent().find((x) => x.id === d.id)!.drivers.length).toBeGreaterThan(0);
  });
});
