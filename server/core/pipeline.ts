import type {
  Channel,
  EnrichedMention,
  Mention,
  RiverItem,
  SourceHealth,
  WallSnapshot,
  WallTick,
  WindowKey
} from '../../src/lib/shared/types';
import { WINDOWS } from '../../src/lib/shared/types';
import { scoreSentiment } from './enrich/sentiment';
import { RollingWindows, type MinuteRollup, type WindowInput } from './window/rolling-windows';

/** Settings of the pure pipeline. */
export interface PipelineOptions {
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

/** Key of a mention in the reply graph: ids are unique per source. */
export function mentionKey(source: string, id: string): string {
  return source + '\u0000' + id;
}

/** Enriches one validated mention (sentiment, brand reply). */
export function enrich(m: Mention, brands: ReadonlySet<string>): EnrichedMention {
  const isBrand = brands.has(normaliseHandle(m.author.handle));
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
    sentiment: scoreSentiment(m.text),
    isBrand,
    isBrandReply: isBrand && m.inReplyToId !== null
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
    url: m.url
  };
}

/** What the windows need from an enriched mention. */
export function windowInput(e: EnrichedMention): WindowInput {
  return {
    key: mentionKey(e.source, e.id),
    channel: e.channel,
    createdAt: e.createdAt,
    label: e.sentiment.label,
    isBrand: e.isBrand,
    replyToKey: e.inReplyToId === null ? null : mentionKey(e.source, e.inReplyToId)
  };
}

/** Values per mention in the flat facts that counting needs (see `pushFacts`). */
export const FACT_COUNT = 7;

const LABELS = ['negative', 'neutral', 'positive'] as const;

/**
 * Appends what counting needs of a mention as flat values: source, id, channel, createdAt,
 * label index, isBrand (0/1), inReplyToId. Flat primitives cross threads far cheaper than objects.
 */
export function pushFacts(out: unknown[], e: EnrichedMention): void {
  out.push(
    e.source,
    e.id,
    e.channel,
    e.createdAt,
    LABELS.indexOf(e.sentiment.label),
    e.isBrand ? 1 : 0,
    e.inReplyToId
  );
}

/** The window input of the mention whose facts start at offset `o`. */
export function windowInputFromFacts(f: readonly unknown[], o: number): WindowInput {
  const source = f[o] as string;
  const replyTo = f[o + 6] as string | null;
  return {
    key: mentionKey(source, f[o + 1] as string),
    channel: f[o + 2] as Channel,
    createdAt: f[o + 3] as number,
    label: LABELS[f[o + 4] as number] ?? 'neutral',
    isBrand: f[o + 5] === 1,
    replyToKey: replyTo === null ? null : mentionKey(source, replyTo)
  };
}

/**
 * The pure heart of the server: mentions in, windows, ticks and snapshots out. It never reads a
 * clock or touches I/O; adapters call it with `now` and carry out what it returns.
 */
export class Pipeline {
  readonly windows: RollingWindows;
  brands: ReadonlySet<string>;
  private brand: WallSnapshot['brand'];
  private readonly riverSize: number;
  private river: RiverItem[] = [];
  /** Newest counted mentions not yet sent to the river, bounded; converted only when taken. */
  private fresh: EnrichedMention[] = [];
  private seq = 0;
  /** Mentions taken in since start. */
  ingested = 0;

  constructor(opts: PipelineOptions) {
    this.brands = new Set(opts.brandHandles.map(normaliseHandle));
    this.brand = { name: opts.brandName ?? '', handles: [...opts.brandHandles] };
    this.riverSize = opts.riverSize ?? 60;
    this.windows = new RollingWindows(opts.pendingCap);
  }

  /** Changes the brand (from the tracking configuration); applies to mentions enriched after. */
  setBrand(name: string, handles: readonly string[]): void {
    this.brands = new Set(handles.map(normaliseHandle));
    this.brand = { name, handles: [...handles] };
  }

  /**
   * Recognises more authors as the brand without showing them as the wall's handles: a recording
   * declares its own brand accounts (twcs `inbound=False`).
   */
  addBrandHandles(handles: readonly string[]): void {
    const next = new Set(this.brands);
    for (const h of handles) next.add(normaliseHandle(h));
    this.brands = next;
  }

  /** Enriches a batch of validated mentions. */
  enrichBatch(batch: readonly Mention[]): EnrichedMention[] {
    const out = new Array<EnrichedMention>(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = enrich(batch[i]!, this.brands);
    return out;
  }

  /** Counts enriched mentions into the windows and the river (once per stored mention). */
  count(batch: readonly EnrichedMention[], now: number): void {
    for (const e of batch) this.windows.add(windowInput(e), now);
    this.toRiver(batch);
    this.ingested += batch.length;
  }

  /**
   * Counts stored mentions given as flat facts (FACT_COUNT values each, see `pushFacts`), with
   * the newest of them in full for the river: what the store returns for an ingest body.
   */
  countFacts(facts: readonly unknown[], newest: readonly EnrichedMention[], now: number): void {
    let n = 0;
    for (let o = 0; o < facts.length; o += FACT_COUNT, n++) {
      this.windows.add(windowInputFromFacts(facts, o), now);
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
    return {
      tick: { seq: this.seq, serverTime: now, windows: this.summaries(now), seconds, minutes },
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
      sources
    };
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
