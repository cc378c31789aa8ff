import { describe, expect, it } from 'vitest';
import {
  alertRuleSchema,
  backtestRule,
  BACKTEST_AT_LIMIT,
  DEFAULT_RULES,
  evaluateRule,
  formatDuration,
  KEYWORD_BUCKETS,
  matchesTerm,
  newRuleState,
  parseRule,
  SAMPLES_KEPT,
  type BacktestMinute,
  type RuleInput,
  type RuleMention
} from '../../../server/core/alerts/rules';
import { backtest } from '../../../server/core/detect/backtest';
import {
  CHANNELS,
  WINDOWS,
  type AlertRule,
  type Channel,
  type Detection,
  type InfluenceTier,
  type RiverItem,
  type SentimentLabel,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';

// The fake clock: plain epoch milliseconds.
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 16, 9, 0, 0);
const at = (minutes: number): number => T0 + minutes * MIN;

type Kind = AlertRule['kind'];
type RuleOf<K extends Kind> = Extract<AlertRule, { kind: K }>;

const BASE = {
  id: 'r1',
  name: 'Rule',
  enabled: true,
  severity: 'warning' as const,
  scope: {},
  forMs: 0,
  holdMs: 0,
  escalateAfterMs: null
};

const threshold = (extra: Partial<RuleOf<'threshold'>> = {}): RuleOf<'threshold'> => ({
  ...BASE,
  kind: 'threshold',
  metric: 'volume',
  window: '5m',
  comparison: '>',
  value: 100,
  ...extra
});
const anomaly = (extra: Partial<RuleOf<'anomaly'>> = {}): RuleOf<'anomaly'> => ({
  ...BASE,
  kind: 'anomaly',
  metric: 'volume',
  sensitivity: 'balanced',
  minSeverity: 3,
  ...extra
});
const keyword = (extra: Partial<RuleOf<'keyword'>> = {}): RuleOf<'keyword'> => ({
  ...BASE,
  kind: 'keyword',
  terms: ['recall', 'data breach'],
  minCount: 3,
  windowMs: 10 * MIN,
  ...extra
});
const influencer = (extra: Partial<RuleOf<'influencer'>> = {}): RuleOf<'influencer'> => ({
  ...BASE,
  kind: 'influencer',
  minTier: 'influencer',
  negativeOnly: true,
  ...extra
});
const sla = (extra: Partial<RuleOf<'sla'>> = {}): RuleOf<'sla'> => ({
  ...BASE,
  kind: 'sla',
  targetMs: 60 * MIN,
  minCount: 3,
  ...extra
});
const silence = (extra: Partial<RuleOf<'silence'>> = {}): RuleOf<'silence'> => ({
  ...BASE,
  kind: 'silence',
  source: null,
  afterMs: 30 * MIN,
  ...extra
});

function summary(window: WindowKey, extra: Partial<WindowSummary> = {}): WindowSummary {
  const byChannel = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  return {
    window,
    asOf: T0,
    volume: 0,
    perMinute: 0,
    byChannel,
    sentiment: { negative: 0, neutral: 0, positive: 0, net: 0 },
    responseTime: { count: 0, p50Ms: null, p90Ms: null },
    unanswered: 0,
    ...extra
  };
}

function input(extra: Partial<RuleInput> = {}): RuleInput {
  const windows = Object.fromEntries(WINDOWS.map((w) => [w, summary(w)])) as Record<
    WindowKey,
    WindowSummary
  >;
  return {
    now: T0,
    startedAt: T0 - HOUR,
    windows,
    detections: { low: [], balanced: [], high: [] },
    mentions: [],
    unansweredSince: [],
    lastSeen: { any: T0, bySource: {}, byChannel: {}, byTopic: {} },
    topics15m: {},
    ...extra
  };
}

let nextId = 1;
function mention(
  text: string,
  extra: Partial<Omit<RuleMention, 'item'>> & { handle?: string; isBrandReply?: boolean } = {}
): RuleMention {
  const { handle = `user${nextId}`, isBrandReply = false, ...rest } = extra;
  const m = {
    source: 'sim',
    channel: 'twitter' as Channel,
    createdAt: T0,
    text,
    topics: [] as string[],
    sentiment: 'neutral' as SentimentLabel,
    influenceTier: 'everyday' as InfluenceTier,
    ...rest
  };
  const item: RiverItem = {
    id: `m${nextId++}`,
    channel: m.channel,
    createdAt: m.createdAt,
    text,
    author: { handle, name: handle.toUpperCase(), followers: 250_000, verified: false },
    sentiment: { score: 0, label: m.sentiment },
    isBrandReply,
    url: null,
    source: m.source,
    intent: 'other',
    topics: m.topics,
    influenceTier: m.influenceTier,
    priority: 50
  };
  return { ...m, item };
}

