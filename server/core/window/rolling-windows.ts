import {
  CHANNELS,
  WINDOW_MS,
  emptySeriesBlock,
  type Channel,
  type SeriesBlock,
  type SeriesPoint,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';
import { SKETCH_BUCKETS, sketchIndex, sketchQuantile } from './quantile';
import { Ring } from './ring';
import { RefLog } from '../ref-log';

/** Field offsets inside one bucket's counters. */
export const F = {
  total: 0,
  channel0: 1,
  negative: 1 + CHANNELS.length,
  neutral: 2 + CHANNELS.length,
  positive: 3 + CHANNELS.length,
  /** Customer mentions (not from a brand handle). */
  customer: 4 + CHANNELS.length,
  /** Customer mentions of this bucket that have since received a brand reply. */
  answered: 5 + CHANNELS.length,
  /** First brand replies that arrived in this bucket (their delays are in the sketch). */
  replies: 6 + CHANNELS.length
} as const;

/** Number of counters per bucket. */
export const FIELD_COUNT = 7 + CHANNELS.length;

const SECOND = 1000;
const MINUTE = 60_000;
/** Per-second history kept: 15 minutes. */
export const SECONDS_KEPT = 900;
/** Per-minute history kept: 24 hours. */
export const MINUTES_KEPT = 1440;

const CHANNEL_INDEX = new Map<string, number>(CHANNELS.map((c, i) => [c, i]));

/** What the windows need to know about one enriched mention. */
export interface WindowInput {
  /**
   * The mention's reference: its row seq in the store, or a number of the caller's own (never
   * one a stored row has); 0 when it has none (it is then not waited on for a reply). A number,
   * not a `source:id` string: the windows keep hundreds of thousands of them under a firehose,
   * and a small integer costs the garbage collector nothing.
   */
  ref: number;
  channel: Channel;
  createdAt: number;
  label: 'negative' | 'neutral' | 'positive';
  /** Author is a configured brand handle. */
  isBrand: boolean;
  /** Reference of the customer mention this replies to when known (see `ref`), else 0. */
  replyToRef: number;
}

/** One stored per-minute rollup row. */
export interface MinuteRollup {
  start: number;
  counts: number[];
  /** Sparse response-time sketch: [bucketIndex, count, bucketIndex, count, ...]. */
  sketch: number[];
}

/**
 * Rolling windows over a live mention stream: per-second buckets for 15 minutes and per-minute
 * buckets for 24 hours, with volume per channel, sentiment counts, first-response times and the
 * unanswered customer queue. Pure: every call takes `now`; nothing reads a clock.
 */
export class RollingWindows {
  readonly seconds = new Ring(SECONDS_KEPT, SECOND, FIELD_COUNT, SKETCH_BUCKETS);
  readonly minutes = new Ring(MINUTES_KEPT, MINUTE, FIELD_COUNT, SKETCH_BUCKETS);
  /**
   * Unanswered customer mentions' creation times by reference, oldest reference first: numbers
   * in typed arrays, no object or string per mention (ref-log.ts).
   */
  private readonly pending = new RefLog();
  private dirtySeconds = new Set<number>();
  private dirtyMinutes = new Set<number>();
  private lastTickSecond = -1;
  private lastTickMinute = -1;
  /** Mentions older than the history kept, counted but not placed in any bucket. */
  lateDropped = 0;

  constructor(private readonly pendingCap = 200_000) {}

  /** Adds one mention at time `now`; timestamps in the future are clamped to `now`. */
  add(m: WindowInput, now: number): void {
    const t = m.createdAt > now ? now : m.createdAt;
    const s = this.seconds.slot(t, now);
    const mi = this.minutes.slot(t, now);
    if (s < 0 && mi < 0) {
      this.lateDropped++;
      return;
    }
    const ch = CHANNEL_INDEX.get(m.channel) ?? 0;
    const sentimentField =
      m.label === 'negative' ? F.negative : m.label === 'positive' ? F.positive : F.neutral;
    this.bump(s, mi, F.total, 1);
    this.bump(s, mi, F.channel0 + ch, 1);
    this.bump(s, mi, sentimentField, 1);
    if (s >= 0) this.dirtySeconds.add(this.seconds.startOf(s));
    if (mi >= 0) this.dirtyMinutes.add(this.minutes.startOf(mi));

    if (m.isBrand) {
      if (m.replyToRef === 0) return;
      const parent = this.pending.delete(m.replyToRef);
      if (parent === undefined) return;
      this.recordResponse(s, mi, Math.max(0, t - parent));
      this.markAnswered(parent, now);
      return;
    }
    this.bump(s, mi, F.customer, 1);
    if (m.ref === 0 || this.pending.has(m.ref)) return;
    this.track(m.ref, t);
  }

  /** Starts waiting for a reply to `ref`; evicts the oldest beyond the cap. */
  private track(ref: number, createdAt: number): void {
    this.pending.set(ref, createdAt);
    // Oldest first: a reply this late no longer counts as a first response we can time.
    while (this.pending.size > this.pendingCap) this.pending.deleteOldest();
  }

  /**
   * Creation times of the customer mentions waiting longest for a first brand reply, at most
   * `limit`, in row order (about oldest first): what an SLA rule reads.
   */
  oldestPending(limit: number): number[] {
    const out: number[] = [];
    if (limit > 0) this.pending.forEach((createdAt) => out.push(createdAt) < limit);
    return out;
  }

  /** Number of customer mentions currently waiting for a first brand reply (bounded). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Drops waiting mentions older than 24 hours: they are outside every window. */
  expire(now: number): void {
    const horizon = now - MINUTES_KEPT * MINUTE;
    for (let o = this.pending.oldest(); o && o.value < horizon; o = this.pending.oldest()) {
      this.pending.deleteOldest();
    }
  }

  /** Aggregates of one window ending at `now`. */
  summary(window: WindowKey, now: number): WindowSummary {
    const span = WINDOW_MS[window];
    const ring = span <= SECONDS_KEPT * SECOND ? this.seconds : this.minutes;
    const sums = new Array<number>(FIELD_COUNT).fill(0);
    const sketch = new Uint32Array(SKETCH_BUCKETS);
    const newest = Math.floor(now / ring.stepMs) * ring.stepMs;
    const oldest = newest - span + ring.stepMs;
    for (let start = oldest; start <= newest; start += ring.stepMs) {
      const slot = ring.find(start);
      if (slot < 0) continue;
      const base = slot * FIELD_COUNT;
      for (let f = 0; f < FIELD_COUNT; f++) sums[f]! += ring.counts[base + f]!;
      if (ring.counts[base + F.replies]! > 0) {
        const sb = slot * SKETCH_BUCKETS;
        for (let i = 0; i < SKETCH_BUCKETS; i++) sketch[i]! += ring.sketch[sb + i]!;
      }
    }
    return summaryFrom(window, now, sums, sketch);
  }

  /** Columnar history of one ring, every bucket from `now` back over the whole horizon. */
  series(ring: Ring, now: number): SeriesBlock {
    const newest = Math.floor(now / ring.stepMs) * ring.stepMs;
    const block: SeriesBlock = emptySeriesBlock(ring.stepMs);
    for (
      let start = newest - (ring.size - 1) * ring.stepMs;
      start <= newest;
      start += ring.stepMs
    ) {
      const p = this.point(ring, start);
      block.t.push(p.t);
      block.total.push(p.total);
      p.byChannel.forEach((v, i) => block.byChannel[i]!.push(v));
      block.negative.push(p.negative);
      block.neutral.push(p.neutral);
      block.positive.push(p.positive);
      block.unanswered.push(p.unanswered);
      block.responseP50Ms.push(p.responseP50Ms);
    }
    return block;
  }

  /**
   * Chart points changed since the previous call: every bucket from the last call up to `now`
   * (zeros included, so charts have no holes) plus older buckets that late data touched.
   */
  changes(now: number): { seconds: SeriesPoint[]; minutes: SeriesPoint[] } {
    const sec = Math.floor(now / SECOND) * SECOND;
    const min = Math.floor(now / MINUTE) * MINUTE;
    const seconds = this.collect(this.seconds, this.dirtySeconds, this.lastTickSecond, sec);
    const minutes = this.collect(this.minutes, this.dirtyMinutes, this.lastTickMinute, min);
    this.lastTickSecond = sec;
    this.lastTickMinute = min;
    this.dirtySeconds = new Set();
    this.dirtyMinutes = new Set();
    return { seconds, minutes };
  }

  /** Minute rollups changed since the previous call, for persistence. */
  takeDirtyMinutes(): MinuteRollup[] {
    const out: MinuteRollup[] = [];
    for (const start of this.pendingRollups) {
      const slot = this.minutes.find(start);
      if (slot >= 0) out.push(this.minutes.rollup(slot));
    }
    this.pendingRollups.clear();
    return out;
  }

  /** Restores one stored minute rollup (after a restart). */
  restoreMinute(r: MinuteRollup, now: number): void {
    const slot = this.minutes.slot(r.start, now);
    if (slot < 0) return;
    this.minutes.load(slot, r);
  }

  /** Empties one bucket of a ring so it can be recomputed from raw mentions (after a restart). */
  clearBucket(ring: Ring, start: number, now: number): void {
    const slot = ring.slot(start, now);
    if (slot < 0) return;
    ring.counts.fill(0, slot * FIELD_COUNT, (slot + 1) * FIELD_COUNT);
    ring.sketch.fill(0, slot * SKETCH_BUCKETS, (slot + 1) * SKETCH_BUCKETS);
    this.pendingRollups.add(start);
  }

  /**
   * Restores one stored mention into one ring (after a restart), with whether it has been
   * answered and, for a first brand reply, its response time. Restored minutes are flushed again.
   */
  restoreInto(
    ring: Ring,
    m: WindowInput,
    answered: boolean,
    responseMs: number | null,
    now: number
  ): void {
    const s = ring.slot(m.createdAt, now);
    if (s < 0) return;
    if (ring === this.minutes) this.pendingRollups.add(ring.startOf(s));
    const ch = CHANNEL_INDEX.get(m.channel) ?? 0;
    const base = s * FIELD_COUNT;
    const c = ring.counts;
    c[base + F.total]! += 1;
    c[base + F.channel0 + ch]! += 1;
    c[
      base + (m.label === 'negative' ? F.negative : m.label === 'positive' ? F.positive : F.neutral)
    ]! += 1;
    if (!m.isBrand) {
      c[base + F.customer]! += 1;
      if (answered) c[base + F.answered]! += 1;
    } else if (responseMs !== null) {
      c[base + F.replies]! += 1;
      ring.sketch[s * SKETCH_BUCKETS + sketchIndex(responseMs)]! += 1;
    }
  }

  /** Restores a customer mention still waiting for a reply (after a restart), by its row seq. */
  restorePending(ref: number, createdAt: number): void {
    if (ref !== 0 && this.pending.size < this.pendingCap && !this.pending.has(ref))
      this.track(ref, createdAt);
  }

  private readonly pendingRollups = new Set<number>();

  private bump(s: number, mi: number, field: number, by: number): void {
    if (s >= 0) this.seconds.counts[s * FIELD_COUNT + field]! += by;
    if (mi >= 0) {
      this.minutes.counts[mi * FIELD_COUNT + field]! += by;
      this.pendingRollups.add(this.minutes.startOf(mi));
    }
  }

  private recordResponse(s: number, mi: number, delayMs: number): void {
    const idx = sketchIndex(delayMs);
    this.bump(s, mi, F.replies, 1);
    if (s >= 0) this.seconds.sketch[s * SKETCH_BUCKETS + idx]! += 1;
    if (mi >= 0) this.minutes.sketch[mi * SKETCH_BUCKETS + idx]! += 1;
  }

  private markAnswered(parentCreatedAt: number, now: number): void {
    const s = this.seconds.slot(parentCreatedAt, now);
    const mi = this.minutes.slot(parentCreatedAt, now);
    this.bump(s, mi, F.answered, 1);
    // The parent's minute has one fewer unanswered: the KPI sparkline gets it again. Its second
    // is not resent (a firehose's replies would resend most of the 15 minutes every tick).
    if (mi >= 0) this.dirtyMinutes.add(this.minutes.startOf(mi));
  }

  private collect(ring: Ring, dirty: Set<number>, last: number, newest: number): SeriesPoint[] {
    const starts = new Set<number>();
    for (const d of dirty) if (d <= newest && d > newest - ring.size * ring.stepMs) starts.add(d);
    const from = last < 0 ? newest : Math.max(last, newest - (ring.size - 1) * ring.stepMs);
    for (let t = from; t <= newest; t += ring.stepMs) starts.add(t);
    return [...starts].sort((a, b) => a - b).map((start) => this.point(ring, start));
  }

  /**
   * One minute of the per-minute ring as the detectors read it: counters, the first-response
   * p90 of its replies, and its customer mentions still unanswered. Null when the minute is
   * not in the ring.
   */
  minuteFacts(start: number): {
    total: number;
    byChannel: number[];
    negative: number;
    scored: number;
    p90Ms: number | null;
    unanswered: number;
  } | null {
    const slot = this.minutes.find(start);
    if (slot < 0) return null;
    const base = slot * FIELD_COUNT;
    const c = this.minutes.counts;
    const byChannel = new Array<number>(CHANNELS.length);
    for (let i = 0; i < CHANNELS.length; i++) byChannel[i] = c[base + F.channel0 + i]!;
    const replies = c[base + F.replies]!;
    const sketch = this.minutes.sketch.subarray(slot * SKETCH_BUCKETS, (slot + 1) * SKETCH_BUCKETS);
    const p90 = replies > 0 ? sketchQuantile(sketch, 0.9, 0, replies) : null;
    return {
      total: c[base + F.total]!,
      byChannel,
      negative: c[base + F.negative]!,
      scored: c[base + F.negative]! + c[base + F.neutral]! + c[base + F.positive]!,
      p90Ms: p90 === null ? null : Math.round(p90),
      unanswered: Math.max(0, c[base + F.customer]! - c[base + F.answered]!)
    };
  }

  private point(ring: Ring, start: number): SeriesPoint {
    const slot = ring.find(start);
    const byChannel = new Array<number>(CHANNELS.length).fill(0);
    if (slot < 0) {
      return {
        t: start,
        total: 0,
        byChannel,
        negative: 0,
        neutral: 0,
        positive: 0,
        unanswered: 0,
        responseP50Ms: null
      };
    }
    const base = slot * FIELD_COUNT;
    const c = ring.counts;
    for (let i = 0; i < CHANNELS.length; i++) byChannel[i] = c[base + F.channel0 + i]!;
    const replies = c[base + F.replies]!;
    const p50 =
      replies > 0 ? sketchQuantile(ring.sketch, 0.5, slot * SKETCH_BUCKETS, replies) : null;
    return {
      t: start,
      total: c[base + F.total]!,
      byChannel,
      negative: c[base + F.negative]!,
      neutral: c[base + F.neutral]!,
      positive: c[base + F.positive]!,
      unanswered: Math.max(0, c[base + F.customer]! - c[base + F.answered]!),
      responseP50Ms: p50 === null ? null : Math.round(p50)
    };
  }
}

/** Builds a window summary from summed counters and a merged response-time sketch. */
export function summaryFrom(
  window: WindowKey,
  asOf: number,
  sums: ArrayLike<number>,
  sketch: ArrayLike<number>,
  spanMs: number = WINDOW_MS[window]
): WindowSummary {
  const volume = sums[F.total] ?? 0;
  const negative = sums[F.negative] ?? 0;
  const neutral = sums[F.neutral] ?? 0;
  const positive = sums[F.positive] ?? 0;
  const scored = negative + neutral + positive;
  const replies = sums[F.replies] ?? 0;
  const byChannel = {} as Record<Channel, number>;
  CHANNELS.forEach((c, i) => (byChannel[c] = sums[F.channel0 + i] ?? 0));
  return {
    window,
    asOf,
    volume,
    perMinute: round2(volume / (spanMs / MINUTE)),
    byChannel,
    sentiment: {
      negative,
      neutral,
      positive,
      net: scored === 0 ? 0 : round4((positive - negative) / scored)
    },
    responseTime: {
      count: replies,
      p50Ms: roundMs(sketchQuantile(sketch, 0.5, 0, replies)),
      p90Ms: roundMs(sketchQuantile(sketch, 0.9, 0, replies))
    },
    unanswered: Math.max(0, (sums[F.customer] ?? 0) - (sums[F.answered] ?? 0))
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
function roundMs(x: number | null): number | null {
  return x === null ? null : Math.round(x);
}

/**
 * Brings counters stored before channels were added up to the current layout: channels are only
 * ever appended to CHANNELS, so the missing ones are zeros after the stored channel columns.
 */
export function upgradeRollupCounts(counts: number[]): number[] {
  if (counts.length >= FIELD_COUNT) return counts;
  const storedChannels = counts.length - (FIELD_COUNT - CHANNELS.length);
  if (storedChannels < 0) return counts;
  const out = counts.slice();
  out.splice(
    F.channel0 + storedChannels,
    0,
    ...new Array<number>(FIELD_COUNT - counts.length).fill(0)
  );
  return out;
}
