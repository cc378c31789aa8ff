import { describe, expect, it } from 'vitest';
import {
  Detector,
  SENSITIVITY,
  severityOf,
  type DetectorOptions,
  type DetectorStep,
  type SeriesKind,
  type Sensitivity
} from '../../../server/core/detect/detector';
import { mulberry32, poisson } from '../../helpers/random';

// Synthetic series only: a seeded PRNG, an exact Poisson sampler and timestamps generated here
// (the detector never reads a clock).

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2024-01-01 00:00 UTC. */
const T0 = Date.UTC(2024, 0, 1);

interface Point {
  t: number;
  value: number;
}

interface Row extends DetectorStep, Point {
  i: number;
}

/** A regular series of Poisson counts at `rate(msSinceT0)`, starting at T0. */
function generate(intervalMs: number, days: number, rate: (dt: number) => number, seed: number) {
  const rng = mulberry32(seed);
  const points: Point[] = [];
  const n = Math.round((days * DAY) / intervalMs);
  for (let i = 0; i < n; i++) {
    const t = T0 + i * intervalMs;
    points.push({ t, value: poisson(rng, rate(t - T0)) });
  }
  return points;
}

function detect(points: readonly Point[], options: DetectorOptions): Row[] {
  const d = new Detector(options);
  return points.map((p, i) => ({ ...d.update(p.t, p.value), ...p, i }));
}

const onsets = (rows: readonly Row[]): Row[] => rows.filter((r) => r.onset);
/** A rate that is `base` except `mult`× inside [from, from + durationMs). */
const withBurst =
  (base: (dt: number) => number, from: number, durationMs: number, mult: number) =>
  (dt: number): number =>
    dt >= from && dt < from + durationMs ? base(dt) * mult : base(dt);

/** Every score in [0, 1) (one assertion for the whole series: thousands of expects are slow). */
function expectSaneScores(rows: readonly Row[]): void {
  const bad = rows.filter((r) => !(r.score >= 0 && r.score < 1));
  expect(bad.map((r) => [r.i, r.score])).toEqual([]);
}

describe('SENSITIVITY presets and severityOf', () => {
  it('orders the presets: high has the smallest slack and threshold, low the largest', () => {
    expect(SENSITIVITY.high.k).toBeLessThan(SENSITIVITY.balanced.k);
    expect(SENSITIVITY.balanced.k).toBeLessThan(SENSITIVITY.low.k);
    expect(SENSITIVITY.high.h).toBeLessThan(SENSITIVITY.balanced.h);
    expect(SENSITIVITY.balanced.h).toBeLessThan(SENSITIVITY.low.h);
  });

  it.each([
    [Number.NaN, 1],
    [-4, 1],
    [0, 1],
    [2, 1],
    [3, 1],
    [6, 4],
    [12, 6],
    [24, 9],
    [48, 10],
    [1e9, 10]
  ])('severityOf(%s) = %s', (z, s) => {
    expect(severityOf(z)).toBe(s);
  });
});

describe('flat Poisson noise', () => {
  // With k = 3 and h = 15, noise has to put 15 units of z above the slack, e.g. eight rows in a
  // row at z > 5; the sustained CUSUM needs eight rows in a row at z ≥ 6 or longer runs above 2:
  // far beyond anything 3 days of Poisson noise produce (the firing point is 0.5). So the bound
  // is 0.
  describe.each([
    [2, 1],
    [20, 1],
    [200, 1],
    [2, 5],
    [20, 5],
    [200, 5]
  ])('λ = %s per row, %s-minute rows, 3 days', (lambda, minutes) => {
    it.each([1, 2])('raises no alert at balanced (seed %s)', (seed) => {
      const intervalMs = minutes * MIN;
      const rows = detect(
        generate(intervalMs, 3, () => lambda, seed),
        { intervalMs }
      );
      expect(onsets(rows)).toHaveLength(0);
      expect(rows.some((r) => r.active)).toBe(false);
      expect(Math.max(...rows.map((r) => r.score))).toBeLessThan(0.25);
      expectSaneScores(rows);
    });
  });
});