function detection(extra: Partial<Detection> = {}): Detection {
  return {
    id: `d${nextId++}`,
    series: 'volume',
    metric: 'volume',
    label: 'Mentions',
    at: at(-2),
    observed: 412,
    expected: 120,
    lower: 90,
    upper: 150,
    severity: 5,
    score: 0.7,
    state: 'active',
    resolvedAt: null,
    resolution: null,
    drivers: [],
    ...extra
  };
}

/** Per-minute history with the given totals (all neutral, twitter), starting at T0. */
function history(
  totals: readonly number[],
  extra: (i: number) => Partial<BacktestMinute> = () => ({})
): BacktestMinute[] {
  return totals.map((total, i) => ({
    start: at(i),
    total,
    byChannel: CHANNELS.map((c) => (c === 'twitter' ? total : 0)),
    negative: 0,
    neutral: total,
    positive: 0,
    unanswered: 0,
    p50Ms: null,
    p90Ms: null,
    matches: 0,
    ...extra(i)
  }));
}

/** `n` minutes of `level` with `value` in the given [from, to) minute ranges. */
function episodes(n: number, level: number, value: number, ranges: [number, number][]): number[] {
  const out = Array.from({ length: n }, () => level);
  for (const [a, b] of ranges) for (let i = a; i < b; i++) out[i] = value;
  return out;
}

describe('alertRuleSchema / parseRule', () => {
  it('accepts every default rule unchanged, with stable unique ids', () => {
    expect(DEFAULT_RULES.map((r) => r.id)).toEqual([
      'default-volume-anomaly',
      'default-negative-share',
      'default-keyword-watchlist',
      'default-keyword-outage',
      'default-influencer-mention',
      'default-sla-breach',
      'default-silence'
    ]);
    for (const rule of DEFAULT_RULES) {
      const r = parseRule(rule);
      expect(r).toEqual({ ok: true, rule });
      expect(alertRuleSchema.safeParse(JSON.parse(JSON.stringify(rule))).success).toBe(true);
    }
  });

  it('accepts one valid rule of every kind, and trims text', () => {
    for (const rule of [threshold(), anomaly(), keyword(), influencer(), sla(), silence()]) {
      expect(parseRule(rule).ok).toBe(true);
    }
    const r = parseRule({ ...keyword(), name: '  Recall  ', terms: [' recall '] });
    expect(r.ok && r.rule.name).toBe('Recall');
    expect(r.ok && r.rule.kind === 'keyword' && r.rule.terms).toEqual(['recall']);
  });

  const bad: [string, unknown, string, RegExp?][] = [
    ['no kind', { ...keyword(), kind: undefined }, 'kind'],
    ['an unknown kind', { ...keyword(), kind: 'vibes' }, 'kind'],
    ['an unknown field', { ...keyword(), colour: 'red' }, 'colour', /unknown field/],
    ['an unknown scope field', { ...keyword(), scope: { region: 'eu' } }, 'scope.region'],
    ['an empty name', { ...keyword(), name: '  ' }, 'name'],
    ['a name too long', { ...keyword(), name: 'x'.repeat(121) }, 'name'],
    ['a bad severity', { ...keyword(), severity: 'apocalyptic' }, 'severity'],
    ['a negative forMs', { ...keyword(), forMs: -1 }, 'forMs'],
    ['a holdMs over 24 h', { ...keyword(), holdMs: 25 * HOUR }, 'holdMs', /at most 24 hours/],
    ['an escalation under a minute', { ...keyword(), escalateAfterMs: 1000 }, 'escalateAfterMs'],
    ['a NaN value', threshold({ value: Number.NaN }), 'value'],
    ['a string value', { ...threshold(), value: '100' }, 'value'],
    ['an unknown window', { ...threshold(), window: '2h' }, 'window'],
    ['no terms', keyword({ terms: [] }), 'terms'],
    ['51 terms', keyword({ terms: Array.from({ length: 51 }, (_, i) => `t${i}`) }), 'terms'],
    ['a term too long', keyword({ terms: ['ok', 'x'.repeat(81)] }), 'terms.1'],
    ['a term without words', keyword({ terms: ['!!!'] }), 'terms.0', /word/],
    ['duplicate terms', keyword({ terms: ['Recall', 'recall'] }), 'terms.1', /duplicate/],
    ['minCount 0', keyword({ minCount: 0 }), 'minCount'],
    ['minCount 1.5', keyword({ minCount: 1.5 }), 'minCount'],
    ['a 30 s window', keyword({ windowMs: 30_000 }), 'windowMs'],
    ['a target over 7 days', sla({ targetMs: 8 * 24 * HOUR }), 'targetMs'],
    ['afterMs 0', silence({ afterMs: 0 }), 'afterMs'],
    ['minSeverity 11', anomaly({ minSeverity: 11 }), 'minSeverity'],
    ['an unknown detection metric', { ...anomaly(), metric: 'likes' }, 'metric'],
    ['an unknown channel', { ...keyword(), scope: { channel: 'myspace' } }, 'scope.channel'],
    ['an unknown tier', { ...influencer(), minTier: 'megastar' }, 'minTier'],
    [
      'response-p90 scoped by channel',
      threshold({ metric: 'response-p90', scope: { channel: 'reddit' } }),
      'scope.channel',
      /^threshold rules on response-p90 cannot be scoped by channel$/
    ],
    [
      'a bogus threshold channel',
      threshold({ scope: { channel: 'x' as Channel } }),
      'scope.channel'
    ],
    [
      'channel and sentiment on a threshold',
      threshold({ scope: { channel: 'reddit', sentiment: 'negative' } }),
      'scope.sentiment'
    ],
    ['a topic threshold over 5m', threshold({ scope: { topic: 'Billing' } }), 'window', /15m/],
    ['a share above 1', threshold({ metric: 'negative-share', value: 30 }), 'value', /0 and 1/],
    ['a negative volume', threshold({ value: -1 }), 'value'],
    [
      'negative share scoped by channel',
      anomaly({ metric: 'negative-share', scope: { channel: 'reddit' } }),
      'scope.channel'
    ],
    [
      'an anomaly scoped by sentiment',
      anomaly({ scope: { sentiment: 'negative' } }),
      'scope.sentiment'
    ],
    [
      'an anomaly on channel and topic',
      anomaly({ scope: { channel: 'reddit', topic: 'Billing' } }),
      'scope.topic'
    ],
    ['an SLA scoped by topic', sla({ scope: { topic: 'Billing' } }), 'scope.topic'],
    [
      'a source silence scoped by channel',
      silence({ source: 'rss:blog', scope: { channel: 'news' } }),
      'scope.channel'
    ],
    [
      'a silence scoped by sentiment',
      silence({ scope: { sentiment: 'negative' } }),
      'scope.sentiment'
    ],
    ['an influencer rule with forMs', influencer({ forMs: MIN }), 'forMs'],
    ['a bad id', { ...keyword(), id: 'no spaces please' }, 'id'],
    ['not an object', 'rule', '']
  ];

  it.each(bad)('refuses a rule with %s, naming the field', (_name, rule, path, message) => {
    const r = parseRule(rule);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.path === path);
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    if (message) expect(e!.message).toMatch(message);
  });
});

