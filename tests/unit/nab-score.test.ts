import { describe, expect, it } from 'vitest';
import {
  detectionsAtThreshold,
  normalisedScore,
  optimiseThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreCorpus,
  scoreFile,
  STANDARD_PROFILE,
  type NabFileInput
} from '../../scripts/nab/score';

// Hand computations use S(x) = 2·sigmoid(−5x) − 1 = −tanh(2.5x), so a window credit is
// tanh(−2.5p) / tanh(2.5) with tanh(2.5) = 0.98661429815. Standard profile: tp 1, fn 1, fp 0.11.
const STEP = 5 * 60_000;
const times = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2015, 1, 26) + i * STEP);
const at = (ts: number[], a: number, b: number): [number, number] => [ts[a]!, ts[b]!];
const flags = (n: number, rows: number[]) => {
  const out = new Array<boolean>(n).fill(false);
  for (const r of rows) out[r] = true;
  return out;
};

// 100 rows, one window over rows 40..49 (width 10), no probationary period unless stated.
const N = 100;
const TS = times(N);
const W: [number, number] = at(TS, 40, 49);
const file = (rows: number[], windows: [number, number][] = [W]): NabFileInput => ({
  timestamps: TS,
  windows,
  detections: flags(N, rows)
});
const NO_PROBATION = { probationaryPercent: 0 };

describe('NAB scaledSigmoid', () => {
  it.each([
    [-1, 0.9866142981514303], // tanh(2.5)
    [-0.5, 0.8482836399575129], // tanh(1.25)
    [0, 0],
    [1, -0.9866142981514303],
    [3, -0.9999993881955461], // −tanh(7.5) = −(1 − 2e^−15…): 3 itself is still on the curve
    [3.0001, -1] // beyond 3: flat −1
  ])('S(%s) = %s', (x, expected) => {
    expect(scaledSigmoid(x)).toBeCloseTo(expected, 12);
  });
});

describe('NAB probationary length', () => {
  it.each([
    [100, 15], // floor(0.15 × 100)
    [4999, 749], // floor(749.85)
    [5000, 750],
    [15902, 750] // capped at 0.15 × 5000
  ])('%s rows → %s', (rows, expected) => {
    expect(probationaryLength(rows)).toBe(expected);
  });
});

describe('NAB scoreFile (standard profile)', () => {
  it.each([
    // name, detected rows, raw, tp, fn, fp
    ['perfect: detection at the window start', [40], 1, 1, 0, 0],
    // p = −(49 − 49 + 1)/10 = −0.1 → tanh(0.25)/tanh(2.5) = 0.244918662/0.986614298
    ['detection at the window end', [49], 0.24824154977542992, 1, 0, 0],
    // p = −(49 − 45 + 1)/10 = −0.5 → tanh(1.25)/tanh(2.5) = 0.848283640/0.986614298
    ['detection halfway into the window', [45], 0.8597925669097837, 1, 0, 0],
    // only the earliest detection of a window counts; the later ones are free
    ['several detections in one window', [45, 40, 47], 1, 1, 0, 0],
    ['missed window', [], -1, 0, 1, 0],
    // before any window an FP costs the full 0.11; the window is missed: −1 − 0.11
    ['FP before any window', [10], -1.11, 0, 1, 1],
    // 5 rows after the window's end, width 10: x = 5/9 → 0.11 × −tanh(25/18) = −0.0971218814
    ['FP just after the window', [40, 54], 0.9028781186323609, 1, 0, 1],
    // 31 rows after: x = 31/9 > 3 → full −0.11
    ['FP far after the window', [40, 80], 0.89, 1, 0, 1],
    // 0.11 before the window, credit 1, −0.0971218814 after it
    ['FPs on both sides', [10, 40, 54], 1 - 0.11 - 0.09712188136763907, 1, 0, 2]
  ])('%s', (_name, rows, raw, tp, fn, fp) => {
    const s = scoreFile(file(rows), STANDARD_PROFILE, NO_PROBATION);
    expect(s.raw).toBeCloseTo(raw, 12);
    expect([s.tp, s.fn, s.fp]).toEqual([tp, fn, fp]);
    expect(s.nullRaw).toBe(-1);
  });

  it('weighs an FP by the closest preceding window', () => {
    // Windows 20..29 and 60..69 (width 10). FP at 35: 6/9 after the first; FP at 75: 6/9 after
    // the second. Each costs 0.11 × tanh(5/3) = 0.1024220570; both windows credited at their start.
    const s = scoreFile(
      file([20, 35, 60, 75], [at(TS, 20, 29), at(TS, 60, 69)]),
      STANDARD_PROFILE,
      NO_PROBATION
    );
    expect(s.raw).toBeCloseTo(2 - 2 * 0.10242205695343354, 12);
    expect([s.tp, s.fn, s.fp, s.tpRows]).toEqual([2, 0, 2, 2]);
    expect(s.firstDetection).toEqual([20, 60]);
  });

  it('ignores detections in the probationary period', () => {
    // 100 rows → rows 0..14 are probationary. The FP at row 5 is ignored; the window (40..49)
    // is credited from its start: raw 1.
    const s = scoreFile(file([5, 40]), STANDARD_PROFILE);
    expect(s.raw).toBeCloseTo(1, 12);
    expect([s.tp, s.fn, s.fp]).toEqual([1, 0, 0]);
  });

  it('credits a window straddling the probationary period only from its end', () => {
    // Window 10..19, probation rows 0..14: the detection at 12 does not count; the one at 15 sits
    // at p = −(19 − 15 + 1)/10 = −0.5 → 0.8597925669.
    const straddling = [at(TS, 10, 19)];
    expect(scoreFile(file([12], straddling)).raw).toBeCloseTo(-1, 12);
    expect(scoreFile(file([12, 15], straddling)).raw).toBeCloseTo(0.8597925669097837, 12);
  });

  it('gives no credit and no cost for a window wholly in the probationary period', () => {
    // Window 2..8 ends before row 15: neither a hit nor a miss, but still counted as perfect.
    const s = scoreFile(file([], [at(TS, 2, 8)]), STANDARD_PROFILE);
    expect([s.raw, s.nullRaw, s.scoredWindows, s.windows]).toEqual([0, 0, 0, 1]);
  });

  it('rejects detections that do not match the timestamps', () => {
    expect(() =>
      scoreFile({ timestamps: TS, windows: [W], detections: [true] }, STANDARD_PROFILE)
    ).toThrow(/differ in length/);
  });
});

