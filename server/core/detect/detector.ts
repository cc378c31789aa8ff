/**
 * One streaming anomaly detector for one regular series (mentions per minute, negative share,
 * response-time p90, …). Pure and O(1) per row: a few additions and one square root, so a
 * thousand series update in well under a millisecond. A row's output depends only on the rows
 * before it and itself.
 *
 * How it decides, step by step:
 * 1. **Transform to unit noise.** Counts go through Anscombe's transform 2·√(x + 3/8), under
 *    which Poisson noise has a standard deviation of 1 whatever the level: 3 mentions against an
 *    expected 1 is not a spike, 300 against 100 is. Shares use the arcsine transform with their
 *    own count as exposure; durations use a log.
 * 2. **Expect with seasonality.** The expectation is a profile by hour of day (interpolated
 *    between hours) plus an offset by day of week, both learned slowly, plus the current
 *    deviation from that profile, learned fast ("today is busier"). Updates are clipped, so a
 *    spike barely moves the baseline it is measured against.
 * 3. **Standardise.** The residual is divided by a robust spread (the mean absolute residual,
 *    clipped, never below the noise of a Poisson count): spiky series earn a wider band.
 * 4. **Require persistence.** A one-sided CUSUM adds up how far each row's z exceeds a slack
 *    `k` and fires at `h`: one huge row fires at once, a moderate excess needs several rows,
 *    noise never accumulates. The slack rises with the series' recent spikiness (below), which
 *    would also silence a moderate rise that lasts, so a second, *sustained* CUSUM with a fixed
 *    slack adds each row's z capped at SUSTAINED_CAP: only persistence reaches its threshold
 *    `sustainedH` (at the cap, eight rows in a row), never one huge row. Presets low / balanced /
 *    high set `k`, `h` and `sustainedH`.
 * 5. **Alert once.** An alert is raised on the row the CUSUM crosses `h` (its onset) and stays
 *    active until the series has been back inside its band for `clearMs`; only onsets are alerts.
 * 6. **Adapt to level shifts.** When an alert has lasted `shiftMs` and the series is still
 *    above its band, the new level is accepted as normal: the baseline jumps to it, the alert
 *    resolves, and detection continues from the new level instead of alerting forever.
 */

export type Sensitivity = 'low' | 'balanced' | 'high';

/** How values are turned into something with unit noise. */
export type SeriesKind = 'count' | 'share' | 'duration';

export interface SensitivityPreset {
  /** Slack: z-scores below this never accumulate evidence. */
  k: number;
  /** Evidence (sum of z − k) needed to fire. */
  h: number;
  /**
   * Spikiness memory: the slack rises to this fraction of the largest z-score of the recent
   * past (decaying with a half-life of `tailHalfLifeMs`), so a series that spikes often must
   * spike harder to alert, and the aftershocks of a big spike do not alert again.
   */
  tail: number;
  tailHalfLifeMs: number;
  /**
   * Evidence the sustained CUSUM needs: the sum of min(z, SUSTAINED_CAP) − SUSTAINED_SLACK over
   * consecutive rows. Its slack never rises, so a level that stays well above its band alerts
   * even on a spiky series.
   */
  sustainedH: number;
}

const DAY_MS = 86_400_000;

/**
 * Presets. `balanced` (the default) was chosen on the NAB Twitter-volume development files among
 * a handful of round settings (k 2 or 3, h 11 or 15, a spikiness memory of 3 or 7 days, with or
 * without the sustained CUSUM), and checked by leaving each file out in turn: the setting chosen
 * on the other four was the same in four of five folds and never did worse on the file left out
 * than the previous default (README, "Spike detection"). `low` and `high` sit either side of it.
 */
export const SENSITIVITY: Readonly<Record<Sensitivity, SensitivityPreset>> = {
  low: { k: 3.5, h: 20, tail: 0.5, tailHalfLifeMs: 7 * DAY_MS, sustainedH: 45 },
  balanced: { k: 3, h: 15, tail: 0.4, tailHalfLifeMs: 7 * DAY_MS, sustainedH: 30 },
  high: { k: 2, h: 8, tail: 0.3, tailHalfLifeMs: 7 * DAY_MS, sustainedH: 20 }
};

export interface DetectorOptions {
  /** Interval between rows, in milliseconds (60,000 for the wall's per-minute series). */
  intervalMs: number;
  kind?: SeriesKind;
  sensitivity?: Sensitivity;
  /** No alert before this much history (the baseline needs some), in ms. Default 2 hours. */
  warmupMs?: number;
  /** An active alert clears after this long back inside the band, in ms. Default 3 hours. */
  clearMs?: number;
  /** An alert still above the band after this long is a level shift, in ms. Default 6 hours. */
  shiftMs?: number;
  /** Overrides the preset's numbers (back-testing a custom setting). */
  preset?: Partial<SensitivityPreset>;
}