describe('evaluateRule: threshold', () => {
  const windows = (w: WindowKey, extra: Partial<WindowSummary>): RuleInput['windows'] => ({
    ...input().windows,
    [w]: summary(w, extra)
  });

  it.each([
    ['volume above', threshold(), { volume: 101 }, true],
    ['volume at the value', threshold(), { volume: 100 }, false],
    ['volume at >=', threshold({ comparison: '>=' }), { volume: 100 }, true],
    [
      'per-minute below',
      threshold({ metric: 'per-minute', comparison: '<', value: 5 }),
      { perMinute: 4 },
      true
    ],
    ['unanswered', threshold({ metric: 'unanswered', value: 10 }), { unanswered: 11 }, true],
    [
      'negative share',
      threshold({ metric: 'negative-share', value: 0.3 }),
      { sentiment: { negative: 4, neutral: 4, positive: 2, net: -0.2 } },
      true
    ],
    ['negative share without data', threshold({ metric: 'negative-share', value: 0 }), {}, false],
    [
      'net sentiment',
      threshold({ metric: 'net-sentiment', comparison: '<', value: -0.5 }),
      { sentiment: { negative: 9, neutral: 0, positive: 1, net: -0.8 } },
      true
    ],
    [
      'p90 above',
      threshold({ metric: 'response-p90', value: 30 * MIN }),
      { responseTime: { count: 3, p50Ms: MIN, p90Ms: 45 * MIN } },
      true
    ],
    [
      'p90 without replies',
      threshold({ metric: 'response-p90', comparison: '<', value: MIN }),
      {},
      false
    ]
  ] as const)('%s', (_name, rule, w, holding) => {
    const [o, ...rest] = evaluateRule(
      rule,
      input({ windows: windows(rule.window, w) }),
      newRuleState()
    );
    expect(rest).toEqual([]);
    expect(o).toMatchObject({ scopeKey: 'all', holding, severity: 'warning' });
  });

  it('narrows to a channel, a sentiment or a topic (15m)', () => {
    const w = summary('5m', {
      volume: 500,
      byChannel: { ...summary('5m').byChannel, reddit: 50 },
      sentiment: { negative: 120, neutral: 300, positive: 80, net: -0.08 }
    });
    const i = input({ windows: { ...input().windows, '5m': w }, topics15m: { Billing: 40 } });
    const one = (r: AlertRule) => evaluateRule(r, i, newRuleState())[0]!;
    expect(one(threshold({ scope: { channel: 'reddit' } }))).toMatchObject({
      scopeKey: 'channel:reddit',
      holding: false
    });
    expect(one(threshold({ scope: { channel: 'reddit' }, value: 40 })).holding).toBe(true);
    const perMin = one(threshold({ metric: 'per-minute', scope: { channel: 'reddit' }, value: 9 }));
    expect(perMin).toMatchObject({ holding: true, context: { observed: 10, unit: '/min' } });
    expect(one(threshold({ scope: { sentiment: 'negative' } }))).toMatchObject({
      scopeKey: 'sentiment:negative',
      holding: true
    });
    const topic = one(threshold({ window: '15m', scope: { topic: 'Billing' }, value: 30 }));
    expect(topic).toMatchObject({ scopeKey: 'topic:Billing', holding: true });
    expect(topic.title).toBe('Mentions in topic Billing 40 over 15m (threshold > 30)');
  });

  it('says the numbers in words', () => {
    const rule = threshold({ metric: 'negative-share', window: '15m', value: 0.3 });
    const w = summary('15m', { sentiment: { negative: 42, neutral: 50, positive: 8, net: -0.34 } });
    const [o] = evaluateRule(
      rule,
      input({ windows: { ...input().windows, '15m': w } }),
      newRuleState()
    );
    expect(o!.title).toBe('Negative share 42% over 15m (threshold > 30%)');
    expect(o!.context).toMatchObject({ observed: 0.42, upper: 0.3, unit: '%' });
  });
});

