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
import { CHANNELS } from '../../../src/lib/shared/types';
import { triagePriority, WAITING_MAX, WAITING_TAU_MINUTES } from '../enrich/priority';
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

/**
 * An open mention in the queue. A class with every field set in one place, so that all entries
 * share one shape: the sort and the summary walk 100,000 of them, and object spreads made them
 * slow dictionaries (ten times slower to read).
 */
class Entry {
  claimedBy: string | null = null;
  claimedAt: number | null = null;
  /** Priority at the last ordering (scratch for the sort). */
  score: number;
  constructor(
    readonly key: string,
    readonly m: OpenMention
  ) {
    this.score = m.priority;
  }
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

const keyOf = (source: string, id: string): string => `${source}\u0000${id}`;

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

/** The live queue; see the comment at the top of this file. */
export class CareQueue {
  private readonly open = new Map<string, Entry>();
  private readonly outcomes = new MinuteOutcomes();
  /** First responses of the last day. */
  private readonly responses = new ResponseTimes();
  private readonly agentsLast = new Map<string, number>();
  private sorted: { version: number; at: number; list: Entry[] } | null = null;
  /** Bumped on every change; the care page refetches when it moves. */
  version = 0;
  /** Mentions that left unanswered (horizon or capacity). */
  expired = 0;

  constructor(private readonly opts: CareQueueOptions) {}

  /** Open mentions now. */
  get size(): number {
    return this.open.size;
  }

  /** Adds an open mention; false when it is already there. */
  add(m: OpenMention): boolean {
    const key = keyOf(m.source, m.id);
    if (this.open.has(key)) return false;
    this.open.set(key, new Entry(key, m));
    if (this.open.size > this.opts.maxOpen) {
      // The earliest added leave first (a Map iterates in insertion order), a twentieth at a
      // time: finding the first live entry walks past every deleted one before it, so dropping
      // one per insert made a full queue quadratic (seconds per 100,000 inserts).
      let n = this.open.size - Math.floor(this.opts.maxOpen * 0.95);
      for (const e of this.open.values()) {
        if (n-- <= 0) break;
        this.drop(e, e.m.createdAt);
      }
    }
    this.changed();
    return true;
  }

  /**
   * A brand reply to (source, id) at `at`: the mention leaves the queue and its first response
   * is recorded. Returns what was answered, or null when the mention was not open.
   */
  answer(source: string, id: string, at: number): Answered | null {
    const e = this.open.get(keyOf(source, id));
    if (!e) return null;
    this.open.delete(e.key);
    const responseMs = Math.max(0, at - e.m.createdAt);
    const met = at <= e.m.clock.dueAt;
    this.outcomes.add(at, e.m.channel, met);
    this.responses.add(at, responseMs);
    this.changed();
    return { mention: e.m, responseMs, met };
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
    const e = this.open.get(keyOf(source, id));
    if (!e) return { ok: false, reason: 'missing' };
    if (e.claimedBy !== null && e.claimedBy !== user) {
      return { ok: false, reason: 'taken', by: e.claimedBy };
    }
    if (e.claimedBy !== user) {
      e.claimedBy = user;
      e.claimedAt = now;
      this.changed();
    }
    return { ok: true, item: this.view(e, now) };
  }

  /** Releases a claim: one's own, or anyone's with `force` (managers). */
  release(source: string, id: string, user: string, force: boolean, now: number): ClaimResult {
    const e = this.open.get(keyOf(source, id));
    if (!e) return { ok: false, reason: 'missing' };
    if (e.claimedBy !== null && e.claimedBy !== user && !force) {
      return { ok: false, reason: 'taken', by: e.claimedBy };
    }
    if (e.claimedBy !== null) {
      e.claimedBy = null;
      e.claimedAt = null;
      this.changed();
    }
    return { ok: true, item: this.view(e, now) };
  }