/** The detector's verdict on one row. */
export interface DetectorStep {
  /** Expected value and band (about ±3 spreads), in the series' own units. */
  expected: number;
  lower: number;
  upper: number;
  /** Standardised residual of the row (positive: above expectation). */
  z: number;
  /** Anomaly score in [0, 1): evidence / (evidence + threshold) of the CUSUM nearer firing; 0.5 fires. */
  score: number;
  /** True only on the row that raises a new alert. */
  onset: boolean;
  /** True while an alert is active (including its onset row). */
  active: boolean;
  /** Severity 1–10 of the active alert (0 when none): how far beyond the band it went. */
  severity: number;
  /** Set on the row an active alert ends: why. */
  resolved: 'cleared' | 'level-shift' | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Band half-width in spreads. */
const BAND = 3;
/** Residuals are clipped at this many spreads before they update anything. */
const CLIP = 3;
/** Evidence is capped so that an alert can clear within a bounded time after a huge spike. */
const EVIDENCE_CAP = 4;
/** Slack of the sustained CUSUM, in spreads: rows this far above expectation add nothing. */
const SUSTAINED_SLACK = 2;
/** A row adds at most this z to the sustained CUSUM, so it measures duration, not height. */
const SUSTAINED_CAP = 6;
/** Smallest spread of a duration series, in log units (about ±5 %). */
const MIN_SPREAD_DURATION = 0.05;

function alpha(intervalMs: number, tauMs: number): number {
  return 1 - Math.exp(-intervalMs / tauMs);
}

export class Detector {
  readonly intervalMs: number;
  readonly kind: SeriesKind;
  readonly preset: SensitivityPreset;
  private readonly warmupRows: number;
  private readonly clearRows: number;
  private readonly shiftRows: number;
  // Learning rates per row.
  private readonly aHour: number;
  private readonly aDow: number;
  private readonly aDev: number;
  private readonly aSpread: number;

  /** Typical transformed value by hour of day (UTC), NaN until seen. */
  private readonly hours = new Float64Array(24).fill(Number.NaN);
  /** Offset by day of week from the hourly profile. */
  private readonly dows = new Float64Array(7);
  /** Current deviation from the seasonal profile. */
  private dev = 0;
  /** Mean absolute residual (robust spread / 1.25). */
  private mad = 0;
  private rows = 0;
  private evidence = 0;
  /** The sustained CUSUM's evidence (see SUSTAINED_CAP). */
  private sustained = 0;
  private active = false;
  private activeRows = 0;
  private calmRows = 0;
  private aboveRows = 0;
  private peakZ = 0;
  private tail = 0;
  /** Largest z of the episode under way (evidence above zero or an alert open). */
  private episodePeak = 0;
  private readonly tailDecay: number;

  constructor(opts: DetectorOptions) {
    this.intervalMs = opts.intervalMs;
    this.kind = opts.kind ?? 'count';
    this.preset = { ...SENSITIVITY[opts.sensitivity ?? 'balanced'], ...opts.preset };
    this.tailDecay = Math.pow(0.5, opts.intervalMs / this.preset.tailHalfLifeMs);
    const rows = (ms: number): number => Math.max(1, Math.round(ms / opts.intervalMs));
    this.warmupRows = rows(opts.warmupMs ?? 2 * HOUR);
    this.clearRows = rows(opts.clearMs ?? 3 * HOUR);
    this.shiftRows = rows(opts.shiftMs ?? 6 * HOUR);
    // Each hour bucket is visited for an hour a day: learn it over about 3 days of visits.
    this.aHour = alpha(opts.intervalMs, 7 * HOUR);
    this.aDow = alpha(opts.intervalMs, DAY);
    this.aDev = alpha(opts.intervalMs, HOUR);
    this.aSpread = alpha(opts.intervalMs, DAY);
  }

  /** Transformed value: counts get unit Poisson noise; shares are arcsine of the proportion. */
  private forward(value: number): number {
    const v = value > 0 ? value : 0;
    if (this.kind === 'count') return 2 * Math.sqrt(v + 0.375);
    if (this.kind === 'duration') return Math.log1p(v);
    return Math.asin(Math.sqrt(v > 1 ? 1 : v));
  }

