/**
 * The Numenta Anomaly Benchmark (NAB) scorer, reimplemented from the reference code
 * (numenta/NAB `nab/sweeper.py`, `nab/scorer.py`, `nab/optimizer.py`, `nab/runner.py`,
 * `nab/util.py`). Pure: no I/O, no clock. Timestamps are epoch milliseconds.
 *
 * The rules, as the reference applies them:
 * - The first `min(floor(0.15 × rows), 0.15 × 5000)` rows of each file are probationary: a
 *   detection there is ignored, and a window row there is neither a hit nor a miss.
 * - A detection inside a window is worth `tpWeight × S(p) / S(−1)`, where
 *   `S(x) = 2·sigmoid(−5x) − 1` (and −1 for x > 3) and `p = −(end − i + 1) / width` is the row's
 *   position in the window (−1 at its first row, −1/width at its last). Only the best (that is the
 *   earliest) detection of a window counts; further detections in the same window are free.
 * - A window with no scorable detection costs `fnWeight`.
 * - A detection outside every window costs `fpWeight` before the first window has ended, and
 *   `fpWeight × S(|i − prevEnd| / (prevWidth − 1))` after one: nearly nothing right after a window,
 *   the full `fpWeight` from three window widths on. Every detected row counts, so an alert has to
 *   be reported once, at its onset.
 * - A corpus is scored by summing the raw file scores, and normalised as
 *   `100 × (raw − null) / (perfect − null)`, where null is the raw score of a detector that never
 *   fires (−fnWeight per window with scorable rows) and perfect is `tpWeight` × labelled windows.
 *
 * Windows are given as timestamps; a window covers the rows whose timestamp lies in
 * `[start, end]`. (The reference requires both ends to be row timestamps and enters/leaves a window
 * on exact equality; NAB's labelled windows always are, so the two agree on NAB data.)
 */

export interface CostProfile {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
  /** Unused by NAB's scoring; kept for parity with its profiles.json. */
  tnWeight: number;
}

/** NAB's `standard` application profile (config/profiles.json). */
export const STANDARD_PROFILE: Readonly<CostProfile> = Object.freeze({
  tpWeight: 1,
  fnWeight: 1,
  fpWeight: 0.11,
  tnWeight: 1
});

/** NAB's `reward_low_FP_rate` profile. */
export const REWARD_LOW_FP_PROFILE: Readonly<CostProfile> = Object.freeze({
  tpWeight: 1,
  fnWeight: 1,
  fpWeight: 0.22,
  tnWeight: 1
});

/** NAB's `reward_low_FN_rate` profile. */
export const REWARD_LOW_FN_PROFILE: Readonly<CostProfile> = Object.freeze({
  tpWeight: 1,
  fnWeight: 2,
  fpWeight: 0.11,
  tnWeight: 1
});

/** NAB's default probationary fraction (Runner.probationaryPercent). */
export const PROBATIONARY_PERCENT = 0.15;

export interface NabFileInput {
  /** Row timestamps, epoch ms, ascending. */
  timestamps: readonly number[];
  /** One flag per row: true where the detector reports an anomaly. */
  detections: readonly boolean[];
  /** Labelled anomaly windows, `[start, end]` in epoch ms, inclusive. */
  windows: readonly (readonly [number, number])[];
}

export interface ScoreOptions {
  /** Fraction of each file that is probationary; NAB uses 0.15. */
  probationaryPercent?: number;
}

/** NAB `getProbationPeriod`: rows before this index are not scored. */
export function probationaryLength(
  numRows: number,
  probationaryPercent = PROBATIONARY_PERCENT
): number {
  return Math.min(Math.floor(probationaryPercent * numRows), probationaryPercent * 5000);
}

/** NAB `scaledSigmoid`: 2·sigmoid(−5x) − 1, and −1 beyond x = 3. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** NAB `convertAnomalyScoresToDetections`: every row with score ≥ threshold is a detection. */
export function detectionsAtThreshold(scores: readonly number[], threshold: number): boolean[] {
  return scores.map((s) => s >= threshold);
}

export function normalise(raw: number, nullRaw: number, perfect: number): number {
  return (100 * (raw - nullRaw)) / (perfect - nullRaw);
}

export interface SweepRow {
  /** What this row adds to the score if it is a detection (the weighted sweep score). */
  weight: number;
  /** Index (into the file's windows) of the window holding this row, or −1. */
  window: number;
  /** Row lies in the probationary period: never scored. */
  probationary: boolean;
}

interface IndexWindow {
  /** Index into the caller's window list. */
  id: number;
  start: number;
  end: number;
}

