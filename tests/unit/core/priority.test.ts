import { describe, expect, it } from 'vitest';
import { influenceScore, type InfluenceTier } from '../../../server/core/enrich/influence';
import type { Intent } from '../../../server/core/enrich/intent';
import {
  INTENT_POINTS,
  RISK_STOP_PHRASES,
  RISK_TERMS,
  triagePriority,
  type TriageInput
} from '../../../server/core/enrich/priority';

const MIN = 60_000;
const HOUR = 60 * MIN;

const EVERYDAY = { score: 40, tier: 'everyday' as InfluenceTier };

function input(over: Partial<TriageInput> = {}): TriageInput {
  return {
    text: 'hello',
    sentiment: { score: 0, label: 'neutral' },
    intent: 'other',
    influence: EVERYDAY,
    waitingMs: null,
    ...over
  };
}

function riskReasons(text: string): string[] {
  return triagePriority(input({ text })).reasons.filter((r) => r.startsWith('risk term'));
}

describe('triagePriority', () => {
  it('ranks a celebrity data-breach complaint above a neutral question above praise', () => {
    const celebrity = influenceScore({ followers: 3_000_000, verified: true });
    const everyday = influenceScore({ followers: 300, verified: false });
    expect(celebrity.tier).toBe('celebrity');
    expect(everyday.tier).toBe('everyday');
    const ranked = [
      triagePriority({
        text: '@acme there was a data breach and my card got used, still waiting for an answer',
        sentiment: { score: -0.7, label: 'negative' },
        intent: 'complaint',
        influence: celebrity,
        waitingMs: 2 * HOUR
      }),
      triagePriority({
        text: '@acme do you open on bank holidays?',
        sentiment: { score: 0, label: 'neutral' },
        intent: 'question',
        influence: everyday,
        waitingMs: null
      }),
      triagePriority({
        text: '@acme love the new flavour',
        sentiment: { score: 0.8, label: 'positive' },
        intent: 'praise',
        influence: everyday,
        waitingMs: null
      })
    ];
    // 25 + 21 + 20 + 20 + 16 = 102, clamped.
    expect(ranked.map((r) => r.score)).toEqual([100, 14, 2]);
    expect(ranked[0]?.reasons).toEqual([
      'risk term "data breach" (+25)',
      'negative sentiment (+21)',
      'complaint intent (+20)',
      'celebrity author (+20)',
      'waiting 2 h (+16)'
    ]);
    expect(ranked[1]?.reasons).toEqual(['question intent (+12)', 'everyday author (+2)']);
    expect(ranked[2]?.reasons).toEqual(['everyday author (+2)']);
  });

  it('orders intents complaint > question > purchase > other > praise', () => {
    const order: Intent[] = ['complaint', 'question', 'purchase', 'other', 'praise'];
    const scores = order.map((intent) => triagePriority(input({ intent })).score);
    for (let i = 1; i < scores.length; i++) {
      expect(scores[i]).toBeLessThan(scores[i - 1] ?? 0);
    }
    expect(INTENT_POINTS.praise).toBe(0);
  });

  it('grows with negativity and influence, and ignores positive sentiment', () => {
    let prev = -1;
    for (let s = 1; s >= -1; s -= 0.05) {
      const score = triagePriority(input({ sentiment: { score: s, label: 'neutral' } })).score;
      expect(score).toBeGreaterThanOrEqual(prev);
      prev = score;
    }
    expect(triagePriority(input({ sentiment: { score: 1, label: 'positive' } })).score).toBe(
      triagePriority(input()).score
    );
    prev = -1;
    for (let f = 0; f <= 1e9; f = f * 3 + 1) {
      const score = triagePriority(
        input({ influence: influenceScore({ followers: f, verified: false }) })
      ).score;
      expect(score).toBeGreaterThanOrEqual(prev);
      prev = score;
    }
  });

  it('grows with waiting time and saturates around four hours', () => {
    const at = (ms: number | null): number => triagePriority(input({ waitingMs: ms })).score;
    const base = at(null);
    let prev = base;
    for (let m = 0; m <= 24 * 60; m += 5) {
      const score = at(m * MIN);
      expect(score).toBeGreaterThanOrEqual(prev);
      prev = score;
    }
    expect(at(0)).toBe(base);
    expect(at(-5 * MIN)).toBe(base);
    expect(at(15 * MIN) - base).toBe(3);
    expect(at(HOUR) - base).toBe(11);
    expect(at(4 * HOUR) - base).toBe(19);
    expect(at(48 * HOUR) - base).toBe(20);
    expect(triagePriority(input({ waitingMs: 90 * MIN })).reasons).toContain(
      'waiting 1 h 30 min (+14)'
    );
    expect(triagePriority(input({ waitingMs: 20 * MIN })).reasons).toContain('waiting 20 min (+4)');
  });

  it('clamps to an integer in 0–100', () => {
    const max = triagePriority({
      text: 'Data breach, lawsuit, recall, explosion and injury: my lawyer will sue',
      sentiment: { score: -1, label: 'negative' },
      intent: 'complaint',
      influence: { score: 100, tier: 'celebrity' },
      waitingMs: 10 * HOUR
    });
    expect(max.score).toBe(100);
    const min = triagePriority({
      text: '',
      sentiment: { score: 1, label: 'positive' },
      intent: 'praise',
      influence: { score: 0, tier: 'everyday' },
      waitingMs: null
    });
    expect(min).toEqual({ score: 0, reasons: [] });
    const odd = triagePriority({
      text: 'x',
      sentiment: { score: NaN, label: 'neutral' },
      intent: 'other',
      influence: { score: 250, tier: 'celebrity' },
      waitingMs: Infinity
    });
    expect(Number.isInteger(odd.score)).toBe(true);
    expect(odd.score).toBe(3 + 20 + 20);
  });

  it.each<[string, string | null]>([
    ['there is a product recall on the X200', 'recall'],
    ['they RECALLED the whole batch', 'recalled'],
    ['recalls everywhere this week', 'recalls'],
    ['the site is down again', 'down'],
    ['#site_down since noon', 'down'],
    ['meet me downtown', null],
    ['download keeps failing', null],
    ['you really let me down', null],
    ['calm down, it is fine', null],
    ['hands down the best coffee', null],
    ['I will sue you', 'sue'],
    ['they are suing the airline', 'suing'],
    ['new suede shoes', null],
    ['reported a data   breach', 'data breach'],
    ['two data breaches this year', 'data breaches'],
    ['my account was hacked', 'hacked'],
    ['hackathon this weekend', null],
    ['outages all morning', 'outages'],
    ['class action lawsuit incoming', 'class action'],
    ['my charger caught fire', 'caught fire'],
    ['there is a fire at the warehouse', 'fire'],
    ['this new album is fire', null],
    ['firefox crashed', null],
    ['got food poisoning after eating there', 'food poisoning'],
    ['the battery is unsafe', 'unsafe'],
    ['the leakage is minor', null],
    ['@outage_watch says hi', null],
    ['see https://status.example.com/outage', null],
    ['a racist remark from staff', 'racist'],
    ['', null]
  ])('risk terms in %j: %s', (text, term) => {
    const reasons = riskReasons(text);
    if (term === null) expect(reasons).toEqual([]);
    else expect(reasons[0]).toBe(`risk term "${term}" (+25)`);
  });

  it('gives +25 for the first risk term and +5 for each further distinct one, up to 35', () => {
    expect(riskReasons('recall')).toEqual(['risk term "recall" (+25)']);
    expect(riskReasons('recall recall RECALLED')).toEqual(['risk term "recall" (+25)']);
    expect(riskReasons('recall and a lawsuit')).toEqual([
      'risk term "recall" (+25)',
      'risk term "lawsuit" (+5)'
    ]);
    expect(riskReasons('recall, lawsuit, outage, hacked, fraud')).toEqual([
      'risk term "recall" (+25)',
      'risk term "lawsuit" (+5)',
      'risk term "outage" (+5)'
    ]);
    const base = triagePriority(input()).score;
    expect(triagePriority(input({ text: 'recall, lawsuit, outage, hacked, fraud' })).score).toBe(
      base + 35
    );
  });

  it('lists only contributing factors, largest first, with their points', () => {
    const r = triagePriority({
      text: 'is the app down?',
      sentiment: { score: -0.2, label: 'negative' },
      intent: 'question',
      influence: { score: 57, tier: 'notable' },
      waitingMs: 30 * MIN
    });
    expect(r.reasons).toEqual([
      'risk term "down" (+25)',
      'question intent (+12)',
      // Ties keep the order negativity, intent, influence, waiting, risk.
      'negative sentiment (+6)',
      'notable author (+6)',
      'waiting 30 min (+6)'
    ]);
    expect(r.score).toBe(25 + 12 + 6 + 6 + 6);
    for (const reason of r.reasons) expect(reason).toMatch(/\(\+\d+\)$/);
  });

  it('exports its term lists', () => {
    expect(RISK_TERMS).toContain('data breach*');
    expect(RISK_TERMS).toContain('down');
    expect(RISK_STOP_PHRASES).toContain('let me down');
  });
});
