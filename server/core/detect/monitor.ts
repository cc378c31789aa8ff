import {
  CHANNELS,
  type Detection,
  type DetectionDriver,
  type DetectionMetric,
  type BandPoint
} from '../../../src/lib/shared/types';
import { Detector, type DetectorStep, type Sensitivity } from './detector';

const MINUTE = 60_000;
/** Zero minutes a newly seen topic's or term's detector learns first (its warm-up is two hours). */
const PRIME_MINUTES = 180;
/** A term gets its own detector once a minute has at least this many texts mentioning it. */
const TERM_TRACK_MIN = 3;
/**
 * A term's onset is reported only when its minute has at least this many texts mentioning it:
 * a handful of texts is a conversation, not news, whatever the share.
 */
const TERM_ALERT_MIN = 5;

/** What one closed minute looked like, as the windows counted it. */
export interface MinuteObservation {
  /** Minute start, epoch ms. */
  start: number;
  total: number;
  /** Mentions per channel, in CHANNELS order. */
  byChannel: readonly number[];
  negative: number;
  /** Mentions with a sentiment (the negative share's denominator). */
  scored: number;
  /** First-response p90 of the replies in the minute, ms; null without replies. */
  p90Ms: number | null;
  /** Customer mentions waiting for a first reply at the end of the minute. */
  unanswered: number;
  /** Mentions per configured topic in the minute. */
  topics: ReadonlyMap<string, number>;
  /**
   * Terms (words, bigrams, hashtags) of the texts sampled in the minute: how many texts were
   * sampled and how many of them mention each term. Absent when terms are not counted.
   */
  terms?: TermMinute | null;
}

/** One minute of term counts from the emerging-terms sketch. */
export interface TermMinute {
  /** Texts sampled in the minute (the denominator of a term's share). */
  texts: number;
  /** Texts mentioning each term (lower bounds for rare terms, see EmergingTerms). */
  counts: ReadonlyMap<string, number>;
}

/** Rising terms at the time of a detection, offered as drivers (from the emerging-terms sketch). */
export interface TermContext {
  term: string;
  count: number;
  growth: number;
}

export interface MonitorOptions {
  sensitivity?: Sensitivity;
  /** Topic series tracked at most (the configured taxonomy is far smaller). */
  maxTopics?: number;
  /** Term series tracked at most; the least recently mentioned is dropped for a new one. */
  maxTerms?: number;
  /** Detections kept for the wall and the API. */
  keep?: number;
  /** Volume band points kept (one per minute). */
  bandMinutes?: number;
}

interface Series {
  id: string;
  metric: DetectionMetric;
  label: string;
  detector: Detector;
  last: DetectorStep | null;
  lastValue: number;
  /** Id of the open detection on this series, if any. */
  open: string | null;
  /** Exposure of the last row (texts sampled, for a term). */
  lastExposure: number;
  /** Start of the last minute the series' value was above zero. */
  lastSeen: number;
}

/**
 * Runs a detector on every per-minute series the wall counts (total volume, each channel, each
 * topic, negative share, first-response p90, unanswered queue) and turns onsets into
 * explained detections: observed vs expected with a band, a severity, and the channels, topics
 * and terms that account for the excess. Pure: minutes are fed in with their start time.
 */
export class SpikeMonitor {
  private readonly series = new Map<string, Series>();
  private readonly detections: Detection[] = [];
  private readonly band: BandPoint[] = [];
  /** Expected negative mentions per minute and band (the negative share's, times the scored). */
  private readonly negativeBand: BandPoint[] = [];
  private readonly sensitivity: Sensitivity;
  private readonly maxTopics: number;
  private readonly maxTerms: number;
  private termCount = 0;
  /** First minute that had term counts (terms are counted live only, not restored). */
  private firstTerms = Infinity;
  private readonly keep: number;
  private readonly bandMinutes: number;
  private lastStart = -Infinity;
  /** First minute fed, and the minute fed before the current one. */
  private first = Infinity;
  private previous = -Infinity;
  private nextId = 1;
  /** Detections raised early on a minute still filling, by series id: reused when it closes. */
  private readonly early = new Map<string, { start: number; id: string }>();

  constructor(opts: MonitorOptions = {}) {
    this.sensitivity = opts.sensitivity ?? 'balanced';
    this.maxTopics = opts.maxTopics ?? 200;
    this.maxTerms = opts.maxTerms ?? 500;
    this.keep = opts.keep ?? 50;
    this.bandMinutes = opts.bandMinutes ?? 1440;
  }

  /** Start of the last minute fed, or -Infinity. */
  get lastMinute(): number {
    return this.lastStart;
  }

