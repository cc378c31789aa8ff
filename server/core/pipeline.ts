import type {
  DetectionDriver,
  Channel,
  EnrichedMention,
  Mention,
  RiverItem,
  SourceHealth,
  TopTopics,
  WallSnapshot,
  WallTick,
  WindowKey
} from '../../src/lib/shared/types';
import { WINDOWS } from '../../src/lib/shared/types';
import { mentionKey } from './mention-key';
import { RefLog } from './ref-log';
import { HiddenInfluencers, influenceOf } from './enrich/influence';
import { classifyIntent } from './enrich/intent';
import { triagePriority } from './enrich/priority';
import { sentimentFor } from './enrich/text';
import { TopicWindow } from './enrich/topic-window';
import {
  compileTopics,
  DEFAULT_TOPICS,
  EmergingTerms,
  type TopicMatcher,
  type TopicRule
} from './enrich/topics';
import {
  MINUTES_KEPT,
  RollingWindows,
  type MinuteRollup,
  type WindowInput
} from './window/rolling-windows';
import { SpikeMonitor, type MinuteObservation } from './detect/monitor';
import type { Sensitivity } from './detect/detector';

/** Ticks between top-topics updates on the wall (merging the term buckets is not free). */
const TOPICS_EVERY_TICKS = 5;
const MINUTE = 60_000;
/** A minute is fed to the detectors this long after it ends, so late mentions are in. */
const MINUTE_GRACE_MS = 5_000;
const NO_TOPICS: readonly string[] = [];
/**
 * Counters per minute for emerging terms: enough to keep every term that could reach the top 8,
 * small enough that merging the 15 buckets every few ticks takes milliseconds on the wall's thread.
 */
const EMERGING_CAPACITY = 500;
/**
 * Recent customer mentions whose author a reply can be credited to (hidden influencers): hours of
 * normal traffic, minutes of a firehose.
 */
const AUTHORS_CAP = 50_000;
/** Mentions `count` remembers for their replies (a drill's three hours are about 7,000). */
const LOCAL_REFS_CAP = 100_000;
/** Where `count`'s own references start: far above any row seq a store will reach. */
const LOCAL_REF_BASE = 2 ** 52;
/** Texts per second, at most, that emerging terms count (a sample under heavy traffic). */
const EMERGING_SAMPLE_PER_SECOND = 200;
/** Customer mentions the alert rules read per evaluation, at most. */
const ALERT_SAMPLE_CAP = 5000;
/** Least growth (see EmergingTerm.growth) for a frequent term to count as emerging. */
const EMERGING_MIN_GROWTH = 0.5;

/** The brand's name and handles as words emerging terms leave out. */
function brandWords(brand: WallSnapshot['brand']): string[] {
  const words = brand.name.toLowerCase().split(/\s+/).filter(Boolean);
  return [...words, ...brand.handles.map(normaliseHandle)];
}

/** Settings of the pure pipeline. */
export interface PipelineOptions {
  /** Topic taxonomy; the built-in customer-care topics when absent. */
  topics?: readonly TopicRule[];
  /** Brand handles (with or without @, any case); their replies to customers are brand replies. */
  brandHandles: readonly string[];
  /** The brand's display name, passed through to the wall. */
  brandName?: string;
  /** How many newest mentions the river keeps for a snapshot. */
  riverSize?: number;
  /** Bound on customer mentions tracked while they wait for a first reply. */
  pendingCap?: number;
}

/** Normalises a handle for comparison: lower case, no leading @. */
export function normaliseHandle(handle: string): string {
  return (handle.startsWith('@') ? handle.slice(1) : handle).toLowerCase();
}

/** What enrichment needs besides the mention: the brand's handles and the topic taxonomy. */
export interface EnrichContext {
  /** Normalised brand handles (see `normaliseHandle`). */
  brands: ReadonlySet<string>;
  topics: TopicMatcher;
}

