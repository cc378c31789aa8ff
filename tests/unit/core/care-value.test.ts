import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VALUE_ASSUMPTIONS,
  DETRACTOR_MAX_SCORE,
  PROMOTER_MIN_SCORE,
  SOURCES,
  ValueAssumptionsSchema,
  socialCostPerContact,
  valueOfCare,
  type ValueAssumptions,
  type ValueFacts
} from '../../../server/core/care/value';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function facts(over: Partial<ValueFacts> = {}): ValueFacts {
  return { from: T0, to: T0 + 7 * DAY, resolved: 1000, postSentiment: [], ...over };
}

function assumptions(over: Partial<ValueAssumptions> = {}): ValueAssumptions {
  return { ...DEFAULT_VALUE_ASSUMPTIONS, ...over };
}

describe('defaults and sources', () => {
  it('uses the published estimates: midpoints of the ranges, productivity 6', () => {
    expect(DEFAULT_VALUE_ASSUMPTIONS).toEqual({
      currency: 'USD',
      costPerContact: { phone: 9, chat: 5, email: 3.75, selfService: 0.1 },
      socialProductivity: 6,
      deflectionMix: { phone: 0.6, chat: 0.25, email: 0.15 }
    });
    expect(ValueAssumptionsSchema.parse(DEFAULT_VALUE_ASSUMPTIONS)).toEqual(
      DEFAULT_VALUE_ASSUMPTIONS
    );
    const text = SOURCES.map((s) => s.description).join('\n');
    for (const figure of ['$6–12', '$5', '$2.50–5', '$0.10', 'four to eight']) {
      expect(text).toContain(figure);
    }
  });

  it('derives the social cost per contact from phone cost and productivity', () => {
    expect(socialCostPerContact(DEFAULT_VALUE_ASSUMPTIONS)).toBe(1.5);
    expect(socialCostPerContact(assumptions({ socialProductivity: 4 }))).toBe(2.25);
    expect(socialCostPerContact(assumptions({ socialProductivity: 8 }))).toBe(1.125);
  });
});

