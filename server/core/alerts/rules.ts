/**
 * Alert rules (issue 6): their validation, the first-start rule set, their evaluation against
 * the live state, and their back-test over stored per-minute history.
 *
 * Pure: no I/O, no timers, no clock. Time comes in as `input.now`; the only state is the
 * plain-data {@link RuleState} the caller keeps per rule and passes back on every evaluation.
 *
 * Evaluation turns a rule into {@link RuleObservation}s, one per group (`scopeKey`) of the rule;
 * the caller feeds them to the lifecycle (`observe` in ./lifecycle). **Groups absent from the
 * output are not holding**: the caller observes every open alert of the rule whose group is not
 * reported as `holding: false`. Threshold, keyword, SLA and silence rules report their fixed
 * groups every time (holding or not); anomaly and influencer rules report only the groups that
 * hold now, because their groups (series, authors) come and go.
 */
import { z } from 'zod';
import {
  ALERT_SEVERITIES,
  CHANNEL_LABELS,
  CHANNELS,
  INFLUENCE_TIERS,
  THRESHOLD_METRICS,
  WINDOW_MS,
  WINDOWS,
  type AlertContext,
  type AlertRule,
  type AlertSeverity,
  type Channel,
  type Detection,
  type DetectionMetric,
  type InfluenceTier,
  type RiverItem,
  type RuleBacktest,
  type RuleScope,
  type SentimentLabel,
  type ThresholdMetric,
  type WindowKey,
  type WindowSummary
} from '../../../src/lib/shared/types';
import { Detector, type SeriesKind } from '../detect/detector';
import { observe, tick, type Alert, type LifecyclePolicy } from './lifecycle';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Detector metrics an anomaly rule may watch (the `metric` of a Detection). */
export const DETECTION_METRICS = [
  'volume',
  'channel',
  'topic',
  'term',
  'negative-share',
  'response-p90',
  'unanswered'
] as const satisfies readonly DetectionMetric[];

/** Detector sensitivities an anomaly rule may use. */
export const RULE_SENSITIVITIES = ['low', 'balanced', 'high'] as const;

/** Sentiment labels a scope may select. */
const SENTIMENTS = ['negative', 'neutral', 'positive'] as const satisfies readonly SentimentLabel[];

/** An anomaly detection at or above this severity (1–10) raises the alert to critical. */
export const CRITICAL_DETECTION_SEVERITY = 8;

/** Newest matching mentions kept per alert as samples. */
export const SAMPLES_KEPT = 5;

/** Time buckets kept per keyword term: the window is counted in at most this many slices. */
export const KEYWORD_BUCKETS = 240;

/** Alert start times a back-test returns (newest first). */
export const BACKTEST_AT_LIMIT = 50;

// ---------------------------------------------------------------------------------------------
// Validation

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** A duration bound in words, with its milliseconds: `24 hours (86400000 ms)`. */
function bound(ms: number): string {
  if (ms === 0) return '0 ms';
  const words =
    ms % (7 * DAY) === 0 && ms >= 2 * DAY
      ? `${ms / DAY} days`
      : ms % HOUR === 0
        ? `${ms / HOUR} hour${ms === HOUR ? '' : 's'}`
        : `${ms / MINUTE} minute${ms === MINUTE ? '' : 's'}`;
  return `${words} (${ms} ms)`;
}