  private inverse(y: number): number {
    if (this.kind === 'count') {
      const s = y > 0 ? y / 2 : 0;
      return Math.max(0, s * s - 0.375);
    }
    if (this.kind === 'duration') return Math.max(0, Math.expm1(y));
    const s = Math.sin(Math.min(Math.PI / 2, Math.max(0, y)));
    return s * s;
  }

  /**
   * Noise of one row in transformed units: 1 for counts (Poisson under Anscombe), 1 / (2√n) for a
   * share of n mentions (binomial under arcsine), and one unit for durations (their spread is
   * learned; MIN_SPREAD_DURATION floors it).
   */
  private noise(exposure: number): number {
    if (this.kind !== 'share') return 1;
    const n = Number.isFinite(exposure) && exposure >= 1 ? exposure : 1;
    return 1 / (2 * Math.sqrt(n));
  }

  /** Seasonal profile at `t` (hour interpolated, plus day-of-week offset), NaN if unseen. */
  private seasonal(t: number): number {
    const dayPos = (((t % DAY) + DAY) % DAY) / HOUR;
    const h0 = Math.floor(dayPos);
    const f = dayPos - h0;
    const a = this.hours[h0 % 24]!;
    const b = this.hours[(h0 + 1) % 24]!;
    const dow = Math.floor((((t % WEEK) + WEEK) % WEEK) / DAY);
    const base = Number.isNaN(a) ? b : Number.isNaN(b) ? a : a + (b - a) * f;
    return base + this.dows[dow]!;
  }

  /**
   * Feeds one row: `t` (epoch ms, the start of the interval), its `value`, and for shares the
   * number of mentions the share is of. Returns the verdict on this row.
   */
  update(t: number, value: number, exposure = 1): DetectorStep {
    if (!Number.isFinite(t)) return this.idle();
    const y = this.forward(Number.isFinite(value) ? value : 0);
    const hour = Math.floor((((t % DAY) + DAY) % DAY) / HOUR);
    const dow = Math.floor((((t % WEEK) + WEEK) % WEEK) / DAY);
    this.rows++;
    let season = this.seasonal(t);
    if (Number.isNaN(season)) {
      // First visit of this hour with no neighbour known: start it at the current expectation.
      const known = this.knownHour();
      this.hours[hour] = Number.isNaN(known) ? y : known;
      season = this.seasonal(t);
    }
    const expectedY = season + this.dev;
    const noise = this.noise(exposure);
    const minSpread = this.kind === 'duration' ? MIN_SPREAD_DURATION : 1;
    // The spread is in units of the row's own noise, so shares of different sizes compare.
    const spread = Math.max(minSpread, this.mad * 1.25);
    const r = y - expectedY;
    const e = r / noise;
    const z = e / spread;
    const warm = this.rows > this.warmupRows;

    // Evidence: one-sided CUSUM on z (upward excess). The slack is raised by the peaks of
    // earlier episodes only, never by the rows of the one being accumulated.
    const { h } = this.preset;
    const k = Math.max(this.preset.k, this.preset.tail * this.tail);
    let ev = this.evidence + z - k;
    if (ev < 0) ev = 0;
    if (ev > EVIDENCE_CAP * h) ev = EVIDENCE_CAP * h;
    if (!warm) ev = 0;
    this.evidence = ev;
    const { sustainedH } = this.preset;
    let sv = this.sustained + (z < SUSTAINED_CAP ? z : SUSTAINED_CAP) - SUSTAINED_SLACK;
    if (sv < 0 || !warm) sv = 0;
    if (sv > EVIDENCE_CAP * sustainedH) sv = EVIDENCE_CAP * sustainedH;
    this.sustained = sv;
    this.tail *= this.tailDecay;
    if (warm && z > this.episodePeak) this.episodePeak = z;

    let onset = false;
    let resolved: DetectorStep['resolved'] = null;
    if (!this.active && (ev >= h || sv >= sustainedH)) {
      this.active = true;
      onset = true;
      this.activeRows = 0;
      this.calmRows = 0;
      this.aboveRows = 0;
      this.peakZ = 0;
    }
    const wasActive = this.active;
    if (this.active) {
      this.activeRows++;
      if (z > this.peakZ) this.peakZ = z;
      this.calmRows = z <= BAND ? this.calmRows + 1 : 0;
      this.aboveRows = z > BAND ? this.aboveRows + 1 : this.aboveRows;
      if (this.calmRows >= this.clearRows && ev < h && sv < sustainedH) {
        this.active = false;
        resolved = 'cleared';
      } else if (
        this.activeRows >= this.shiftRows &&
        this.aboveRows >= this.shiftRows / 2 &&
        z > 0
      ) {
        // Still high after shiftMs: the new level is the normal now.
        this.active = false;
        resolved = 'level-shift';
        // The whole daily profile moves to it, not just today's deviation: the deviation decays
        // as the hours visited learn the new level, and the hours not visited yet would then
        // expect the old one again.
        const moved = this.dev + r;
        for (let i = 0; i < 24; i++) this.hours[i] = this.hours[i]! + moved;
        this.dev = 0;
        this.evidence = 0;
        this.sustained = 0;
      }
    }
    // An episode ends when its evidence is gone and no alert is open: its peak joins the memory.
    if (!this.active && this.evidence === 0 && this.sustained === 0) {
      if (this.episodePeak > this.tail) this.tail = this.episodePeak;
      this.episodePeak = 0;
    }

    // Learn, with residuals clipped so that spikes barely move the baseline. The fast deviation
    // follows today's level; the hourly profile (weighted between the two hours interpolated)
    // and the weekday offsets slowly absorb the deviation from the profile that repeats.
    const lim = CLIP * spread;
    const rc = (e > lim ? lim : e < -lim ? -lim : e) * noise;
    const n = this.rows;
    const u = this.dev + rc;
    if (resolved !== 'level-shift') this.dev += Math.max(this.aDev, 1 / n) * rc;
    const aHour = Math.max(this.aHour, 1 / n);
    const dayPos = (((t % DAY) + DAY) % DAY) / HOUR;
    const f = dayPos - hour;
    const next = (hour + 1) % 24;
    this.hours[hour] = this.hours[hour]! + aHour * (1 - f) * u;
    if (!Number.isNaN(this.hours[next]!)) this.hours[next] = this.hours[next]! + aHour * f * u;
    this.dows[dow] = this.dows[dow]! + this.aDow * u;
    this.mad += Math.max(this.aSpread, 1 / n) * (Math.abs(rc / noise) - this.mad);

    const severity = wasActive ? severityOf(Math.max(this.peakZ, z)) : 0;
    const half = BAND * spread * noise;
    return {
      expected: this.inverse(expectedY),
      lower: this.inverse(expectedY - half),
      upper: this.inverse(expectedY + half),
      z,
      score: Math.max(ev / (ev + h), sv / (sv + sustainedH)),
      onset,
      active: wasActive,
      severity,
      resolved
    };
  }