  private get(
    id: string,
    metric: DetectionMetric,
    label: string,
    at?: number,
    primeExposure = 1
  ): Series {
    let s = this.series.get(id);
    if (!s) {
      const kind =
        metric === 'negative-share' || metric === 'term'
          ? 'share'
          : metric === 'response-p90'
            ? 'duration'
            : 'count';
      s = {
        id,
        metric,
        label,
        detector: new Detector({ intervalMs: MINUTE, kind, sensitivity: this.sensitivity }),
        last: null,
        lastValue: 0,
        open: null,
        lastExposure: 0,
        lastSeen: -Infinity
      };
      this.series.set(id, s);
      if (metric === 'term') this.termCount++;
      // A topic or term first seen now had (next to) no mentions in the minutes already fed:
      // its detector learns that history (up to PRIME_MINUTES of zeros), so one that appears
      // from nothing is a jump against its own baseline, not a new series still warming up.
      const since = metric === 'term' ? this.firstTerms : this.first;
      if (
        at !== undefined &&
        (metric === 'topic' || metric === 'term') &&
        Number.isFinite(this.previous) &&
        since < at
      ) {
        const from = Math.max(since, at - PRIME_MINUTES * MINUTE);
        for (let t = from; t < at; t += MINUTE) s.detector.update(t, 0, primeExposure);
      }
    }
    return s;
  }

  private step(s: Series, start: number, value: number, exposure = 1): DetectorStep {
    const r = s.detector.update(start, value, exposure);
    s.last = r;
    s.lastValue = value;
    s.lastExposure = exposure;
    if (value > 0) s.lastSeen = start;
    return r;
  }

  /**
   * Feeds one closed minute (minutes must come in order; a minute at or before the last one fed
   * is ignored). Returns the detections raised in it, newest state of each.
   */
  observeMinute(obs: MinuteObservation, terms: readonly TermContext[] = []): Detection[] {
    if (obs.start <= this.lastStart) return [];
    this.previous = this.lastStart;
    this.lastStart = obs.start;
    if (!Number.isFinite(this.first)) this.first = obs.start;
    const raised: Series[] = [];
    const stepped: Series[] = [];
    const feed = (s: Series, value: number, exposure = 1): void => {
      const r = this.step(s, obs.start, value, exposure);
      stepped.push(s);
      if (r.onset) raised.push(s);
    };

    const volume = this.get('volume', 'volume', 'Mentions');
    feed(volume, obs.total);
    const v = volume.last!;
    this.band.push({
      t: obs.start,
      expected: round1(v.expected),
      lower: round1(v.lower),
      upper: round1(v.upper)
    });
    if (this.band.length > this.bandMinutes)
      this.band.splice(0, this.band.length - this.bandMinutes);

    CHANNELS.forEach((c, i) => feed(this.get(`channel:${c}`, 'channel', c), obs.byChannel[i] ?? 0));
    for (const [name, count] of obs.topics) {
      if (!this.series.has(`topic:${name}`) && this.topicCount() >= this.maxTopics) continue;
      feed(this.get(`topic:${name}`, 'topic', name, obs.start), count);
    }
    // Known topics with no mention this minute count zero, so their series stay regular.
    for (const s of this.series.values()) {
      if (s.metric === 'topic' && !obs.topics.has(s.label)) feed(s, 0);
    }
    if (obs.scored > 0) {
      const neg = this.get('negative-share', 'negative-share', 'Negative share');
      feed(neg, obs.negative / obs.scored, obs.scored);
      const r = neg.last!;
      this.negativeBand.push({
        t: obs.start,
        expected: round1(r.expected * obs.scored),
        lower: round1(r.lower * obs.scored),
        upper: round1(r.upper * obs.scored)
      });
      if (this.negativeBand.length > this.bandMinutes)
        this.negativeBand.splice(0, this.negativeBand.length - this.bandMinutes);
    }
    if (obs.p90Ms !== null) {
      feed(this.get('response-p90', 'response-p90', 'First response p90'), obs.p90Ms);
    }
    feed(this.get('unanswered', 'unanswered', 'Unanswered queue'), obs.unanswered);
    if (obs.terms && obs.terms.texts > 0) this.feedTerms(obs.start, obs.terms, feed);

    // Close detections whose series resolved this minute.
    for (const s of stepped) {
      if (s.open !== null && s.last?.resolved) {
        const d = this.detections.find((x) => x.id === s.open);
        if (d) {
          d.state = 'resolved';
          d.resolvedAt = obs.start + MINUTE;
          d.resolution = s.last.resolved;
        }
        s.open = null;
      }
    }
    const out: Detection[] = [];
    for (const s of raised) {
      const r = s.last!;
      const early = this.early.get(s.id);
      if (early && early.start === obs.start) {
        // Raised while the minute was filling: the same detection, now with the whole minute.
        this.early.delete(s.id);
        const d = this.detections.find((x) => x.id === early.id);
        if (d) {
          d.observed = round1(s.lastValue);
          d.expected = round1(r.expected);
          d.lower = round1(r.lower);
          d.upper = round1(r.upper);
          d.severity = Math.max(d.severity, r.severity);
          d.score = Math.round(r.score * 1000) / 1000;
          s.open = d.id;
          out.push(d);
          continue;
        }
      }
      // A term's share is a fraction of the sampled texts; its count is what a person reads.
      if (s.metric === 'term' && s.lastValue * s.lastExposure < TERM_ALERT_MIN - 1e-9) continue;
      const scale = s.metric === 'term' ? s.lastExposure : 1;
      const d: Detection = {
        id: `d${obs.start.toString(36)}-${this.nextId++}`,
        series: s.id,
        metric: s.metric,
        label: s.label,
        at: obs.start,
        observed: round1(s.lastValue * scale),
        expected: round1(r.expected * scale),
        lower: round1(r.lower * scale),
        upper: round1(r.upper * scale),
        severity: r.severity,
        score: Math.round(r.score * 1000) / 1000,
        state: 'active',
        resolvedAt: null,
        resolution: null,
        drivers: s.metric === 'volume' || s.metric === 'negative-share' ? this.drivers(terms) : []
      };
      s.open = d.id;
      this.detections.unshift(d);
      out.push(d);
    }
    // Early detections of this minute or before are settled (completed above, or never).
    for (const [id, e] of this.early) if (e.start <= obs.start) this.early.delete(id);
    if (this.detections.length > this.keep) this.detections.length = this.keep;
    return out;
  }