/** An integer duration in ms within [min, max], with messages in words. */
function duration(min: number, max: number): z.ZodNumber {
  return z
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${bound(min)}`)
    .max(max, `must be at most ${bound(max)}`);
}

/** An integer count within [min, max]. */
function count(min: number, max: number): z.ZodNumber {
  return z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

const scopeSchema = z.strictObject({
  channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
  topic: z
    .string({ error: 'must be a topic name' })
    .trim()
    .min(1, 'must not be empty')
    .max(60, 'must be at most 60 characters')
    .optional(),
  sentiment: z.enum(SENTIMENTS, { error: `must be one of ${SENTIMENTS.join(', ')}` }).optional()
});

const base = {
  id: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"'),
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(120, 'must be at most 120 characters'),
  enabled: z.boolean({ error: 'must be true or false' }),
  severity: z.enum(ALERT_SEVERITIES, {
    error: `must be one of ${ALERT_SEVERITIES.join(', ')}`
  }),
  scope: scopeSchema,
  forMs: duration(0, DAY),
  holdMs: duration(0, DAY),
  escalateAfterMs: duration(MINUTE, DAY).nullable()
};

const keywordTerm = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { message: 'must not be empty', abort: true })
  .max(80, { message: 'must be at most 80 characters', abort: true })
  .refine((t) => WORD.test(t), 'must contain a word (letters or digits)');

const thresholdSchema = z.strictObject({
  ...base,
  kind: z.literal('threshold'),
  metric: z.enum(THRESHOLD_METRICS, {
    error: `must be one of ${THRESHOLD_METRICS.join(', ')}`
  }),
  window: z.enum(WINDOWS, { error: `must be one of ${WINDOWS.join(', ')}` }),
  comparison: z.enum(['>', '>=', '<', '<='], { error: 'must be one of >, >=, <, <=' }),
  value: z.number({ error: 'must be a number' }).finite('must be a finite number')
});

const anomalySchema = z.strictObject({
  ...base,
  kind: z.literal('anomaly'),
  metric: z.enum(DETECTION_METRICS, {
    error: `must be one of ${DETECTION_METRICS.join(', ')}`
  }),
  sensitivity: z.enum(RULE_SENSITIVITIES, {
    error: `must be one of ${RULE_SENSITIVITIES.join(', ')}`
  }),
  minSeverity: count(1, 10)
});

const keywordSchema = z.strictObject({
  ...base,
  kind: z.literal('keyword'),
  terms: z
    .array(keywordTerm, { error: 'must be a list of words or phrases' })
    .min(1, 'needs at least one term')
    .max(50, 'at most 50 terms'),
  minCount: count(1, 100_000),
  windowMs: duration(MINUTE, DAY)
});

const influencerSchema = z.strictObject({
  ...base,
  kind: z.literal('influencer'),
  minTier: z.enum(INFLUENCE_TIERS, { error: `must be one of ${INFLUENCE_TIERS.join(', ')}` }),
  negativeOnly: z.boolean({ error: 'must be true or false' })
});

const slaSchema = z.strictObject({
  ...base,
  kind: z.literal('sla'),
  /**
   * `policies`: count open mentions past their own SLA deadline (the care policies: business
   * hours, per-tier targets). `target` (the default, and rules saved before policies existed):
   * count mentions unanswered for longer than `targetMs`.
   */
  basis: z.enum(['policies', 'target'], { error: 'basis must be policies or target' }).optional(),
  targetMs: duration(MINUTE, 7 * DAY),
  minCount: count(1, 100_000)
});

const silenceSchema = z.strictObject({
  ...base,
  kind: z.literal('silence'),
  source: z
    .string({ error: 'must be a source name or null' })
    .trim()
    .min(1, 'must not be empty (null: any source)')
    .max(200, 'must be at most 200 characters')
    .nullable(),
  afterMs: duration(MINUTE, 7 * DAY)
});

type ScopeField = keyof RuleScope;
const SCOPE_FIELDS: readonly ScopeField[] = ['channel', 'topic', 'sentiment'];

/** Scope fields given (non-undefined), in a fixed order. */
function scopeFields(scope: RuleScope): ScopeField[] {
  return SCOPE_FIELDS.filter((f) => scope[f] !== undefined);
}

/** Threshold metrics that count mentions, and so can be narrowed by a scope. */
const COUNT_THRESHOLDS: readonly ThresholdMetric[] = ['volume', 'per-minute'];

/**
 * The combinations the evaluator cannot honour, as issues naming the field. Per kind:
 * - threshold: at most one scope field, and only on `volume` / `per-minute`; a topic scope only
 *   over window `15m` (topic counts are kept for 15 minutes); `value` within the metric's range
 *   (negative-share 0–1, net-sentiment −1–1, the others ≥ 0).
 * - anomaly: no sentiment scope; a channel scope only on `volume` / `channel`, a topic scope
 *   only on `volume` / `topic`, not both.
 * - keyword, influencer: any scope; influencer rules need `forMs` 0 (a mention is an instant).
 * - sla: no scope (the unanswered queue is not kept per channel, topic or sentiment).
 * - silence: channel or topic (not both, not with a `source`); no sentiment.
 */
function checkCombinations(rule: AlertRule, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  const given = scopeFields(rule.scope);
  switch (rule.kind) {
    case 'threshold': {
      if (!COUNT_THRESHOLDS.includes(rule.metric)) {
        for (const f of given) {
          issue(['scope', f], `threshold rules on ${rule.metric} cannot be scoped by ${f}`);
        }
      } else if (given.length > 1) {
        issue(
          ['scope', given[1]!],
          `threshold rules take one scope field at most (${given.join(' and ')} given)`
        );
      } else if (rule.scope.topic !== undefined && rule.window !== '15m') {
        issue(
          ['window'],
          'threshold rules scoped by topic need window 15m (topic counts cover 15 min)'
        );
      }
      const v = rule.value;
      if (rule.metric === 'negative-share' && (v < 0 || v > 1)) {
        issue(['value'], 'a negative share is between 0 and 1 (0.3 means 30 %)');
      } else if (rule.metric === 'net-sentiment' && (v < -1 || v > 1)) {
        issue(['value'], 'net sentiment is between -1 and 1');
      } else if (rule.metric !== 'net-sentiment' && v < 0) {
        issue(['value'], `${rule.metric} cannot be negative`);
      }
      return;
    }
    case 'anomaly': {
      const { channel, topic, sentiment } = rule.scope;
      if (sentiment !== undefined) {
        issue(
          ['scope', 'sentiment'],
          'anomaly rules cannot be scoped by sentiment (use metric negative-share)'
        );
      }
      if (channel !== undefined && topic !== undefined) {
        issue(['scope', 'topic'], 'anomaly rules take a channel or a topic, not both');
      } else if (channel !== undefined && rule.metric !== 'volume' && rule.metric !== 'channel') {
        issue(['scope', 'channel'], `anomaly rules on ${rule.metric} cannot be scoped by channel`);
      } else if (topic !== undefined && rule.metric !== 'volume' && rule.metric !== 'topic') {
        issue(['scope', 'topic'], `anomaly rules on ${rule.metric} cannot be scoped by topic`);
      }
      return;
    }
    case 'influencer':
      if (rule.forMs !== 0) {
        issue(['forMs'], 'influencer rules fire on a single mention: forMs must be 0');
      }
      return;
    case 'keyword': {
      const seen = new Set<string>();
      rule.terms.forEach((t, i) => {
        const key = normalizeTerm(t);
        if (seen.has(key)) issue(['terms', i], `duplicate term "${t}"`);
        seen.add(key);
      });
      return;
    }
    case 'sla':
      for (const f of given) {
        issue(
          ['scope', f],
          `sla rules cannot be scoped by ${f} (the unanswered queue is not kept per ${f})`
        );
      }
      return;
    case 'silence': {
      if (rule.scope.sentiment !== undefined) {
        issue(['scope', 'sentiment'], 'silence rules cannot be scoped by sentiment');
      }
      if (rule.source !== null) {
        for (const f of given.filter((x) => x !== 'sentiment')) {
          issue(['scope', f], `silence rules on a source cannot also be scoped by ${f}`);
        }
      } else if (rule.scope.channel !== undefined && rule.scope.topic !== undefined) {
        issue(['scope', 'topic'], 'silence rules take a channel or a topic, not both');
      }
      return;
    }
  }
}

/**
 * Validates an {@link AlertRule}: strict objects (unknown fields refused), bounded numbers and
 * strings, and the scope combinations each kind can honour (see the checks above). Issue paths
 * are relative to the rule (`scope.channel`, `terms.2`).
 */
export const alertRuleSchema: z.ZodType<AlertRule> = z
  .discriminatedUnion(
    'kind',
    [thresholdSchema, anomalySchema, keywordSchema, influencerSchema, slaSchema, silenceSchema],
    { error: 'must be one of threshold, anomaly, keyword, influencer, sla, silence' }
  )
  .superRefine((rule, ctx) => checkCombinations(rule, ctx));

/** One validation problem: the field's dotted path (`''` for the rule itself) and what is wrong. */
export interface RuleError {
  path: string;
  message: string;
}

/**
 * Validates untrusted input as an alert rule: the rule, or every problem with its field path
 * (an unknown field is reported under its own name: `{ path: 'colour', message: 'unknown
 * field' }`).
 */
export function parseRule(
  input: unknown
): { ok: true; rule: AlertRule } | { ok: false; errors: RuleError[] } {
  const r = alertRuleSchema.safeParse(input);
  if (r.success) return { ok: true, rule: r.data };
  const errors: RuleError[] = [];
  for (const i of r.error.issues) {
    const path = i.path.map(String);
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys)
        errors.push({ path: [...path, k].join('.'), message: 'unknown field' });
    } else {
      errors.push({ path: path.join('.'), message: i.message });
    }
  }
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * The rules created on first start: volume and negative-share anomalies, a crisis keyword
 * watchlist, negative mentions by influencers, the response SLA and a silence watchdog.
 */
export const DEFAULT_RULES: AlertRule[] = [
  {
    id: 'default-volume-anomaly',
    name: 'Mention volume anomaly',
    kind: 'anomaly',
    enabled: true,
    severity: 'warning',
    scope: {},
    metric: 'volume',
    sensitivity: 'balanced',
    minSeverity: 3,
    forMs: 0,
    holdMs: 10 * MINUTE,
    escalateAfterMs: 15 * MINUTE
  },
  {
    id: 'default-negative-share',
    name: 'Negative sentiment anomaly',
    kind: 'anomaly',
    enabled: true,
    severity: 'warning',
    scope: {},
    metric: 'negative-share',
    sensitivity: 'balanced',
    minSeverity: 3,
    forMs: 0,
    holdMs: 10 * MINUTE,
    escalateAfterMs: 15 * MINUTE
  },
  {
    id: 'default-keyword-watchlist',
    name: 'Crisis keyword watchlist',
    kind: 'keyword',
    enabled: true,
    severity: 'critical',
    scope: {},
    // Words with legal or safety weight. Critical takes the wall over: a few stray mentions are
    // conversation, five in 15 min are spreading.
    terms: ['recall', 'lawsuit', 'data breach', 'class action'],
    minCount: 5,
    windowMs: 15 * MINUTE,
    forMs: 0,
    holdMs: 15 * MINUTE,
    escalateAfterMs: 15 * MINUTE
  },
  {
    id: 'default-keyword-outage',
    name: 'Outage and boycott talk',
    kind: 'keyword',
    enabled: true,
    // Customers say "outage" every day; a banner when it becomes a chorus, not a takeover.
    severity: 'warning',
    scope: {},
    terms: ['outage', 'boycott'],
    minCount: 25,
    windowMs: 15 * MINUTE,
    forMs: 0,
    holdMs: 15 * MINUTE,
    escalateAfterMs: 30 * MINUTE
  },
  {
    id: 'default-influencer-mention',
    name: 'Negative influencer mention',
    kind: 'influencer',
    enabled: true,
    severity: 'warning',
    scope: {},
    minTier: 'influencer',
    negativeOnly: true,
    forMs: 0,
    holdMs: 30 * MINUTE,
    escalateAfterMs: null
  },
  {
    id: 'default-sla-breach',
    name: 'Response SLA breached',
    kind: 'sla',
    basis: 'policies',
    enabled: true,
    severity: 'warning',
    scope: {},
    targetMs: 60 * MINUTE,
    minCount: 3,
    forMs: 0,
    holdMs: 15 * MINUTE,
    escalateAfterMs: 30 * MINUTE
  },
  {
    id: 'default-silence',
    name: 'No mentions arriving',
    kind: 'silence',
    enabled: true,
    severity: 'info',
    scope: {},
    source: null,
    afterMs: 30 * MINUTE,
    forMs: 0,
    holdMs: 5 * MINUTE,
    escalateAfterMs: null
  }
];

// ---------------------------------------------------------------------------------------------
// Live evaluation

/** One mention that arrived since the previous evaluation, as rules read it. */
export interface RuleMention {
  source: string;
  channel: Channel;
  createdAt: number;
  text: string;
  /** Configured topics the text matches. */
  topics: string[];
  sentiment: SentimentLabel;
  influenceTier: InfluenceTier;
  /** The mention as the river shows it (alert samples). */
  item: RiverItem;
}

/** When mentions were last seen (epoch ms; null: never). */
export interface LastSeenTimes {
  any: number | null;
  bySource: Record<string, number | null>;
  byChannel: Partial<Record<Channel, number | null>>;
  byTopic: Record<string, number | null>;
}

/** The live state every rule reads at one evaluation. */
export interface RuleInput {
  /** Evaluation time, epoch ms. */
  now: number;
  /** When the engine started (silence rules count from it when nothing was ever seen). */
  startedAt: number;
  windows: Record<WindowKey, WindowSummary>;
  /** Detections per sensitivity, newest first (active and recently resolved). */
  detections: Record<'low' | 'balanced' | 'high', Detection[]>;
  /** Mentions that arrived since the previous evaluation (a sample under heavy traffic). */
  mentions: RuleMention[];
  /** createdAt of customer mentions still unanswered, oldest first (bounded). */
  unansweredSince: number[];
  /** Last mention time per source, per channel, per topic, and overall (null: never). */
  lastSeen: LastSeenTimes;
  /** Mentions per configured topic over the last 15 minutes. */
  topics15m: Record<string, number>;
  /**
   * The care queue's SLA clocks: open mentions past their deadline and the earliest deadline
   * among them (absent when no care queue runs).
   */
  care?: { breached: number; oldestDueAt: number | null; warning: number };
}

/** A rule's verdict on one group, for the lifecycle's `observe`. */
export interface RuleObservation {
  /** The group: `all`, `channel:x`, `topic:x`, `sentiment:x`, `term:x`, `author:x`, `source:x`, or a detection's series. */
  scopeKey: string;
  holding: boolean;
  severity: AlertSeverity;
  title: string;
  detail: string;
  context: AlertContext;
}

/** Matches of one keyword term: counts per time bucket and the newest matching mentions. */
export interface KeywordTermState {
  /** [bucket start (epoch ms), matches], ascending; at most {@link KEYWORD_BUCKETS} + 1. */
  buckets: [number, number][];
  /** Newest first, at most {@link SAMPLES_KEPT}; `at` is the arrival (evaluation) time. */
  samples: { at: number; item: RiverItem }[];
}

/** Per-rule evaluation state, plain data (JSON-safe); only keyword rules use it. */
export interface RuleState {
  /** Keyword matches by normalised term (lowercase, single spaces). */
  keyword: Record<string, KeywordTermState>;
}

/** A fresh, empty {@link RuleState}. */
export function newRuleState(): RuleState {
  return { keyword: {} };
}

/**
 * Evaluates one rule on the live state. Returns one observation per group the rule reports
 * (see the module comment: groups absent from the output are not holding). `state` is updated
 * in place (keyword matches); keep one per rule and pass it back every time. Severity is the
 * rule's, raised to critical for an anomaly whose detection severity is at least
 * {@link CRITICAL_DETECTION_SEVERITY}.
 */
export function evaluateRule(
  rule: AlertRule,
  input: RuleInput,
  state: RuleState
): RuleObservation[] {
  switch (rule.kind) {
    case 'threshold':
      return [evaluateThreshold(rule, input)];
    case 'anomaly':
      return evaluateAnomaly(rule, input);
    case 'keyword':
      return evaluateKeyword(rule, input, state);
    case 'influencer':
      return evaluateInfluencer(rule, input);
    case 'sla':
      return [evaluateSla(rule, input)];
    case 'silence':
      return [evaluateSilence(rule, input)];
  }
}

type RuleOf<K extends AlertRule['kind']> = Extract<AlertRule, { kind: K }>;

function context(
  measure: string,
  unit: string,
  observed: number | null,
  extra: Partial<AlertContext> = {}
): AlertContext {
  return {
    measure,
    unit,
    observed,
    expected: null,
    lower: null,
    upper: null,
    drivers: [],
    samples: [],
    ...extra
  };
}

/** A number for people: at most one decimal, thousands separated. */
function num(x: number): string {
  const r = Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 10) / 10;
  return r.toLocaleString('en-US');
}