describe('valueOfCare', () => {
  it('computes the savings of 1,000 issues in 7 days with the defaults', () => {
    const r = valueOfCare(facts(), DEFAULT_VALUE_ASSUMPTIONS);
    // 600 calls × $9 + 250 chats × $5 + 150 e-mails × $3.75 = 5,400 + 1,250 + 562.50 = 7,212.50
    // social: 1,000 × $9 / 6 = 1,500; savings 5,712.50 over 7 days.
    expect(r).toMatchObject({
      currency: 'USD',
      days: 7,
      resolved: 1000,
      deflected: { phone: 600, chat: 250, email: 150, total: 1000 },
      avoidedCost: 7212.5,
      socialCost: 1500,
      savings: 5712.5,
      perDay: 816.07, // 5,712.50 / 7 = 816.0714…
      perWeek: 5712.5,
      perMonth: 24482.14 // 816.0714… × 30 = 24,482.142…
    });
    expect(r.explanation).toEqual([
      'Period: 7 days; 1,000 customer issues resolved on social.',
      'Phone calls: 60% of 1,000 = 600 avoided × $9.00 = $5,400.00',
      'Web chats: 25% of 1,000 = 250 avoided × $5.00 = $1,250.00',
      'E-mails: 15% of 1,000 = 150 avoided × $3.75 = $562.50',
      'Avoided cost: $7,212.50',
      'Social cost: 1,000 × $1.50 (phone $9.00 ÷ social productivity 6) = $1,500.00',
      'Savings: $7,212.50 − $1,500.00 = $5,712.50',
      'Per day $816.07, per week $5,712.50, per month (30 days) $24,482.14',
      'Sentiment after resolution: no scores, no NPS proxy.'
    ]);
  });

  const scaling: [days: number, perDay: number, perWeek: number, perMonth: number][] = [
    // Savings 5,712.50 in each case.
    [1, 5712.5, 39987.5, 171375],
    [7, 816.07, 5712.5, 24482.14],
    [30, 190.42, 1332.92, 5712.5],
    [0.5, 11425, 79975, 342750]
  ];
  it.each(scaling)('scales savings over %f days per day, week and month', (days, d, w, m) => {
    const r = valueOfCare(facts({ to: T0 + days * DAY }), DEFAULT_VALUE_ASSUMPTIONS);
    expect(r.savings).toBe(5712.5);
    expect([r.days, r.perDay, r.perWeek, r.perMonth]).toEqual([days, d, w, m]);
  });

  it('uses custom assumptions, with the rest of the mix as self-service', () => {
    const custom: ValueAssumptions = {
      currency: 'EUR',
      costPerContact: { phone: 12, chat: 6, email: 4, selfService: 0.5 },
      socialProductivity: 4,
      deflectionMix: { phone: 0.5, chat: 0.2, email: 0.1 }
    };
    const r = valueOfCare(facts({ resolved: 200, to: T0 + 10 * DAY }), custom);
    // 100 calls × 12 + 40 chats × 6 + 20 e-mails × 4 + 40 self-service × 0.5
    //   = 1,200 + 240 + 80 + 20 = 1,540; social 200 × 12 / 4 = 600; savings 940 in 10 days.
    expect(r).toMatchObject({
      currency: 'EUR',
      deflected: { phone: 100, chat: 40, email: 20, total: 160 },
      avoidedCost: 1540,
      socialCost: 600,
      savings: 940,
      perDay: 94,
      perWeek: 658,
      perMonth: 2820
    });
    expect(r.explanation).toContain('Self-service: the other 40 × €0.50 = €20.00');
    expect(r.explanation).toContain('Savings: €1,540.00 − €600.00 = €940.00');
  });

  it('reports negative savings when social care costs more than it avoids', () => {
    const r = valueOfCare(
      facts({ resolved: 10 }),
      assumptions({ deflectionMix: { phone: 0, chat: 0, email: 0 } })
    );
    // 10 self-served × 0.10 = 1; social 10 × 1.50 = 15.
    expect([r.avoidedCost, r.socialCost, r.savings]).toEqual([1, 15, -14]);
  });

  it('keeps fractional expected contacts and rounds money to cents', () => {
    const r = valueOfCare(facts({ resolved: 7 }), DEFAULT_VALUE_ASSUMPTIONS);
    // 4.2 × 9 + 1.75 × 5 + 1.05 × 3.75 = 37.8 + 8.75 + 3.9375 = 50.4875 → 50.49; social 10.50.
    expect(r.deflected.phone).toBeCloseTo(4.2, 12);
    expect(r.deflected.chat).toBeCloseTo(1.75, 12);
    expect(r.deflected.email).toBeCloseTo(1.05, 12);
    expect([r.avoidedCost, r.socialCost, r.savings]).toEqual([50.49, 10.5, 39.99]);
  });

  it('reports zeros for nothing resolved, and for an empty period', () => {
    const none = valueOfCare(facts({ resolved: 0 }), DEFAULT_VALUE_ASSUMPTIONS);
    expect(none).toMatchObject({
      deflected: { phone: 0, chat: 0, email: 0, total: 0 },
      avoidedCost: 0,
      socialCost: 0,
      savings: 0,
      perDay: 0,
      perMonth: 0,
      npsProxy: null
    });
    const empty = valueOfCare(facts({ resolved: 0, to: T0 }), DEFAULT_VALUE_ASSUMPTIONS);
    expect(empty).toMatchObject({ days: 0, savings: 0, perDay: 0, perWeek: 0, perMonth: 0 });
    expect(empty.explanation).toContain('Per day, week and month: none for an empty period.');
  });

  const badFacts: [what: string, over: Partial<ValueFacts>][] = [
    ['a period that ends before it starts', { to: T0 - DAY }],
    ['a non-finite period', { to: Infinity }],
    ['a negative resolved count', { resolved: -1 }],
    ['a NaN resolved count', { resolved: NaN }],
    ['issues resolved in an empty period', { to: T0, resolved: 5 }]
  ];
  it.each(badFacts)('refuses %s', (_what, over) => {
    expect(() => valueOfCare(facts(over), DEFAULT_VALUE_ASSUMPTIONS)).toThrow(RangeError);
  });

  it('refuses invalid assumptions', () => {
    const bad = assumptions({ socialProductivity: 0 });
    expect(() => valueOfCare(facts(), bad)).toThrow('must be more than 0');
  });
});

