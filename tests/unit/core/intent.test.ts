import { describe, expect, it } from 'vitest';
import {
  classifyIntent,
  INTENT_CUES,
  INTENT_PRECEDENCE,
  PhraseMatcher,
  type Intent
} from '../../../server/core/enrich/intent';
import type { Sentiment } from '../../../src/lib/shared/types';

const NEG: Sentiment = { score: -0.6, label: 'negative' };
const ANGRY: Sentiment = { score: -0.8, label: 'negative' };
const POS: Sentiment = { score: 0.6, label: 'positive' };
const MILD_POS: Sentiment = { score: 0.35, label: 'positive' };
const NEUTRAL: Sentiment = { score: 0, label: 'neutral' };

describe('classifyIntent', () => {
  it.each<[string, Sentiment | undefined, Intent, string]>([
    // Complaints: explicit customer-care trouble.
    [
      '@acme still waiting for my replacement card, it has been 10 days',
      undefined,
      'complaint',
      '"still waiting"'
    ],
    ['Been on hold for 50 minutes. 50!', undefined, 'complaint', '"on hold"'],
    ['Emailed support twice and no response at all', NEG, 'complaint', '"no response"'],
    [
      'My flight got CANCELLED AGAIN. Third time this month',
      ANGRY,
      'complaint',
      '"cancelled again"'
    ],
    ['you charged twice for one subscription', undefined, 'complaint', '"charged twice"'],
    ['The app just doesn’t work since the update', NEG, 'complaint', `"doesn't work"`],
    ['Worst customer service I have ever dealt with', ANGRY, 'complaint', '"worst"'],
    ['screen arrived broken', NEG, 'complaint', '"broken"'],
    ['I want a refund for this junk', NEG, 'complaint', '"want a refund"'],
    ['Thanks for nothing, genuinely', undefined, 'complaint', '"thanks for nothing"'],
    // Precedence: a complaint phrased as a question is a complaint.
    ['@acme why is my order still not here?', NEUTRAL, 'complaint', '"still not"'],
    ["why hasn't my parcel moved since Monday?", NEUTRAL, 'complaint', `"why hasn't"`],
    // Sarcasm: the complaint cue weighs as much as the praise cue, so praise does not win.
    ['Love how my package is late again', MILD_POS, 'complaint', '"late again"'],
    // Negation turns praise into a (weak) complaint.
    ['not happy with how this was handled', NEG, 'complaint', 'negated "happy"'],
    ["I don't love the new layout", undefined, 'complaint', 'negated "love"'],
    // Sentiment-only complaints.
    [
      'The delivery was a shambles from start to finish',
      NEG,
      'complaint',
      'negative sentiment about "delivery"'
    ],
    ['😡😡😡', ANGRY, 'complaint', 'strongly negative sentiment (-0.80)'],
    // Questions.
    ['How do I reset my password', NEUTRAL, 'question', '"how do I"'],
    ['can I pay with paypal at checkout', NEUTRAL, 'question', 'starts with "can"'],
    ['Is there a student discount', undefined, 'question', 'starts with "is"'],
    ['does anyone know if the stores open on sunday', undefined, 'question', '"does anyone know"'],
    ['Opening hours on Sunday?', undefined, 'question', 'ends with "?"'],
    ['Opening hours on Sunday?? 🙏', undefined, 'question', 'ends with "?"'],
    ['@acme when does the Leeds store close', undefined, 'question', 'starts with "when"'],
    // A question beats praise: it needs an answer.
    ['Love the new app! Is there a dark mode?', POS, 'question', 'ends with "?"'],
    // Purchase intent, even when phrased as a question.
    ['Where can I buy the X200?', NEUTRAL, 'purchase', '"where can I buy"'],
    ['I want to buy the blue one for my sister', undefined, 'purchase', '"want to buy"'],
    [
      'thinking of getting the pro model this weekend',
      undefined,
      'purchase',
      '"thinking of getting"'
    ],
    ['shut up and take my money', undefined, 'purchase', '"take my money"'],
    ['Can I pre-order the new console yet?', undefined, 'purchase', '"pre-order"'],
    ['Preorder opens tomorrow, alarm set', undefined, 'purchase', '"pre-order"'],
    ['Is the 256GB version in stock?', NEUTRAL, 'purchase', '"in stock"'],
    ['what is the price of the family plan', undefined, 'purchase', '"price of"'],
    // Praise.
    ['Thank you for the quick help today', POS, 'praise', '"thank you"'],
    ['I love my new headphones', POS, 'praise', '"love"'],
    ['Great service at the Bristol branch', POS, 'praise', '"great service"'],
    ['not bad at all, pretty solid update', MILD_POS, 'praise', '"not bad"'],
    ['😍🔥', { score: 0.72, label: 'positive' }, 'praise', 'positive sentiment (0.72)'],
    // Praise outweighing a weak complaint cue under positive sentiment.
    ['Thank you so much for sorting out my refund so quickly!', POS, 'praise', '"thank you"'],
    // A negated complaint cue is dropped; what is left decides.
    ['never disappointed by this brand', MILD_POS, 'praise', 'positive sentiment (0.35)']
  ])('%s → %s', (text, sentiment, intent, cue) => {
    const r = classifyIntent(text, sentiment);
    expect(r.intent).toBe(intent);
    expect(r.reasons[0]?.startsWith(`${intent}: `)).toBe(true);
    expect(
      r.reasons.some((reason) => reason.startsWith(`${intent}: `) && reason.includes(cue))
    ).toBe(true);
  });

  it.each<[string, Sentiment | undefined]>([
    ['', undefined],
    ['', NEUTRAL],
    ['   \n\t ', undefined],
    ['🔥🔥🔥', undefined],
    ['👀', NEUTRAL],
    ['Watching the match tonight with my brother', NEUTRAL],
    // An auxiliary at the start without a subject or "?" is not a question.
    ['Do not open until Christmas', NEUTRAL],
    ['★★★☆☆ Does the job. Setup took an hour', NEUTRAL],
    // Negated trouble is not a complaint.
    ['no problem at all with the new firmware', NEUTRAL],
    // @handles and URLs are not words.
    ['@outage_alerts https://status.example.com/broken', undefined],
    ["Can't wait for the launch", undefined]
  ])('%j is other, with no cue', (text, sentiment) => {
    expect(classifyIntent(text, sentiment)).toEqual({ intent: 'other', reasons: [] });
  });

  it('lists overridden cues after the winner, prefixed with "also"', () => {
    expect(classifyIntent('@acme why is my order still not here?', NEUTRAL).reasons).toEqual([
      'complaint: "why is my"',
      'complaint: "still not"',
      'also question: ends with "?"'
    ]);
    expect(classifyIntent('Where can I buy the X200?').reasons).toEqual([
      'purchase: "where can I buy"',
      'also question: ends with "?"'
    ]);
    expect(classifyIntent('Thank you so much for sorting out my refund so quickly!', POS)).toEqual({
      intent: 'praise',
      reasons: ['praise: "thank you"', 'also complaint: "refund"']
    });
  });

  it('without positive sentiment, a complaint cue beats a praise cue', () => {
    const text = 'Thanks, but my card was charged twice';
    expect(classifyIntent(text).intent).toBe('complaint');
    expect(classifyIntent(text, POS).intent).toBe('complaint');
  });

  it('does not take praise cues at face value under negative sentiment', () => {
    expect(classifyIntent('great, just great', ANGRY).intent).toBe('complaint');
    expect(classifyIntent('great, just great', { score: -0.3, label: 'negative' }).intent).toBe(
      'other'
    );
    expect(classifyIntent('great, just great', POS).intent).toBe('praise');
  });

  it('keeps negation inside its clause and within two words', () => {
    expect(classifyIntent('not happy').intent).toBe('complaint');
    expect(classifyIntent('not very happy').intent).toBe('complaint');
    expect(classifyIntent('No. Happy with it').intent).toBe('praise');
    expect(classifyIntent('not that I mind, really happy').intent).toBe('praise');
  });

  it('is case-insensitive and treats curly apostrophes, missing ones and runs of spaces alike', () => {
    for (const text of ['STILL   WAITING', 'still\nwaiting', 'Still waiting']) {
      expect(classifyIntent(text).reasons).toEqual(['complaint: "still waiting"']);
    }
    for (const text of ["it doesn't work", 'it doesn’t work', 'it doesnt work']) {
      expect(classifyIntent(text).reasons).toEqual([`complaint: "doesn't work"`]);
    }
  });

  it('matches whole words only', () => {
    expect(classifyIntent('the brokenness of modern art').intent).toBe('other');
    expect(classifyIntent('a lovely afternoon').intent).toBe('other');
  });

  it('returns a fresh result each call', () => {
    const a = classifyIntent('still waiting');
    const b = classifyIntent('I love it', POS);
    expect(a).toEqual({ intent: 'complaint', reasons: ['complaint: "still waiting"'] });
    expect(b.intent).toBe('praise');
    expect(a.reasons).not.toBe(b.reasons);
  });

  it('handles a very long text and caps the reasons', () => {
    const text =
      'still waiting, on hold, no reply, broken, worst, awful, rude, useless, fed up. '.repeat(500);
    const r = classifyIntent(text, ANGRY);
    expect(r.intent).toBe('complaint');
    expect(r.reasons.length).toBeLessThanOrEqual(8);
    expect(new Set(r.reasons).size).toBe(r.reasons.length);
    expect(classifyIntent('how do I pay?').intent).toBe('question');
  });

  it('exports its cue lists and precedence for the docs', () => {
    for (const list of Object.values(INTENT_CUES)) expect(list.length).toBeGreaterThan(0);
    expect(INTENT_CUES.complaint).toContain('still waiting');
    expect(INTENT_CUES.purchase).toContain('where can I buy');
    expect(INTENT_PRECEDENCE.at(-1)).toBe('other');
  });
});

