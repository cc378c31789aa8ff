/**
 * `npm run eval:nab`: scores the volume detector on the NAB Twitter-volume files (standard
 * profile), side by side with six published NAB detectors re-scored by our NAB scorer
 * (`scripts/nab/score.ts`). Reads `../shared/data/nab` (or NAB_DATA) when present; without it,
 * says so and exits 0.
 *
 * Published detectors: each one's anomaly scores are thresholded at its standard-profile
 * threshold from NAB's `config/thresholds.json` (numenta/NAB), the five files are scored
 * together, and the normalised score must be within ±0.5 of the published figure
 * (`../shared/data/README.md`): REPRODUCED, else MISMATCH and a non-zero exit. The `S(t)` column
 * also checks our per-row weights, or per-file raw scores, against the `S(t)_standard` column
 * NAB wrote into each result file.
 *
 * Mission Control: the command-line tool (`npm run detect`, default settings) runs on each file
 * and its `alert` column is scored: a detection is a row where an alert is raised. The same
 * detector is also run in process for each sensitivity preset, and the tool's alerts must equal
 * the in-process `balanced` ones. Prints a table, a per-file breakdown for ours, and one JSON
 * line per detector.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Detector, type SensitivityPreset } from '../server/core/detect/detector';
import {
  detectSeries,
  inferInterval,
  volumeDetectorOptions,
  type DetectSeriesOptions
} from '../server/core/detect/series';
import {
  hasNab,
  listDetectors,
  loadNab,
  loadProfiles,
  loadResults,
  type NabFile,
  type NabResultFile
} from './nab/load';
import {
  detectionsAtThreshold,
  normalise,
  scoreCorpus,
  scoreFile,
  STANDARD_PROFILE,
  sweepFile,
  type CorpusScore,
  type CostProfile,
  type NabFileInput
} from './nab/score';

/** Standard-profile thresholds from numenta/NAB `config/thresholds.json`, published scores from the data README. */
const PUBLISHED: Record<string, { threshold: number; score: number }> = {
  ARTime: { threshold: 0.317486, score: 80.2 },
  contextOSE: { threshold: 0.7655273437500002, score: 64.4 },
  numenta: { threshold: 0.5421876907348634, score: 55.9 },
  twitterADVec: { threshold: 0.5, score: 57.6 },
  earthgeckoSkyline: { threshold: 0.5, score: 64.3 },
  windowedGaussian: { threshold: 1.0, score: 57.5 }
};
const TOLERANCE = 0.5;

const dir = resolve(process.env.NAB_DATA ?? join(process.cwd(), '..', 'shared', 'data', 'nab'));
if (!hasNab(dir)) {
  console.log(`no NAB data under ${dir}; set NAB_DATA to its directory`);
  process.exit(0);
}

const data = loadNab(dir);
const byName = new Map(data.map((f) => [f.name, f]));
let profile: CostProfile = STANDARD_PROFILE;
try {
  profile = loadProfiles(dir).standard ?? STANDARD_PROFILE;
} catch {
  // profiles.json is optional: NAB's standard profile is built in.
}

interface Row {
  detector: string;
  threshold: string;
  result: CorpusScore;
  published?: number;
  flag?: 'REPRODUCED' | 'MISMATCH';
  check?: string;
  ms?: number;
}

/** Compares our scoring with the `S(t)_standard` column NAB wrote into the result files. */
function checkAgainstPublished(files: NabResultFile[], result: CorpusScore): string {
  let maxDiff = 0;
  let mode = '';
  files.forEach((r, k) => {
    const col = r.publishedStandard;
    const f = byName.get(r.name)!;
    if (!col) return;
    const nonZero = col.filter((v) => v !== 0).length;
    if (nonZero > col.length / 2) {
      // Newer scorer: every row's sweep score.
      mode = 'per-row';
      sweepFile(f.timestamps, f.windows, profile).forEach((s, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(s.weight - col[i]!));
      });
    } else {
      // Older scorer: scored events only; they add up to the file's raw score.
      mode = 'per-file';
      const sum = col.reduce((a, b) => a + b, 0);
      maxDiff = Math.max(maxDiff, Math.abs(sum - result.files[k]!.raw));
    }
  });
  if (!mode) return 'n/a';
  return `${mode} ${maxDiff < 1e-6 ? 'ok' : `off by ${maxDiff.toExponential(1)}`}`;
}

function inputsFor(files: NabResultFile[], threshold: number): NabFileInput[] {
  return files.map((r) => {
    const f = byName.get(r.name);
    if (!f) throw new Error(`no data file for results ${r.name}`);
    if (
      f.timestamps.length !== r.timestamps.length ||
      f.timestamps.some((t, i) => t !== r.timestamps[i])
    ) {
      throw new Error(`results for ${r.name} do not line up with its data file`);
    }
    return {
      timestamps: f.timestamps,
      windows: f.windows,
      detections: detectionsAtThreshold(r.anomalyScores, threshold)
    };
  });
}

