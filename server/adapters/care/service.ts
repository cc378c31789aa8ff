import { IANAZone } from 'luxon';
import { z } from 'zod';
import type {
  CareAgents,
  CareQueue as CareQueueView,
  CareSummary,
  CareValue
} from '../../../src/lib/shared/types';
import {
  AgentConventionSchema,
  agentStats,
  compileAgentConvention,
  DEFAULT_AGENT_CONVENTION,
  type AgentReply
} from '../../core/care/agents';
import { CareQueue, type ClaimResult, type QueueFilter } from '../../core/care/queue';
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
import type { CareRow } from '../store/care-queries';
import type { Clock, Store } from '../../ports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

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
  /** Rows read from the store per sync (bounds one sync's work on the event loop). */
  syncBatch?: number;
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
  private lastSeq = 0;
  private readonly syncBatch: number;
  private readonly horizonMs: number;

  constructor(private readonly opts: CareServiceOptions) {
    this.horizonMs = opts.horizonMs ?? DAY;
    this.queue = new CareQueue({ horizonMs: this.horizonMs, maxOpen: opts.maxOpen ?? 200_000 });
    this.syncBatch = opts.syncBatch ?? 5_000;
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
    this.lastSeq = store.care.lastSeq();
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
   * Reads the rows stored since the last sync: customer mentions a policy covers enter the
   * queue, brand replies answer theirs. Reads `syncBatch` rows at a time until caught up or
   * `budgetMs` of the event loop is spent (the rest waits for the next call); returns how many.
   */
  sync(budgetMs = 100): number {
    const until = performance.now() + budgetMs;
    let n = 0;
    for (;;) {
      const got = this.syncOnce();
      n += got;
      if (got < this.syncBatch || performance.now() >= until) return n;
    }
  }

  private syncOnce(): number {
    const rows = this.opts.store().care.after(this.lastSeq, this.syncBatch);
    for (const r of rows) {
      this.lastSeq = r.seq;
      if (r.isBrandReply && r.inReplyToId !== null) {
        this.queue.answer(r.source, r.inReplyToId, r.createdAt);
        const agent = this.attribute({ agent: r.agent, text: r.text });
        if (agent) this.queue.agentReplied(agent, r.createdAt);
      } else if (!r.isBrand) {
        // Answered already when first seen (its reply came in the same moment, or earlier):
        // only its outcome is recorded.
        if (r.answeredAt === null) this.enqueue(r);
        else this.recordLate(r, r.answeredAt);
      }
    }
    return rows.length;
  }

  /** Moves the queue's time on and returns the summary to broadcast. */
  tick(): CareSummary {
    this.sync();
    const now = this.opts.clock.now();
    this.queue.expire(now);
    return this.queue.summary(now);
  }

  /** The queue view (after a sync, so a mention stored a moment ago is there). */
  list(filter: QueueFilter, offset: number, limit: number): CareQueueView {
    this.sync();
    const now = this.opts.clock.now();
    return { now, ...this.queue.list(filter, offset, limit, now), version: this.queue.version };
  }

  claim(source: string, id: string, user: string): ClaimResult {
    this.sync();
    return this.queue.claim(source, id, user, this.opts.clock.now());
  }

  release(source: string, id: string, user: string, force: boolean): ClaimResult {
    return this.queue.release(source, id, user, force, this.opts.clock.now());
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

  private recordLate(r: CareRow, answeredAt: number): void {
    const clock = this.sla.clock(
      { channel: r.channel, intent: r.intent, tier: r.influenceTier, priority: r.priority },
      r.createdAt
    );
    if (!clock) return;
    this.queue.recordAnswered(
      r.channel,
      answeredAt,
      answeredAt - r.createdAt,
      answeredAt <= clock.dueAt
    );
  }

  private enqueue(r: CareRow): void {
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
      id: r.id,
      source: r.source,
      channel: r.channel,
      createdAt: r.createdAt,
      text: r.text,
      author: r.author,
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