describe('evaluateRule: anomaly', () => {
  const run = (rule: AlertRule, ds: Detection[], sens: 'low' | 'balanced' | 'high' = 'balanced') =>
    evaluateRule(
      rule,
      input({ detections: { low: [], balanced: [], high: [], [sens]: ds } }),
      newRuleState()
    );

  it('holds per series while its detection is active, with the numbers in the title', () => {
    const [o, ...rest] = run(anomaly(), [detection()]);
    expect(rest).toEqual([]);
    expect(o).toMatchObject({ scopeKey: 'volume', holding: true, severity: 'warning' });
    expect(o!.title).toBe('Mentions 412/min vs 120 expected (band 90/min–150/min)');
    expect(o!.context).toMatchObject({ observed: 412, expected: 120, lower: 90, upper: 150 });
  });

  it.each([
    ['a resolved detection', [detection({ state: 'resolved', resolvedAt: at(-1) })]],
    ['a detection below minSeverity', [detection({ severity: 2 })]],
    ['another metric', [detection({ series: 'unanswered', metric: 'unanswered' })]]
  ])('reports nothing for %s (absent groups are not holding)', (_n, ds) => {
    expect(run(anomaly(), ds)).toEqual([]);
  });

  it('reads only its own sensitivity', () => {
    expect(run(anomaly({ sensitivity: 'high' }), [detection()], 'balanced')).toEqual([]);
    expect(run(anomaly({ sensitivity: 'high' }), [detection()], 'high')).toHaveLength(1);
  });

  it('raises severity to critical at detection severity 8', () => {
    expect(run(anomaly({ severity: 'info' }), [detection({ severity: 7 })])[0]!.severity).toBe(
      'info'
    );
    expect(run(anomaly({ severity: 'info' }), [detection({ severity: 8 })])[0]!.severity).toBe(
      'critical'
    );
  });

  it('narrows a channel scope to its series and uses the newest detection per series', () => {
    const ds = [
      detection({ series: 'channel:reddit', metric: 'channel', label: 'reddit', observed: 80 }),
      detection({ series: 'channel:twitter', metric: 'channel', label: 'twitter' }),
      detection({ series: 'channel:reddit', metric: 'channel', label: 'reddit', state: 'resolved' })
    ];
    const scoped = run(anomaly({ scope: { channel: 'reddit' } }), ds);
    expect(scoped.map((o) => o.scopeKey)).toEqual(['channel:reddit']);
    expect(scoped[0]!.title).toMatch(/^Mentions on Reddit 80\/min vs 120 expected/);
    expect(run(anomaly({ metric: 'channel' }), ds).map((o) => o.scopeKey)).toEqual([
      'channel:reddit',
      'channel:twitter'
    ]);
    // The newest (first) detection of a series decides: resolved → nothing.
    expect(run(anomaly({ scope: { channel: 'reddit' } }), ds.slice(1).reverse())).toEqual([]);
  });

  it('formats shares as percentages and attaches samples of the series', () => {
    const d = detection({
      series: 'negative-share',
      metric: 'negative-share',
      observed: 0.42,
      expected: 0.15,
      lower: 0.1,
      upper: 0.2
    });
    const ms = [
      mention('meh', { sentiment: 'negative' }),
      mention('great', { sentiment: 'positive' })
    ];
    const [o] = evaluateRule(
      anomaly({ metric: 'negative-share' }),
      input({ mentions: ms, detections: { low: [], balanced: [d], high: [] } }),
      newRuleState()
    );
    expect(o!.title).toBe('Negative share 42% vs 15% expected (band 10%–20%)');
    expect(o!.context.samples.map((s) => s.text)).toEqual(['meh']);
  });
});