describe('a clear spike (×8 for 15 minutes) after 2 days of history', () => {
  const start = 2 * DAY + 10 * HOUR;
  const duration = 15 * MIN;
  it.each([
    [2, 1],
    [20, 1],
    [200, 1],
    [20, 5],
    [200, 5]
  ])('λ = %s, %s-minute rows: one onset near the start of the spike', (lambda, minutes) => {
    const intervalMs = minutes * MIN;
    const rows = detect(
      generate(
        intervalMs,
        3,
        withBurst(() => lambda, start, duration, 8),
        3
      ),
      {
        intervalMs
      }
    );
    const on = onsets(rows);
    expect(on).toHaveLength(1);
    const onset = on[0]!;
    // Inside the spike, within its first two thirds: at λ = 2 a ×8 minute is z ≈ 5, which puts
    // z − k = 2 a row towards h = 15, so the eighth minute fires; larger counts fire sooner.
    expect(onset.t - T0).toBeGreaterThanOrEqual(start);
    expect(onset.t - T0).toBeLessThan(start + (duration * 2) / 3);
    if (lambda >= 20) expect(onset.t - T0).toBeLessThan(start + duration / 2);
    expect(onset.score).toBeGreaterThanOrEqual(0.5);
    expect(onset.severity).toBeGreaterThanOrEqual(1);
    expect(onset.severity).toBeLessThanOrEqual(10);
    expect(Number.isInteger(onset.severity)).toBe(true);
    expectSaneScores(rows);
    // Severity is 1–10 exactly while the alert is active, 0 otherwise.
    const badSeverity = rows.filter((r) =>
      r.active ? !(r.severity >= 1 && r.severity <= 10) : r.severity !== 0
    );
    expect(badSeverity).toEqual([]);
    // The alert clears after clearMs (3 h by default) of calm rows, the first calm row being the
    // one after the spike. A single noise row above the band restarts the count, so allow up to
    // twice that.
    const ends = rows.filter((r) => r.resolved !== null);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.resolved).toBe('cleared');
    expect(ends[0]!.t - T0).toBeGreaterThanOrEqual(start + duration + 3 * HOUR - intervalMs);
    expect(ends[0]!.t - T0).toBeLessThanOrEqual(start + duration + 6 * HOUR);
  });
});

describe('small counts (expected about 1 per row)', () => {
  // Two days of Poisson(1), then `rows` rows of `observed`, then Poisson(1) again.
  it.each([
    [1, 3, 1, false],
    [1, 3, 60, false],
    [5, 3, 1, false],
    [5, 3, 24, false],
    [1, 30, 1, false],
    [1, 30, 3, true],
    [1, 30, 5, true],
    [5, 30, 3, true],
    [5, 30, 5, true]
  ])(
    '%s-minute rows, %s observed for %s row(s): alert = %s',
    (minutes, observed, count, alerts) => {
      const intervalMs = minutes * MIN;
      const points = generate(intervalMs, 2.5, () => 1, 11);
      const from = Math.round((2 * DAY) / intervalMs);
      for (let i = from; i < from + count; i++) points[i]!.value = observed;
      const rows = detect(points, { intervalMs });
      // The baseline really is about 1 where the excess starts.
      expect(rows[from]!.expected).toBeGreaterThan(0.4);
      expect(rows[from]!.expected).toBeLessThan(2);
      const on = onsets(rows);
      if (!alerts) {
        expect(on).toHaveLength(0);
        return;
      }
      expect(on).toHaveLength(1);
      expect(on[0]!.i).toBeGreaterThanOrEqual(from);
      expect(on[0]!.i).toBeLessThan(from + count);
    }
  );
});