/** A share 0–1 as a percentage. */
function pct(x: number): string {
  return `${num(x * 100)}%`;
}

/** A duration in words: `45 s`, `12 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const m = Math.round(Math.max(0, ms) / MINUTE);
  if (ms < MINUTE) return `${Math.round(Math.max(0, ms) / SECOND)} s`;
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** The scope in words, with a leading space (` on Reddit`, ` in topic Billing`), or ''. */
function scopeWords(scope: RuleScope): string {
  const parts: string[] = [];
  if (scope.channel !== undefined) parts.push(`on ${CHANNEL_LABELS[scope.channel]}`);
  if (scope.topic !== undefined) parts.push(`in topic ${scope.topic}`);
  if (scope.sentiment !== undefined) parts.push(`(${scope.sentiment})`);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/** Whether a mention is within the scope (every field given must match). */
function inScope(m: RuleMention, scope: RuleScope): boolean {
  return (
    (scope.channel === undefined || m.channel === scope.channel) &&
    (scope.topic === undefined || m.topics.includes(scope.topic)) &&
    (scope.sentiment === undefined || m.sentiment === scope.sentiment)
  );
}

/** Newest `n` items of mentions (input order is arrival order, newest last). */
function newest(ms: readonly RuleMention[], n = SAMPLES_KEPT): RiverItem[] {
  const out: RiverItem[] = [];
  for (let i = ms.length - 1; i >= 0 && out.length < n; i--) out.push(ms[i]!.item);
  return out;
}

function compare(a: number, op: RuleOf<'threshold'>['comparison'], b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
  }
}

