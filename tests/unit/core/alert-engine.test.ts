import { describe, expect, it } from 'vitest';
import { AlertEngine, type AlertEffect } from '../../../server/core/alerts/engine';
import type { RuleInput, RuleMention } from '../../../server/core/alerts/rules';
import {
  WINDOWS,
  type AlertRule,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const S = 1000;
const MIN = 60_000;

function summary(window: WindowKey): WindowSummary {
  return {
    window,
    asOf: T0,
    volume: 0,
    perMinute: 0,
    byChannel: {
      twitter: 0,
      facebook: 0,
      instagram: 0,
      reddit: 0,
      forum: 0,
      review: 0,
      news: 0,
      bluesky: 0,
      mastodon: 0
    },
    sentiment: { negative: 0, neutral: 0, positive: 0, net: 0 },
    responseTime: { count: 0, p50Ms: null, p90Ms: null },
    unanswered: 0
  };
}

const WINDOWS_EMPTY = Object.fromEntries(WINDOWS.map((w) => [w, summary(w)])) as Record<
  WindowKey,
  WindowSummary
>;

function mention(text: string, at: number, n = 1): RuleMention {
  return {
    source: 'test',
    channel: 'twitter',
    createdAt: at,
    text,
    topics: [],
    sentiment: 'negative',
    influenceTier: 'everyday',
    item: {
      id: `m${n}`,
      source: 'test',
      channel: 'twitter',
      createdAt: at,
      text,
      author: { handle: `@c${n}`, name: `C ${n}`, followers: 10, verified: false },
      url: null,
      sentiment: 'negative',
      score: -0.5,
      language: 'en',
      intent: 'complaint',
      topics: [],
      influenceTier: 'everyday',
      priority: 50
    } as unknown as RuleMention['item']
  };
}

function input(now: number, mentions: RuleMention[] = []): RuleInput {
  return {
    now,
    startedAt: T0,
    windows: WINDOWS_EMPTY,
    detections: { low: [], balanced: [], high: [] },
    mentions,
    unansweredSince: [],
    lastSeen: { any: now, bySource: {}, byChannel: {}, byTopic: {} },
    topics15m: {}
  };
}

const recall: AlertRule = {
  id: 'recall',
  name: 'Recall watch',
  kind: 'keyword',
  enabled: true,
  severity: 'critical',
  scope: {},
  forMs: 0,
  holdMs: 10 * MIN,
  escalateAfterMs: 15 * MIN,
  terms: ['recall'],
  minCount: 2,
  windowMs: 5 * MIN
};

const twoRecalls = (at: number) => [mention('a RECALL?', at, 1), mention('recall now', at, 2)];

/** The engine's effects, summarised: [event, state, notify]. */
const brief = (effects: AlertEffect[]) =>
  effects.map((e) => [e.event, e.view.state, e.notify] as const);

describe('AlertEngine', () => {
  it('raises, keeps one alert per group, and resolves after the hold', () => {
    const engine = new AlertEngine([recall]);
    expect(engine.evaluate(input(T0))).toEqual([]);
    const raised = engine.evaluate(input(T0 + S, twoRecalls(T0 + S)));
    expect(brief(raised)).toEqual([['raised', 'firing', 'firing']]);
    const a = raised[0]!.view;
    expect(a).toMatchObject({ ruleId: 'recall', ruleName: 'Recall watch', severity: 'critical' });
    expect(a.scopeKey).toBe('term:recall');
    expect(a.context?.samples.length).toBe(2);
    expect(a.link).toBe(
      `/explore?from=${T0 + S - 15 * MIN}&to=${T0 + S + 15 * MIN}&q=recall&alert=${encodeURIComponent(a.id)}`
    );
    // More matches while firing: the same alert, no new notification.
    const more = engine.evaluate(input(T0 + 2 * S, twoRecalls(T0 + 2 * S)));
    expect(more.every((e) => e.view.id === a.id && e.notify === null)).toBe(true);
    expect(engine.open().map((x) => x.id)).toEqual([a.id]);
    // The window empties after 5 minutes; the hold of 10 more resolves it.
    const later = engine.evaluate(input(T0 + 6 * MIN));
    expect(brief(later)).toEqual([['updated', 'firing', null]]);
    const done = engine.evaluate(input(T0 + 17 * MIN));
    expect(brief(done)).toEqual([['resolved', 'resolved', 'resolved']]);
    expect(engine.open()).toEqual([]);
    expect(engine.recent()[0]).toMatchObject({ id: a.id, resolvedBy: 'auto' });
  });

  it.each([
    ['ack', { kind: 'ack' as const }, 'acknowledged'],
    ['resolve', { kind: 'resolve' as const, note: 'done' }, 'resolved'],
    ['snooze', { kind: 'snooze' as const, minutes: 30 }, 'firing'],
    ['assign', { kind: 'assign' as const, assignee: 'lee' }, 'firing'],
    ['note', { kind: 'note' as const, text: 'looking' }, 'firing']
  ])('applies a console %s', (_name, action, state) => {
    const engine = new AlertEngine([recall]);
    const a = engine.evaluate(input(T0, twoRecalls(T0)))[0]!.view;
    const r = engine.act(a.id, action, 'dana', T0 + MIN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.view.state).toBe(state);
    expect(r.effect?.event).toBe(state === 'resolved' ? 'resolved' : 'updated');
    expect(r.view.timeline.at(-1)).toMatchObject({ by: 'dana', at: T0 + MIN });
  });

  it.each([
    ['an unknown alert', 'nope', { kind: 'ack' as const }, 404, /no alert with id nope/],
    ['a second acknowledgement', null, { kind: 'ack' as const }, 409, /already acknowledged/],
    ['an empty note', null, { kind: 'note' as const, text: '  ' }, 409, /text/],
    ['a snooze into the past', null, { kind: 'snooze' as const, minutes: -5 }, 409, /minutes/]
  ])('refuses %s with a reason', (_name, id, action, status, error) => {
    const engine = new AlertEngine([recall]);
    const a = engine.evaluate(input(T0, twoRecalls(T0)))[0]!.view;
    engine.act(a.id, { kind: 'ack' }, 'dana', T0 + S);
    const r = engine.act(id ?? a.id, action, 'lee', T0 + 2 * S);
    expect(r).toMatchObject({ ok: false, status });
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('records a re-trigger while acknowledged and notifies it', () => {
    const engine = new AlertEngine([recall]);
    const a = engine.evaluate(input(T0, twoRecalls(T0)))[0]!.view;
    engine.act(a.id, { kind: 'ack' }, 'dana', T0 + S);
    engine.evaluate(input(T0 + 6 * MIN)); // cleared, hold running
    const again = engine.evaluate(input(T0 + 7 * MIN, twoRecalls(T0 + 7 * MIN)));
    expect(brief(again)).toEqual([['updated', 'acknowledged', 'retriggered']]);
    expect(again[0]!.view.occurrences).toBe(2);
  });

  it('escalates an unacknowledged alert and resolves those of a deleted rule', () => {
    const engine = new AlertEngine([recall]);
    engine.evaluate(input(T0, twoRecalls(T0)));
    const up = engine.evaluate(input(T0 + 15 * MIN + S, twoRecalls(T0 + 15 * MIN)));
    expect(up.some((e) => e.notify === 'escalated' && e.view.escalationLevel === 1)).toBe(true);
    engine.setRules([]);
    const gone = engine.evaluate(input(T0 + 16 * MIN));
    expect(gone.map((e) => [e.event, e.view.resolvedBy])).toEqual([['resolved', 'system']]);
  });

  it('keeps a disabled rule quiet: its alert resolves after the hold', () => {
    const engine = new AlertEngine([recall]);
    engine.evaluate(input(T0, twoRecalls(T0)));
    engine.setRules([{ ...recall, enabled: false }]);
    expect(brief(engine.evaluate(input(T0 + S, twoRecalls(T0 + S))))).toEqual([
      ['updated', 'firing', null]
    ]);
    expect(brief(engine.evaluate(input(T0 + 11 * MIN)))).toEqual([
      ['resolved', 'resolved', 'resolved']
    ]);
  });

  it('drops a pending alert that clears in time, without notifying', () => {
    const engine = new AlertEngine([{ ...recall, forMs: 2 * MIN }]);
    const pending = engine.evaluate(input(T0, twoRecalls(T0)));
    expect(brief(pending)).toEqual([['updated', 'pending', null]]);
    const dropped = engine.evaluate(input(T0 + 6 * MIN));
    expect(brief(dropped)).toEqual([['resolved', 'resolved', null]]);
    expect(engine.open()).toEqual([]);
  });

  it('marks a drill engine’s alerts and ids, and keeps deliveries bounded', () => {
    const engine = new AlertEngine([recall], [], { drill: true, idPrefix: 'drill-1-' });
    const a = engine.evaluate(input(T0, twoRecalls(T0)))[0]!.view;
    expect(a.drill).toBe(true);
    expect(a.id.startsWith('drill-1-')).toBe(true);
    for (let i = 0; i < 80; i++) {
      engine.recordDelivery(a.id, {
        at: T0 + i,
        channelId: 'webhook',
        event: 'firing',
        attempt: i + 1,
        ok: false,
        status: 503,
        error: 'HTTP 503',
        reason: 'retrying'
      });
    }
    const d = engine.get(a.id)!.deliveries;
    expect(d).toHaveLength(50);
    expect(d[0]!.attempt).toBe(31);
    expect(engine.recordDelivery('nope', d[0]!)).toBeNull();
  });

  it('starts from stored records: an open alert goes on where it was', () => {
    const first = new AlertEngine([recall]);
    const a = first.evaluate(input(T0, twoRecalls(T0)))[0]!;
    first.act(a.view.id, { kind: 'ack' }, 'dana', T0 + S);
    const stored = JSON.parse(JSON.stringify(first.get(a.view.id)));
    const second = new AlertEngine([recall], [stored]);
    expect(second.open().map((x) => [x.id, x.state])).toEqual([[a.view.id, 'acknowledged']]);
    // Quiet since: it resolves after the hold, as it would have without the restart.
    expect(brief(second.evaluate(input(T0 + 16 * MIN)))).toEqual([
      ['updated', 'acknowledged', null]
    ]);
    expect(brief(second.evaluate(input(T0 + 27 * MIN)))).toEqual([
      ['resolved', 'resolved', 'resolved']
    ]);
  });

  it('keeps an anomaly alert’s sample mentions while later evaluations see none', () => {
    const volume: AlertRule = {
      id: 'vol',
      name: 'Volume',
      kind: 'anomaly',
      enabled: true,
      severity: 'warning',
      scope: {},
      forMs: 0,
      holdMs: 10 * MIN,
      escalateAfterMs: null,
      metric: 'volume',
      sensitivity: 'balanced',
      minSeverity: 3
    };
    const detection = {
      id: 'd1',
      series: 'volume',
      metric: 'volume' as const,
      label: 'Mentions',
      at: T0,
      observed: 400,
      expected: 30,
      lower: 13,
      upper: 54,
      severity: 8,
      score: 0.7,
      state: 'active' as const,
      resolvedAt: null,
      resolution: null,
      drivers: []
    };
    const withDetection = (now: number, mentions: RuleMention[] = []): RuleInput => ({
      ...input(now, mentions),
      detections: { low: [], balanced: [detection], high: [] }
    });
    const engine = new AlertEngine([volume]);
    const raised = engine.evaluate(withDetection(T0, twoRecalls(T0)));
    expect(brief(raised)).toEqual([['raised', 'firing', 'firing']]);
    // Critical: the detection's severity is 8.
    expect(raised[0]!.view.severity).toBe('critical');
    const id = raised[0]!.view.id;
    expect(engine.get(id)!.context?.samples).toHaveLength(2);
    engine.evaluate(withDetection(T0 + S));
    engine.evaluate(withDetection(T0 + 2 * S, [mention('third', T0 + 2 * S, 3)]));
    expect(engine.get(id)!.context?.samples.map((x) => x.text)).toEqual([
      'third',
      'recall now',
      'a RECALL?'
    ]);
  });
});