const rows: Row[] = [];
const available = new Set(listDetectors(dir));
for (const [detector, pub] of Object.entries(PUBLISHED)) {
  if (!available.has(detector)) {
    console.log(`no published results for ${detector} under ${join(dir, 'results')}; skipped`);
    continue;
  }
  const files = loadResults(dir, detector).filter((r) => byName.has(r.name));
  const result = scoreCorpus(inputsFor(files, pub.threshold), profile);
  rows.push({
    detector,
    threshold: String(+pub.threshold.toFixed(6)),
    result,
    published: pub.score,
    flag: Math.abs(result.score - pub.score) <= TOLERANCE ? 'REPRODUCED' : 'MISMATCH',
    check: checkAgainstPublished(files, result)
  });
}

function runOurs(options?: DetectSeriesOptions): { result: CorpusScore; ms: number } {
  const t0 = performance.now();
  const inputs = data.map((f: NabFile) => {
    const out = detectSeries(
      f.timestamps.map((t, i) => ({ t, value: f.values[i]! })),
      options
    );
    return { timestamps: f.timestamps, windows: f.windows, detections: out.map((r) => r.alert) };
  });
  const ms = performance.now() - t0;
  return { result: scoreCorpus(inputs, profile), ms };
}

/** Runs `npm run detect` on every file and scores its `alert` column. */
function runTool(): { result: CorpusScore; ms: number; alerts: boolean[][] } {
  const tmp = mkdtempSync(join(tmpdir(), 'mc-nab-'));
  const t0 = performance.now();
  try {
    const alerts = data.map((f: NabFile) => {
      const out = join(tmp, f.name);
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/detect.ts',
          '--input',
          join(dir, 'data', f.name),
          '--output',
          out
        ],
        { encoding: 'utf8' }
      );
      if (r.status !== 0) throw new Error(`detect failed on ${f.name}: ${r.stderr}`);
      const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
      if (lines.length !== f.timestamps.length) {
        throw new Error(
          `detect wrote ${lines.length} rows for ${f.name}, expected ${f.timestamps.length}`
        );
      }
      return lines.map((l) => l.endsWith(',1'));
    });
    const inputs = data.map((f, i) => ({
      timestamps: f.timestamps,
      windows: f.windows,
      detections: alerts[i]!
    }));
    return { result: scoreCorpus(inputs, profile), ms: performance.now() - t0, alerts };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const tool = runTool();
rows.push({
  detector: 'mission-control (npm run detect)',
  threshold: 'alert',
  result: tool.result,
  ms: tool.ms
});
const inProcess = data.map((f) =>
  detectSeries(f.timestamps.map((t, i) => ({ t, value: f.values[i]! }))).map((r) => r.alert)
);
const toolAgrees = inProcess.every((a, i) => a.every((x, j) => x === tool.alerts[i]![j]));
if (!toolAgrees) {
  console.error('MISMATCH: the command-line tool and the in-process detector disagree');
  process.exitCode = 1;
}
const ours = { result: tool.result };
const variants: Array<DetectSeriesOptions['sensitivity']> = ['low', 'balanced', 'high'];
for (const sensitivity of variants) {
  rows.push({
    detector: `mission-control (${sensitivity})`,
    threshold: 'alert',
    ...runOurs({ sensitivity })
  });
}

const windows = data.reduce((a, f) => a + f.windows.length, 0);
const rowsTotal = data.reduce((a, f) => a + f.timestamps.length, 0);
console.log(
  `\nNAB standard profile (tp ${profile.tpWeight}, fn ${profile.fnWeight}, fp ${profile.fpWeight}), ` +
    `${data.length} files, ${rowsTotal} rows, ${windows} windows; TP/FN count windows, FP counts detections outside windows`
);
console.log(
  `${'detector'.padEnd(32)} ${'threshold'.padStart(9)} ${'score'.padStart(7)} ${'published'.padStart(9)} ${'flag'.padEnd(10)} ${'TP'.padStart(3)} ${'FN'.padStart(3)} ${'FP'.padStart(4)} ${'raw'.padStart(7)}  S(t) check`
);
for (const r of rows) {
  const s = r.result;
  console.log(
    `${r.detector.padEnd(32)} ${r.threshold.padStart(9)} ${s.score.toFixed(2).padStart(7)} ${(r.published?.toFixed(1) ?? '').padStart(9)} ${(r.flag ?? '').padEnd(10)} ${String(s.tp).padStart(3)} ${String(s.fn).padStart(3)} ${String(s.fp).padStart(4)} ${s.raw.toFixed(3).padStart(7)}  ${r.check ?? (r.ms !== undefined ? `(${Math.round(r.ms)} ms)` : '')}`
  );
}

