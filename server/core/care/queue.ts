import type {
  CareQueueItem,
  CareSummary,
  Channel,
  InfluenceTier,
  Intent,
  SentimentLabel,
  SlaClockState,
  SlaCompliance
} from '../../../src/lib/shared/types';
import { CHANNELS, INFLUENCE_TIERS, INTENTS } from '../../../src/lib/shared/types';
import { triagePriority, WAITING_MAX, WAITING_TAU_MINUTES } from '../enrich/priority';
import { RefLog } from '../ref-log';
import { StringTable } from '../string-table';
import { SKETCH_BUCKETS, sketchIndex, sketchQuantile } from '../window/quantile';
import type { SlaClock } from './sla';

/*
 * The live care queue: every open customer mention an SLA policy covers, with its clock, its
 * claim and its priority as of now. Pure: time comes in as `now`, nothing ticks. A clock is two
 * deadlines computed once on arrival (warnAt, dueAt); states and waiting times are derived when
 * someone reads, so 100,000 open mentions cost nothing per second.
 *
 * It also keeps what the care scene shows of the last day: SLA outcomes per minute and channel,
 * first-response times, and when each agent last replied.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Upper bounds of the first-response histogram's buckets; the last bucket is everything above. */
export const RESPONSE_BUCKETS_MS: readonly number[] = [
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  DAY
];

/** A customer mention as it enters the queue. */
export interface OpenMention {
  /**
   * The queue's reference for it: its row seq in the store, which brand replies name (a number,
   * not a `source:id` string: the queue holds hundreds of thousands under a firehose).
   */
  ref: number;
  id: string;
  source: string;
  channel: Channel;
  createdAt: number;
  sentiment: { score: number; label: SentimentLabel };
  intent: Intent;
  influence: number;
  influenceTier: InfluenceTier;
  topics: string[];
  /** Priority on arrival (waiting time 0). */
  priority: number;
  /** The SLA clock and the name of its policy. */
  clock: SlaClock;
  policy: string;
}

/** Filters of the queue view; empty lists match everything. */
export interface QueueFilter {
  channel?: readonly Channel[];
  intent?: readonly Intent[];
  tier?: readonly InfluenceTier[];
}

/** The outcome of a claim. */
export type ClaimResult =
  | { ok: true; item: QueueRow }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'taken'; by: string };

/** A first response the queue saw: what the agents view and the scene count. */
export interface Answered {
  mention: OpenMention;
  responseMs: number;
  met: boolean;
}

/** Points waiting time adds to a mention's priority (the waiting term of triagePriority). */
export function waitingPoints(waitingMs: number): number {
  const minutes = Math.max(0, waitingMs) / MINUTE;
  return Math.round(WAITING_MAX * (1 - Math.exp(-minutes / WAITING_TAU_MINUTES)));
}

/** The state of an open clock at `now`. */
export function openState(c: SlaClock, now: number): SlaClockState {
  return now >= c.dueAt ? 'breached' : now >= c.warnAt ? 'warning' : 'ok';
}

/**
 * An open mention as the queue knows it: everything the view shows but the text and the author,
 * which stay in SQLite (the queue holds 100,000 without them) and are added for the page shown
 * (completeItem).
 */
export type QueueRow = Omit<CareQueueItem, 'text' | 'author' | 'reasons'> & {
  sentimentScore: number;
  influence: number;
};

/** The summary as the queue knows it: the oldest waiting mention without its text. */
export type QueueSummary = Omit<CareSummary, 'oldest'> & {
  oldest: { id: string; source: string; createdAt: number } | null;
};

/** A queue row with its text and author, and the reasons for its priority now. */
export function completeItem(
  row: QueueRow,
  details: { text: string; author: CareQueueItem['author'] }
): CareQueueItem {
  const t = triagePriority({
    text: details.text,
    sentiment: { score: row.sentimentScore, label: row.sentiment },
    intent: row.intent,
    influence: { score: row.influence, tier: row.influenceTier },
    waitingMs: row.waitingMs
  });
  const { sentimentScore: _s, influence: _i, ...item } = row;
  return { ...item, text: details.text, author: details.author, reasons: t.reasons };
}

/** Sort-key spans (see CareQueue.ordered): entries, and seconds of arrival (48 days). */
const INDEX_SPAN = 2 ** 18;
const SECOND_SPAN = 2 ** 22;

/** Per-minute counts over the last day, by channel: met, missed. */
class MinuteOutcomes {
  private readonly met = new Map<number, Uint32Array>();
  private readonly missed = new Map<number, Uint32Array>();