const THRESHOLD_MEASURE: Record<ThresholdMetric, { measure: string; unit: string }> = {
  volume: { measure: 'Mentions', unit: 'mentions' },
  'per-minute': { measure: 'Mentions per minute', unit: '/min' },
  'negative-share': { measure: 'Negative share', unit: '%' },
  'net-sentiment': { measure: 'Net sentiment', unit: 'net' },
  unanswered: { measure: 'Unanswered mentions', unit: 'mentions' },
  'response-p50': { measure: 'First response p50', unit: 'ms' },
  'response-p90': { measure: 'First response p90', unit: 'ms' }
};

/** A value in a threshold metric's units, for people. */
function thresholdValue(metric: ThresholdMetric, v: number): string {
  switch (metric) {
    case 'negative-share':
      return pct(v);
    case 'net-sentiment':
      return (v > 0 ? '+' : '') + num(v);
    case 'per-minute':
      return `${num(v)}/min`;
    case 'response-p50':
    case 'response-p90':
      return formatDuration(v);
    default:
      return num(v);
  }
}

/** The scope's mention count in a window summary (volume/per-minute rules). */
function scopedCount(rule: RuleOf<'threshold'>, w: WindowSummary, input: RuleInput): number {
  const { channel, topic, sentiment } = rule.scope;
  if (channel !== undefined) return w.byChannel[channel] ?? 0;
  if (sentiment !== undefined) return w.sentiment[sentiment];
  if (topic !== undefined) return input.topics15m[topic] ?? 0;
  return w.volume;
}

/** The threshold metric's current value, or null when there is nothing to measure. */
function thresholdObserved(rule: RuleOf<'threshold'>, input: RuleInput): number | null {
  const w = input.windows[rule.window];
  if (!w) return null;
  const { negative, neutral, positive, net } = w.sentiment;
  const scored = negative + neutral + positive;
  switch (rule.metric) {
    case 'volume':
      return scopedCount(rule, w, input);
    case 'per-minute': {
      if (scopeFields(rule.scope).length === 0) return w.perMinute;
      return (
        Math.round((scopedCount(rule, w, input) / (WINDOW_MS[rule.window] / MINUTE)) * 100) / 100
      );
    }
    case 'negative-share':
      return scored === 0 ? null : negative / scored;
    case 'net-sentiment':
      return scored === 0 ? null : net;
    case 'unanswered':
      return w.unanswered;
    case 'response-p50':
      return w.responseTime.p50Ms;
    case 'response-p90':
      return w.responseTime.p90Ms;
  }
}

function scopeKeyOf(scope: RuleScope): string {
  if (scope.channel !== undefined) return `channel:${scope.channel}`;
  if (scope.topic !== undefined) return `topic:${scope.topic}`;
  if (scope.sentiment !== undefined) return `sentiment:${scope.sentiment}`;
  return 'all';
}

function evaluateThreshold(rule: RuleOf<'threshold'>, input: RuleInput): RuleObservation {
  const observed = thresholdObserved(rule, input);
  const holding = observed !== null && compare(observed, rule.comparison, rule.value);
  const { measure, unit } = THRESHOLD_MEASURE[rule.metric];
  const what = `${measure}${scopeWords(rule.scope)}`;
  const limit = `${rule.comparison} ${thresholdValue(rule.metric, rule.value)}`;
  const shown = observed === null ? 'no data' : thresholdValue(rule.metric, observed);
  return {
    scopeKey: scopeKeyOf(rule.scope),
    holding,
    severity: rule.severity,
    title: `${what} ${shown} over ${rule.window} (threshold ${limit})`,
    detail: `${what} over the last ${rule.window}: ${shown}; the rule alerts when ${limit}.`,
    context: context(`${what} (${rule.window})`, unit, observed, {
      upper: rule.comparison.startsWith('>') ? rule.value : null,
      lower: rule.comparison.startsWith('<') ? rule.value : null
    })
  };
}

