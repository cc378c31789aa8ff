/**
 * Loads the NAB Twitter-volume files (see `../shared/data/README.md`, section `nab/`): the data
 * files, their labelled windows, the cost profiles and the published detectors' result files.
 * Timestamps are UTC wall-clock strings ("2015-03-03 04:37:53" or "… 04:37:53.000000") and are
 * returned as epoch milliseconds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { CostProfile } from './score';

export interface NabFile {
  /** Data file name, e.g. `Twitter_volume_AAPL.csv`. */
  name: string;
  timestamps: number[];
  values: number[];
  /** Labelled anomaly windows, `[start, end]` epoch ms, inclusive. */
  windows: [number, number][];
}

export interface NabResultFile {
  /** Data file name the results belong to, e.g. `Twitter_volume_AAPL.csv`. */
  name: string;
  timestamps: number[];
  anomalyScores: number[];
  /**
   * The published `S(t)_standard` column. Written by NAB's newer scorer it holds every row's
   * sweep score (what the row would earn as a detection); by the older one, only the scored
   * events (a window's credit or miss at its first row, each false positive's cost), else 0.
   */
  publishedStandard: number[] | null;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** Parses a NAB timestamp as UTC; throws on anything else. */
export function parseNabTime(s: string): number {
  const m = TIME.exec(s.trim());
  if (!m) throw new Error(`not a NAB timestamp: ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, se, frac] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), ms);
}

function readCsv(path: string): Record<string, string>[] {
  const buf = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function column(rows: Record<string, string>[], name: string, path: string): string[] {
  return rows.map((r, i) => {
    const v = r[name];
    if (v === undefined) throw new Error(`${path}: row ${i + 1} has no "${name}" column`);
    return v;
  });
}

/** True when `dir` looks like the NAB data directory. */
export function hasNab(dir: string): boolean {
  return existsSync(join(dir, 'windows.json')) && existsSync(join(dir, 'data'));
}

/** The data files under `dir/data` that have an entry in `dir/windows.json`, sorted by name. */
export function loadNab(dir: string): NabFile[] {
  const labels = JSON.parse(readFileSync(join(dir, 'windows.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  return readdirSync(join(dir, 'data'))
    .filter((name) => name.endsWith('.csv') && name in labels)
    .sort()
    .map((name) => {
      const path = join(dir, 'data', name);
      const rows = readCsv(path);
      return {
        name,
        timestamps: column(rows, 'timestamp', path).map(parseNabTime),
        values: column(rows, 'value', path).map(Number),
        windows: (labels[name] ?? []).map(
          ([a, b]) => [parseNabTime(a), parseNabTime(b)] as [number, number]
        )
      };
    });
}

/** The cost matrices of `dir/profiles.json`, by profile name. */
export function loadProfiles(dir: string): Record<string, CostProfile> {
  const raw = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as Record<
    string,
    { CostMatrix: CostProfile }
  >;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.CostMatrix]));
}

/** Detector names with a directory under `dir/results`. */
export function listDetectors(dir: string): string[] {
  const results = join(dir, 'results');
  if (!existsSync(results)) return [];
  return readdirSync(results, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A published detector's per-row anomaly scores, one entry per data file, sorted by name. */
export function loadResults(dir: string, detector: string): NabResultFile[] {
  const base = join(dir, 'results', detector);
  const prefix = `${detector}_`;
  return readdirSync(base)
    .filter((f) => f.startsWith(prefix) && /\.csv(\.gz)?$/.test(f))
    .sort()
    .map((f) => {
      const path = join(base, f);
      const rows = readCsv(path);
      return {
        name: f.slice(prefix.length).replace(/\.gz$/, ''),
        timestamps: column(rows, 'timestamp', path).map(parseNabTime),
        anomalyScores: column(rows, 'anomaly_score', path).map(Number),
        publishedStandard:
          rows.length > 0 && 'S(t)_standard' in rows[0]!
            ? column(rows, 'S(t)_standard', path).map(Number)
            : null
      };
    });
}