describe('evaluateRule: keyword', () => {
  it.each([
    ['recall', 'Is this a RECALL!', true],
    ['recall', '#recall now', true],
    ['recall', 'they recalled it', false],
    ['recall', 'product recalls', false],
    ['recall', 'prerecall', false],
    ['data breach', 'Huge DATA-BREACH at acme', true],
    ['data breach', 'data   breach again', true],
    ['data breach', 'database breach', false],
    ['data breach', 'breach of data', false],
    ['class action', 'a class-action suit', true],
    ['café', 'CAFÉ closed', true]
  ])('%s in %j → %s', (term, text, expected) => {
    expect(matchesTerm(text, term)).toBe(expected);
  });

  it('holds per term when minCount matches arrive within the window', () => {
    const rule = keyword();
    const state = newRuleState();
    const ev = (minute: number, texts: string[]) =>
      evaluateRule(rule, input({ now: at(minute), mentions: texts.map((t) => mention(t)) }), state);
    let out = ev(0, ['recall?', 'RECALL', 'data breach']);
    expect(out.map((o) => [o.scopeKey, o.holding])).toEqual([
      ['term:recall', false],
      ['term:data breach', false]
    ]);
    out = ev(5, ['another recall', 'recalled (no)']);
    expect(out[0]).toMatchObject({ scopeKey: 'term:recall', holding: true, severity: 'warning' });
    expect(out[0]!.title).toBe('‘recall’ in 3 mentions in 10 min');
    expect(out[0]!.context.samples.map((s) => s.text)).toEqual([
      'another recall',
      'RECALL',
      'recall?'
    ]);
    expect(out[1]!.holding).toBe(false);
    // The first two fall out of the 10-minute window.
    out = ev(11, []);
    expect(out[0]).toMatchObject({ holding: false, context: { observed: 1 } });
    expect(ev(16, [])[0]!.context.observed).toBe(0);
  });

  it('respects the scope', () => {
    const rule = keyword({ minCount: 1, scope: { channel: 'reddit', sentiment: 'negative' } });
    const ms = [
      mention('recall', { channel: 'reddit', sentiment: 'neutral' }),
      mention('recall', { channel: 'twitter', sentiment: 'negative' })
    ];
    expect(evaluateRule(rule, input({ mentions: ms }), newRuleState())[0]!.holding).toBe(false);
    const hit = [mention('recall', { channel: 'reddit', sentiment: 'negative' })];
    const [o] = evaluateRule(rule, input({ mentions: hit }), newRuleState());
    expect(o).toMatchObject({ holding: true });
    expect(o!.title).toBe('‘recall’ in 1 mention on Reddit (negative) in 10 min');
    const topic = keyword({ minCount: 1, scope: { topic: 'Safety' } });
    const tm = [mention('recall', { topics: ['Safety'] })];
    expect(evaluateRule(topic, input({ mentions: tm }), newRuleState())[0]!.holding).toBe(true);
  });

  it('keeps its state bounded and drops terms no longer in the rule', () => {
    const rule = keyword({ windowMs: HOUR, minCount: 1 });
    const state = newRuleState();
    for (let s = 0; s < 3 * 3600; s += 5) {
      const ms = [mention('recall recall'), mention('data breach')];
      evaluateRule(rule, input({ now: T0 + s * 1000, mentions: ms }), state);
    }
    for (const t of Object.values(state.keyword)) {
      expect(t.buckets.length).toBeLessThanOrEqual(KEYWORD_BUCKETS + 1);
      expect(t.samples.length).toBeLessThanOrEqual(SAMPLES_KEPT);
    }
    // About an hour of matches (one per 5 s), one bucket (15 s) of slack.
    const [o] = evaluateRule(rule, input({ now: T0 + 3 * HOUR }), state);
    expect(o!.context.observed).toBeGreaterThanOrEqual(715);
    expect(o!.context.observed).toBeLessThanOrEqual(724);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    evaluateRule(keyword({ terms: ['boycott'] }), input(), state);
    expect(Object.keys(state.keyword)).toEqual(['boycott']);
  });
});