describe('NPS proxy', () => {
  const split: [score: number, kind: 'promoter' | 'passive' | 'detractor'][] = [
    [1, 'promoter'],
    [PROMOTER_MIN_SCORE, 'promoter'],
    [0.4999, 'passive'],
    [0, 'passive'],
    [-0.0499, 'passive'],
    [DETRACTOR_MAX_SCORE, 'detractor'],
    [-1, 'detractor']
  ];
  it.each(split)('counts a score of %f as a %s', (score, kind) => {
    const r = valueOfCare(facts({ postSentiment: [score] }), DEFAULT_VALUE_ASSUMPTIONS);
    expect({ promoter: r.promoters, passive: r.passives, detractor: r.detractors }).toEqual({
      promoter: kind === 'promoter' ? 1 : 0,
      passive: kind === 'passive' ? 1 : 0,
      detractor: kind === 'detractor' ? 1 : 0
    });
    expect(r.npsProxy).toBe(kind === 'promoter' ? 100 : kind === 'detractor' ? -100 : 0);
  });

  const table: [scores: number[], nps: number | null][] = [
    [[], null],
    [[NaN], null],
    [[0.9, 0.6, 0.1, -0.5], 25], // (2 − 1) / 4
    [[0.9, 0.1, 0.1, -0.5, -0.2], -20], // (1 − 2) / 5
    [[0.9, NaN, 0.8], 100] // NaN is not counted
  ];
  it.each(table)('%j → %j', (postSentiment, nps) => {
    const r = valueOfCare(facts({ postSentiment }), DEFAULT_VALUE_ASSUMPTIONS);
    expect(r.npsProxy).toBe(nps);
  });

  it('explains the split and that it is not a survey', () => {
    const r = valueOfCare(
      facts({ postSentiment: [0.9, 0.6, 0.1, -0.5] }),
      DEFAULT_VALUE_ASSUMPTIONS
    );
    expect(r.explanation.at(-1)).toBe(
      'Sentiment after resolution: 2 promoters (score ≥ 0.5), 1 passive, 1 detractor ' +
        '(score ≤ -0.05) of 4; NPS proxy +25 (from sentiment, not a survey).'
    );
  });
});

describe('ValueAssumptionsSchema', () => {
  it('fills missing fields with the defaults and upper-cases the currency', () => {
    expect(ValueAssumptionsSchema.parse({})).toEqual(DEFAULT_VALUE_ASSUMPTIONS);
    expect(
      ValueAssumptionsSchema.parse({ currency: ' eur ', costPerContact: { phone: 12 } })
    ).toEqual({
      ...DEFAULT_VALUE_ASSUMPTIONS,
      currency: 'EUR',
      costPerContact: { ...DEFAULT_VALUE_ASSUMPTIONS.costPerContact, phone: 12 }
    });
  });

  it('accepts a mix that adds up to exactly 1 despite float rounding', () => {
    const mix = { phone: 0.7, chat: 0.2, email: 0.1 }; // 0.7 + 0.2 + 0.1 = 0.9999999999999999
    expect(ValueAssumptionsSchema.safeParse({ deflectionMix: mix }).success).toBe(true);
    const mix2 = { phone: 0.1, chat: 0.2, email: 0.7 };
    expect(ValueAssumptionsSchema.safeParse({ deflectionMix: mix2 }).success).toBe(true);
  });

  const bad: [what: string, value: unknown, path: string, message: string][] = [
    [
      'a mix adding up to more than 1',
      { deflectionMix: { phone: 0.7, chat: 0.25, email: 0.15 } },
      'deflectionMix',
      'deflectionMix shares must add up to at most 1, they add up to 1.1'
    ],
    [
      'a share above 1',
      { deflectionMix: { phone: 1.5, chat: 0, email: 0 } },
      'deflectionMix.phone',
      'must be at most 1'
    ],
    [
      'a negative share',
      { deflectionMix: { phone: 0.5, chat: -0.1, email: 0 } },
      'deflectionMix.chat',
      'must be at least 0'
    ],
    [
      'a negative cost',
      { costPerContact: { email: -2 } },
      'costPerContact.email',
      'must not be negative (the cost of one e-mail)'
    ],
    [
      'a cost that is not a number',
      { costPerContact: { chat: '5' } },
      'costPerContact.chat',
      'must be the cost of one web chat'
    ],
    ['a productivity of 0', { socialProductivity: 0 }, 'socialProductivity', 'must be more than 0'],
    [
      'a negative productivity',
      { socialProductivity: -6 },
      'socialProductivity',
      'must be more than 0'
    ],
    ['an infinite productivity', { socialProductivity: Infinity }, 'socialProductivity', ''],
    ['a malformed currency', { currency: 'dollars' }, 'currency', 'three-letter currency code'],
    ['an unknown field', { currency: 'USD', discount: 1 }, '', 'discount']
  ];
  it.each(bad)('refuses %s', (_what, value, path, message) => {
    const result = ValueAssumptionsSchema.safeParse(value);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(JSON.stringify(issue)).toContain(message);
  });
});