/** What enrichment is configured with, as plain data that can cross threads. */
export interface EnrichConfig {
  /** Brand handles, normalised. */
  brands: string[];
  topics: TopicRule[];
}

/** An enrichment context from brand handles and topic rules (the defaults when none). */
export function enrichContext(
  brands: Iterable<string>,
  topics: readonly TopicRule[] | undefined
): EnrichContext & { brands: Set<string> } {
  return {
    brands: new Set([...brands].map(normaliseHandle)),
    topics: compileTopics([...(topics ?? DEFAULT_TOPICS)])
  };
}

/**
 * Enriches one validated mention: language and sentiment, intent, topics, author influence,
 * priority on arrival, and whether it is the brand replying. Pure and allocation-light: this runs
 * for every mention of the firehose (see `enrich.throughput` in the benchmark).
 */
export function enrich(m: Mention, ctx: EnrichContext): EnrichedMention {
  const isBrand = ctx.brands.has(normaliseHandle(m.author.handle));
  const { sentiment, language } = sentimentFor(m.text, m.lang);
  const intent = isBrand ? 'other' : classifyIntent(m.text, sentiment).intent;
  const influence = influenceOf(m.author);
  const priority = isBrand
    ? 0
    : triagePriority({ text: m.text, sentiment, intent, influence, waitingMs: 0 }).score;
  // Spelled out rather than spread: object spread is several times slower on this hot path.
  return {
    id: m.id,
    source: m.source,
    channel: m.channel,
    createdAt: m.createdAt,
    text: m.text,
    author: m.author,
    lang: m.lang,
    url: m.url,
    inReplyToId: m.inReplyToId,
    geo: m.geo,
    sentiment,
    isBrand,
    isBrandReply: isBrand && m.inReplyToId !== null,
    language,
    intent,
    topics: ctx.topics.match(m.text),
    influence: influence.score,
    influenceTier: influence.tier,
    priority,
    agent: isBrand ? (m.agent ?? null) : null
  };
}

/** The river's view of a mention. */
export function toRiverItem(m: EnrichedMention): RiverItem {
  return {
    id: m.id,
    channel: m.channel,
    createdAt: m.createdAt,
    text: m.text,
    author: {
      handle: m.author.handle,
      name: m.author.name,
      followers: m.author.followers,
      verified: m.author.verified
    },
    sentiment: m.sentiment,
    isBrandReply: m.isBrandReply,
    url: m.url,
    source: m.source,
    intent: m.intent,
    topics: m.topics,
    influenceTier: m.influenceTier,
    priority: m.priority
  };
}

/**
 * What the windows need from an enriched mention, with its reference and its parent's (see
 * `WindowInput`; 0 when unknown).
 */
export function windowInput(e: EnrichedMention, ref = 0, replyToRef = 0): WindowInput {
  return {
    ref,
    channel: e.channel,
    createdAt: e.createdAt,
    label: e.sentiment.label,
    isBrand: e.isBrand,
    replyToRef
  };
}

/** Values per mention in the flat facts that counting and the care queue need (`pushFacts`). */
export const FACT_COUNT = 18;

const LABELS = ['negative', 'neutral', 'positive'] as const;

/**
 * Appends what counting needs of a mention as flat values: source, id, channel, createdAt,
 * label index, isBrand (0/1), inReplyToId, topics (joined by newlines), author handle, followers;
 * then what the care queue needs: intent, influence tier, priority, sentiment score, influence,
 * agent (null unless the source named one); then the mention's row seq and, for a reply, the seq
 * of the stored customer mention it answers (0 when none). Flat primitives cross threads far
 * cheaper than objects.
 */