/** Whether a detection is on a series the anomaly rule watches. */
function watches(rule: RuleOf<'anomaly'>, d: Detection): boolean {
  const { channel, topic } = rule.scope;
  if (channel !== undefined) return d.series === `channel:${channel}`;
  if (topic !== undefined) return d.series === `topic:${topic}`;
  return d.metric === rule.metric;
}

/** A detection's value in its units, for people. */
function detectionValue(d: Detection, v: number): string {
  switch (d.metric) {
    case 'negative-share':
      return pct(v);
    case 'response-p90':
      return formatDuration(v);
    case 'volume':
    case 'channel':
    case 'topic':
      return `${num(v)}/min`;
    default:
      return num(v);
  }
}

function detectionMeasure(d: Detection): { measure: string; unit: string } {
  switch (d.metric) {
    case 'volume':
      return { measure: 'Mentions', unit: '/min' };
    case 'channel': {
      const c = d.series.slice('channel:'.length) as Channel;
      return { measure: `Mentions on ${CHANNEL_LABELS[c] ?? d.label}`, unit: '/min' };
    }
    case 'topic':
      return { measure: `Mentions in topic ${d.label}`, unit: '/min' };
    case 'term':
      return { measure: `Texts mentioning ‘${d.label}’`, unit: 'mentions' };
    case 'negative-share':
      return { measure: 'Negative share', unit: '%' };
    case 'response-p90':
      return { measure: 'First response p90', unit: 'ms' };
    case 'unanswered':
      return { measure: 'Unanswered queue', unit: 'mentions' };
  }
}

/** Mentions of this batch that belong to a detection's series, newest first. */
function detectionSamples(d: Detection, ms: readonly RuleMention[]): RiverItem[] {
  const keep = (m: RuleMention): boolean => {
    switch (d.metric) {
      case 'volume':
        return true;
      case 'channel':
        return `channel:${m.channel}` === d.series;
      case 'topic':
        return m.topics.includes(d.label);
      case 'negative-share':
        return m.sentiment === 'negative';
      case 'term':
        return termRegex(d.label).test(m.text);
      default:
        return false;
    }
  };
  return newest(ms.filter(keep));
}

function evaluateAnomaly(rule: RuleOf<'anomaly'>, input: RuleInput): RuleObservation[] {
  const out: RuleObservation[] = [];
  const seen = new Set<string>();
  for (const d of input.detections[rule.sensitivity] ?? []) {
    if (seen.has(d.series) || !watches(rule, d)) continue;
    seen.add(d.series);
    if (d.state !== 'active' || d.severity < rule.minSeverity) continue;
    const severity: AlertSeverity =
      d.severity >= CRITICAL_DETECTION_SEVERITY ? 'critical' : rule.severity;
    const { measure, unit } = detectionMeasure(d);
    const band = `band ${detectionValue(d, d.lower)}–${detectionValue(d, d.upper)}`;
    const observed = detectionValue(d, d.observed);
    const expected = detectionValue(d, d.expected).replace(/\/min$/, '');
    const drivers = d.drivers
      .slice(0, 3)
      .map((x) => `${x.kind} ${x.name} (${num(x.observed)})`)
      .join(', ');
    out.push({
      scopeKey: d.series,
      holding: true,
      severity,
      title: `${measure} ${observed} vs ${expected} expected (${band})`,
      detail:
        `Severity ${d.severity}/10 at ${rule.sensitivity} sensitivity, ` +
        `raised at ${new Date(d.at).toISOString().slice(11, 16)} UTC` +
        (drivers === '' ? '.' : `; drivers: ${drivers}.`),
      context: context(measure, unit, d.observed, {
        expected: d.expected,
        lower: d.lower,
        upper: d.upper,
        drivers: d.drivers,
        samples: detectionSamples(d, input.mentions)
      })
    });
  }
  return out;
}

// Keyword matching -----------------------------------------------------------------------------

/** A term as matched: lowercase, NFKC, words separated by single spaces. */
function normalizeTerm(term: string): string {
  return term
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}\p{M}_]+/u)
    .filter((w) => w !== '')
    .join(' ');
}

const REGEX_CACHE = new Map<string, RegExp>();
const REGEX_CACHE_MAX = 2000;

/**
 * The matcher of a term: its words in order, case-insensitive, on word boundaries, with any
 * non-word characters between them. `recall` matches "RECALL!", "#recall" and "re: recall" but
 * not "recalled" or "recalls"; `data breach` matches "Data-breach" and "data  breach".
 */
function termRegex(term: string): RegExp {
  // Cached by the term as written: normalising it (NFKC, a split) on every call cost more than
  // the match.
  let re = REGEX_CACHE.get(term);
  if (re === undefined) {
    const key = normalizeTerm(term);
    const words = key.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(
      `(?<![\\p{L}\\p{N}\\p{M}_])${words.join('[^\\p{L}\\p{N}\\p{M}_]+')}(?![\\p{L}\\p{N}\\p{M}_])`,
      'iu'
    );
    if (REGEX_CACHE.size >= REGEX_CACHE_MAX) REGEX_CACHE.clear();
    REGEX_CACHE.set(term, re);
  }
  return re;
}

/** Whether `text` mentions `term` (see {@link termRegex}). Exported for the store's counts. */
export function matchesTerm(text: string, term: string): boolean {
  return termRegex(term).test(text.normalize('NFKC'));
}

/** Width of a keyword rule's time buckets: the window in {@link KEYWORD_BUCKETS} slices. */
function bucketWidth(windowMs: number): number {
  return Math.max(SECOND, Math.ceil(windowMs / KEYWORD_BUCKETS));
}

/**
 * Keyword rules count matches by arrival (the evaluation's `now`), in time buckets of
 * windowMs / {@link KEYWORD_BUCKETS}: a bucket counts while any part of it is in the window, so
 * the count may include matches up to one bucket older than `windowMs`.
 */
