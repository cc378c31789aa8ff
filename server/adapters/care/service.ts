import { IANAZone } from 'luxon';
import { z } from 'zod';
import { FACT_COUNT } from '../../core/pipeline';
import type {
  CareAgents,
  CareQueue as CareQueueView,
  CareQueueItem,
  CareSummary,
  CareValue,
  Channel,
  InfluenceTier,
  Intent
} from '../../../src/lib/shared/types';
import {
  AgentConventionSchema,
  agentStats,
  compileAgentConvention,
  DEFAULT_AGENT_CONVENTION,
  type AgentReply
} from '../../core/care/agents';
import {
  CareQueue,
  completeItem,
  type ClaimResult,
  type OpenMention,
  type QueueFilter,
  type QueueRow
} from '../../core/care/queue';
import { analyzeConversation, summarizeResolutions } from '../../core/care/resolution';
import {
  compileSla,
  DEFAULT_SLA_CONFIG,
  SlaConfigSchema,
  type CompiledSla
} from '../../core/care/sla';
import {
  DEFAULT_VALUE_ASSUMPTIONS,
  SOURCES,
  ValueAssumptionsSchema,
  valueOfCare
} from '../../core/care/value';
import type { Clock, Store } from '../../ports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Brand replies' signatures read per tick at most (see CareService.unsigned). */
export const UNSIGNED_PER_TICK = 200;

const keyOf = (k: { source: string; id: string }): string => `${k.source}\u0000${k.id}`;

/** A claim's outcome with the item complete. */
export type ClaimOutcome = { ok: true; item: CareQueueItem } | Exclude<ClaimResult, { ok: true }>;

/** What the care side is configured with (`PUT /api/v1/settings/care`), validated. */
export const careSettingsSchema = z.strictObject({
  sla: SlaConfigSchema.default(DEFAULT_SLA_CONFIG),
  agents: AgentConventionSchema.default(DEFAULT_AGENT_CONVENTION),
  value: ValueAssumptionsSchema.default(DEFAULT_VALUE_ASSUMPTIONS),
  /** The care team's time zone: agents' replies by hour of day are counted in it. */
  timeZone: z
    .string()
    .refine((z) => IANAZone.isValidZone(z), {
      message: 'must be an IANA time zone, e.g. Europe/London'
    })
    .default('Europe/London')
});
export type CareSettings = z.output<typeof careSettingsSchema>;

/** The settings key the care configuration is stored under. */
export const CARE_SETTINGS_KEY = 'care';

/** Options of the care service. */
export interface CareServiceOptions {
  store: () => Store;
  clock: Clock;
  /** Open mentions older than this leave the live queue (default a day). */
  horizonMs?: number;
  /** Most open mentions the queue holds (default 200,000). */
  maxOpen?: number;
}

/** Conversations the value and resolution figures analyse at most (the newest of the range). */
export const VALUE_SAMPLE = 2_000;
/** Brand replies the agents view reads at most. */
export const AGENT_REPLIES_LIMIT = 200_000;

/**
 * The care side of the server: follows the store's new rows into the live queue (customer
 * mentions an SLA policy covers enter, brand replies answer them), claims, and the agents and
 * value reports over stored history. The queue itself is the pure core's (core/care/queue.ts).
 */
export class CareService {
  readonly queue: CareQueue;
  private settings: CareSettings;
  private sla: CompiledSla;
  private attribute: ReturnType<typeof compileAgentConvention>;
  /**
   * Brand replies without an `agent` field whose signature is read on the next tick: at most
   * UNSIGNED_PER_TICK a second (agents active needs who replied, not every reply: a team of
   * dozens replying all hour is seen in full long before that cap matters).
   */
  private unsigned: { source: string; id: string; at: number }[] = [];
  private readonly horizonMs: number;

  constructor(private readonly opts: CareServiceOptions) {
    this.horizonMs = opts.horizonMs ?? DAY;
    this.queue = new CareQueue({ horizonMs: this.horizonMs, maxOpen: opts.maxOpen ?? 200_000 });
    this.settings = careSettingsSchema.parse({});
    this.sla = compileSla(this.settings.sla);
    this.attribute = compileAgentConvention(this.settings.agents);
  }

  /** The settings in force. */
  get config(): CareSettings {
    return this.settings;
  }