export function pushFacts(out: unknown[], e: EnrichedMention, seq = 0, replyToSeq = 0): void {
  out.push(
    e.source,
    e.id,
    e.channel,
    e.createdAt,
    LABELS.indexOf(e.sentiment.label),
    e.isBrand ? 1 : 0,
    e.inReplyToId,
    e.topics.length === 0 ? '' : e.topics.length === 1 ? e.topics[0] : e.topics.join('\n'),
    e.author.handle,
    e.author.followers,
    e.intent,
    e.influenceTier,
    e.priority,
    e.sentiment.score,
    e.influence,
    e.agent ?? null,
    seq,
    replyToSeq
  );
}

/** The window input of the mention whose facts start at offset `o`. */
export function windowInputFromFacts(f: readonly unknown[], o: number): WindowInput {
  return {
    ref: f[o + 16] as number,
    channel: f[o + 2] as Channel,
    createdAt: f[o + 3] as number,
    label: LABELS[f[o + 4] as number] ?? 'neutral',
    isBrand: f[o + 5] === 1,
    replyToRef: f[o + 17] as number
  };
}

/**
 * The pure heart of the server: mentions in, windows, ticks and snapshots out. It never reads a
 * clock or touches I/O; adapters call it with `now` and carry out what it returns.
 */
export class Pipeline {
  readonly windows: RollingWindows;
  /** Brand handles and the compiled topic taxonomy, as enrichment uses them. */
  ctx: EnrichContext;
  /** The topic rules in force (the defaults unless configured). */
  topicRules: TopicRule[];
  private brand: WallSnapshot['brand'];
  private readonly topicWindow = new TopicWindow();
  private emerging: EmergingTerms;
  readonly hiddenInfluencers = new HiddenInfluencers();
  /** Detectors on every per-minute series, fed as minutes close (the wall's: balanced). */
  readonly monitor = new SpikeMonitor();
  /** The same detectors at each sensitivity, for anomaly alert rules (balanced is `monitor`). */
  readonly monitors: Readonly<Record<Sensitivity, SpikeMonitor>> = {
    low: new SpikeMonitor({ sensitivity: 'low' }),
    balanced: this.monitor,
    high: new SpikeMonitor({ sensitivity: 'high' })
  };
  /** Newest customer mentions in full since the alert rules last read them (bounded). */
  private alertSample: EnrichedMention[] = [];
  /**
   * Authors of recent mentions by reference (`WindowInput.ref`), so replies credit the author
   * replied to (bounded).
   */
  private readonly authors = new RefLog();
  private readonly authorRefs: Float64Array;
  private readonly authorHandles: (string | undefined)[] = [];
  private readonly authorFollowers: Float64Array;
  private readonly authorAt: Float64Array;
  private readonly authorsCap: number;
  private authorHead = 0;
  private sampleSecond = -1;
  private sampleLeft = 0;
  private readonly riverSize: number;
  private river: RiverItem[] = [];
  /** Newest counted mentions not yet sent to the river, bounded; converted only when taken. */
  private fresh: EnrichedMention[] = [];
  private seq = 0;
  /** `count`'s references by `mentionKey`, and the keys oldest first (bounded). */
  private readonly localRefs = new Map<string, number>();
  private localKeys: string[] = [];
  private lastLocalRef = LOCAL_REF_BASE;
  /** Mentions taken in since start. */
  ingested = 0;

  constructor(opts: PipelineOptions) {
    this.topicRules = [...(opts.topics ?? DEFAULT_TOPICS)];
    this.ctx = enrichContext(opts.brandHandles, this.topicRules);
    this.brand = { name: opts.brandName ?? '', handles: [...opts.brandHandles] };
    this.riverSize = opts.riverSize ?? 60;
    this.windows = new RollingWindows(opts.pendingCap);
    this.authorsCap = Math.max(1, Math.min(opts.pendingCap ?? AUTHORS_CAP, AUTHORS_CAP));
    this.authorRefs = new Float64Array(this.authorsCap);
    this.authorFollowers = new Float64Array(this.authorsCap);
    this.authorAt = new Float64Array(this.authorsCap);
    this.emerging = new EmergingTerms({
      capacity: EMERGING_CAPACITY,
      exclude: brandWords(this.brand)
    });
  }