console.log('\nmission-control per file');
console.log(
  `${'file'.padEnd(26)} ${'rows'.padStart(6)} ${'windows'.padStart(7)} ${'TP'.padStart(3)} ${'FN'.padStart(3)} ${'FP'.padStart(4)} ${'raw'.padStart(7)}  detected at (rows after window start)`
);
data.forEach((f, k) => {
  const s = ours.result.files[k]!;
  const at = s.firstDetection
    .map((i, w) => {
      if (i < 0) return '-';
      const start = f.timestamps.findIndex((t) => t >= f.windows[w]![0]);
      return `+${i - start}`;
    })
    .join(' ');
  console.log(
    `${f.name.padEnd(26)} ${String(f.timestamps.length).padStart(6)} ${String(s.windows).padStart(7)} ${String(s.tp).padStart(3)} ${String(s.fn).padStart(3)} ${String(s.fp).padStart(4)} ${s.raw.toFixed(3).padStart(7)}  ${at}`
  );
});

/**
 * Held-out check of the default: the grid of round settings `balanced` was picked from; for each
 * file, the setting with the best raw score on the other four files scores the file left out.
 */
function heldOut(): {
  score: number;
  chosen: string[];
  grid: { setting: string; score: number }[];
} {
  const DAY = 86_400_000;
  const settings: { name: string; preset: Partial<SensitivityPreset> }[] = [];
  for (const k of [2, 3])
    for (const h of [11, 15])
      for (const days of [3, 7])
        for (const sustained of [true, false])
          settings.push({
            name: `k ${k}, h ${h}, memory ${days} d, sustained ${sustained ? 'on' : 'off'}`,
            preset: { k, h, tailHalfLifeMs: days * DAY, sustainedH: sustained ? 30 : Infinity }
          });
  const scores = settings.map(({ preset }) =>
    data.map((f) => {
      const d = new Detector({
        ...volumeDetectorOptions(
          inferInterval(f.timestamps.slice(0, 64).map((t) => ({ t, value: 0 })))
        ),
        preset
      });
      const detections = f.values.map((v, i) => d.update(f.timestamps[i]!, v).onset);
      return scoreFile({ timestamps: f.timestamps, windows: f.windows, detections }, profile);
    })
  );
  let raw = 0;
  let nullRaw = 0;
  let perfect = 0;
  const chosen = data.map((f, i) => {
    let best = 0;
    let bestRaw = -Infinity;
    scores.forEach((files, j) => {
      const r = files.reduce((a, s, fi) => (fi === i ? a : a + s.raw), 0);
      if (r > bestRaw) [best, bestRaw] = [j, r];
    });
    const s = scores[best]![i]!;
    raw += s.raw;
    nullRaw += s.nullRaw;
    perfect += s.windows * profile.tpWeight;
    return `${f.name}: ${settings[best]!.name}`;
  });
  const grid = scores.map((files, j) => ({
    setting: settings[j]!.name,
    score: normalise(
      files.reduce((a, s) => a + s.raw, 0),
      files.reduce((a, s) => a + s.nullRaw, 0),
      files.reduce((a, s) => a + s.windows, 0) * profile.tpWeight
    )
  }));
  return { score: normalise(raw, nullRaw, perfect), chosen, grid };
}

const held = heldOut();
console.log(
  `
held-out check: each file scored with the best setting on the other four: ${held.score.toFixed(2)}`
);
for (const c of held.chosen) console.log(`  ${c}`);
console.log('the grid, all five files:');
for (const g of held.grid)
  console.log(`  ${g.setting.padEnd(42)} ${g.score.toFixed(2).padStart(7)}`);

console.log('');
console.log(
  JSON.stringify({
    eval: 'nab',
    profile: 'standard',
    detector: 'mission-control (held-out: best setting on the other four files)',
    score: +held.score.toFixed(2)
  })
);
for (const r of rows) {
  console.log(
    JSON.stringify({
      eval: 'nab',
      profile: 'standard',
      detector: r.detector,
      score: +r.result.score.toFixed(2),
      raw: +r.result.raw.toFixed(4),
      tp: r.result.tp,
      fn: r.result.fn,
      fp: r.result.fp,
      threshold: r.threshold,
      ...(r.published !== undefined ? { published: r.published, status: r.flag } : {})
    })
  );
}

const mismatches = rows.filter((r) => r.flag === 'MISMATCH').map((r) => r.detector);
if (mismatches.length > 0) {
  console.log(
    `\nMISMATCH: ${mismatches.join(', ')} not within ±${TOLERANCE} of the published score`
  );
  process.exitCode = 1;
}