  /**
   * Loads the stored settings and the queue's state: open mentions of the horizon, the last
   * day's first responses, and agents active in the last hour.
   */
  start(): void {
    const store = this.opts.store();
    const stored = store.getSetting(CARE_SETTINGS_KEY);
    if (stored !== null) {
      const r = careSettingsSchema.safeParse(stored);
      if (r.success) this.apply(r.data);
    }
    const now = this.opts.clock.now();
    for (const row of store.care.openRows(now - this.horizonMs, 500_000)) this.enqueue(row);
    for (const a of store.care.answered(now - DAY, now + 1, 500_000).reverse()) {
      const clock = this.sla.clock(
        { channel: a.channel, intent: a.intent, tier: a.tier, priority: a.priority },
        a.createdAt
      );
      if (clock) {
        this.queue.recordAnswered(
          a.channel,
          a.answeredAt,
          a.answeredAt - a.createdAt,
          a.answeredAt <= clock.dueAt
        );
      }
    }
    for (const r of store.care.replies(now - HOUR, now + 1, 10_000)) {
      const agent = this.attribute({ agent: r.agent, text: r.text });
      if (agent) this.queue.agentReplied(agent, r.at);
    }
  }

  /** Validates and applies new settings; the caller stores them. */
  apply(next: CareSettings): void {
    this.sla = compileSla(next.sla);
    this.attribute = compileAgentConvention(next.agents);
    this.settings = next;
  }

  /**
   * Takes a commit's new mentions, as the flat facts the store answers with (FACT_COUNT values
   * each, `pushFacts` in core/pipeline.ts, in chunks of whole rows): customer mentions a policy
   * covers enter the queue, brand replies answer theirs (by the row seq of the mention answered,
   * which the store resolved). No SQLite read: what the queue decides with is in the facts.
   */
  ingestFacts(chunks: readonly (readonly unknown[])[]): void {
    for (const f of chunks) this.ingestChunk(f);
  }

  private ingestChunk(f: readonly unknown[]): void {
    const now = this.opts.clock.now();
    const oldest = now - this.horizonMs;
    for (let o = 0; o < f.length; o += FACT_COUNT) {
      const source = f[o] as string;
      const createdAt = f[o + 3] as number;
      const replyTo = f[o + 6] as string | null;
      if (f[o + 5] === 1) {
        if (replyTo === null) continue;
        const parent = f[o + 17] as number;
        if (parent !== 0) this.queue.answer(parent, createdAt);
        const agent = f[o + 15] as string | null;
        if (agent !== null) {
          const named = this.attribute({ agent, text: '' });
          if (named) this.queue.agentReplied(named, createdAt);
        } else if (this.unsigned.length < UNSIGNED_PER_TICK) {
          this.unsigned.push({ source, id: f[o + 1] as string, at: createdAt });
        }
        continue;
      }
      // Older than the queue's horizon (an import of history): not live work.
      if (createdAt < oldest) continue;
      const topics = f[o + 7] as string;
      this.enqueue({
        ref: f[o + 16] as number,
        source,
        id: f[o + 1] as string,
        channel: f[o + 2] as Channel,
        createdAt,
        sentiment: {
          score: f[o + 13] as number,
          label: (['negative', 'neutral', 'positive'] as const)[f[o + 4] as number] ?? 'neutral'
        },
        intent: f[o + 10] as Intent,
        influence: f[o + 14] as number,
        influenceTier: f[o + 11] as InfluenceTier,
        topics: topics === '' ? [] : topics.split('\n'),
        priority: f[o + 12] as number
      });
    }
  }

  /** Reads the signatures of the brand replies that named no agent (agents active). */
  private signatures(): void {
    if (this.unsigned.length === 0) return;
    const batch = this.unsigned;
    this.unsigned = [];
    const details = this.opts.store().care.details(batch);
    for (const r of batch) {
      const text = details.get(keyOf(r))?.text;
      const agent = text === undefined ? null : this.attribute({ agent: null, text });
      if (agent) this.queue.agentReplied(agent, r.at);
    }
  }

  /** Moves the queue's time on and returns the summary to broadcast. */
  tick(): CareSummary {
    this.signatures();
    const now = this.opts.clock.now();
    this.queue.expire(now);
    const s = this.queue.summary(now);
    const oldest = s.oldest
      ? {
          ...s.oldest,
          text: this.opts.store().care.details([s.oldest]).get(keyOf(s.oldest))?.text ?? ''
        }
      : null;
    return { ...s, oldest };
  }