  /** Normalised brand handles. */
  get brands(): ReadonlySet<string> {
    return this.ctx.brands;
  }

  /** The enrichment settings as plain data, for enrichment on another thread. */
  get enrichConfig(): EnrichConfig {
    return { brands: [...this.ctx.brands], topics: this.topicRules };
  }

  /** Changes the brand (from the tracking configuration); applies to mentions enriched after. */
  setBrand(name: string, handles: readonly string[]): void {
    this.ctx = { ...this.ctx, brands: new Set(handles.map(normaliseHandle)) };
    this.brand = { name, handles: [...handles] };
    this.emerging = new EmergingTerms({
      capacity: EMERGING_CAPACITY,
      exclude: brandWords(this.brand)
    });
  }

  /** Changes the topic taxonomy (the defaults when undefined); applies to mentions enriched after. */
  setTopics(rules: readonly TopicRule[] | undefined): void {
    this.topicRules = [...(rules ?? DEFAULT_TOPICS)];
    this.ctx = { ...this.ctx, topics: compileTopics(this.topicRules) };
  }

  /**
   * Recognises more authors as the brand without showing them as the wall's handles: a recording
   * declares its own brand accounts (twcs `inbound=False`).
   */
  addBrandHandles(handles: readonly string[]): void {
    const next = new Set(this.ctx.brands);
    for (const h of handles) next.add(normaliseHandle(h));
    this.ctx = { ...this.ctx, brands: next };
  }