/** Row-index ranges of the windows, in time order; windows holding no row are dropped. */
function resolveWindows(
  timestamps: readonly number[],
  windows: readonly (readonly [number, number])[]
): IndexWindow[] {
  const out: IndexWindow[] = [];
  windows.forEach(([t1, t2], id) => {
    let start = -1;
    let end = -1;
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i]!;
      if (t >= t1 && t <= t2) {
        if (start < 0) start = i;
        end = i;
      }
    }
    if (start >= 0) out.push({ id, start, end });
  });
  return out.sort((a, b) => a.start - b.start);
}

/**
 * NAB `Sweeper.calcSweepScore`: for every row, the score it would earn as a detection, the window
 * it belongs to, and whether it is probationary. Independent of the detector.
 */
export function sweepFile(
  timestamps: readonly number[],
  windows: readonly (readonly [number, number])[],
  profile: CostProfile,
  options: ScoreOptions = {}
): SweepRow[] {
  const probation = probationaryLength(
    timestamps.length,
    options.probationaryPercent ?? PROBATIONARY_PERCENT
  );
  const maxTP = scaledSigmoid(-1);
  const ws = resolveWindows(timestamps, windows);
  const rows: SweepRow[] = new Array(timestamps.length);
  let next = 0;
  let cur: IndexWindow | null = null;
  let prev: IndexWindow | null = null;
  for (let i = 0; i < timestamps.length; i++) {
    if (cur === null && next < ws.length && ws[next]!.start === i) cur = ws[next++]!;
    let weight: number;
    if (cur !== null) {
      const width = cur.end - cur.start + 1;
      weight = (scaledSigmoid(-(cur.end - i + 1) / width) * profile.tpWeight) / maxTP;
    } else if (prev === null) {
      weight = -profile.fpWeight;
    } else {
      const prevWidth = prev.end - prev.start + 1;
      weight = scaledSigmoid(Math.abs(prev.end - i) / (prevWidth - 1)) * profile.fpWeight;
    }
    rows[i] = { weight, window: cur?.id ?? -1, probationary: i < probation };
    if (cur !== null && i === cur.end) {
      prev = cur;
      cur = null;
    }
  }
  return rows;
}

export interface FileScore {
  /** Raw NAB score of the file. */
  raw: number;
  /** Raw score of a detector that never fires on this file. */
  nullRaw: number;
  /** Labelled windows in the file (what `perfect` counts). */
  windows: number;
  /** Windows with at least one scorable (non-probationary) row. */
  scoredWindows: number;
  /** Windows credited with a detection. */
  tp: number;
  /** Scorable windows with no detection. */
  fn: number;
  /** Scored detections outside every window. */
  fp: number;
  /** Sum of the window credits (positive). */
  tpScore: number;
  /** Sum of the false-positive costs (≤ 0). */
  fpScore: number;
  /** Scored detections inside windows (NAB's row-level `tp` count). */
  tpRows: number;
  /** Row index of the detection credited to each window (by window id), −1 when missed. */
  firstDetection: number[];
}

/** Scores one file, exactly as NAB's `Sweeper.scoreDataSet` at a fixed threshold. */
export function scoreFile(
  input: NabFileInput,
  profile: CostProfile = STANDARD_PROFILE,
  options: ScoreOptions = {}
): FileScore {
  if (input.detections.length !== input.timestamps.length) {
    throw new Error(
      `detections (${input.detections.length}) and timestamps (${input.timestamps.length}) differ in length`
    );
  }
  const rows = sweepFile(input.timestamps, input.windows, profile, options);
  const n = input.windows.length;
  const scorable = new Array<boolean>(n).fill(false);
  const best = new Array<number>(n).fill(-profile.fnWeight);
  const firstDetection = new Array<number>(n).fill(-1);
  let fpScore = 0;
  let fp = 0;
  let tpRows = 0;
  rows.forEach((row, i) => {
    if (row.probationary) return;
    if (row.window >= 0) scorable[row.window] = true;
    if (!input.detections[i]) return;
    if (row.window >= 0) {
      tpRows++;
      if (row.weight > best[row.window]!) {
        best[row.window] = row.weight;
        firstDetection[row.window] = i;
      }
    } else {
      fp++;
      fpScore += row.weight;
    }
  });
  let tp = 0;
  let fn = 0;
  let tpScore = 0;
  let fnScore = 0;
  let scoredWindows = 0;
  for (let w = 0; w < n; w++) {
    if (!scorable[w]) continue;
    scoredWindows++;
    if (firstDetection[w]! >= 0) {
      tp++;
      tpScore += best[w]!;
    } else {
      fn++;
      fnScore += best[w]!;
    }
  }
  return {
    raw: tpScore + fnScore + fpScore,
    nullRaw: 0 - profile.fnWeight * scoredWindows,
    windows: n,
    scoredWindows,
    tp,
    fn,
    fp,
    tpScore,
    fpScore,
    tpRows,
    firstDetection
  };
}

