import { describe, expect, it } from 'vitest';
import {
  backtestText,
  blankForm,
  formOf,
  toRule
} from '../../../src/lib/components/alerts/rule-form';
import type { AlertRule } from '../../../src/lib/shared/types';

const base = {
  enabled: true,
  severity: 'warning' as const,
  forMs: 120_000,
  holdMs: 600_000,
  escalateAfterMs: 900_000
};

const RULES: AlertRule[] = [
  {
    ...base,
    id: 't',
    name: 'Busy',
    kind: 'threshold',
    scope: { channel: 'reddit' },
    metric: 'per-minute',
    window: '5m',
    comparison: '>=',
    value: 250
  },
  {
    ...base,
    id: 'a',
    name: 'Odd',
    kind: 'anomaly',
    scope: { topic: 'Billing' },
    metric: 'negative-share',
    sensitivity: 'high',
    minSeverity: 4
  },
  {
    ...base,
    id: 'k',
    name: 'Watch',
    kind: 'keyword',
    scope: { sentiment: 'negative' },
    terms: ['recall', 'data breach'],
    minCount: 2,
    windowMs: 600_000
  },
  {
    ...base,
    escalateAfterMs: null,
    id: 'i',
    name: 'Stars',
    kind: 'influencer',
    scope: {},
    minTier: 'celebrity',
    negativeOnly: false
  },
  {
    ...base,
    id: 's',
    name: 'SLA',
    kind: 'sla',
    basis: 'target',
    scope: {},
    targetMs: 3_600_000,
    minCount: 5
  },
  {
    ...base,
    id: 'sp',
    name: 'SLA policies',
    kind: 'sla',
    basis: 'policies',
    scope: {},
    targetMs: 3_600_000,
    minCount: 1
  },
  { ...base, id: 'q', name: 'Quiet', kind: 'silence', scope: {}, source: null, afterMs: 1_800_000 }
];

describe('the rule form', () => {
  it.each(RULES.map((r) => [r.kind, r] as const))('round-trips a %s rule', (_kind, rule) => {
    expect(toRule(formOf(rule))).toEqual(rule);
  });

  it('turns minutes and comma lists into the API shape, dropping empty scope fields', () => {
    const f = blankForm('keyword');
    f.name = '  Outage words ';
    f.terms = 'outage, down ,, not working';
    f.windowMin = 5;
    f.escalateMin = '';
    f.topic = '   ';
    expect(toRule(f)).toMatchObject({
      name: 'Outage words',
      kind: 'keyword',
      scope: {},
      terms: ['outage', 'down', 'not working'],
      windowMs: 300_000,
      escalateAfterMs: null
    });
    expect(toRule(f)).not.toHaveProperty('id');
  });

  it.each([
    [0, 7, 'This rule would not have fired in the last 7 days.'],
    [1, 1, 'This rule would have fired once in the last day.'],
    [4, 7, 'This rule would have fired 4 times in the last 7 days.']
  ])('words a back-test of %i alerts over %i days', (fired, days, text) => {
    expect(backtestText(fired, days)).toBe(text);
  });
});