  /** Enriches a batch of validated mentions. */
  enrichBatch(batch: readonly Mention[]): EnrichedMention[] {
    const out = new Array<EnrichedMention>(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = enrich(batch[i]!, this.ctx);
    return out;
  }

  /**
   * Counts enriched mentions that have no row seq (a drill, tools) into the windows and the
   * river, once each: they get references of this pipeline's own, from 2^52 up, so they never
   * meet a stored row's and still arrive in increasing order.
   */
  count(batch: readonly EnrichedMention[], now: number): void {
    for (const e of batch) {
      const replyTo =
        e.inReplyToId === null
          ? undefined
          : this.localRefs.get(mentionKey(e.source, e.inReplyToId));
      const w = windowInput(e, this.localRef(mentionKey(e.source, e.id)), replyTo ?? 0);
      this.windows.add(w, now);
      this.observe(
        w.ref,
        w.replyToRef,
        e.author.handle,
        e.author.followers,
        e.isBrand,
        e.topics,
        e.createdAt,
        now
      );
      if (!e.isBrand) {
        this.sampleTerms(e.text, now);
        this.sampleForAlerts(e);
      }
    }
    this.toRiver(batch);
    this.ingested += batch.length;
  }

  /** A new local reference for `key` (`count`), remembered for its replies (bounded). */
  private localRef(key: string): number {
    const ref = ++this.lastLocalRef;
    this.localRefs.set(key, ref);
    this.localKeys.push(key);
    if (this.localRefs.size > LOCAL_REFS_CAP) {
      // Oldest first, in halves: the array's front is dropped at once, not shifted per entry.
      const drop = this.localKeys.splice(0, this.localKeys.length >> 1);
      for (const k of drop) this.localRefs.delete(k);
    }
    return ref;
  }

  /**
   * Topic counts, author reach and the reply graph for hidden influencers. `ref` and
   * `replyToRef` are the mention's and its parent's references (`WindowInput`).
   */
  private observe(
    ref: number,
    replyToRef: number,
    handle: string,
    followers: number,
    isBrand: boolean,
    topics: readonly string[],
    createdAt: number,
    now: number
  ): void {
    this.topicWindow.add(topics, createdAt, now);
    if (isBrand) return;
    const who = normaliseHandle(handle);
    const hidden = this.hiddenInfluencers;
    if (replyToRef !== 0) {
      const slot = this.authors.get(replyToRef);
      const parent = slot === undefined ? undefined : this.authorHandles[slot];
      if (slot !== undefined && parent !== undefined && parent !== who) {
        // Authors are followed from their first reply on: counting every author's every mention
        // would cost the firehose far more than the few who draw replies are worth.
        if (!hidden.hasNormalised(parent)) {
          hidden.recordMention(parent, this.authorFollowers[slot]!, this.authorAt[slot]!);
        }
        hidden.recordEngagement(parent, 'reply', now);
      }
    }
    if (hidden.hasNormalised(who)) hidden.recordMention(who, followers, now);
    // A ring of slots, oldest overwritten first, holds the authors; the map only points at slots
    // (small integers, no object per mention). Taking a V8 Map's first key after many deletions
    // is not constant time (it walks the deleted entries), so the ring also decides eviction.
    const slot = this.authorHead;
    const old = this.authorRefs[slot]!;
    if (old !== 0 && this.authors.get(old) === slot) this.authors.delete(old);
    this.authorRefs[slot] = ref;
    this.authorHandles[slot] = who;
    this.authorFollowers[slot] = followers;
    this.authorAt[slot] = createdAt > now ? now : createdAt;
    if (ref !== 0) this.authors.set(ref, slot);
    this.authorHead = (slot + 1) % this.authorsCap;
  }

  /**
   * Feeds emerging terms with at most EMERGING_SAMPLE_PER_SECOND texts per second: tokenizing
   * every text of a firehose on the wall's thread would cost more than everything else it does
   * per mention, and terms that matter stay on top in a sample of hundreds a second.
   */
  private sampleTerms(text: string, now: number): void {
    const second = Math.floor(now / 1000);
    if (second !== this.sampleSecond) {
      this.sampleSecond = second;
      this.sampleLeft = EMERGING_SAMPLE_PER_SECOND;
    }
    if (this.sampleLeft <= 0) return;
    this.sampleLeft--;
    this.emerging.add(text, now);
  }

  private sampleForAlerts(e: EnrichedMention): void {
    this.alertSample.push(e);
    if (this.alertSample.length > 2 * ALERT_SAMPLE_CAP) {
      this.alertSample = this.alertSample.slice(-ALERT_SAMPLE_CAP);
    }
  }

  /**
   * The customer mentions counted since the last call, newest last: every one under light
   * traffic; the newest of each stored batch (and at most ALERT_SAMPLE_CAP) under heavy traffic.
   * What keyword, influencer and silence rules read.
   */
  takeAlertSample(): EnrichedMention[] {
    const out = this.alertSample.slice(-ALERT_SAMPLE_CAP);
    this.alertSample = [];
    return out;
  }

  /** Mentions per configured topic over the topic window (15 minutes), every topic. */
  topicCounts(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.topicWindow.top(now, 10_000)) out[t.name] = t.count;
    return out;
  }

  /** The top-topics panel's data at `now`. */
  topTopics(now: number): TopTopics {
    return {
      windowMs: this.topicWindow.windowMs,
      configured: this.topicWindow.top(now, 8),
      // Emerging means rising: among the most frequent terms, those mentioned clearly more in
      // the latest quarter of the window than before. Frequent but steady words ("order",
      // "support") are the brand's everyday vocabulary, not news.
      // A term whose share of the texts jumped against its own per-minute baseline (a term
      // detection still active) is shown first, marked as a spike, whatever its growth.
      emerging: this.emergingTerms(now)
    };
  }

  private emergingTerms(now: number): TopTopics['emerging'] {
    const rising = new Set(this.monitor.risingTerms());
    return this.emerging
      .top(now, 40)
      .filter((t) => rising.has(t.term) || t.growth >= EMERGING_MIN_GROWTH)
      .map((t) => ({ ...t, spike: rising.has(t.term) }))
      .sort((a, b) => Number(b.spike) - Number(a.spike))
      .slice(0, 8);
  }