describe('daily seasonality (day/night, peak 3× the trough)', () => {
  const daily = (lambda: number) => (dt: number) =>
    (lambda * (2 + Math.sin((2 * Math.PI * dt) / DAY))) / 2;

  it.each([
    [2, 1],
    [20, 1],
    [200, 1],
    [2, 5],
    [20, 5],
    [200, 5]
  ])('λ = %s, %s-minute rows, 7 days: the daily ramp does not alert', (lambda, minutes) => {
    const intervalMs = minutes * MIN;
    const rows = detect(generate(intervalMs, 7, daily(lambda), 5), { intervalMs });
    // The brief allows the first day as warm-up; in fact there is none at all.
    expect(onsets(rows).filter((r) => r.t - T0 >= DAY)).toHaveLength(0);
    expect(onsets(rows)).toHaveLength(0);
  });

  it.each([
    [20, 1, 6],
    [20, 1, 18],
    [200, 1, 6],
    [200, 1, 18],
    [20, 5, 6],
    [20, 5, 18],
    [200, 5, 6],
    [200, 5, 18]
  ])(
    'λ = %s, %s-minute rows: a ×8 spike for 30 min at %s:00 on day 6 alerts once',
    (lambda, minutes, hour) => {
      const intervalMs = minutes * MIN;
      const start = 5 * DAY + hour * HOUR;
      const rows = detect(
        generate(intervalMs, 6, withBurst(daily(lambda), start, 30 * MIN, 8), 6),
        { intervalMs }
      );
      const on = onsets(rows);
      expect(on).toHaveLength(1);
      expect(on[0]!.t - T0).toBeGreaterThanOrEqual(start);
      expect(on[0]!.t - T0).toBeLessThan(start + 30 * MIN);
    }
  );
});

describe('weekly effect (weekends at half the weekday level), 3 weeks', () => {
  // T0 is a Monday, so days 5 and 6 of each week are the weekend.
  const weekly = (lambda: number) => (dt: number) =>
    Math.floor(dt / DAY) % 7 >= 5 ? lambda / 2 : lambda;
  const run = (lambda: number, minutes: number): Row[] =>
    detect(generate(minutes * MIN, 21, weekly(lambda), 8), { intervalMs: minutes * MIN });

  it.each([
    [2, 1],
    [20, 1],
    [2, 5],
    [20, 5]
  ])('λ = %s, %s-minute rows: no alert from the weekday/weekend change', (lambda, minutes) => {
    const rows = run(lambda, minutes);
    expect(onsets(rows).filter((r) => r.t - T0 >= 7 * DAY)).toHaveLength(0);
  });

  // At λ = 200 the weekday/weekend step is large (z ≈ 8): the first Monday after the first
  // weekend may alert (the detector has never seen a week), later Mondays must not, because the
  // weekday offsets have learned the weekend.
  it.each([
    [200, 1],
    [200, 5]
  ])(
    'λ = %s, %s-minute rows: at most the first Monday alerts, none after the second weekend',
    (lambda, minutes) => {
      const rows = run(lambda, minutes);
      expect(onsets(rows).filter((r) => r.t - T0 >= 7 * DAY).length).toBeLessThanOrEqual(1);
      expect(onsets(rows).filter((r) => r.t - T0 >= 8 * DAY)).toHaveLength(0);
    }
  );
});

describe('a level shift (×3 for good)', () => {
  const shiftAt = 2 * DAY + 10 * HOUR;
  it.each([
    [20, 1, 'cleared'],
    [200, 1, 'level-shift'],
    [20, 5, 'cleared'],
    [200, 5, 'level-shift']
  ] as const)(
    'λ = %s, %s-minute rows: at most one alert, ended (%s) within shiftMs, then quiet',
    (lambda, minutes, how) => {
      const intervalMs = minutes * MIN;
      const rows = detect(
        generate(intervalMs, 4, (dt) => (dt >= shiftAt ? 3 * lambda : lambda), 9),
        { intervalMs }
      );
      const on = onsets(rows);
      expect(on.length).toBeLessThanOrEqual(1);
      expect(on).toHaveLength(1); // these shifts are big enough to be noticed at all
      const onset = on[0]!;
      expect(onset.t - T0).toBeGreaterThanOrEqual(shiftAt);
      expect(onset.t - T0).toBeLessThan(shiftAt + HOUR);
      const ends = rows.filter((r) => r.resolved !== null);
      expect(ends).toHaveLength(1);
      const end = ends[0]!;
      expect(end.resolved).toBe(how);
      expect(end.t - onset.t).toBeLessThanOrEqual(6 * HOUR);
      // Every row of the episode is active, none outside it.
      expect(rows.filter((r) => r.active !== (r.i >= onset.i && r.i <= end.i))).toEqual([]);
      // The new level is the normal now: expected follows it.
      const tail = rows.slice(-Math.round((6 * HOUR) / intervalMs)).map((r) => r.expected);
      expect(Math.min(...tail)).toBeGreaterThan(3 * lambda * 0.85);
      expect(Math.max(...tail)).toBeLessThan(3 * lambda * 1.15);
    }
  );

  it('accepts the new level after a custom shiftMs', () => {
    const rows = detect(
      generate(MIN, 3, (dt) => (dt >= shiftAt ? 2000 : 200), 10),
      { intervalMs: MIN, shiftMs: 2 * HOUR }
    );
    expect(onsets(rows)).toHaveLength(1);
    const end = rows.find((r) => r.resolved !== null)!;
    expect(end.resolved).toBe('level-shift');
    // activeRows counts the onset row, so the shift is accepted on row shiftRows − 1 after it.
    expect(end.t - onsets(rows)[0]!.t).toBe(2 * HOUR - MIN);
  });
});