describe('PhraseMatcher', () => {
  const m = new PhraseMatcher([
    'recall*',
    'down',
    'let me down',
    'data breach',
    "don't",
    'pre-order'
  ]);
  function found(text: string): string[] {
    const n = m.scan(text);
    const out: string[] = [];
    for (let k = 0; k < n; k++) out.push(text.slice(m.hitStarts[k], m.hitEnds[k]));
    return out;
  }

  it.each<[string, string[]]>([
    ['Recall! recalled, recalls; recalling', ['Recall', 'recalled', 'recalls', 'recalling']],
    ['the site is down', ['down']],
    ['downtown and download', []],
    ['you let me down', ['let me down']],
    ['let me\n  down', ['let me\n  down']],
    ['a DATA BREACH', ['DATA BREACH']],
    ['data breaches', []],
    ["I don't, dont, don’t", ["don't", 'dont', 'don’t']],
    ['pre-order, pre order, preorder', ['pre-order', 'pre order', 'preorder']],
    ['@down_detector https://x.com/down', []],
    ['', []]
  ])('%j → %j', (text, hits) => {
    expect(found(text)).toEqual(hits);
  });

  it('reports word and clause indices and question marks', () => {
    const n = m.scan('is it down? or down. really down');
    expect(n).toBe(3);
    expect(m.hitWords.slice(0, n)).toEqual([2, 4, 6]);
    expect(m.hitClauses.slice(0, n)).toEqual([0, 1, 2]);
    expect(m.questionMarks).toBe(1);
    expect(m.wordCount).toBe(6 + 1);
  });

  it('rejects unsupported and duplicate phrases', () => {
    expect(() => new PhraseMatcher(['a.b'])).toThrow(/unsupported/);
    expect(() => new PhraseMatcher(['down', 'Down'])).toThrow(/duplicate/);
  });
});
