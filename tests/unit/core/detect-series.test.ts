import { describe, expect, it } from 'vitest';
import { Detector } from '../../../server/core/detect/detector';
import {
  detectSeries,
  inferInterval,
  parseSeriesTime,
  StreamingDetection,
  volumeDetectorOptions,
  type DetectRow,
  type SeriesPoint
} from '../../../server/core/detect/series';
import { mulberry32, poisson } from '../../helpers/random';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

/** `n` rows of Poisson(20) every `intervalMs`, ×8 for 30 minutes 2 days in (if long enough). */
function series(n: number, intervalMs: number, seed = 1): SeriesPoint[] {
  const rng = mulberry32(seed);
  const spike = 2 * DAY + 10 * HOUR;
  return Array.from({ length: n }, (_, i) => {
    const dt = i * intervalMs;
    return { t: T0 + dt, value: poisson(rng, dt >= spike && dt < spike + 30 * MIN ? 160 : 20) };
  });
}

describe('parseSeriesTime', () => {
  const nab = Date.UTC(2015, 1, 26, 21, 42, 53);
  it.each([
    ['NAB', '2015-02-26 21:42:53', nab],
    ['NAB with microseconds', '2015-02-26 21:42:53.000000', nab],
    ['NAB with fraction', '2015-02-26 21:42:53.250000', nab + 250],
    ['NAB without seconds', '2015-02-26 21:42', nab - 53_000],
    ['surrounding spaces', '  2015-02-26 21:42:53 ', nab],
    ['ISO without zone (UTC)', '2015-02-26T21:42:53', nab],
    ['ISO with Z', '2015-02-26T21:42:53Z', nab],
    ['ISO with milliseconds and Z', '2015-02-26T21:42:53.123Z', nab + 123],
    ['ISO with +02:00', '2015-02-26T23:42:53+02:00', nab],
    ['ISO with -0500', '2015-02-26T16:42:53-0500', nab],
    ['epoch seconds', '1424986973', nab],
    ['epoch seconds with fraction', '1424986973.5', nab + 500],
    ['epoch milliseconds', '1424986973000', nab],
    ['epoch 0', '0', 0],
    ['leap day', '2016-02-29 00:00:00', Date.UTC(2016, 1, 29)]
  ])('%s: %j', (_name, raw, t) => {
    expect(parseSeriesTime(raw)).toBe(t);
  });

  it.each([
    ['empty', ''],
    ['a header', 'timestamp'],
    ['words', 'yesterday'],
    ['month 13', '2015-13-01 00:00:00'],
    ['month 0', '2015-00-10 00:00:00'],
    ['February 30', '2015-02-30 00:00:00'],
    ['February 29 in a common year', '2015-02-29 12:00:00'],
    ['day 32', '2015-01-32 00:00:00'],
    ['hour 24', '2015-02-26 24:00:00'],
    ['ISO month 13 with Z', '2015-13-01T00:00:00Z'],
    ['negative epoch', '-1424986973'],
    ['epoch in exponent form', '1.4e9'],
    ['date only', '2015-02-26'],
    ['slashes', '2015/02/26 21:42:53'],
    ['US order', '02-26-2015 21:42:53'],
    ['trailing garbage', '2015-02-26 21:42:53 UTC+'],
    ['ten fraction digits', '2015-02-26 21:42:53.0123456789']
  ])('%s (%j) is NaN', (_name, raw) => {
    expect(parseSeriesTime(raw)).toBeNaN();
  });

  // Times that do not exist are refused rather than rolled over ("10:75:00" is not 11:15:00).
  it.each([
    ['minute 75', '2015-02-26 10:75:00'],
    ['second 60', '2015-02-26 10:00:60'],
    ['ISO February 30 with Z', '2015-02-30T00:00:00Z']
  ])('%s (%j) is NaN', (_name, raw) => {
    expect(parseSeriesTime(raw)).toBeNaN();
  });
});