describe('persistence (CUSUM with slack k = 3, threshold h = 15; sustained: z capped at 6, slack 2, threshold 30)', () => {
  const intervalMs = 5 * MIN;
  const options: DetectorOptions = { intervalMs };
  const anscombe = (v: number): number => 2 * Math.sqrt(v + 0.375);

  /** The value that gives z = `z` on the next row at `t`, given `history` (z is linear in y). */
  function valueForZ(history: readonly Point[], t: number, z: number): number {
    const zOf = (v: number): number => {
      const d = new Detector(options);
      for (const p of history) d.update(p.t, p.value);
      return d.update(t, v).z;
    };
    const z0 = zOf(0);
    const z1 = zOf(100);
    const spread = (anscombe(100) - anscombe(0)) / (z1 - z0);
    const y = anscombe(0) + (z - z0) * spread;
    return (y / 2) ** 2 - 0.375;
  }

  it.each([
    // z, rows at that z, index of the onset among them (null: none), preset override
    [3.3, 1, null, {}],
    [10, 1, null, {}],
    [18.5, 1, 0, {}], // 15.5 ≥ 15 at once
    [1.9, 40, null, {}], // below both slacks: nothing ever accumulates
    // Sustained: 24 rows × (3.3 − 2) = 31.2 ≥ 30 (23 rows: 29.9); the first CUSUM gets 0.3 a row.
    [3.3, 20, null, {}],
    [3.3, 30, 23, {}],
    [10, 2, null, {}], // 2 × 7 = 14 < 15; sustained 2 × (6 − 2) = 8
    // 3 rows × 7 = 21: the rows of the episode under way never raise their own slack.
    [10, 3, 2, {}],
    [12, 2, 1, {}], // 2 × 9 = 18
    // The sustained CUSUM alone (the first one switched off): z = 10 counts as 6, so 4 a row,
    // and the eighth row fires (32 ≥ 30) where an uncapped sum would have fired on the fourth.
    [10, 10, 7, { h: 1e9 }]
  ] as const)(
    'z = %s held for %s row(s): onset on excess row %s (preset %o)',
    (z, count, onsetAt, preset) => {
      const options: DetectorOptions = { intervalMs, preset };
      const history = generate(intervalMs, 2, () => 20, 12);
      const from = history.length;
      const points = [...history];
      for (let j = 0; j < count; j++) {
        const t = T0 + points.length * intervalMs;
        points.push({ t, value: valueForZ(points, t, z) });
      }
      for (let j = 0; j < 6; j++) points.push({ t: T0 + points.length * intervalMs, value: 20 });
      const rows = detect(points, options);
      expect(rows[from - 1]!.score).toBe(0); // no evidence left over from the noise
      for (let j = 0; j < count; j++) expect(rows[from + j]!.z).toBeCloseTo(z, 6);
      // Each CUSUM is a running sum; the score is that of the one nearer its threshold.
      const first = rows[from]!;
      const { k, h, sustainedH } = { ...SENSITIVITY.balanced, ...preset };
      const excess = Math.max(0, z - k);
      const sustained = Math.max(0, Math.min(z, 6) - 2);
      expect(first.score).toBeCloseTo(
        Math.max(excess / (excess + h), sustained / (sustained + sustainedH)),
        6
      );
      const on = onsets(rows);
      if (onsetAt === null) {
        expect(on).toHaveLength(0);
      } else {
        expect(on).toHaveLength(1);
        expect(on[0]!.i - from).toBe(onsetAt);
      }
    }
  );
});

