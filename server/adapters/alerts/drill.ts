import type { AlertRule, DrillReport, DrillScenario, Mention } from '../../../src/lib/shared/types';
import { AlertEngine, type AlertEffect } from '../../core/alerts/engine';
import { Pipeline, type PipelineOptions } from '../../core/pipeline';
import { emptyLastSeen, ruleInputFrom } from './input';

const MINUTE = 60_000;

/** Minutes of ordinary traffic a drill's detectors learn before the crisis. */
const BASELINE_MINUTES = 180;
/** Ordinary mentions a minute in the baseline. */
const BASELINE_RATE = 20;
/** How long the crisis part lasts, and its mentions a second. */
const BURST_MS = 2 * MINUTE;
const BURST_PER_SECOND = 8;
/** A drill ends by itself this long after it started. */
const DRILL_MAX_MS = 30 * MINUTE;

const INFLUENCER =
  'Furious. The X200 charger set my kitchen on fire. Dangerous product, awful company #recall';

const ORDINARY = [
  'Parcel arrived on time, thanks',
  'How do I change my delivery address?',
  'Love the new app update',
  'Driver was friendly today',
  'Is the store open on Sunday?'
];

const RECALL = [
  'Is there a recall on the X200 charger? Mine melted overnight',
  'My X200 battery caught fire, this is dangerous #recall',
  'Why is there no recall yet? Two chargers burnt in our street',
  'RECALL the X200 now, my kid nearly got burned',
  'Still no answer about the battery fire, terrible response'
];

/**
 * A fire drill: a synthetic crisis played through a pipeline of its own (the same code as the
 * live one), so it is detected, alerted and notified exactly as a real one would be, while its
 * mentions never reach the real windows, detectors or database. Its alerts are marked `drill`.
 * The detectors first learn three hours of ordinary traffic (timestamped in the past, in one go),
 * then the crisis is played in real time for two minutes.
 */
export class Drill {
  readonly id: string;
  readonly scenario: DrillScenario;
  readonly startedBy: string;
  readonly startedAt: number;
  readonly burstAt: number;
  private readonly pipeline: Pipeline;
  private readonly engine: AlertEngine;
  private readonly lastSeen = emptyLastSeen();
  private fed: number;
  private n = 0;
  private burst = 0;
  endedAt: number | null = null;

  constructor(
    id: string,
    scenario: DrillScenario,
    by: string,
    rules: readonly AlertRule[],
    options: PipelineOptions,
    now: number
  ) {
    this.id = id;
    this.scenario = scenario;
    this.startedBy = by;
    this.startedAt = now;
    this.pipeline = new Pipeline(options);
    const brand = options.brandHandles[0] ?? '@brand';
    this.engine = new AlertEngine(rules, [], { drill: true, idPrefix: `${id}-` });
    // The quiet past: ordinary traffic for three hours, minute by minute.
    const first = Math.floor(now / MINUTE) * MINUTE - BASELINE_MINUTES * MINUTE;
    for (let m = first; m < Math.floor(now / MINUTE) * MINUTE; m += MINUTE) {
      const batch: Mention[] = [];
      for (let i = 0; i < BASELINE_RATE; i++) {
        const at = m + (i * MINUTE) / BASELINE_RATE;
        const customer = this.mention(
          ORDINARY[i % ORDINARY.length]!,
          at,
          i % 3 ? 'news' : 'twitter'
        );
        batch.push(customer);
        // The care team answers within a couple of minutes, as on an ordinary day.
        batch.push({
          ...this.mention('Happy to help, check your DMs', at + 2 * MINUTE, customer.channel),
          author: { handle: brand, name: 'Care team', followers: 5000, verified: true },
          inReplyToId: customer.id
        });
      }
      this.pipeline.count(this.pipeline.enrichBatch(batch), m + MINUTE);
    }
    this.pipeline.tick(now);
    this.pipeline.takeAlertSample();
    this.burstAt = now;
    this.fed = now;
  }