function evaluateKeyword(
  rule: RuleOf<'keyword'>,
  input: RuleInput,
  state: RuleState
): RuleObservation[] {
  const now = input.now;
  const width = bucketWidth(rule.windowMs);
  const from = now - rule.windowMs;
  const terms = rule.terms.map((t) => ({ term: t, key: normalizeTerm(t) }));
  const keys = new Set(terms.map((t) => t.key));
  for (const k of Object.keys(state.keyword)) if (!keys.has(k)) delete state.keyword[k];
  const scoped = input.mentions.filter((m) => inScope(m, rule.scope));
  // Each text normalised once per evaluation, not once per term: under a firehose the sample is
  // thousands of texts a second, matched on the wall's thread. The default rules' six terms over
  // 5,000 simulated texts: 11-38 ms per evaluation once warm with matchesTerm per pair (75 ms
  // cold), 2-4 ms this way.
  const texts = scoped.map((m) => m.text.normalize('NFKC'));
  const out: RuleObservation[] = [];
  for (const { term, key } of terms) {
    let s = state.keyword[key];
    if (s === undefined) {
      s = { buckets: [], samples: [] };
      state.keyword[key] = s;
    }
    const re = termRegex(term);
    const hits = scoped.filter((_, i) => re.test(texts[i]!));
    if (hits.length > 0) {
      const b = Math.floor(now / width) * width;
      const last = s.buckets[s.buckets.length - 1];
      // A clock that went back counts into the newest bucket, keeping the buckets ascending.
      if (last !== undefined && last[0] >= b) last[1] += hits.length;
      else s.buckets.push([b, hits.length]);
      const fresh = newest(hits).map((item) => ({ at: now, item }));
      s.samples = fresh.concat(s.samples).slice(0, SAMPLES_KEPT);
    }
    // Drop buckets wholly outside the window, and any beyond the bound (clock jumps).
    let drop = 0;
    while (drop < s.buckets.length && s.buckets[drop]![0] + width <= from) drop++;
    drop = Math.max(drop, s.buckets.length - (KEYWORD_BUCKETS + 1));
    if (drop > 0) s.buckets.splice(0, drop);
    s.samples = s.samples.filter((x) => x.at > from - width);
    const n = s.buckets.reduce((sum, x) => sum + x[1], 0);
    const holding = n >= rule.minCount;
    const span = formatDuration(rule.windowMs);
    const where = scopeWords(rule.scope);
    out.push({
      scopeKey: `term:${key}`,
      holding,
      severity: rule.severity,
      title: `‘${term}’ in ${num(n)} mention${n === 1 ? '' : 's'}${where} in ${span}`,
      detail: `${num(n)} mention${n === 1 ? '' : 's'}${where} matching ‘${term}’ in the last ${span}; the rule alerts at ${num(rule.minCount)}.`,
      context: context(`Mentions of ‘${term}’${where}`, 'mentions', n, {
        upper: rule.minCount,
        samples: s.samples.map((x) => x.item)
      })
    });
  }
  return out;
}

// Influencer, SLA, silence -----------------------------------------------------------------------

const TIER_RANK: Readonly<Record<InfluenceTier, number>> = Object.fromEntries(
  INFLUENCE_TIERS.map((t, i) => [t, i])
) as Record<InfluenceTier, number>;

/**
 * One observation for the rule's scope (`all`, `channel:x`, …), holding when a mention in this
 * batch qualifies: tier at least `minTier`, negative when `negativeOnly`, in scope, and not a
 * brand reply. The rule's influencer mentions are one alert, not one per author, so a crisis
 * that draws in a dozen influencers is one alert whose occurrences, detail and samples name
 * them, not an alert storm. It holds for the mentions' arrival only; the lifecycle (forMs 0)
 * fires it and resolves it `holdMs` after the last one.
 */
function evaluateInfluencer(rule: RuleOf<'influencer'>, input: RuleInput): RuleObservation[] {
  const min = TIER_RANK[rule.minTier];
  const hits: RuleMention[] = [];
  const authors = new Map<string, RuleMention>();
  for (const m of input.mentions) {
    if (m.item.isBrandReply || TIER_RANK[m.influenceTier] < min) continue;
    if (rule.negativeOnly && m.sentiment !== 'negative') continue;
    if (!inScope(m, rule.scope)) continue;
    hits.push(m);
    authors.set(m.item.author.handle, m);
  }
  if (hits.length === 0) return [];
  const who = [...authors.values()].map((m) => {
    const h = m.item.author.handle;
    const handle = h.startsWith('@') ? h : `@${h}`;
    return `${m.item.author.name || handle} (${handle}, ${m.influenceTier}, ${num(m.item.author.followers)} followers) on ${CHANNEL_LABELS[m.channel]}`;
  });
  const last = hits[hits.length - 1]!;
  const tone = rule.negativeOnly ? 'Negative mentions' : 'Mentions';
  return [
    {
      scopeKey: scopeKeyOf(rule.scope),
      holding: true,
      severity: rule.severity,
      title: `${tone} by authors of tier ${rule.minTier} or above${scopeWords(rule.scope)}`,
      detail: `${who.join('; ')}: “${last.text.slice(0, 280)}”`,
      context: context('Authors', 'mentions', authors.size, { samples: newest(hits) })
    }
  ];
}

function evaluateSla(rule: RuleOf<'sla'>, input: RuleInput): RuleObservation {
  if (rule.basis === 'policies') {
    const c = input.care ?? { breached: 0, oldestDueAt: null, warning: 0 };
    const n = c.breached;
    const late =
      c.oldestDueAt === null
        ? ''
        : `; the longest overdue missed its deadline ${formatDuration(input.now - c.oldestDueAt)} ago`;
    return {
      scopeKey: 'all',
      holding: n >= rule.minCount,
      severity: rule.severity,
      title: `${num(n)} customer mention${n === 1 ? '' : 's'} past the SLA deadline`,
      detail: `${num(n)} open past their policy's first-response deadline${late}; ${num(c.warning)} more within 20 % of theirs. The rule alerts at ${num(rule.minCount)}.`,
      context: context('Past the SLA deadline', 'mentions', n, { upper: rule.minCount })
    };
  }
  const limit = input.now - rule.targetMs;
  let n = 0;
  let oldest: number | null = null;
  for (const t of input.unansweredSince) {
    if (t >= limit) continue;
    n++;
    if (oldest === null || t < oldest) oldest = t;
  }
  const target = formatDuration(rule.targetMs);
  const wait =
    oldest === null ? '' : `; the oldest has waited ${formatDuration(input.now - oldest)}`;
  return {
    scopeKey: 'all',
    holding: n >= rule.minCount,
    severity: rule.severity,
    title: `${num(n)} customer mention${n === 1 ? '' : 's'} unanswered for over ${target}`,
    detail: `${num(n)} unanswered past the ${target} target${wait}; the rule alerts at ${num(rule.minCount)}.`,
    context: context(`Unanswered for over ${target}`, 'mentions', n, { upper: rule.minCount })
  };
}