describe('a moderate rise that lasts, on a series that has just spiked', () => {
  it.each([1, 5])(
    '%s-minute rows: a ×2.5 hour alerts a day after a ×10 spike raised the slack',
    (minutes) => {
      const intervalMs = minutes * MIN;
      const spikeAt = 2 * DAY + 10 * HOUR;
      const riseAt = spikeAt + DAY;
      const rate = withBurst(
        withBurst(() => 50, spikeAt, 20 * MIN, 10),
        riseAt,
        HOUR,
        2.5
      );
      const points = generate(intervalMs, 4, rate, 21);
      const on = onsets(detect(points, { intervalMs }));
      expect(on.map((r) => r.t - T0 >= spikeAt && r.t - T0 < spikeAt + 20 * MIN)).toContain(true);
      const rise = on.filter((r) => r.t - T0 >= riseAt && r.t - T0 < riseAt + HOUR);
      expect(rise).toHaveLength(1);
      // Without the sustained CUSUM, the spike's memory keeps the slack above the rise's z.
      const without = onsets(detect(points, { intervalMs, preset: { sustainedH: 1e9 } }));
      expect(without.filter((r) => r.t - T0 >= riseAt && r.t - T0 < riseAt + HOUR)).toEqual([]);
    }
  );
});

describe('alerts once per episode', () => {
  it('a 2-hour spike has one onset row and many active rows; a later spike is a new episode', () => {
    const first = 2 * DAY + 10 * HOUR;
    const second = first + 12 * HOUR;
    const rate = withBurst(
      withBurst(() => 200, first, 2 * HOUR, 8),
      second,
      15 * MIN,
      8
    );
    const rows = detect(generate(MIN, 3, rate, 13), { intervalMs: MIN });
    const on = onsets(rows);
    expect(on).toHaveLength(2);
    expect(on[0]!.t - T0).toBe(first);
    expect(on[1]!.t - T0).toBe(second);
    // First episode: onset on exactly one row, active on every row from it to its end.
    const end = rows.find((r) => r.resolved !== null)!;
    expect(end.resolved).toBe('cleared');
    expect(end.t).toBeLessThan(on[1]!.t);
    const episode = rows.filter((r) => r.i >= on[0]!.i && r.i <= end.i);
    expect(episode.every((r) => r.active)).toBe(true);
    expect(episode.filter((r) => r.onset)).toHaveLength(1);
    expect(episode.length).toBeGreaterThan(120);
    // The evidence stays above h through the spike, but there is no second onset.
    const inSpike = rows.filter((r) => r.t - T0 >= first && r.t - T0 < first + 2 * HOUR);
    expect(inSpike.every((r) => r.score >= 0.5)).toBe(true);
    expect(rows.filter((r) => r.active)).not.toHaveLength(0);
    expectSaneScores(rows);
  });
});

describe('warm-up', () => {
  it.each([
    [undefined, 2 * HOUR, 0],
    [30 * MIN, 30 * MIN, 2 * MIN]
  ])('warmupMs = %s: no alert before %s ms even with a huge value', (warmupMs, warm, delay) => {
    // Poisson(20), then 10,000 per minute from 20 minutes before the end of warm-up on.
    const points = generate(MIN, 0.5, (dt) => (dt >= warm - 20 * MIN ? 10_000 : 20), 14);
    const rows = detect(points, { intervalMs: MIN, ...(warmupMs ? { warmupMs } : {}) });
    const early = rows.filter((x) => x.t - T0 < warm);
    expect(early).toHaveLength(warm / MIN);
    expect(early.filter((r) => r.onset || r.active || r.score !== 0)).toEqual([]);
    // It fires as soon as warm: at once for the default; two rows later for the short warm-up,
    // where the 1/n learning of the first rows lets the excess move the baseline further.
    expect(onsets(rows)).toHaveLength(1);
    expect(onsets(rows)[0]!.t - T0).toBe(warm + delay);
  });
});

