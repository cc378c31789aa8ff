import { Detector, type DetectorOptions, type Sensitivity } from './detector';

/**
 * Runs the volume detector over a whole regular series, row by row, exactly as the live pipeline
 * feeds it: a row's output depends only on the rows up to it. Used by `npm run detect` and
 * `npm run eval:nab`.
 */
export interface SeriesPoint {
  /** Epoch milliseconds. */
  t: number;
  value: number;
}

export interface DetectRow {
  t: number;
  value: number;
  /** Anomaly score in [0, 1]. */
  score: number;
  /** True only on the row where a new alert is raised (its onset). */
  alert: boolean;
  expected: number;
  lower: number;
  upper: number;
  severity: number;
}

export type { Sensitivity };

export interface DetectSeriesOptions {
  sensitivity?: Sensitivity;
  /** Row interval in ms; by default the median gap between timestamps. */
  intervalMs?: number;
}

/** The median gap between consecutive timestamps (the series' regular interval), at least 1 ms. */
export function inferInterval(points: readonly SeriesPoint[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < points.length && gaps.length < 1001; i++) {
    const g = points[i]!.t - points[i - 1]!.t;
    if (g > 0) gaps.push(g);
  }
  if (gaps.length === 0) return 60_000;
  gaps.sort((a, b) => a - b);
  return Math.max(1, gaps[Math.floor(gaps.length / 2)]!);
}

/** The detector settings the live pipeline uses for a volume series at `intervalMs`. */
export function volumeDetectorOptions(
  intervalMs: number,
  sensitivity: Sensitivity = 'balanced'
): DetectorOptions {
  return { intervalMs, kind: 'count', sensitivity };
}

/**
 * Detection over a whole series in memory, exactly as {@link StreamingDetection} answers it row by
 * row (the interval is inferred from the first rows, as the command-line tool does).
 */
export function detectSeries(
  points: readonly SeriesPoint[],
  options: DetectSeriesOptions = {}
): DetectRow[] {
  const stream = new StreamingDetection(options);
  const out: DetectRow[] = [];
  for (const p of points) for (const r of stream.push(p)) out.push(r);
  for (const r of stream.end()) out.push(r);
  return out;
}

/**
 * Parses a series timestamp: epoch seconds or milliseconds, or `YYYY-MM-DD[ T]HH:MM[:SS[.f]]`
 * with an optional zone (`Z`, `+02:00`); without a zone it is UTC, as in NAB's files. NaN when
 * it is none of these or names a time that does not exist.
 */
export function parseSeriesTime(raw: string): number {
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Below 1e11 is seconds (until the year 5138), above is milliseconds.
    return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  }
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s
    );
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!];
  const second = m[6] ? +m[6] : 0;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls over a day that does not exist (February 30); a real date round-trips.
  const d = new Date(t);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return Number.NaN;
  const zone = m[8];
  if (!zone || zone === 'Z') return t;
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (+zm[2]! * 60 + +zm[3]!) * 60_000;
  if (+zm[2]! > 14 || +zm[3]! > 59) return Number.NaN;
  return zm[1] === '+' ? t - offset : t + offset;
}

/**
 * Detection over a stream of rows in constant memory: the first `probe` rows are held until the
 * interval is known (the median gap among them), then every row is answered as it arrives.
 */
export class StreamingDetection {
  private readonly held: SeriesPoint[] = [];
  private detector: Detector | null = null;

  constructor(
    private readonly options: DetectSeriesOptions = {},
    private readonly probe = 64
  ) {}

  /** Feeds one row; returns the rows that can be answered now (held rows come out in order). */
  push(p: SeriesPoint): DetectRow[] {
    if (this.detector) return [this.step(this.detector, p)];
    this.held.push(p);
    if (this.held.length < this.probe) return [];
    return this.release();
  }

  /** Answers the rows still held (a series shorter than the probe). */
  end(): DetectRow[] {
    return this.detector ? [] : this.release();
  }

  private release(): DetectRow[] {
    const intervalMs = this.options.intervalMs ?? inferInterval(this.held);
    const d = new Detector(volumeDetectorOptions(intervalMs, this.options.sensitivity));
    this.detector = d;
    const out = this.held.map((p) => this.step(d, p));
    this.held.length = 0;
    return out;
  }

  private step(d: Detector, p: SeriesPoint): DetectRow {
    const s = d.update(p.t, p.value);
    return {
      t: p.t,
      value: p.value,
      score: s.score,
      alert: s.onset,
      expected: s.expected,
      lower: s.lower,
      upper: s.upper,
      severity: s.severity
    };
  }
}