  add(at: number, channel: Channel, met: boolean): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const map = met ? this.met : this.missed;
    let row = map.get(minute);
    if (!row) map.set(minute, (row = new Uint32Array(CHANNELS.length)));
    const c = CHANNELS.indexOf(channel);
    if (c >= 0) row[c]!++;
  }

  /** Drops minutes before `since`. */
  prune(since: number): void {
    for (const map of [this.met, this.missed]) {
      for (const k of map.keys()) if (k < since) map.delete(k);
    }
  }

  /** Sums per channel since `since`. */
  sums(since: number): { met: number[]; missed: number[] } {
    const sum = (map: Map<number, Uint32Array>): number[] => {
      const out = new Array<number>(CHANNELS.length).fill(0);
      for (const [k, row] of map) {
        if (k < since) continue;
        for (let i = 0; i < row.length; i++) out[i]! += row[i]!;
      }
      return out;
    };
    return { met: sum(this.met), missed: sum(this.missed) };
  }
}

/**
 * First-response times of the last day, as counts per minute in a quantile sketch's buckets and
 * in the histogram's, with running totals: adding a response and reading quantiles cost the
 * same however many there were (sorting a day of a firehose's responses every second did not).
 */
class ResponseTimes {
  private readonly minutes = new Map<number, { sketch: Uint32Array; histogram: Uint32Array }>();
  readonly sketch = new Float64Array(SKETCH_BUCKETS);
  readonly histogram = new Float64Array(RESPONSE_BUCKETS_MS.length + 1);
  count = 0;

  add(at: number, ms: number): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    let m = this.minutes.get(minute);
    if (!m) {
      m = {
        sketch: new Uint32Array(SKETCH_BUCKETS),
        histogram: new Uint32Array(RESPONSE_BUCKETS_MS.length + 1)
      };
      this.minutes.set(minute, m);
    }
    const s = sketchIndex(ms);
    let b = 0;
    while (b < RESPONSE_BUCKETS_MS.length && ms > RESPONSE_BUCKETS_MS[b]!) b++;
    m.sketch[s]!++;
    m.histogram[b]!++;
    this.sketch[s]!++;
    this.histogram[b]!++;
    this.count++;
  }

  /** Forgets the minutes before `since`. */
  prune(since: number): void {
    for (const [minute, m] of this.minutes) {
      if (minute >= since) continue;
      for (let i = 0; i < m.sketch.length; i++) this.sketch[i]! -= m.sketch[i]!;
      for (let i = 0; i < m.histogram.length; i++) {
        this.histogram[i]! -= m.histogram[i]!;
        this.count -= m.histogram[i]!;
      }
      this.minutes.delete(minute);
    }
  }

  /** The q-quantile (about 2 % relative error), or null with no responses. */
  quantile(q: number): number | null {
    return this.count > 0 ? sketchQuantile(this.sketch, q, 0, this.count) : null;
  }
}

/** Options of a queue. */
export interface CareQueueOptions {
  /** Open mentions older than this leave the queue (counted as missed if they had a clock). */
  horizonMs: number;
  /** Most open mentions held; beyond, the oldest leave first (memory stays bounded). */
  maxOpen: number;
}

const LABELS = ['negative', 'neutral', 'positive'] as const;
const indexOf = <T extends string>(list: readonly T[]): Map<string, number> =>
  new Map(list.map((v, i) => [v, i]));
const CHANNEL_AT = indexOf(CHANNELS);
const INTENT_AT = indexOf(INTENTS);
const TIER_AT = indexOf(INFLUENCE_TIERS);
const LABEL_AT = indexOf(LABELS);

/** The state of a clock with these deadlines at `now` (openState without a clock object). */
const stateAt = (warnAt: number, dueAt: number, now: number): SlaClockState =>
  now >= dueAt ? 'breached' : now >= warnAt ? 'warning' : 'ok';

/**
 * The open mentions column by column: one slot per mention across typed arrays (times, scores,
 * small enumerations and strings of few distinct values as indexes) and one array of ids. A queue
 * of 200,000 objects, each with its nested sentiment, clock and topics and a boxed number per
 * time, was what the main thread's garbage collector spent most of its time on under a firehose:
 * every one of them survives young-generation collections and is copied and then marked again
 * and again. Here a mention adds to the heap only its id string; the rest lives outside it.
 */