  /**
   * Counts stored mentions given as flat facts (FACT_COUNT values each, see `pushFacts`, in
   * chunks of whole rows: core/flat-rows.ts), with the newest of them in full for the river: what
   * the store returns for an ingest body.
   */
  countFacts(
    chunks: readonly (readonly unknown[])[],
    newest: readonly EnrichedMention[],
    now: number
  ): void {
    let n = 0;
    for (const facts of chunks) {
      for (let o = 0; o < facts.length; o += FACT_COUNT, n++) {
        const w = windowInputFromFacts(facts, o);
        this.windows.add(w, now);
        const topics = facts[o + 7] as string;
        this.observe(
          w.ref,
          w.replyToRef,
          facts[o + 8] as string,
          facts[o + 9] as number,
          w.isBrand,
          topics === '' ? NO_TOPICS : topics.split('\n'),
          w.createdAt,
          now
        );
      }
    }
    // Emerging terms read texts; a body's newest mentions are the sample that reaches this thread.
    for (const e of newest) {
      if (e.isBrand) continue;
      this.sampleTerms(e.text, now);
      this.sampleForAlerts(e);
    }
    this.toRiver(newest);
    this.ingested += n;
  }

  /** How many newest mentions the river keeps. */
  get riverLength(): number {
    return this.riverSize;
  }

  private toRiver(batch: readonly EnrichedMention[]): void {
    const tail = batch.length > this.riverSize ? batch.slice(-this.riverSize) : batch;
    for (const e of tail) this.fresh.push(e);
    if (this.fresh.length > 4 * this.riverSize) this.fresh = this.fresh.slice(-this.riverSize);
  }

  /** New river items since the previous call (newest last), for a `mention:batch`. */
  takeRiverBatch(): RiverItem[] {
    const items = this.fresh.slice(-this.riverSize).map(toRiverItem);
    this.fresh = [];
    if (items.length)
      this.river = items.slice().reverse().concat(this.river).slice(0, this.riverSize);
    return items;
  }

  /** Advances one tick: the windows now and the chart points changed since the last tick. */
  tick(now: number): { tick: WallTick; rollups: MinuteRollup[] } {
    this.windows.expire(now);
    const { seconds, minutes } = this.windows.changes(now);
    this.seq++;
    const tick: WallTick = {
      seq: this.seq,
      serverTime: now,
      windows: this.summaries(now),
      seconds,
      minutes
    };
    if (this.seq % TOPICS_EVERY_TICKS === 0) tick.topics = this.topTopics(now);
    const before = this.monitor.lastMinute;
    const closed = this.closeMinutes(now) > 0;
    if (this.peekMinute(now) || closed) tick.detections = this.monitor.recent();
    if (closed) {
      tick.band = this.monitor.bandSince(before);
      tick.negativeBand = this.monitor.negativeBandSince(before);
    }
    return {
      tick,
      rollups: this.windows.takeDirtyMinutes()
    };
  }

  /** Full state for a client that connects or resynchronises. */
  snapshot(now: number, sources: SourceHealth[] = []): WallSnapshot {
    return {
      seq: this.seq,
      serverTime: now,
      brand: this.brand,
      windows: this.summaries(now),
      seconds: this.windows.series(this.windows.seconds, now),
      minutes: this.windows.series(this.windows.minutes, now),
      river: this.river.slice(),
      sources,
      topics: this.topTopics(now),
      detections: this.monitor.recent(),
      band: this.monitor.volumeBand(),
      negativeBand: this.monitor.negativeBandPoints()
    };
  }

