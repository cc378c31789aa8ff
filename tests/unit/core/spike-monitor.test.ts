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

  describe('early detection on a minute still filling', () => {
    it('raises a burst before its minute closes and completes the same detection at close', () => {
      const m = run(4 * 60, () => ({}));
      const start = T0 + 4 * 60 * MINUTE;
      const byChannel = CHANNELS.map(() => 0);
      // Ten seconds into the minute: 5 ordinary mentions and 300 on reddit so far.
      byChannel[news] = 5;
      byChannel[reddit] = 300;
      const early = m.peekMinute(start, 305, byChannel);
      expect(early.map((d) => d.series).sort()).toEqual(['channel:reddit', 'volume']);
      const volume = early.find((d) => d.series === 'volume')!;
      expect(volume.at).toBe(start);
      expect(volume.observed).toBe(305);
      expect(volume.drivers[0]).toMatchObject({ kind: 'channel', name: 'reddit' });
      // Asking again raises nothing new.
      expect(m.peekMinute(start, 380, byChannel)).toEqual([]);
      // The minute closes with 430: the same detection, now with the whole minute.
      const rand = rng(99);
      m.observeMinute(minute(4 * 60, rand, { burst: 400 }));
      const volumes = m.recent().filter((d) => d.metric === 'volume');
      expect(volumes).toHaveLength(1);
      expect(volumes[0]!.id).toBe(volume.id);
      expect(volumes[0]!.observed).toBeGreaterThan(400);
    });

    it.each([
      ['an ordinary partial minute', 12, 0, 0],
      ['a minute that is not the next one', 500, 500, 2]
    ])('raises nothing for %s', (_name, total, onReddit, skip) => {
      const m = run(4 * 60, () => ({}));
      const byChannel = CHANNELS.map(() => 0);
      byChannel[reddit] = onReddit;
      byChannel[news] = total - onReddit;
      expect(m.peekMinute(T0 + (4 * 60 + skip) * MINUTE, total, byChannel)).toEqual([]);
      // Peeking learns nothing: the next minutes are judged as if it never happened.
      const rand = rng(5);
      m.observeMinute(minute(4 * 60, rand));
      expect(m.recent()).toEqual([]);
    });
  });

  describe('terms against their own baseline', () => {
    /** A minute of 600 sampled texts with everyday terms, plus `extra` term counts. */
    function terms(i: number, rand: () => number, extra: [string, number][] = []) {
      const counts = new Map<string, number>([
        ['delivery', poisson(rand, 30)],
        ['refund', poisson(rand, 12)],
        ['app', poisson(rand, 6)]
      ]);
      for (const [t, c] of extra) counts.set(t, c);
      return { texts: 600, counts };
    }

    function runTerms(
      minutes: number,
      extra: (i: number) => [string, number][],
      monitor = new SpikeMonitor()
    ): SpikeMonitor {
      const rand = rng(21);
      const trand = rng(22);
      for (let i = 0; i < minutes; i++) {
        monitor.observeMinute({ ...minute(i, rand), terms: terms(i, trand, extra(i)) });
      }
      return monitor;
    }

    const termDetections = (m: SpikeMonitor) => m.recent().filter((d) => d.metric === 'term');

    it.each([
      // [case, minutes, extra terms per minute, expected term detections]
      ['everyday terms at their usual share', 5 * 60, () => [], []],
      [
        'a new hashtag from nothing to 60 texts a minute',
        3 * 60 + 5,
        (i: number) => (i >= 3 * 60 ? [['#outage', 60]] : []),
        ['#outage']
      ],
      [
        'a usual term jumping to 6x its share',
        4 * 60 + 5,
        (i: number) => (i >= 4 * 60 ? [['refund', 75]] : []),
        ['refund']
      ],
      [
        'a new term at only 4 texts a minute (under the alert minimum)',
        3 * 60 + 10,
        (i: number) => (i >= 3 * 60 ? [['odd phrase', 4]] : []),
        []
      ]
    ] as [string, number, (i: number) => [string, number][], string[]][])(
      '%s',
      (_name, minutes, extra, expected) => {
        const m = runTerms(minutes, extra);
        expect(termDetections(m).map((d) => d.label)).toEqual(expected);
        expect(m.risingTerms()).toEqual(expected);
      }
    );

    it('reports a term detection in texts: observed and expected counts of the sample', () => {
      const m = runTerms(3 * 60 + 2, (i) => (i >= 3 * 60 ? [['#outage', 60]] : []));
      const d = termDetections(m)[0]!;
      expect(d.series).toBe('term:#outage');
      // Raised within two minutes of its first appearance (persistence: the first row's
      // evidence may fall short of h on its own).
      expect(d.at).toBeGreaterThanOrEqual(T0 + 3 * 60 * MINUTE);
      expect(d.at).toBeLessThanOrEqual(T0 + (3 * 60 + 1) * MINUTE);
      expect(d.observed).toBe(60);
      expect(d.expected).toBeLessThan(1);
      expect(d.upper).toBeLessThan(10);
      expect(d.severity).toBeGreaterThanOrEqual(5);
    });

    it('reads a share, so sampling fewer texts is not a drop and the same share is no jump', () => {
      const rand = rng(31);
      const m = new SpikeMonitor();
      for (let i = 0; i < 5 * 60; i++) {
        // Traffic and the sample grow tenfold after four hours; each term keeps its share.
        const texts = i < 4 * 60 ? 100 : 1000;
        const counts = new Map([['delivery', poisson(rand, texts * 0.05)]]);
        m.observeMinute({ ...minute(i, rand), terms: { texts, counts } });
      }
      expect(termDetections(m)).toEqual([]);
    });

    it('tracks at most maxTerms, dropping the least recently mentioned', () => {
      const m = new SpikeMonitor({ maxTerms: 5 });
      const rand = rng(41);
      for (let i = 0; i < 20; i++) {
        m.observeMinute({
          ...minute(i, rand),
          terms: { texts: 100, counts: new Map([[`w${i}`, 3]]) }
        });
      }
      const series = (m as unknown as { series: Map<string, { id: string; metric: string }> })
        .series;
      const kept = [...series.values()].filter((s) => s.metric === 'term').map((s) => s.id);
      expect(kept).toEqual(['term:w15', 'term:w16', 'term:w17', 'term:w18', 'term:w19']);
    });

    it('does not read the terms of the first counted minute as new when history came before', () => {
      // Restored history has volume but no term counts: terms start with live minutes.
      const rand = rng(51);
      const trand = rng(52);
      const m = new SpikeMonitor();
      for (let i = 0; i < 5 * 60; i++) {
        m.observeMinute({ ...minute(i, rand), terms: i < 4 * 60 ? null : terms(i, trand) });
      }
      expect(termDetections(m)).toEqual([]);
    });

    it('skips a minute without sampled texts instead of reading it as a zero share', () => {
      const m = runTerms(3 * 60, () => []);
      const rand = rng(9);
      m.observeMinute({ ...minute(3 * 60, rand), terms: { texts: 0, counts: new Map() } });
      expect(termDetections(m)).toEqual([]);
    });
  });

  it('draws the expected negative mentions band: the share band times the scored mentions', () => {
    const m = run(3 * 60, () => ({}));
    const neg = m.negativeBandPoints();
    expect(neg).toHaveLength(3 * 60);
    const last = neg.at(-1)!;
    // About 10% of about 30 scored mentions a minute are negative.
    expect(last.expected).toBeGreaterThan(1.5);
    expect(last.expected).toBeLessThan(5);
    expect(last.lower).toBeLessThanOrEqual(last.expected);
    expect(last.upper).toBeGreaterThan(last.expected);
    expect(m.negativeBandSince(last.t - 2 * MINUTE).map((b) => b.t)).toEqual([
      last.t - MINUTE,
      last.t
    ]);
    expect(m.bandSince(last.t)).toEqual([]);
  });
});