class Columns {
  capacity = 0;
  /** Each slot's reference (`OpenMention.ref`). */
  ref = new Float64Array(0);
  createdAt = new Float64Array(0);
  startedAt = new Float64Array(0);
  warnAt = new Float64Array(0);
  dueAt = new Float64Array(0);
  sentimentScore = new Float64Array(0);
  influence = new Float64Array(0);
  priority = new Float64Array(0);
  /** NaN while unclaimed. */
  claimedAt = new Float64Array(0);
  /** Priority at the last ordering (scratch for the sort). */
  score = new Float64Array(0);
  channel = new Uint8Array(0);
  intent = new Uint8Array(0);
  tier = new Uint8Array(0);
  label = new Uint8Array(0);
  /** Indexes into `names`: the source, the topics (joined by newlines), the policy, the rule. */
  sourceAt = new Int32Array(0);
  topicsAt = new Int32Array(0);
  policyAt = new Int32Array(0);
  ruleAt = new Int32Array(0);
  readonly id: string[] = [];
  /** Who claimed a slot, for the claimed ones only. */
  readonly claimedBy = new Map<number, string>();
  /**
   * One copy of each source, topic set, policy and rule name, shared by every slot and kept for
   * the queue's life: these take few distinct values (the sources and SLA rules configured, the
   * topic sets the taxonomy produces).
   */
  private readonly names = new StringTable();
  private readonly free: number[] = [];
  private used = 0;

  /** The index of `name` in the shared names. */
  intern(name: string): number {
    return this.names.id(name);
  }

  name(i: number): string {
    return this.names.strings[i]!;
  }

  /** A slot for a new mention. */
  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.capacity) this.grow();
    const s = this.used++;
    // Appended in order, so the array stays packed.
    this.id.push('');
    return s;
  }

  /** Frees a slot, letting go of its strings. */
  release(s: number): void {
    this.ref[s] = 0;
    this.id[s] = '';
    this.claimedBy.delete(s);
    this.free.push(s);
  }

  private grow(): void {
    const n = Math.max(1024, this.capacity * 2);
    const f64 = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.ref = f64(this.ref);
    this.createdAt = f64(this.createdAt);
    this.startedAt = f64(this.startedAt);
    this.warnAt = f64(this.warnAt);
    this.dueAt = f64(this.dueAt);
    this.sentimentScore = f64(this.sentimentScore);
    this.influence = f64(this.influence);
    this.priority = f64(this.priority);
    this.claimedAt = f64(this.claimedAt);
    this.score = f64(this.score);
    this.channel = u8(this.channel);
    this.intent = u8(this.intent);
    this.tier = u8(this.tier);
    this.label = u8(this.label);
    this.sourceAt = i32(this.sourceAt);
    this.topicsAt = i32(this.topicsAt);
    this.policyAt = i32(this.policyAt);
    this.ruleAt = i32(this.ruleAt);
    this.capacity = n;
  }
}

/** The live queue; see the comment at the top of this file. */
export class CareQueue {
  /**
   * Open mentions: reference → slot in `cols`, oldest reference first (row order, about oldest
   * first); numbers in typed arrays, nothing per mention for the garbage collector (ref-log.ts).
   */
  private readonly open = new RefLog();
  private readonly cols = new Columns();
  private readonly outcomes = new MinuteOutcomes();
  /** First responses of the last day. */
  private readonly responses = new ResponseTimes();
  private readonly agentsLast = new Map<string, number>();
  private sorted: { version: number; at: number; list: Int32Array } | null = null;
  /** Bumped on every change; the care page refetches when it moves. */
  version = 0;
  /** Mentions that left unanswered (horizon or capacity). */
  expired = 0;

  constructor(private readonly opts: CareQueueOptions) {}

  /** Open mentions now. */
  get size(): number {
    return this.open.size;
  }