  /**
   * Feeds the detectors every minute that has closed (its end at least MINUTE_GRACE_MS ago, so
   * late mentions of the last seconds are in). The first call starts at the oldest minute with
   * mentions in the ring (24 hours after a restore), so the detectors warm up on restored
   * history; leading empty minutes are skipped, or a fresh install would learn that zero is
   * normal. Returns the number of minutes fed.
   */
  closeMinutes(now: number): number {
    const lastClosed = Math.floor((now - MINUTE_GRACE_MS) / MINUTE) * MINUTE - MINUTE;
    let start = this.monitor.lastMinute + MINUTE;
    if (!Number.isFinite(start)) {
      start = lastClosed - (MINUTES_KEPT - 1) * MINUTE;
      while (start <= lastClosed && (this.windows.minuteFacts(start)?.total ?? 0) === 0) {
        start += MINUTE;
      }
      if (start > lastClosed) return 0;
    }
    start = Math.max(start, lastClosed - (MINUTES_KEPT - 1) * MINUTE);
    let fed = 0;
    for (; start <= lastClosed; start += MINUTE) {
      const f = this.windows.minuteFacts(start);
      const terms =
        start === lastClosed
          ? this.emerging.top(now, 40).filter((t) => t.growth >= EMERGING_MIN_GROWTH)
          : [];
      const obs: MinuteObservation = {
        start,
        total: f?.total ?? 0,
        byChannel: f?.byChannel ?? [],
        negative: f?.negative ?? 0,
        scored: f?.scored ?? 0,
        p90Ms: f?.p90Ms ?? null,
        unanswered: f?.unanswered ?? 0,
        topics: this.topicWindow.countsAt(start),
        terms: this.emerging.bucketCounts(start)
      };
      for (const monitor of Object.values(this.monitors)) {
        const raised = monitor.observeMinute(obs, terms);
        for (const d of raised) {
          if (d.metric === 'volume' || d.metric === 'negative-share') {
            monitor.addDrivers(d.id, this.topAuthors(start, start + MINUTE, 3));
          }
        }
      }
      fed++;
    }
    return fed;
  }

  /**
   * Looks at the minute after the last one closed while it fills (or waits out its grace), so
   * a burst raises its volume and channel detections within a tick instead of after the minute
   * ends (see SpikeMonitor.peekMinute). True when the wall's monitor raised one.
   */
  private peekMinute(now: number): boolean {
    const start = this.monitor.lastMinute + MINUTE;
    if (!Number.isFinite(start) || start > now) return false;
    const f = this.windows.minuteFacts(start);
    if (!f || f.total === 0) return false;
    let raised = false;
    for (const monitor of Object.values(this.monitors)) {
      const early = monitor.peekMinute(start, f.total, f.byChannel);
      if (monitor === this.monitor && early.length > 0) raised = true;
    }
    return raised;
  }

  /**
   * The customers with the most mentions created in [from, to), from the ring of recent authors
   * (brand handles are not in it): author drivers of a detection.
   */
  private topAuthors(from: number, to: number, n: number): DetectionDriver[] {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < this.authorsCap; i++) {
      const at = this.authorAt[i]!;
      const who = this.authorHandles[i];
      if (who === undefined || at < from || at >= to) continue;
      counts.set(who, (counts.get(who) ?? 0) + 1);
      total++;
    }
    return [...counts]
      .filter(([, c]) => c > 1)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, n)
      .map(([name, c]) => ({
        kind: 'author' as const,
        name: `@${name}`,
        observed: c,
        expected: null,
        share: Math.round((c / total) * 100) / 100
      }));
  }

  /** Every window's summary at `now`. */
  summaries(now: number): WallSnapshot['windows'] {
    const out = {} as WallSnapshot['windows'];
    for (const w of WINDOWS) out[w] = this.windows.summary(w, now);
    return out;
  }

  /** One window's summary at `now`. */
  summary(window: WindowKey, now: number): ReturnType<RollingWindows['summary']> {
    return this.windows.summary(window, now);
  }

  /** Seeds the river after a restart (newest first). */
  restoreRiver(items: RiverItem[]): void {
    this.river = items.slice(0, this.riverSize);
  }
}