export interface CorpusScore {
  /** Normalised NAB score: 100 perfect, 0 the null detector. */
  score: number;
  raw: number;
  nullRaw: number;
  perfect: number;
  tp: number;
  fn: number;
  fp: number;
  files: FileScore[];
}

/**
 * Scores a corpus as NAB's `scoreCorpus` + `Runner.normalize` do: raw, null and perfect are each
 * summed over all files, then normalised once.
 */
export function scoreCorpus(
  files: readonly NabFileInput[],
  profile: CostProfile = STANDARD_PROFILE,
  options: ScoreOptions = {}
): CorpusScore {
  const scored = files.map((f) => scoreFile(f, profile, options));
  const sum = (pick: (s: FileScore) => number) => scored.reduce((a, s) => a + pick(s), 0);
  const raw = sum((s) => s.raw);
  const nullRaw = sum((s) => s.nullRaw);
  const perfect = sum((s) => s.windows) * profile.tpWeight;
  return {
    score: normalise(raw, nullRaw, perfect),
    raw,
    nullRaw,
    perfect,
    tp: sum((s) => s.tp),
    fn: sum((s) => s.fn),
    fp: sum((s) => s.fp),
    files: scored
  };
}

/** Normalised NAB score of a corpus (see `scoreCorpus`). */
export function normalisedScore(
  files: readonly NabFileInput[],
  profile: CostProfile = STANDARD_PROFILE,
  options: ScoreOptions = {}
): number {
  return scoreCorpus(files, profile, options).score;
}

export interface NabScoredFile {
  timestamps: readonly number[];
  /** The detector's anomaly score per row. */
  anomalyScores: readonly number[];
  windows: readonly (readonly [number, number])[];
}

export interface ThresholdChoice {
  threshold: number;
  /** Raw corpus score at that threshold. */
  raw: number;
  /** Normalised corpus score at that threshold. */
  score: number;
}

/**
 * NAB's threshold optimiser (`optimizer.optimizeThreshold` over `Sweeper.calcScoreByThreshold`):
 * sweeps every distinct anomaly score of the corpus, from above the highest (nothing detected,
 * threshold 1.1) down, and returns the threshold with the highest raw score; ties go to the
 * higher threshold, as in NAB's stable sort.
 */
export function optimiseThreshold(
  files: readonly NabScoredFile[],
  profile: CostProfile = STANDARD_PROFILE,
  options: ScoreOptions = {}
): ThresholdChoice {
  interface Point {
    anomaly: number;
    weight: number;
    window: number;
  }
  const points: Point[] = [];
  const best: number[] = [];
  let perfect = 0;
  files.forEach((f) => {
    if (f.anomalyScores.length !== f.timestamps.length) {
      throw new Error('anomalyScores and timestamps differ in length');
    }
    const base = best.length;
    const seen = new Array<boolean>(f.windows.length).fill(false);
    sweepFile(f.timestamps, f.windows, profile, options).forEach((row, i) => {
      if (row.probationary) return;
      if (row.window >= 0) seen[row.window] = true;
      points.push({
        anomaly: f.anomalyScores[i]!,
        weight: row.weight,
        window: row.window >= 0 ? base + row.window : -1
      });
    });
    // Windows without scorable rows stay NaN: they never enter the score (as in NAB).
    seen.forEach((s) => best.push(s ? -profile.fnWeight : Number.NaN));
    perfect += f.windows.length * profile.tpWeight;
  });
  // Stable sort, highest anomaly score first (NAB `prepAnomalyListForScoring`).
  points.sort((a, b) => b.anomaly - a.anomaly);
  const nullRaw = best.reduce((a, b) => (Number.isNaN(b) ? a : a + b), 0);
  let total = nullRaw;
  let curThreshold = 1.1;
  let choice = { threshold: curThreshold, raw: total };
  const consider = () => {
    if (total > choice.raw) choice = { threshold: curThreshold, raw: total };
  };
  for (const p of points) {
    if (p.anomaly !== curThreshold) {
      consider();
      curThreshold = p.anomaly;
    }
    if (p.window < 0) {
      total += p.weight;
    } else if (p.weight > best[p.window]!) {
      total += p.weight - best[p.window]!;
      best[p.window] = p.weight;
    }
  }
  consider();
  return { ...choice, score: normalise(choice.raw, nullRaw, perfect) };
}