describe('sensitivity', () => {
  it.each([
    [1, 1],
    [1, 2],
    [5, 1],
    [5, 2]
  ])('%s-minute rows, seed %s: alerts(high) ≥ alerts(balanced) ≥ alerts(low)', (minutes, seed) => {
    // λ = 20 for 10 days with 22 bursts of ×1.3 … ×6 lasting 5 … 60 minutes, every 9 hours.
    const mults = [1.3, 1.6, 2, 2.5, 3, 4, 6];
    const durations = [5, 15, 30, 60];
    const bursts: [number, number, number][] = [];
    for (let h = 50, j = 0; h < 240; h += 9, j++) {
      bursts.push([h * HOUR, durations[j % durations.length]! * MIN, mults[j % mults.length]!]);
    }
    const rate = (dt: number): number => {
      for (const [from, len, m] of bursts) if (dt >= from && dt < from + len) return 20 * m;
      return 20;
    };
    const points = generate(minutes * MIN, 10, rate, seed);
    const count = (sensitivity: Sensitivity): number =>
      onsets(detect(points, { intervalMs: minutes * MIN, sensitivity })).length;
    const [low, balanced, high] = [count('low'), count('balanced'), count('high')];
    expect(high).toBeGreaterThanOrEqual(balanced);
    expect(balanced).toBeGreaterThanOrEqual(low);
    expect(high).toBeGreaterThan(low);
    expect(high).toBeLessThanOrEqual(bursts.length);
  });

  it('a preset override replaces the numbers of the preset', () => {
    const points = generate(
      MIN,
      3,
      withBurst(() => 200, 2 * DAY, HOUR, 8),
      15
    );
    expect(onsets(detect(points, { intervalMs: MIN }))).toHaveLength(1);
    expect(
      onsets(detect(points, { intervalMs: MIN, preset: { h: 1e9, sustainedH: 1e9 } }))
    ).toHaveLength(0);
  });
});

describe('determinism and causality', () => {
  const points = generate(
    MIN,
    3,
    withBurst(() => 20, 2 * DAY + 10 * HOUR, 15 * MIN, 8),
    16
  );

  it('gives the same output for the same input', () => {
    expect(detect(points, { intervalMs: MIN })).toEqual(detect(points, { intervalMs: MIN }));
  });

  it.each([1, 119, 120, 1500, 2 * 1440 + 10 * 60 + 5, 2 * 1440 + 12 * 60])(
    'answers the first %s rows the same whatever comes after them',
    (n) => {
      const full = detect(points, { intervalMs: MIN });
      expect(detect(points.slice(0, n), { intervalMs: MIN })).toEqual(full.slice(0, n));
    }
  );

  it('peek answers what update would, and learns nothing', () => {
    const plain = new Detector({ intervalMs: MIN });
    const peeked = new Detector({ intervalMs: MIN });
    for (const p of points) {
      const expected = plain.update(p.t, p.value);
      // Peek a few partial values of the row first, as a filling minute would be.
      for (const part of [0, p.value / 3, p.value * 2]) peeked.peek(p.t, part);
      expect(peeked.peek(p.t, p.value)).toEqual(expected);
      expect(peeked.update(p.t, p.value)).toEqual(expected);
    }
  });
});