  /**
   * What `update(t, value, exposure)` would answer, without learning anything: used on a minute
   * still filling up. A count only grows as a minute fills, and the verdict is monotone in the
   * value, so a partial minute that already raises an alert is one the full minute raises too.
   */
  peek(t: number, value: number, exposure = 1): DetectorStep {
    const saved = {
      hours: this.hours.slice(),
      dows: this.dows.slice(),
      dev: this.dev,
      mad: this.mad,
      rows: this.rows,
      evidence: this.evidence,
      sustained: this.sustained,
      active: this.active,
      activeRows: this.activeRows,
      calmRows: this.calmRows,
      aboveRows: this.aboveRows,
      peakZ: this.peakZ,
      tail: this.tail,
      episodePeak: this.episodePeak
    };
    const step = this.update(t, value, exposure);
    this.hours.set(saved.hours);
    this.dows.set(saved.dows);
    this.dev = saved.dev;
    this.mad = saved.mad;
    this.rows = saved.rows;
    this.evidence = saved.evidence;
    this.sustained = saved.sustained;
    this.active = saved.active;
    this.activeRows = saved.activeRows;
    this.calmRows = saved.calmRows;
    this.aboveRows = saved.aboveRows;
    this.peakZ = saved.peakZ;
    this.tail = saved.tail;
    this.episodePeak = saved.episodePeak;
    return step;
  }

  /** The answer to a row that cannot be placed in time: nothing learned, nothing raised. */
  private idle(): DetectorStep {
    return {
      expected: Number.NaN,
      lower: Number.NaN,
      upper: Number.NaN,
      z: 0,
      score: 0,
      onset: false,
      active: this.active,
      severity: 0,
      resolved: null
    };
  }

  private knownHour(): number {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < 24; i++) {
      const v = this.hours[i]!;
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n === 0 ? Number.NaN : sum / n;
  }
}

/** Severity 1–10 from the peak z-score: 3 spreads is 1, each doubling adds about two. */
export function severityOf(z: number): number {
  if (!(z > 0)) return 1;
  const s = 1 + 2.5 * Math.log2(Math.max(1, z / BAND));
  return Math.max(1, Math.min(10, Math.round(s)));
}