  /** Adds an open mention; false when one with its reference is already there. */
  add(m: OpenMention): boolean {
    const ref = m.ref;
    if (this.open.has(ref)) return false;
    const c = this.cols;
    const s = c.alloc();
    c.ref[s] = ref;
    c.id[s] = m.id;
    c.sourceAt[s] = c.intern(m.source);
    c.topicsAt[s] = c.intern(m.topics.length === 0 ? '' : m.topics.join('\n'));
    c.policyAt[s] = c.intern(m.policy);
    c.ruleAt[s] = c.intern(m.clock.ruleId);
    c.createdAt[s] = m.createdAt;
    c.startedAt[s] = m.clock.startedAt;
    c.warnAt[s] = m.clock.warnAt;
    c.dueAt[s] = m.clock.dueAt;
    c.sentimentScore[s] = m.sentiment.score;
    c.influence[s] = m.influence;
    c.priority[s] = m.priority;
    c.claimedAt[s] = NaN;
    c.score[s] = m.priority;
    c.channel[s] = CHANNEL_AT.get(m.channel) ?? 0;
    c.intent[s] = INTENT_AT.get(m.intent) ?? 0;
    c.tier[s] = TIER_AT.get(m.influenceTier) ?? 0;
    c.label[s] = LABEL_AT.get(m.sentiment.label) ?? 1;
    this.open.set(ref, s);
    if (this.open.size > this.opts.maxOpen) {
      // The earliest leave first, a twentieth at a time (the version changes once per batch).
      let n = this.open.size - Math.floor(this.opts.maxOpen * 0.95);
      for (let o = this.open.oldest(); o && n-- > 0; o = this.open.oldest()) {
        this.drop(o.value, c.createdAt[o.value]!);
      }
    }
    this.changed();
    return true;
  }

  /**
   * A brand reply at `at` to the mention with reference `ref`: the mention leaves the queue and
   * its first response is recorded. Returns what was answered, or null when it was not open.
   */
  answer(ref: number, at: number): Answered | null {
    const s = this.open.delete(ref);
    if (s === undefined) return null;
    const mention = this.mentionAt(s);
    this.cols.release(s);
    const responseMs = Math.max(0, at - mention.createdAt);
    const met = at <= mention.clock.dueAt;
    this.outcomes.add(at, mention.channel, met);
    this.responses.add(at, responseMs);
    this.changed();
    return { mention, responseMs, met };
  }

  /**
   * A first response the queue did not see live (a restart reads the last day back): counted in
   * the day's outcomes and response times only.
   */
  recordAnswered(channel: Channel, at: number, responseMs: number, met: boolean): void {
    this.outcomes.add(at, channel, met);
    this.responses.add(at, Math.max(0, responseMs));
  }

  /** An agent replied at `at` (any brand reply): counts them as active. */
  agentReplied(agent: string, at: number): void {
    const last = this.agentsLast.get(agent);
    if (last === undefined || at > last) this.agentsLast.set(agent, at);
  }

  /** Claims an open mention for `user`; a mention claimed by someone else is refused. */
  claim(source: string, id: string, user: string, now: number): ClaimResult {
    const s = this.slotOf(source, id);
    if (s === undefined) return { ok: false, reason: 'missing' };
    const c = this.cols;
    const by = c.claimedBy.get(s);
    if (by !== undefined && by !== user) return { ok: false, reason: 'taken', by };
    if (by !== user) {
      c.claimedBy.set(s, user);
      c.claimedAt[s] = now;
      this.changed();
    }
    return { ok: true, item: this.view(s, now) };
  }

  /** Releases a claim: one's own, or anyone's with `force` (managers). */
  release(source: string, id: string, user: string, force: boolean, now: number): ClaimResult {
    const s = this.slotOf(source, id);
    if (s === undefined) return { ok: false, reason: 'missing' };
    const c = this.cols;
    const by = c.claimedBy.get(s);
    if (by !== undefined && by !== user && !force) return { ok: false, reason: 'taken', by };
    if (by !== undefined) {
      c.claimedBy.delete(s);
      c.claimedAt[s] = NaN;
      this.changed();
    }
    return { ok: true, item: this.view(s, now) };
  }

  /**
   * Moves time on: open mentions beyond the horizon leave (a mention past due leaves as missed)
   * and the day's statistics forget what is older than a day. Cheap enough to call every second:
   * it stops at the first mention still within the horizon.
   */
  expire(now: number): void {
    const cutoff = now - this.opts.horizonMs;
    const createdAt = this.cols.createdAt;
    for (let o = this.open.oldest(); o && createdAt[o.value]! < cutoff; o = this.open.oldest()) {
      this.drop(o.value, now);
    }
    this.outcomes.prune(now - DAY);
    this.responses.prune(now - DAY);
    for (const [agent, at] of this.agentsLast) if (at < now - DAY) this.agentsLast.delete(agent);
  }