describe('band and robustness, by kind', () => {
  function series(
    kind: SeriesKind,
    seed: number
  ): { t: number; value: number; exposure: number }[] {
    const rng = mulberry32(seed);
    const out: { t: number; value: number; exposure: number }[] = [];
    for (let i = 0; i < 2 * 288; i++) {
      const t = T0 + i * 5 * MIN;
      const burst = i >= 400 && i < 412;
      if (kind === 'count') out.push({ t, value: poisson(rng, burst ? 160 : 20), exposure: 1 });
      else if (kind === 'share') {
        const n = poisson(rng, 50);
        let k = 0;
        for (let j = 0; j < n; j++) if (rng() < (burst ? 0.6 : 0.1)) k++;
        out.push({ t, value: n === 0 ? 0 : k / n, exposure: n });
      } else {
        // Log-normal durations around 2 s, ×10 in the burst.
        const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
        out.push({ t, value: 2000 * Math.exp(0.3 * g) * (burst ? 10 : 1), exposure: 1 });
      }
    }
    return out;
  }

  const sane = (s: DetectorStep): boolean =>
    [s.expected, s.lower, s.upper, s.z, s.score, s.severity].every((v) => !Number.isNaN(v)) &&
    s.lower <= s.expected &&
    s.expected <= s.upper &&
    s.lower >= 0 &&
    s.score >= 0 &&
    s.score < 1;

  it.each(['count', 'share', 'duration'] as const)(
    '%s: finite band with lower ≤ expected ≤ upper, and the burst alerts',
    (kind) => {
      const d = new Detector({ intervalMs: 5 * MIN, kind });
      const steps = series(kind, 17).map((p) => d.update(p.t, p.value, p.exposure));
      const finite = (s: DetectorStep): boolean =>
        [s.expected, s.lower, s.upper, s.z, s.score].every(Number.isFinite);
      expect(steps.filter((s) => !finite(s) || !sane(s))).toEqual([]);
      if (kind === 'share') expect(steps.filter((s) => s.upper > 1)).toEqual([]);
      const on = steps.flatMap((s, i) => (s.onset ? [i] : []));
      expect(on).toHaveLength(1);
      expect(on[0]).toBeGreaterThanOrEqual(400);
      expect(on[0]).toBeLessThan(412);
    }
  );

  it.each(['count', 'share', 'duration'] as const)(
    '%s: non-finite, negative and out-of-range values and exposures neither throw nor give NaN',
    (kind) => {
      const d = new Detector({ intervalMs: MIN, kind, warmupMs: 10 * MIN });
      const values = [Number.NaN, Infinity, -Infinity, -5, 0, 1e300, Number.MAX_VALUE, 1e-300, 5];
      const exposures = [Number.NaN, -1, 0, -Infinity, 50];
      const steps: DetectorStep[] = [];
      for (let i = 0; i < 300; i++) {
        steps.push(d.update(T0 + i * MIN, values[i % values.length]!, exposures[i % 5]!));
      }
      expect(steps.filter((s) => !sane(s))).toEqual([]);
      // And it still works afterwards.
      const after = d.update(T0 + 300 * MIN, 5, 50);
      expect(Number.isFinite(after.expected)).toBe(true);
      expect(Number.isFinite(after.z)).toBe(true);
    }
  );

  // A row that cannot be placed in time (non-finite timestamp) is ignored, and a non-finite
  // exposure counts as one mention: neither may leave NaN in the state.
  it.each([
    ['timestamp NaN', 'count', Number.NaN, 20, 1],
    ['timestamp Infinity', 'count', Infinity, 20, 1],
    ['share exposure Infinity', 'share', 0, 0, Infinity]
  ] as const)('a bad row (%s) does not poison later rows', (_name, kind, dt, value, exposure) => {
    const d = new Detector({ intervalMs: MIN, kind });
    const rng = mulberry32(18);
    for (let i = 0; i < 200; i++)
      d.update(T0 + i * MIN, kind === 'count' ? poisson(rng, 20) : 0.1, 50);
    const bad = d.update(T0 + 200 * MIN + dt, value, exposure);
    expect(Number.isNaN(bad.score)).toBe(false);
    const later: DetectorStep[] = [];
    for (let i = 201; i < 210; i++) {
      const spike = i >= 205;
      later.push(
        d.update(T0 + i * MIN, kind === 'count' ? (spike ? 5000 : 20) : spike ? 0.9 : 0.1, 50)
      );
    }
    expect(later.filter((s) => !(Number.isFinite(s.z) && Number.isFinite(s.score)))).toEqual([]);
    expect(later.some((s) => s.onset)).toBe(true);
  });

  // The share's baseline is kept in arcsine units, independent of volume; only its noise scales
  // with 1 / (2√n). Here 10 % of 50 mentions per row for 2 days, then 10 % of 500: no alert.
  it('share: the same share at a higher volume does not alert', () => {
    const d = new Detector({ intervalMs: 5 * MIN, kind: 'share' });
    const rng = mulberry32(19);
    const steps: DetectorStep[] = [];
    for (let i = 0; i < 700; i++) {
      const n = i < 576 ? 50 : 500;
      let k = 0;
      for (let j = 0; j < n; j++) if (rng() < 0.1) k++;
      steps.push(d.update(T0 + i * 5 * MIN, k / n, n));
    }
    expect(steps.filter((s) => s.onset)).toHaveLength(0);
    expect(steps.at(-1)!.expected).toBeCloseTo(0.1, 1);
  });
});