describe('evaluateRule: influencer, sla, silence', () => {
  it('fires per author for negative mentions from the minimum tier up', () => {
    const ms = [
      mention('awful', { handle: 'star', influenceTier: 'celebrity', sentiment: 'negative' }),
      mention('awful', { handle: 'nobody', influenceTier: 'notable', sentiment: 'negative' }),
      mention('lovely', { handle: 'fan', influenceTier: 'influencer', sentiment: 'positive' }),
      mention('sorry', {
        handle: 'brand',
        influenceTier: 'celebrity',
        sentiment: 'negative',
        isBrandReply: true
      }),
      mention('still awful', { handle: 'star', influenceTier: 'celebrity', sentiment: 'negative' })
    ];
    const out = evaluateRule(influencer(), input({ mentions: ms }), newRuleState());
    // One alert for the rule, not one per author: no storm when many influencers pile in.
    expect(out.map((o) => [o.scopeKey, o.holding])).toEqual([['all', true]]);
    expect(out[0]!.title).toBe('Negative mentions by authors of tier influencer or above');
    expect(out[0]!.detail).toContain('STAR (@star, celebrity, 250,000 followers) on X / Twitter');
    expect(out[0]!.context.observed).toBe(1);
    expect(out[0]!.context.samples.map((s) => s.text)).toEqual(['still awful', 'awful']);
    const all = evaluateRule(
      influencer({ negativeOnly: false, minTier: 'notable' }),
      input({ mentions: ms }),
      newRuleState()
    );
    expect(all.map((o) => [o.scopeKey, o.title])).toEqual([
      ['all', 'Mentions by authors of tier notable or above']
    ]);
    expect(all[0]!.context.observed).toBe(3);
    expect(evaluateRule(influencer(), input(), newRuleState())).toEqual([]);
  });

  it('SLA: holds when minCount mentions wait longer than the target', () => {
    const rule = sla({ minCount: 3 });
    const now = at(120);
    const since = [at(0), at(30), at(59), at(61), at(100)];
    const [o] = evaluateRule(rule, input({ now, unansweredSince: since }), newRuleState());
    expect(o).toMatchObject({ scopeKey: 'all', holding: true, context: { observed: 3 } });
    expect(o!.title).toBe('3 customer mentions unanswered for over 1 h');
    expect(o!.detail).toMatch(/oldest has waited 2 h/);
    const [n] = evaluateRule(rule, input({ now: at(90), unansweredSince: since }), newRuleState());
    expect(n!.holding).toBe(false);
  });

  it('SLA on the care policies: holds when minCount open mentions are past their deadline', () => {
    const rule = sla({ basis: 'policies', minCount: 2 });
    const now = at(120);
    const care = { breached: 2, oldestDueAt: at(90), warning: 4 };
    const [o] = evaluateRule(rule, input({ now, care }), newRuleState());
    expect(o).toMatchObject({ scopeKey: 'all', holding: true, context: { observed: 2 } });
    expect(o!.title).toBe('2 customer mentions past the SLA deadline');
    expect(o!.detail).toMatch(/missed its deadline 30 min ago; 4 more within 20 %/);
    const [quiet] = evaluateRule(
      rule,
      input({ now, care: { ...care, breached: 1 } }),
      newRuleState()
    );
    expect(quiet!.holding).toBe(false);
    // Without a care queue nothing is past a deadline.
    expect(evaluateRule(rule, input({ now }), newRuleState())[0]!.holding).toBe(false);
    expect(alertRuleSchema.safeParse({ ...rule, basis: 'nope' }).success).toBe(false);
  });

  it.each([
    ['any, recent', silence(), { any: at(-10) }, 'all', false],
    ['any, quiet', silence(), { any: at(-31) }, 'all', true],
    [
      'a source',
      silence({ source: 'rss:blog' }),
      { bySource: { 'rss:blog': at(-40) } },
      'source:rss:blog',
      true
    ],
    ['an unseen source, early', silence({ source: 'rss:blog' }), {}, 'source:rss:blog', false],
    [
      'a channel',
      silence({ scope: { channel: 'news' } }),
      { byChannel: { news: at(-5) } },
      'channel:news',
      false
    ],
    [
      'a topic',
      silence({ scope: { topic: 'Billing' } }),
      { byTopic: { Billing: null } },
      'topic:Billing',
      false
    ]
  ] as const)('silence: %s', (_n, rule, seen, scopeKey, holding) => {
    const lastSeen = { any: T0, bySource: {}, byChannel: {}, byTopic: {}, ...seen };
    const [o] = evaluateRule(rule, input({ lastSeen, startedAt: at(-20) }), newRuleState());
    expect(o).toMatchObject({ scopeKey, holding, severity: 'warning' });
  });

  it('silence: never seen counts from the engine start', () => {
    const lastSeen = { any: null, bySource: {}, byChannel: {}, byTopic: {} };
    const rule = silence();
    const early = evaluateRule(rule, input({ lastSeen, startedAt: at(-30) }), newRuleState());
    expect(early[0]!.holding).toBe(false);
    const [late] = evaluateRule(rule, input({ lastSeen, startedAt: at(-45) }), newRuleState());
    expect(late).toMatchObject({
      holding: true,
      title: 'No mention at all since the engine started'
    });
  });

  it('formats durations', () => {
    expect([45_000, 12 * MIN, 125 * MIN, 2 * HOUR, 76 * HOUR].map(formatDuration)).toEqual([
      '45 s',
      '12 min',
      '2 h 5 min',
      '2 h',
      '3 d 4 h'
    ]);
  });
});