  /**
   * Moves time on: open mentions beyond the horizon leave (a mention past due leaves as missed)
   * and the day's statistics forget what is older than a day. Cheap enough to call every second:
   * it stops at the first mention still within the horizon.
   */
  expire(now: number): void {
    const cutoff = now - this.opts.horizonMs;
    for (const e of this.open.values()) {
      if (e.m.createdAt >= cutoff) break;
      this.drop(e, now);
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
    const ch = filter.channel?.length ? new Set(filter.channel) : null;
    const it = filter.intent?.length ? new Set(filter.intent) : null;
    const tr = filter.tier?.length ? new Set(filter.tier) : null;
    const match = (e: Entry): boolean =>
      (!ch || ch.has(e.m.channel)) &&
      (!it || it.has(e.m.intent)) &&
      (!tr || tr.has(e.m.influenceTier));
    const items: QueueRow[] = [];
    let matching = 0;
    for (const e of all) {
      if (!match(e)) continue;
      if (matching >= offset && items.length < limit) items.push(this.view(e, now));
      matching++;
    }
    return { total: this.open.size, matching, items };
  }

  /** One open mention as the queue shows it, or null. */
  get(source: string, id: string, now: number): QueueRow | null {
    const e = this.open.get(keyOf(source, id));
    return e ? this.view(e, now) : null;
  }

  /** Open clocks past their deadline and in warning at `now`, and the earliest missed deadline. */
  slaStatus(now: number): { breached: number; warning: number; oldestDueAt: number | null } {
    let breached = 0;
    let warning = 0;
    let oldestDueAt: number | null = null;
    for (const e of this.open.values()) {
      const s = openState(e.m.clock, now);
      if (s === 'warning') warning++;
      else if (s === 'breached') {
        breached++;
        if (oldestDueAt === null || e.m.clock.dueAt < oldestDueAt) oldestDueAt = e.m.clock.dueAt;
      }
    }
    return { breached, warning, oldestDueAt };
  }

  /** The care scene's figures at `now`. */
  summary(now: number): QueueSummary {
    let claimed = 0;
    let warning = 0;
    let breached = 0;
    let oldest: Entry | null = null;
    const breachedBy = new Array<number>(CHANNELS.length).fill(0);
    for (const e of this.open.values()) {
      if (e.claimedBy !== null) claimed++;
      const s = openState(e.m.clock, now);
      if (s === 'warning') warning++;
      else if (s === 'breached') {
        breached++;
        const c = CHANNELS.indexOf(e.m.channel);
        if (c >= 0) breachedBy[c]!++;
      }
      if (!oldest || e.m.createdAt < oldest.m.createdAt) oldest = e;
    }
    const ratio = (c: Omit<SlaCompliance, 'ratio'>): SlaCompliance => {
      const d = c.met + c.missed + c.breachedOpen;
      return { ...c, ratio: d === 0 ? null : c.met / d };
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
      oldest: oldest
        ? { id: oldest.m.id, source: oldest.m.source, createdAt: oldest.m.createdAt }
        : null,
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

  private drop(e: Entry, at: number): void {
    this.open.delete(e.key);
    this.expired++;
    if (at >= e.m.clock.dueAt) this.outcomes.add(at, e.m.channel, false);
    this.changed();
  }

  private changed(): void {
    this.version++;
    this.sorted = null;
  }

  /** Every open mention by priority now, then waiting time; cached for a second. */
  private ordered(now: number): Entry[] {
    const s = this.sorted;
    if (s && s.version === this.version && now >= s.at && now - s.at < 1000) return s.list;
    // One numeric key per entry, sorted natively (no comparator): priority (0–100, highest
    // first), then arrival in seconds (earliest first), then insertion order, packed into the 47
    // low bits of a double with the entry's index. 100,000 are ordered in a few milliseconds; a
    // comparator sort took ten times longer.
    const n = this.open.size;
    const entries = new Array<Entry>(n);
    let oldest = Infinity;
    for (const e of this.open.values()) if (e.m.createdAt < oldest) oldest = e.m.createdAt;
    let list: Entry[];
    if (n <= INDEX_SPAN) {
      const keys = new Float64Array(n);
      let i = 0;
      for (const e of this.open.values()) {
        e.score = Math.min(100, Math.max(0, e.m.priority + waitingPoints(now - e.m.createdAt)));
        const sec = Math.min(SECOND_SPAN - 1, Math.floor((e.m.createdAt - oldest) / 1000));
        keys[i] = ((100 - e.score) * SECOND_SPAN + sec) * INDEX_SPAN + i;
        entries[i++] = e;
      }
      keys.sort();
      list = new Array<Entry>(n);
      for (let k = 0; k < n; k++) list[k] = entries[keys[k]! % INDEX_SPAN]!;
    } else {
      list = [...this.open.values()];
      for (const e of list) {
        e.score = Math.min(100, Math.max(0, e.m.priority + waitingPoints(now - e.m.createdAt)));
      }
      list.sort((a, b) => b.score - a.score || a.m.createdAt - b.m.createdAt);
    }
    this.sorted = { version: this.version, at: now, list };
    return list;
  }

  private view(e: Entry, now: number): QueueRow {
    const waitingMs = Math.max(0, now - e.m.createdAt);
    return {
      id: e.m.id,
      source: e.m.source,
      channel: e.m.channel,
      createdAt: e.m.createdAt,
      sentiment: e.m.sentiment.label,
      sentimentScore: e.m.sentiment.score,
      intent: e.m.intent,
      influence: e.m.influence,
      influenceTier: e.m.influenceTier,
      topics: e.m.topics,
      priority: Math.min(100, e.m.priority + waitingPoints(waitingMs)),
      waitingMs,
      sla: {
        policy: e.m.policy,
        warnAt: e.m.clock.warnAt,
        dueAt: e.m.clock.dueAt,
        state: openState(e.m.clock, now)
      },
      slaDueAt: e.m.clock.dueAt,
      claimedBy: e.claimedBy,
      claimedAt: e.claimedAt
    };
  }
}