  /**
   * Feeds the term series: every tracked term (zero when not mentioned this minute), and a new
   * series for each term mentioned by at least TERM_TRACK_MIN texts, dropping the least recently
   * mentioned term without an open detection when maxTerms are tracked. Values are shares of
   * the sampled texts, so sampling under heavy traffic does not look like a drop.
   */
  private feedTerms(
    start: number,
    terms: TermMinute,
    feed: (s: Series, value: number, exposure: number) => void
  ): void {
    const n = terms.texts;
    if (!Number.isFinite(this.firstTerms)) this.firstTerms = start;
    for (const s of this.series.values()) {
      if (s.metric === 'term') feed(s, (terms.counts.get(s.label) ?? 0) / n, n);
    }
    const fresh = [...terms.counts]
      .filter(([t, c]) => c >= TERM_TRACK_MIN && !this.series.has(`term:${t}`))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [term, count] of fresh) {
      if (this.termCount >= this.maxTerms && !this.dropStaleTerm(start)) break;
      feed(this.get(`term:${term}`, 'term', term, start, n), count / n, n);
    }
  }

  /** Drops the least recently mentioned term series without an open detection. */
  private dropStaleTerm(now: number): boolean {
    let victim: Series | null = null;
    for (const s of this.series.values()) {
      if (s.metric !== 'term' || s.open !== null || s.lastSeen >= now) continue;
      if (!victim || s.lastSeen < victim.lastSeen) victim = s;
    }
    if (!victim) return false;
    this.series.delete(victim.id);
    this.termCount--;
    return true;
  }

  /** Terms with an active detection (rising against their own baseline), newest first. */
  risingTerms(): string[] {
    return this.detections
      .filter((d) => d.metric === 'term' && d.state === 'active')
      .map((d) => d.label);
  }

  /**
   * Looks at the minute after the last one fed while it is still filling (total and channel
   * counts so far) and raises, at once, the volume and channel detections that minute already
   * makes certain: counts only grow, so the closed minute will raise them too (and then
   * completes the same detection). Cuts the time to alert from up to a minute to a tick.
   * Returns the detections raised now.
   */
  peekMinute(start: number, total: number, byChannel: readonly number[]): Detection[] {
    if (start !== this.lastStart + MINUTE) return [];
    const out: Detection[] = [];
    const look = (s: Series | undefined, value: number): DetectorStep | null => {
      if (!s || s.open !== null || this.early.has(s.id)) return null;
      const r = s.detector.peek(start, value);
      return r.onset ? r : null;
    };
    const candidates: [Series, number][] = [];
    const volume = this.series.get('volume');
    if (volume) candidates.push([volume, total]);
    CHANNELS.forEach((c, i) => {
      const s = this.series.get(`channel:${c}`);
      if (s) candidates.push([s, byChannel[i] ?? 0]);
    });
    for (const [s, value] of candidates) {
      const r = look(s, value);
      if (!r) continue;
      const d: Detection = {
        id: `d${start.toString(36)}-${this.nextId++}`,
        series: s.id,
        metric: s.metric,
        label: s.label,
        at: start,
        observed: round1(value),
        expected: round1(r.expected),
        lower: round1(r.lower),
        upper: round1(r.upper),
        severity: r.severity,
        score: Math.round(r.score * 1000) / 1000,
        state: 'active',
        resolvedAt: null,
        resolution: null,
        drivers: s.metric === 'volume' ? this.earlyDrivers(start, byChannel) : []
      };
      s.open = d.id;
      this.early.set(s.id, { start, id: d.id });
      this.detections.unshift(d);
      out.push(d);
    }
    if (this.detections.length > this.keep) this.detections.length = this.keep;
    return out;
  }

  /** Channel drivers of a minute still filling: each channel's count so far over its expectation. */
  private earlyDrivers(start: number, byChannel: readonly number[]): DetectionDriver[] {
    const rows: { name: string; observed: number; expected: number; excess: number }[] = [];
    let sum = 0;
    CHANNELS.forEach((c, i) => {
      const s = this.series.get(`channel:${c}`);
      if (!s) return;
      const value = byChannel[i] ?? 0;
      const expected = s.detector.peek(start, value).expected;
      const excess = value - expected;
      if (!(excess > 0)) return;
      rows.push({ name: c, observed: value, expected, excess });
      sum += excess;
    });
    rows.sort((a, b) => b.excess - a.excess || a.name.localeCompare(b.name));
    return rows
      .filter((x) => x.excess >= 0.05 * sum)
      .slice(0, 3)
      .map((x) => ({
        kind: 'channel' as const,
        name: x.name,
        observed: round1(x.observed),
        expected: round1(x.expected),
        share: Math.round((x.excess / sum) * 100) / 100
      }));
  }

  private topicCount(): number {
    let n = 0;
    for (const s of this.series.values()) if (s.metric === 'topic') n++;
    return n;
  }

  /**
   * What accounts for the excess: every channel and topic series whose observed value this
   * minute is above its own expectation, as a share of the summed excess, largest first; plus
   * the rising terms.
   */
  private drivers(terms: readonly TermContext[]): DetectionDriver[] {
    const parts: DetectionDriver[] = [];
    for (const kind of ['channel', 'topic'] as const) {
      const rows: { name: string; observed: number; expected: number; excess: number }[] = [];
      let sum = 0;
      for (const s of this.series.values()) {
        if (s.metric !== kind || !s.last) continue;
        const excess = s.lastValue - s.last.expected;
        if (excess <= 0) continue;
        rows.push({ name: s.label, observed: s.lastValue, expected: s.last.expected, excess });
        sum += excess;
      }
      rows.sort((a, b) => b.excess - a.excess || a.name.localeCompare(b.name));
      // A part under 5% of the excess explains nothing.
      for (const r of rows.filter((x) => x.excess >= 0.05 * sum).slice(0, 3)) {
        parts.push({
          kind,
          name: r.name,
          observed: round1(r.observed),
          expected: round1(r.expected),
          share: Math.round((r.excess / sum) * 100) / 100
        });
      }
    }
    for (const t of terms.slice(0, 3)) {
      parts.push({ kind: 'term', name: t.term, observed: t.count, expected: null, share: null });
    }
    return parts;
  }

  /** Adds drivers found outside the series (authors) to a detection. */
  addDrivers(id: string, drivers: readonly DetectionDriver[]): void {
    const d = this.detections.find((x) => x.id === id);
    if (d) d.drivers.push(...drivers);
  }

  /** Detections, newest first (active and recently resolved). */
  recent(): Detection[] {
    return this.detections.map((d) => ({ ...d, drivers: d.drivers.slice() }));
  }

  /** The expected band of total volume per minute, oldest first. */
  volumeBand(): BandPoint[] {
    return this.band.slice();
  }

  /** Expected negative mentions per minute and band, oldest first (minutes with a sentiment). */
  negativeBandPoints(): BandPoint[] {
    return this.negativeBand.slice();
  }

  /** The volume band points from `since` (exclusive) on. */
  bandSince(since: number): BandPoint[] {
    return pointsSince(this.band, since);
  }

  /** The negative band points from `since` (exclusive) on. */
  negativeBandSince(since: number): BandPoint[] {
    return pointsSince(this.negativeBand, since);
  }
}

function pointsSince(band: readonly BandPoint[], since: number): BandPoint[] {
  let i = band.length;
  while (i > 0 && band[i - 1]!.t > since) i--;
  return band.slice(i);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