describe('NAB normalised corpus score', () => {
  const TS2 = times(60);
  const other = (rows: number[]): NabFileInput => ({
    timestamps: TS2,
    windows: [at(TS2, 30, 39)],
    detections: flags(60, rows)
  });

  it.each([
    ['perfect detector → 100', [40], [30], 100],
    ['null detector (no detections) → 0', [], [], 0],
    // raw 1 + (−1) = 0; null −2; perfect 2 → 100 × (0 + 2)/(2 + 2)
    ['one window found, one missed → 50', [40], [], 50],
    // raw −1.11 + (−1) = −2.11 → 100 × (−0.11)/4
    ['a false positive on top of the null → −2.75', [20], [], -2.75]
  ])('%s', (_name, a, b, expected) => {
    expect(normalisedScore([file(a), other(b)], STANDARD_PROFILE, NO_PROBATION)).toBeCloseTo(
      expected,
      10
    );
  });

  it('sums raw, null and perfect over the files before normalising', () => {
    const c = scoreCorpus([file([40, 54]), other([])], STANDARD_PROFILE, NO_PROBATION);
    expect(c.raw).toBeCloseTo(0.9028781186323609 - 1, 12);
    expect([c.nullRaw, c.perfect, c.tp, c.fn, c.fp]).toEqual([-2, 2, 1, 1, 1]);
  });
});

describe('NAB thresholds', () => {
  it('counts every row at or above the threshold as a detection', () => {
    expect(detectionsAtThreshold([0.2, 0.5, 0.7, 0.49999], 0.5)).toEqual([
      false,
      true,
      true,
      false
    ]);
  });

  it('finds the best threshold like NAB’s optimiser', () => {
    // Row 10 (before the window) scores 0.95, row 45 (mid-window) 0.9, everything else 0.
    // 1.1 → −1 (null); 0.95 → −1.11; 0.9 → −0.11 + 0.8597925669 = 0.7497925669;
    // 0 → everything fires: far worse. Normalised: 100 × (0.7497925669 + 1)/2 = 87.4896283455.
    const anomalyScores = new Array<number>(N).fill(0);
    anomalyScores[10] = 0.95;
    anomalyScores[45] = 0.9;
    const best = optimiseThreshold(
      [{ timestamps: TS, anomalyScores, windows: [W] }],
      STANDARD_PROFILE,
      NO_PROBATION
    );
    expect(best.threshold).toBe(0.9);
    expect(best.raw).toBeCloseTo(0.7497925669097837, 12);
    expect(best.score).toBeCloseTo(87.4896283454892, 9);
  });

  it('stays above every score when any detection only costs', () => {
    // All scores 0: threshold 0 fires every row (window credit 1, 90 FPs) and loses to 1.1.
    const best = optimiseThreshold(
      [{ timestamps: TS, anomalyScores: new Array<number>(N).fill(0), windows: [W] }],
      STANDARD_PROFILE,
      NO_PROBATION
    );
    expect(best).toEqual({ threshold: 1.1, raw: -1, score: 0 });
  });

  it('keeps the higher threshold on a tie', () => {
    // Row 40 (window start) scores 0.9 and row 41 scores 0.8: both thresholds give raw 1, since a
    // later detection in a credited window is free. NAB's stable sort keeps 0.9.
    const anomalyScores = new Array<number>(N).fill(0);
    anomalyScores[40] = 0.9;
    anomalyScores[41] = 0.8;
    const best = optimiseThreshold(
      [{ timestamps: TS, anomalyScores, windows: [W] }],
      STANDARD_PROFILE,
      NO_PROBATION
    );
    expect(best).toEqual({ threshold: 0.9, raw: 1, score: 100 });
  });
});