  /** The queue view. */
  list(filter: QueueFilter, offset: number, limit: number): CareQueueView {
    const now = this.opts.clock.now();
    const page = this.queue.list(filter, offset, limit, now);
    return { now, ...page, items: this.complete(page.items), version: this.queue.version };
  }

  claim(source: string, id: string, user: string): ClaimOutcome {
    return this.completed(this.queue.claim(source, id, user, this.opts.clock.now()));
  }

  release(source: string, id: string, user: string, force: boolean): ClaimOutcome {
    return this.completed(this.queue.release(source, id, user, force, this.opts.clock.now()));
  }

  /** Queue rows with their text, author and reasons (read from SQLite for these rows only). */
  private complete(rows: QueueRow[]): CareQueueItem[] {
    const details = this.opts.store().care.details(rows);
    return rows.map((r) =>
      completeItem(
        r,
        details.get(keyOf(r)) ?? {
          text: '',
          author: { handle: '', name: '', followers: 0, verified: false }
        }
      )
    );
  }

  private completed(r: ClaimResult): ClaimOutcome {
    return r.ok ? { ok: true, item: this.complete([r.item])[0]! } : r;
  }

  /** Agents' and teams' first-response performance over stored replies in [from, to). */
  agents(from: number, to: number): CareAgents {
    const replies: AgentReply[] = [];
    let unattributed = 0;
    for (const r of this.opts.store().care.replies(from, to, AGENT_REPLIES_LIMIT)) {
      const agent = this.attribute({ agent: r.agent, text: r.text });
      if (!agent) {
        unattributed++;
        continue;
      }
      const p = r.parent;
      const first = p !== null && p.answeredAt === r.at;
      let slaMet: boolean | null = null;
      if (first) {
        const clock = this.sla.clock(
          { channel: p.channel, intent: p.intent, tier: p.tier, priority: p.priority },
          p.createdAt
        );
        slaMet = clock ? r.at <= clock.dueAt : null;
      }
      replies.push({
        agent,
        at: r.at,
        firstResponseMs: first ? r.at - p.createdAt : null,
        slaMet,
        conversation: `${r.source}\u0000${r.inReplyToId}`
      });
    }
    const s = agentStats(replies, {
      teams: this.settings.agents.teams,
      timeZone: this.settings.timeZone
    });
    return {
      from,
      to,
      timeZone: this.settings.timeZone,
      items: s.agents,
      teams: s.teams,
      unattributed
    };
  }

  /** The value of social care and how conversations first answered in [from, to) ended. */
  value(from: number, to: number): CareValue {
    const store = this.opts.store();
    const outcomes = store.care.conversations(from, to, VALUE_SAMPLE).map(analyzeConversation);
    const resolution = summarizeResolutions(outcomes);
    const of = store.care.answeredCount(from, to);
    const analysed = outcomes.length;
    // The sample's resolution rate, applied to every conversation answered in the range.
    const scale = analysed > 0 && of > analysed ? of / analysed : 1;
    const post = outcomes
      .filter((o) => o.resolved && o.sentimentAfter !== null)
      .map((o) => o.sentimentAfter!);
    const value = valueOfCare(
      { from, to, resolved: Math.round(resolution.resolved * scale), postSentiment: post },
      this.settings.value
    );
    return {
      from,
      to,
      value,
      resolution,
      sources: SOURCES.map((s) => ({ topic: s.topic, description: s.description })),
      sampled: of > analysed ? { analysed, of } : null
    };
  }

  private enqueue(r: Omit<OpenMention, 'clock' | 'policy'>): void {
    const facts = {
      channel: r.channel,
      intent: r.intent,
      tier: r.influenceTier,
      priority: r.priority
    };
    const rule = this.sla.match(facts);
    if (!rule) return;
    const clock = this.sla.clock(facts, r.createdAt);
    if (!clock) return;
    this.queue.add({
      ref: r.ref,
      id: r.id,
      source: r.source,
      channel: r.channel,
      createdAt: r.createdAt,
      sentiment: r.sentiment,
      intent: r.intent,
      influence: r.influence,
      influenceTier: r.influenceTier,
      topics: r.topics,
      priority: r.priority,
      clock,
      policy: rule.name
    });
  }
}