function evaluateSilence(rule: RuleOf<'silence'>, input: RuleInput): RuleObservation {
  const { channel, topic } = rule.scope;
  const seen = input.lastSeen;
  let last: number | null;
  let scopeKey: string;
  let what: string;
  if (rule.source !== null) {
    last = seen.bySource[rule.source] ?? null;
    scopeKey = `source:${rule.source}`;
    what = `from source ${rule.source}`;
  } else if (channel !== undefined) {
    last = seen.byChannel[channel] ?? null;
    scopeKey = `channel:${channel}`;
    what = `on ${CHANNEL_LABELS[channel]}`;
  } else if (topic !== undefined) {
    last = seen.byTopic[topic] ?? null;
    scopeKey = `topic:${topic}`;
    what = `in topic ${topic}`;
  } else {
    last = seen.any;
    scopeKey = 'all';
    what = 'at all';
  }
  const since = last ?? input.startedAt;
  const quiet = input.now - since;
  const holding = quiet > rule.afterMs;
  const how = last === null ? 'since the engine started' : `for ${formatDuration(quiet)}`;
  return {
    scopeKey,
    holding,
    severity: rule.severity,
    title: `No mention ${what} ${how}`,
    detail:
      (last === null
        ? `No mention ${what} has been seen since the engine started ${formatDuration(quiet)} ago`
        : `The last mention ${what} arrived ${formatDuration(quiet)} ago`) +
      `; the rule alerts after ${formatDuration(rule.afterMs)}.`,
    context: context(`Time since the last mention ${what}`, 'ms', quiet, { upper: rule.afterMs })
  };
}

// ---------------------------------------------------------------------------------------------
// Back-test

/** One minute of stored history, as a back-test reads it (see ./history). */
export interface BacktestMinute {
  /** Minute start, epoch ms. */
  start: number;
  total: number;
  /** Mentions per channel, in CHANNELS order. */
  byChannel: number[];
  negative: number;
  neutral: number;
  positive: number;
  /** Customer mentions of the minute without a brand reply. */
  unanswered: number;
  p50Ms: number | null;
  p90Ms: number | null;
  /** Mentions matching the keyword or influencer rule back-tested (counted by the caller). */
  matches: number;
}

/** Holding groups at one evaluation time. */
interface Step {
  now: number;
  holding: ReadonlySet<string>;
}

/**
 * Runs evaluation steps through the lifecycle (observe every known group, then tick) and
 * collects the start of every alert that reached `firing`: each step evaluates at the end of a
 * minute, and an alert's start is reported as that minute's start.
 */
function simulate(steps: Iterable<Step>, policy: LifecyclePolicy): number[] {
  const alerts = new Map<string, Alert | null>();
  const fired: number[] = [];
  let n = 0;
  for (const { now, holding } of steps) {
    for (const g of holding) if (!alerts.has(g)) alerts.set(g, null);
    for (const [g, alert] of alerts) {
      const h = holding.has(g);
      if (alert === null && !h) continue;
      const t = observe(
        alert,
        { ruleId: 'backtest', scopeKey: g, holding: h, now },
        policy,
        `a${n++}`
      );
      let next = t.alert;
      if (t.notify === 'firing' && next !== null) fired.push(next.startedAt - MINUTE);
      if (next !== null && next.state !== 'resolved' && next.state !== 'pending') {
        next = tick(next, now, policy).alert;
      }
      if (next === null || next.state === 'resolved') alerts.delete(g);
      else alerts.set(g, next);
    }
  }
  return fired;
}

function* single(
  history: readonly BacktestMinute[],
  holds: (i: number) => boolean | null,
  offsetMs = MINUTE
): Generator<Step> {
  const none = new Set<string>();
  const all = new Set(['all']);
  for (let i = 0; i < history.length; i++) {
    const h = holds(i);
    if (h === null) continue;
    yield { now: history[i]!.start + offsetMs, holding: h ? all : none };
  }
}

/** Prefix sums of a per-minute field: sum of [i, j) is p[j] − p[i]. */
function prefix(
  history: readonly BacktestMinute[],
  f: (m: BacktestMinute) => number
): Float64Array {
  const p = new Float64Array(history.length + 1);
  for (let i = 0; i < history.length; i++) p[i + 1] = p[i]! + f(history[i]!);
  return p;
}

function thresholdSteps(
  rule: RuleOf<'threshold'>,
  history: readonly BacktestMinute[],
  notes: string[]
): Iterable<Step> {
  const n = Math.max(1, Math.round(WINDOW_MS[rule.window] / MINUTE));
  if (history.length < n) notes.push(`history is shorter than the ${rule.window} window`);
  const { channel, sentiment, topic } = rule.scope;
  if (topic !== undefined) {
    notes.push('per-topic history is not stored: a topic-scoped threshold reads matches only');
  }
  const ci = channel === undefined ? -1 : CHANNELS.indexOf(channel);
  const countOf = (m: BacktestMinute): number =>
    ci >= 0
      ? (m.byChannel[ci] ?? 0)
      : sentiment !== undefined
        ? m[sentiment]
        : topic !== undefined
          ? m.matches
          : m.total;
  const cnt = prefix(history, countOf);
  const neg = prefix(history, (m) => m.negative);
  const neu = prefix(history, (m) => m.neutral);
  const pos = prefix(history, (m) => m.positive);
  const una = prefix(history, (m) => m.unanswered);
  const quantile = (m: BacktestMinute): number | null =>
    rule.metric === 'response-p50' ? m.p50Ms : m.p90Ms;
  const qSum = prefix(history, (m) => quantile(m) ?? 0);
  const qN = prefix(history, (m) => (quantile(m) === null ? 0 : 1));
  if (rule.metric === 'response-p50' || rule.metric === 'response-p90') {
    notes.push('response times are approximate (the mean of per-minute quantiles)');
  }
  return single(history, (i) => {
    if (i + 1 < n) return null;
    const a = i + 1 - n;
    const b = i + 1;
    const sum = (p: Float64Array): number => p[b]! - p[a]!;
    const scored = sum(neg) + sum(neu) + sum(pos);
    let v: number | null;
    switch (rule.metric) {
      case 'volume':
        v = sum(cnt);
        break;
      case 'per-minute':
        v = sum(cnt) / n;
        break;
      case 'negative-share':
        v = scored === 0 ? null : sum(neg) / scored;
        break;
      case 'net-sentiment':
        v = scored === 0 ? null : (sum(pos) - sum(neg)) / scored;
        break;
      case 'unanswered':
        v = sum(una);
        break;
      default:
        v = sum(qN) === 0 ? null : sum(qSum) / sum(qN);
    }
    return v !== null && compare(v, rule.comparison, rule.value);
  });
}