describe('backtestRule', () => {
  it('threshold: three separate crossings fire three alerts, newest first', () => {
    const h = history(
      episodes(240, 10, 50, [
        [30, 40],
        [100, 105],
        [200, 230]
      ])
    );
    const r = backtestRule(threshold({ window: '1m', value: 30 }), h, 1);
    expect(r).toEqual({ days: 1, fired: 3, at: [at(200), at(100), at(30)], note: null });
  });

  it('threshold: respects forMs and holdMs', () => {
    const blip = history(episodes(120, 10, 50, [[60, 61]]));
    expect(
      backtestRule(threshold({ window: '1m', value: 30, forMs: 5 * MIN }), blip, 1).fired
    ).toBe(0);
    const long = history(episodes(120, 10, 50, [[60, 70]]));
    expect(
      backtestRule(threshold({ window: '1m', value: 30, forMs: 5 * MIN }), long, 1)
    ).toMatchObject({ fired: 1, at: [at(60)] });
    // Two crossings 3 minutes apart: one alert when the hold (5 min) bridges the gap.
    const twice = history(
      episodes(120, 10, 50, [
        [60, 62],
        [65, 67]
      ])
    );
    expect(backtestRule(threshold({ window: '1m', value: 30 }), twice, 1).fired).toBe(2);
    expect(
      backtestRule(threshold({ window: '1m', value: 30, holdMs: 5 * MIN }), twice, 1).fired
    ).toBe(1);
  });

  it('threshold: trailing windows, scopes and shares', () => {
    // 5-minute volume > 100: a step to 30/min crosses once the window holds 3 such minutes.
    const h = history(episodes(60, 10, 30, [[20, 40]]));
    expect(backtestRule(threshold({ window: '5m', value: 100 }), h, 1)).toMatchObject({
      fired: 1,
      at: [at(22)]
    });
    expect(
      backtestRule(threshold({ window: '5m', value: 100, scope: { channel: 'reddit' } }), h, 1)
        .fired
    ).toBe(0);
    const neg = history(episodes(60, 10, 10, []), (i) =>
      i >= 30 && i < 35 ? { negative: 8, neutral: 2 } : {}
    );
    const share = threshold({ metric: 'negative-share', window: '1m', value: 0.5 });
    expect(backtestRule(share, neg, 1).fired).toBe(1);
    expect(backtestRule(threshold({ window: '24h' }), h, 1).note).toMatch(/shorter/);
  });

  it('caps the start times at 50, newest first', () => {
    const ranges: [number, number][] = Array.from({ length: 60 }, (_, k) => [k * 4 + 1, k * 4 + 2]);
    const r = backtestRule(
      threshold({ window: '1m', value: 30 }),
      history(episodes(250, 0, 50, ranges)),
      1
    );
    expect(r.fired).toBe(60);
    expect(r.at).toHaveLength(BACKTEST_AT_LIMIT);
    expect(r.at[0]).toBe(at(237));
  });

  it('anomaly: the live detector on the volume series, as the volume back-test counts', () => {
    const wiggle = [0, 0.2, -0.1, 0.15, -0.2, 0.05, -0.05, 0.1];
    const totals = Array.from({ length: 2000 }, (_, i) => Math.round(30 * (1 + wiggle[i % 8]!)));
    totals[300] = 400;
    totals[1740] = 400;
    const h = history(totals);
    const r = backtestRule(anomaly({ minSeverity: 1 }), h, 2);
    const ref = backtest(
      h.map((m) => ({ t: m.start, value: m.total })),
      { intervalMs: MIN, sensitivity: 'balanced' }
    );
    expect(ref.alerts).toBe(2);
    expect(r).toMatchObject({ fired: 2, at: [at(1740), at(300)], note: null });
    // The same series on twitter, per channel; nothing on reddit.
    expect(backtestRule(anomaly({ metric: 'channel' }), h, 2).fired).toBe(2);
    expect(backtestRule(anomaly({ scope: { channel: 'reddit' } }), h, 2).fired).toBe(0);
    // A severity floor above what the spikes reach fires nothing.
    expect(backtestRule(anomaly({ minSeverity: 10 }), h, 2).fired).toBeLessThan(2);
    expect(backtestRule(anomaly({ metric: 'topic' }), h, 2)).toMatchObject({
      fired: 0,
      note: expect.stringMatching(/not stored/)
    });
  });

  it('anomaly: the negative share with its exposure', () => {
    const wiggle = [0, 2, -1, 1, -2, 1, -1, 0];
    const h = history(
      Array.from({ length: 2000 }, () => 100),
      (i) => {
        const negative = i >= 600 && i < 610 ? 60 : 10 + wiggle[i % 8]!;
        return { negative, neutral: 100 - negative };
      }
    );
    expect(backtestRule(anomaly({ metric: 'negative-share' }), h, 2)).toMatchObject({
      fired: 1,
      at: [at(601)]
    });
  });

  it('keyword: matches summed over the trailing window', () => {
    const h = history(episodes(200, 10, 10, []), (i) =>
      [10, 12, 14, 100, 150, 151, 152].includes(i) ? { matches: 1 } : {}
    );
    // minCount 3 in 10 min: minutes 10–14, and 150–152 (100 is alone).
    expect(backtestRule(keyword({ terms: ['recall'] }), h, 1)).toEqual({
      days: 1,
      fired: 2,
      at: [at(152), at(14)],
      note: null
    });
    expect(backtestRule(keyword(), h, 1).note).toMatch(/approximate/);
  });

  it('influencer: a minute with a match fires; the hold bridges close ones', () => {
    const h = history(episodes(120, 10, 10, []), (i) =>
      [10, 12, 80].includes(i) ? { matches: 1 } : {}
    );
    expect(backtestRule(influencer(), h, 1)).toMatchObject({
      fired: 3,
      at: [at(80), at(12), at(10)]
    });
    expect(backtestRule(influencer({ holdMs: 30 * MIN }), h, 1).fired).toBe(2);
  });

  it('sla: approximate, from the stored unanswered count', () => {
    const h = history(episodes(200, 10, 10, []), (i) =>
      i >= 20 && i < 25 ? { unanswered: 5 } : i === 90 ? { unanswered: 9 } : { unanswered: 1 }
    );
    const r = backtestRule(sla({ minCount: 5 }), h, 1);
    // Minutes 20–24 breach 60 min later (one alert from minute 80), minute 90 at 150.
    expect(r).toMatchObject({ fired: 2, at: [at(150), at(80)] });
    expect(r.note).toMatch(/approximate/);
  });

  it('silence: runs of empty minutes at least afterMs long', () => {
    const h = history(
      episodes(300, 10, 0, [
        [20, 60],
        [100, 120],
        [200, 235]
      ])
    );
    // 40 and 35 quiet minutes cross 30 min (on their 30th minute); 20 do not.
    const r = backtestRule(silence(), h, 1);
    expect(r).toEqual({ days: 1, fired: 2, at: [at(229), at(49)], note: null });
    expect(backtestRule(silence({ scope: { channel: 'reddit' } }), h, 1).fired).toBe(1);
    expect(backtestRule(silence({ source: 'rss:blog' }), h, 1).note).toMatch(/per-source/);
  });
});