  /**
   * The open mentions matching `filter`, highest priority now first (then longest waiting), from
   * `offset`. Sorting every open mention costs tens of milliseconds at 100,000, so the order is
   * kept until the queue changes or a second passes.
   */
  list(
    filter: QueueFilter,
    offset: number,
    limit: number,
    now: number
  ): { total: number; matching: number; items: QueueRow[] } {
    const all = this.ordered(now);
    const c = this.cols;
    const ch = filter.channel?.length
      ? new Set(filter.channel.map((x) => CHANNEL_AT.get(x)))
      : null;
    const it = filter.intent?.length ? new Set(filter.intent.map((x) => INTENT_AT.get(x))) : null;
    const tr = filter.tier?.length ? new Set(filter.tier.map((x) => TIER_AT.get(x))) : null;
    const items: QueueRow[] = [];
    let matching = 0;
    for (const s of all) {
      if (ch && !ch.has(c.channel[s])) continue;
      if (it && !it.has(c.intent[s])) continue;
      if (tr && !tr.has(c.tier[s])) continue;
      if (matching >= offset && items.length < limit) items.push(this.view(s, now));
      matching++;
    }
    return { total: this.open.size, matching, items };
  }

  /** One open mention as the queue shows it, or null. */
  get(source: string, id: string, now: number): QueueRow | null {
    const s = this.slotOf(source, id);
    return s === undefined ? null : this.view(s, now);
  }

  /**
   * The slot of the open mention (source, id), by a scan: people claim and release at the pace
   * of clicks (a scan of 100,000 takes about a millisecond), while a second map by `source:id`
   * would cost every mention of a firehose a string kept alive.
   */
  private slotOf(source: string, id: string): number | undefined {
    const c = this.cols;
    let found: number | undefined;
    this.open.forEach((s) => {
      if (c.id[s] === id && c.name(c.sourceAt[s]!) === source) found = s;
      return found === undefined;
    });
    return found;
  }

  /** Open clocks past their deadline and in warning at `now`, and the earliest missed deadline. */
  slaStatus(now: number): { breached: number; warning: number; oldestDueAt: number | null } {
    const { warnAt, dueAt } = this.cols;
    let breached = 0;
    let warning = 0;
    let oldestDueAt = Infinity;
    this.open.forEach((s) => {
      const due = dueAt[s]!;
      if (now >= due) {
        breached++;
        if (due < oldestDueAt) oldestDueAt = due;
      } else if (now >= warnAt[s]!) warning++;
    });
    return { breached, warning, oldestDueAt: breached === 0 ? null : oldestDueAt };
  }

  /** The care scene's figures at `now`. */
  summary(now: number): QueueSummary {
    const c = this.cols;
    const claimed = c.claimedBy.size;
    let warning = 0;
    let breached = 0;
    let oldest = -1;
    const breachedBy = new Array<number>(CHANNELS.length).fill(0);
    this.open.forEach((s) => {
      if (now >= c.dueAt[s]!) {
        breached++;
        breachedBy[c.channel[s]!]!++;
      } else if (now >= c.warnAt[s]!) warning++;
      if (oldest < 0 || c.createdAt[s]! < c.createdAt[oldest]!) oldest = s;
    });
    const ratio = (x: Omit<SlaCompliance, 'ratio'>): SlaCompliance => {
      const d = x.met + x.missed + x.breachedOpen;
      return { ...x, ratio: d === 0 ? null : x.met / d };
    };
    const hour = this.outcomes.sums(now - HOUR);
    const day = this.outcomes.sums(now - DAY);
    const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    // Open mentions past due count against both windows: they are failing now.
    let agentsActive = 0;
    for (const at of this.agentsLast.values()) if (at >= now - HOUR && at <= now) agentsActive++;
    return {
      at: now,
      version: this.version,
      depth: this.open.size,
      claimed,
      warning,
      breached,
      oldest:
        oldest < 0
          ? null
          : {
              id: c.id[oldest]!,
              source: c.name(c.sourceAt[oldest]!),
              createdAt: c.createdAt[oldest]!
            },
      compliance: {
        hour: ratio({ met: total(hour.met), missed: total(hour.missed), breachedOpen: breached }),
        day: ratio({ met: total(day.met), missed: total(day.missed), breachedOpen: breached }),
        byChannel: CHANNELS.map((channel, i) => ({
          channel,
          ...ratio({ met: day.met[i]!, missed: day.missed[i]!, breachedOpen: breachedBy[i]! })
        }))
      },
      firstResponse: {
        count: this.responses.count,
        p50Ms: this.responses.quantile(0.5),
        p90Ms: this.responses.quantile(0.9),
        bucketsMs: [...RESPONSE_BUCKETS_MS],
        counts: Array.from(this.responses.histogram)
      },
      agentsActive
    };
  }