describe('inferInterval', () => {
  const at = (...minutes: number[]): SeriesPoint[] =>
    minutes.map((m) => ({ t: T0 + m * MIN, value: 1 }));

  it.each([
    ['regular 5-minute rows', at(0, 5, 10, 15, 20, 25), 5 * MIN],
    ['regular 1-second rows', [0, 1, 2, 3].map((s) => ({ t: T0 + s * 1000, value: 1 })), 1000],
    ['one gap', at(0, 5, 10, 15, 60, 65, 70), 5 * MIN],
    ['several gaps, median wins', at(0, 5, 10, 70, 75, 200, 205, 210), 5 * MIN],
    ['duplicates and steps back are ignored', at(0, 0, 5, 5, 3, 10, 15), 5 * MIN],
    ['two rows', at(0, 7), 7 * MIN],
    ['a single row (default)', at(0), 60_000],
    ['no rows (default)', [], 60_000],
    ['no positive gap (default)', at(3, 3, 3), 60_000]
  ])('%s', (_name, points, interval) => {
    expect(inferInterval(points)).toBe(interval);
  });

  it('looks at the first 1001 gaps only', () => {
    const points = [
      ...Array.from({ length: 1002 }, (_, i) => ({ t: T0 + i * MIN, value: 1 })),
      ...Array.from({ length: 5000 }, (_, i) => ({ t: T0 + 1002 * MIN + i * HOUR, value: 1 }))
    ];
    expect(inferInterval(points)).toBe(MIN);
  });
});

describe('StreamingDetection', () => {
  /** Feeds `points` one by one, recording after which push (or end) each row came out. */
  function stream(points: readonly SeriesPoint[], probe?: number) {
    const s = new StreamingDetection({}, probe);
    const out: DetectRow[] = [];
    const answeredAt: number[] = [];
    points.forEach((p, i) => {
      for (const r of s.push(p)) {
        out.push(r);
        answeredAt.push(i);
      }
    });
    for (const r of s.end()) {
      out.push(r);
      answeredAt.push(points.length);
    }
    expect(s.end()).toEqual([]); // a second end() answers nothing again
    return { out, answeredAt };
  }

  it.each([0, 1, 2, 10, 63, 64, 65, 200, 1000])(
    '%s rows: every row answered exactly once, in order, equal to detectSeries',
    (n) => {
      const points = series(n, 5 * MIN, n + 1);
      const { out, answeredAt } = stream(points);
      expect(out.map((r) => r.t)).toEqual(points.map((p) => p.t));
      expect(out.map((r) => r.value)).toEqual(points.map((p) => p.value));
      expect(out).toEqual(detectSeries(points));
      // Held until the 64th row (or the end), then one row per push.
      answeredAt.forEach((at, i) => {
        expect(at).toBe(i < 64 ? Math.min(63, n) : i);
      });
    }
  );

  it.each([1, 5, 200])('a probe of %s rows holds that many', (probe) => {
    const points = series(100, MIN);
    const { out, answeredAt } = stream(points, probe);
    expect(out).toHaveLength(100);
    expect(answeredAt[0]).toBe(Math.min(probe - 1, 100));
    expect(out).toEqual(detectSeries(points));
  });

  it('answers like a Detector with the live volume settings at the inferred interval', () => {
    const points = series(3 * 288, 5 * MIN);
    const d = new Detector(volumeDetectorOptions(5 * MIN));
    const direct = points.map((p) => {
      const s = d.update(p.t, p.value);
      return { t: p.t, alert: s.onset, score: s.score, expected: s.expected };
    });
    const rows = detectSeries(points);
    expect(rows.map(({ t, alert, score, expected }) => ({ t, alert, score, expected }))).toEqual(
      direct
    );
    // The spike 2 days 10 hours in gives exactly one alert, inside it.
    const alerts = rows.filter((r) => r.alert);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.t - T0).toBeGreaterThanOrEqual(2 * DAY + 10 * HOUR);
    expect(alerts[0]!.t - T0).toBeLessThan(2 * DAY + 10 * HOUR + 30 * MIN);
    for (const r of rows) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
  });

  it('uses intervalMs and sensitivity when given', () => {
    const points = series(3 * 288, 5 * MIN);
    const d = new Detector({ ...volumeDetectorOptions(MIN, 'high') });
    const direct = points.map((p) => d.update(p.t, p.value).score);
    expect(
      detectSeries(points, { intervalMs: MIN, sensitivity: 'high' }).map((r) => r.score)
    ).toEqual(direct);
    expect(volumeDetectorOptions(MIN)).toEqual({
      intervalMs: MIN,
      kind: 'count',
      sensitivity: 'balanced'
    });
  });
});