function anomalySteps(
  rule: RuleOf<'anomaly'>,
  history: readonly BacktestMinute[],
  notes: string[]
): Iterable<Step> {
  const { channel, topic } = rule.scope;
  const metric = rule.metric;
  if (topic !== undefined || metric === 'topic' || metric === 'term') {
    notes.push(
      `${topic !== undefined ? 'topic' : metric} series are not stored: nothing to replay`
    );
    return [];
  }
  if (metric === 'unanswered') {
    notes.push('approximate: the stored unanswered count per minute stands in for the live queue');
  }
  /** The series the rule watches: group name and per-minute value (null: no row that minute). */
  const series: {
    group: string;
    kind: SeriesKind;
    value: (m: BacktestMinute) => { v: number; exposure: number } | null;
  }[] = [];
  const count = (f: (m: BacktestMinute) => number) => (m: BacktestMinute) => ({
    v: f(m),
    exposure: 1
  });
  if (channel !== undefined || metric === 'channel') {
    const list = channel !== undefined ? [channel] : CHANNELS;
    for (const c of list) {
      const i = CHANNELS.indexOf(c);
      series.push({
        group: `channel:${c}`,
        kind: 'count',
        value: count((m) => m.byChannel[i] ?? 0)
      });
    }
  } else if (metric === 'volume') {
    series.push({ group: 'volume', kind: 'count', value: count((m) => m.total) });
  } else if (metric === 'negative-share') {
    series.push({
      group: 'negative-share',
      kind: 'share',
      value: (m) => {
        const scored = m.negative + m.neutral + m.positive;
        return scored === 0 ? null : { v: m.negative / scored, exposure: scored };
      }
    });
  } else if (metric === 'response-p90') {
    series.push({
      group: 'response-p90',
      kind: 'duration',
      value: (m) => (m.p90Ms === null ? null : { v: m.p90Ms, exposure: 1 })
    });
  } else {
    series.push({ group: 'unanswered', kind: 'count', value: count((m) => m.unanswered) });
  }
  const detectors = series.map(
    (s) => new Detector({ intervalMs: MINUTE, kind: s.kind, sensitivity: rule.sensitivity })
  );
  const active = series.map(() => false);
  const steps: Step[] = [];
  for (const m of history) {
    const holding = new Set<string>();
    series.forEach((s, k) => {
      const row = s.value(m);
      if (row !== null) {
        const r = detectors[k]!.update(m.start, row.v, row.exposure);
        active[k] = r.active && r.severity >= rule.minSeverity;
      }
      if (active[k]) holding.add(s.group);
    });
    steps.push({ now: m.start + MINUTE, holding });
  }
  return steps;
}

/**
 * What a rule would have done over stored history: the rule simulated minute by minute through
 * the lifecycle (`observe` then `tick` at each minute's end, with the rule's forMs and holdMs,
 * overridable by `policy`), counting the alerts that reached `firing`. Per kind:
 * - threshold: the window's aggregates from the trailing minutes (evaluated once a full window
 *   of history exists); response times are the mean of per-minute quantiles (approximate).
 * - anomaly: the live {@link Detector} at the rule's sensitivity on the metric's per-minute
 *   series (one group per channel for metric `channel`). Topic and term series are not stored.
 * - keyword: `matches` summed over the trailing `windowMs` ≥ minCount (all terms together).
 * - influencer: a minute with `matches` > 0 holds (not per author).
 * - sla: a minute whose `unanswered` ≥ minCount holds, `targetMs` after that minute (approximate).
 * - silence: a run of minutes with no mention (of the scope's channel) at least `afterMs` long.
 * `history` is one row per minute, ascending.
 */
export function backtestRule(
  rule: AlertRule,
  history: readonly BacktestMinute[],
  days: number,
  policy?: Partial<LifecyclePolicy>
): RuleBacktest {
  const p: LifecyclePolicy = {
    forMs: rule.forMs,
    holdMs: rule.holdMs,
    escalateAfterMs: null,
    maxEscalationLevel: 0,
    ...policy
  };
  const rows = [...history].sort((a, b) => a.start - b.start);
  const notes: string[] = [];
  let steps: Iterable<Step>;
  switch (rule.kind) {
    case 'threshold':
      steps = thresholdSteps(rule, rows, notes);
      break;
    case 'anomaly':
      steps = anomalySteps(rule, rows, notes);
      break;
    case 'keyword': {
      const n = Math.max(1, Math.round(rule.windowMs / MINUTE));
      const sums = prefix(rows, (m) => m.matches);
      if (rule.terms.length > 1) {
        notes.push('approximate: all terms are counted together (live alerts are per term)');
      }
      steps = single(rows, (i) => sums[i + 1]! - sums[Math.max(0, i + 1 - n)]! >= rule.minCount);
      break;
    }
    case 'influencer':
      notes.push('approximate: counted per minute, not per author');
      steps = single(rows, (i) => rows[i]!.matches > 0);
      break;
    case 'sla':
      notes.push(
        'approximate: mentions of one minute still unanswered stand in for the live queue'
      );
      steps = single(rows, (i) => rows[i]!.unanswered >= rule.minCount, MINUTE + rule.targetMs);
      break;
    case 'silence': {
      const { channel, topic } = rule.scope;
      if (rule.source !== null) notes.push('per-source history is not stored: all sources count');
      if (topic !== undefined) notes.push('per-topic history is not stored: all topics count');
      const ci = channel === undefined ? -1 : CHANNELS.indexOf(channel);
      const need = Math.max(1, Math.ceil(rule.afterMs / MINUTE));
      let run = 0;
      steps = single(rows, (i) => {
        const m = rows[i]!;
        const v = ci >= 0 ? (m.byChannel[ci] ?? 0) : m.total;
        run = v === 0 ? run + 1 : 0;
        return run >= need;
      });
      break;
    }
  }
  const fired = simulate(steps, p);
  return {
    days,
    fired: fired.length,
    at: fired.reverse().slice(0, BACKTEST_AT_LIMIT),
    note: notes.length === 0 ? null : notes.join('; ')
  };
}
