import {
  CHANNELS,
  INFLUENCE_TIERS,
  THRESHOLD_METRICS,
  WINDOWS,
  type AlertRule,
  type RuleKind
} from '$lib/shared/types';

/**
 * A rule as the editor's form holds it: durations in minutes, lists as comma-separated text,
 * optional scope fields as '' (none). `toRule` turns it back into the API's shape; the server
 * validates it and answers with field paths, which the form shows next to the fields.
 */
export interface RuleForm {
  id: string;
  name: string;
  kind: RuleKind;
  enabled: boolean;
  severity: 'info' | 'warning' | 'critical';
  channel: string;
  topic: string;
  sentiment: string;
  forMin: number;
  holdMin: number;
  /** '' = never escalates. */
  escalateMin: string;
  // threshold
  metric: string;
  window: string;
  comparison: string;
  value: number;
  // anomaly
  detector: string;
  sensitivity: string;
  minSeverity: number;
  // keyword
  terms: string;
  minCount: number;
  windowMin: number;
  // influencer
  minTier: string;
  negativeOnly: boolean;
  // sla
  slaBasis: 'policies' | 'target';
  targetMin: number;
  // silence
  source: string;
  afterMin: number;
}

/** Choices of the form's selects. */
export const FORM_CHOICES = {
  kinds: ['threshold', 'anomaly', 'keyword', 'influencer', 'sla', 'silence'] as RuleKind[],
  metrics: [...THRESHOLD_METRICS],
  windows: [...WINDOWS],
  comparisons: ['>', '>=', '<', '<='],
  detectors: ['volume', 'channel', 'topic', 'term', 'negative-share', 'response-p90', 'unanswered'],
  sensitivities: ['low', 'balanced', 'high'],
  tiers: [...INFLUENCE_TIERS],
  channels: [...CHANNELS],
  sentiments: ['negative', 'neutral', 'positive']
} as const;

const MIN = 60_000;

/** A fresh form for a new rule of `kind`, with sensible values. */
export function blankForm(kind: RuleKind = 'keyword'): RuleForm {
  return {
    id: '',
    name: '',
    kind,
    enabled: true,
    severity: 'warning',
    channel: '',
    topic: '',
    sentiment: '',
    forMin: kind === 'threshold' ? 2 : 0,
    holdMin: 10,
    escalateMin: '15',
    metric: 'per-minute',
    window: '5m',
    comparison: '>',
    value: 100,
    detector: 'volume',
    sensitivity: 'balanced',
    minSeverity: 3,
    terms: '',
    minCount: 3,
    windowMin: 10,
    minTier: 'influencer',
    negativeOnly: true,
    slaBasis: 'policies',
    targetMin: 60,
    source: '',
    afterMin: 30
  };
}

/** The form for an existing rule. */
export function formOf(rule: AlertRule): RuleForm {
  const f = blankForm(rule.kind);
  f.id = rule.id;
  f.name = rule.name;
  f.enabled = rule.enabled;
  f.severity = rule.severity;
  f.channel = rule.scope.channel ?? '';
  f.topic = rule.scope.topic ?? '';
  f.sentiment = rule.scope.sentiment ?? '';
  f.forMin = rule.forMs / MIN;
  f.holdMin = rule.holdMs / MIN;
  f.escalateMin = rule.escalateAfterMs === null ? '' : String(rule.escalateAfterMs / MIN);
  switch (rule.kind) {
    case 'threshold':
      f.metric = rule.metric;
      f.window = rule.window;
      f.comparison = rule.comparison;
      f.value = rule.value;
      break;
    case 'anomaly':
      f.detector = rule.metric;
      f.sensitivity = rule.sensitivity;
      f.minSeverity = rule.minSeverity;
      break;
    case 'keyword':
      f.terms = rule.terms.join(', ');
      f.minCount = rule.minCount;
      f.windowMin = rule.windowMs / MIN;
      break;
    case 'influencer':
      f.minTier = rule.minTier;
      f.negativeOnly = rule.negativeOnly;
      break;
    case 'sla':
      f.slaBasis = rule.basis ?? 'target';
      f.targetMin = rule.targetMs / MIN;
      f.minCount = rule.minCount;
      break;
    case 'silence':
      f.source = rule.source ?? '';
      f.afterMin = rule.afterMs / MIN;
      break;
  }
  return f;
}

/** The API body for a form (the server validates it). */
export function toRule(f: RuleForm): Record<string, unknown> {
  const scope: Record<string, string> = {};
  if (f.channel) scope.channel = f.channel;
  if (f.topic.trim()) scope.topic = f.topic.trim();
  if (f.sentiment) scope.sentiment = f.sentiment;
  const base = {
    ...(f.id && { id: f.id }),
    name: f.name.trim(),
    kind: f.kind,
    enabled: f.enabled,
    severity: f.severity,
    scope,
    forMs: Math.round(Number(f.forMin) * MIN),
    holdMs: Math.round(Number(f.holdMin) * MIN),
    escalateAfterMs: f.escalateMin.trim() === '' ? null : Math.round(Number(f.escalateMin) * MIN)
  };
  switch (f.kind) {
    case 'threshold':
      return {
        ...base,
        metric: f.metric,
        window: f.window,
        comparison: f.comparison,
        value: Number(f.value)
      };
    case 'anomaly':
      return {
        ...base,
        metric: f.detector,
        sensitivity: f.sensitivity,
        minSeverity: Number(f.minSeverity)
      };
    case 'keyword':
      return {
        ...base,
        terms: f.terms
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        minCount: Number(f.minCount),
        windowMs: Math.round(Number(f.windowMin) * MIN)
      };
    case 'influencer':
      return { ...base, minTier: f.minTier, negativeOnly: f.negativeOnly };
    case 'sla':
      return {
        ...base,
        basis: f.slaBasis,
        targetMs: Math.round(Number(f.targetMin) * MIN),
        minCount: Number(f.minCount)
      };
    case 'silence':
      return {
        ...base,
        source: f.source.trim() === '' ? null : f.source.trim(),
        afterMs: Math.round(Number(f.afterMin) * MIN)
      };
  }
}

/** "4 times in the last 7 days": a back-test in words. */
export function backtestText(fired: number, days: number): string {
  const span = days === 1 ? 'the last day' : `the last ${days} days`;
  if (fired === 0) return `This rule would not have fired in ${span}.`;
  return `This rule would have fired ${fired === 1 ? 'once' : `${fired} times`} in ${span}.`;
}