  private mention(
    text: string,
    createdAt: number,
    channel: Mention['channel'],
    followers = 150
  ): Mention {
    this.n++;
    return {
      id: `${this.id}-${this.n}`,
      source: 'drill',
      channel,
      createdAt,
      text,
      author: {
        handle: `@drill_customer_${this.n % 400}`,
        name: `Drill customer ${this.n % 400}`,
        followers,
        verified: false
      },
      lang: 'en',
      url: null,
      inReplyToId: null,
      geo: null
    };
  }

  /** True while the crisis is being played. */
  get bursting(): boolean {
    return this.endedAt === null && this.fed < this.burstAt + BURST_MS;
  }

  /** Plays the scenario up to `now` and evaluates the rules on the drill's pipeline. */
  step(now: number): AlertEffect[] {
    if (this.endedAt !== null) return [];
    const until = Math.min(now, this.burstAt + BURST_MS);
    const batch: Mention[] = [];
    for (let t = this.fed; t < until; t += 1000 / BURST_PER_SECOND) {
      const k = this.burst++;
      // One in forty is an influencer's, so influencer rules get their turn.
      batch.push(
        k % 40 === 5
          ? this.mention(INFLUENCER, Math.round(t), 'twitter', 250_000)
          : this.mention(RECALL[k % RECALL.length]!, Math.round(t), k % 2 ? 'twitter' : 'reddit')
      );
    }
    if (until > this.fed) this.fed = until;
    if (batch.length) this.pipeline.count(this.pipeline.enrichBatch(batch), now);
    this.pipeline.tick(now);
    const effects = this.engine.evaluate(
      ruleInputFrom(this.pipeline, now, this.startedAt, this.lastSeen)
    );
    if (now - this.startedAt >= DRILL_MAX_MS) effects.push(...this.end(now, 'system'));
    else if (!this.bursting && this.engine.open().length === 0 && now >= this.fed + MINUTE) {
      // The crisis is over and every drill alert has resolved: the drill is done.
      this.endedAt = now;
    }
    return effects;
  }

  /** Ends the drill: its open alerts are resolved by hand. */
  end(now: number, by: string): AlertEffect[] {
    if (this.endedAt !== null) return [];
    this.endedAt = now;
    const effects: AlertEffect[] = [];
    for (const a of this.engine.open()) {
      const r = this.engine.act(a.id, { kind: 'resolve', note: 'drill ended' }, by, now);
      if (r.ok && r.effect) effects.push(r.effect);
    }
    return effects;
  }

  /** The drill's alert engine (its alerts are acted on like any other). */
  get alerts(): AlertEngine {
    return this.engine;
  }

  /** The drill report so far. */
  report(): DrillReport {
    const alerts = this.engine
      .recent()
      .filter((a) => a.firedAt !== null)
      .sort((a, b) => (a.firedAt ?? 0) - (b.firedAt ?? 0));
    const first = alerts[0] ?? null;
    const resolved = alerts.every((a) => a.resolvedAt !== null);
    const acks = alerts.map((a) => a.acknowledgedAt).filter((t): t is number => t !== null);
    const firstAck = acks.length ? Math.min(...acks) : null;
    return {
      id: this.id,
      scenario: this.scenario,
      startedBy: this.startedBy,
      startedAt: this.startedAt,
      burstAt: this.burstAt,
      endedAt: this.endedAt,
      state: this.endedAt === null ? 'running' : 'finished',
      alerts: alerts.map((a) => ({
        id: a.id,
        title: a.title,
        severity: a.severity,
        firedAt: a.firedAt,
        acknowledgedAt: a.acknowledgedAt,
        acknowledgedBy: a.acknowledgedBy,
        resolvedAt: a.resolvedAt
      })),
      timeToDetectMs: first?.firedAt != null ? first.firedAt - this.burstAt : null,
      timeToAcknowledgeMs:
        first?.firedAt != null && firstAck !== null ? firstAck - first.firedAt : null,
      timeToResolveMs:
        first?.firedAt != null && alerts.length > 0 && resolved
          ? Math.max(...alerts.map((a) => a.resolvedAt ?? 0)) - first.firedAt
          : null
    };
  }
}