  /** The open mention in slot `s`, as it entered. */
  private mentionAt(s: number): OpenMention {
    const c = this.cols;
    const topics = c.name(c.topicsAt[s]!);
    return {
      ref: c.ref[s]!,
      id: c.id[s]!,
      source: c.name(c.sourceAt[s]!),
      channel: CHANNELS[c.channel[s]!]!,
      createdAt: c.createdAt[s]!,
      sentiment: { score: c.sentimentScore[s]!, label: LABELS[c.label[s]!]! },
      intent: INTENTS[c.intent[s]!]!,
      influence: c.influence[s]!,
      influenceTier: INFLUENCE_TIERS[c.tier[s]!]!,
      topics: topics === '' ? [] : topics.split('\n'),
      priority: c.priority[s]!,
      clock: {
        ruleId: c.name(c.ruleAt[s]!),
        startedAt: c.startedAt[s]!,
        warnAt: c.warnAt[s]!,
        dueAt: c.dueAt[s]!
      },
      policy: c.name(c.policyAt[s]!)
    };
  }

  private drop(s: number, at: number): void {
    const c = this.cols;
    this.open.delete(c.ref[s]!);
    this.expired++;
    if (at >= c.dueAt[s]!) this.outcomes.add(at, CHANNELS[c.channel[s]!]!, false);
    c.release(s);
    this.changed();
  }

  private changed(): void {
    this.version++;
    this.sorted = null;
  }

  /** Every open mention's slot by priority now, then waiting time; cached for a second. */
  private ordered(now: number): Int32Array {
    const cached = this.sorted;
    if (cached && cached.version === this.version && now >= cached.at && now - cached.at < 1000) {
      return cached.list;
    }
    const c = this.cols;
    const n = this.open.size;
    const slots = new Int32Array(n);
    let i = 0;
    let oldest = Infinity;
    this.open.forEach((s) => {
      slots[i++] = s;
      const score = c.priority[s]! + waitingPoints(now - c.createdAt[s]!);
      c.score[s] = Math.min(100, Math.max(0, score));
      if (c.createdAt[s]! < oldest) oldest = c.createdAt[s]!;
    });
    let list: Int32Array;
    if (n <= INDEX_SPAN) {
      // One numeric key per mention, sorted natively (no comparator): priority (0–100, highest
      // first), then arrival in seconds (earliest first), then insertion order, packed into the
      // 47 low bits of a double with the position. 100,000 are ordered in a few milliseconds; a
      // comparator sort took ten times longer.
      const keys = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const s = slots[k]!;
        const sec = Math.min(SECOND_SPAN - 1, Math.floor((c.createdAt[s]! - oldest) / 1000));
        keys[k] = ((100 - c.score[s]!) * SECOND_SPAN + sec) * INDEX_SPAN + k;
      }
      keys.sort();
      list = new Int32Array(n);
      for (let k = 0; k < n; k++) list[k] = slots[keys[k]! % INDEX_SPAN]!;
    } else {
      list = slots.sort((a, b) => c.score[b]! - c.score[a]! || c.createdAt[a]! - c.createdAt[b]!);
    }
    this.sorted = { version: this.version, at: now, list };
    return list;
  }

  private view(s: number, now: number): QueueRow {
    const c = this.cols;
    const createdAt = c.createdAt[s]!;
    const waitingMs = Math.max(0, now - createdAt);
    const topics = c.name(c.topicsAt[s]!);
    const claimedAt = c.claimedAt[s]!;
    return {
      id: c.id[s]!,
      source: c.name(c.sourceAt[s]!),
      channel: CHANNELS[c.channel[s]!]!,
      createdAt,
      sentiment: LABELS[c.label[s]!]!,
      sentimentScore: c.sentimentScore[s]!,
      intent: INTENTS[c.intent[s]!]!,
      influence: c.influence[s]!,
      influenceTier: INFLUENCE_TIERS[c.tier[s]!]!,
      topics: topics === '' ? [] : topics.split('\n'),
      priority: Math.min(100, c.priority[s]! + waitingPoints(waitingMs)),
      waitingMs,
      sla: {
        policy: c.name(c.policyAt[s]!),
        warnAt: c.warnAt[s]!,
        dueAt: c.dueAt[s]!,
        state: stateAt(c.warnAt[s]!, c.dueAt[s]!, now)
      },
      slaDueAt: c.dueAt[s]!,
      claimedBy: c.claimedBy.get(s) ?? null,
      claimedAt: Number.isNaN(claimedAt) ? null : claimedAt
    };
  }
}
