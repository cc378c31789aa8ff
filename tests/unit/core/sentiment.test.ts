import { describe, it, expect } from 'vitest';
import {
  explainSentiment,
  IMPERSONAL_POSITIVE_THRESHOLD,
  NEGATIVE_THRESHOLD,
  POSITIVE_THRESHOLD,
  scoreSentiment
} from '../../../server/core/enrich/sentiment';

function score(text: string): number {
  return scoreSentiment(text).score;
}

const POSITIVE = [
  'I love this!',
  'This is good',
  'Excellent product, highly recommended',
  'What a fantastic experience',
  'The staff were friendly and helpful',
  'Best purchase I have made this year',
  'Super fast delivery, really impressed',
  'not bad at all',
  'It never fails',
  'No issues at all',
  "Can't wait for the next release!",
  'Well done team',
  'hahahaha',
  '#love'
];

const NEGATIVE = [
  'I hate this',
  'This is terrible',
  'Worst customer service ever',
  'The app keeps crashing, so frustrating',
  'Completely useless and overpriced',
  'Rude staff and a dirty room',
  'What a waste of money',
  'I am not happy',
  'Never again.',
  'Thanks for nothing',
  'Is the app down? Can’t log in',
  '#fail'
];

const NEUTRAL = [
  'The meeting is at 3pm',
  'Update your app to version 2.3',
  'Just landed in Chicago, heading downtown',
  'Please DM us your order number',
  'Your order has shipped',
  'What time does the store open?',
  'Looks like rain today',
  'The package arrived today.',
  'Can you help me with my account',
  'Call me at 10:30',
  'Read https://example.com/awful-terrible-great',
  '@GreatDeals @lovely_user hi'
];

const NEGATION_PAIRS: [plain: string, negated: string][] = [
  ['This is good', 'This is not good'],
  ['I love it', "I don't love it"],
  ['I like it', "I don't like it"],
  ['I like it', 'I don’t like it'],
  ['I like it', 'I dont like it'],
  ['I am happy', 'I am not happy'],
  ['It works', 'It never works'],
  ['Issue resolved', 'Issue still not resolved'],
  ['I would recommend it', 'I would not recommend it']
];

const NEGATED_NEGATIVES: [plain: string, negated: string][] = [
  ['It is bad', "It isn't bad"],
  ['There was a problem', 'There was no problem'],
  ['It fails', 'It never fails']
];

const CUSTOMER_CARE_NEGATIVE = [
  'still waiting',
  'Still waiting for a reply from your team',
  'on hold for 40 minutes',
  'no response to my email',
  "Haven't heard back from anyone",
  'Flight cancelled again',
  'Site down again',
  'still not working',
  "it doesn't work",
  'I want a refund',
  'Still no refund',
  'Got charged twice for one order',
  'Delivery took forever',
  'They hung up on me',
  'Nobody has responded'
];

const CUSTOMER_CARE_POSITIVE = [
  'thank you',
  'thanks',
  'Thanks!',
  'Fixed, thank you',
  'Issue resolved',
  'My problem has been solved',
  'Support helped me right away'
];

const POSITIVE_EMOJI = ['😍', '❤️', '❤', '👍', '🙏', '😊', '🎉', '🥰', '😀'];
const NEGATIVE_EMOJI = ['😡', '😠', '😤', '💔', '👎', '😢', '😭', '🙁'];
const POSITIVE_EMOTICONS = [':)', ':-)', ':D', ':-D', '<3', ';)', '=)', ':)))', 'ok :P'];
const NEGATIVE_EMOTICONS = [':(', ':-(', ":'(", '</3', 'hmm :/', '=('];
const NOT_EMOTICONS = ['at 10:30', 'http://example.com', 'under <30 min', 're: your order'];

const ALL_TEXTS = [
  ...POSITIVE,
  ...NEGATIVE,
  ...NEUTRAL,
  ...NEGATION_PAIRS.flat(),
  ...NEGATED_NEGATIVES.flat(),
  ...CUSTOMER_CARE_NEGATIVE,
  ...CUSTOMER_CARE_POSITIVE,
  ...POSITIVE_EMOJI,
  ...NEGATIVE_EMOJI,
  ...POSITIVE_EMOTICONS,
  ...NEGATIVE_EMOTICONS,
  ...NOT_EMOTICONS,
  '',
  'GOOD!!!!',
  'The food was great but the service was terrible'
];

describe('scoreSentiment', () => {
  describe('labels', () => {
    it.each(POSITIVE)('positive: %s', (text) => {
      const result = scoreSentiment(text);
      expect(result.label).toBe('positive');
      expect(result.score).toBeGreaterThanOrEqual(POSITIVE_THRESHOLD);
    });

    it.each(NEGATIVE)('negative: %s', (text) => {
      const result = scoreSentiment(text);
      expect(result.label).toBe('negative');
      expect(result.score).toBeLessThanOrEqual(NEGATIVE_THRESHOLD);
    });

    it.each(NEUTRAL)('neutral: %s', (text) => {
      expect(scoreSentiment(text)).toEqual({ score: 0, label: 'neutral' });
    });
  });

  describe('negation', () => {
    it.each(NEGATION_PAIRS)('flips "%s" to negative in "%s"', (plain, negated) => {
      expect(score(plain)).toBeGreaterThan(POSITIVE_THRESHOLD);
      expect(score(negated)).toBeLessThan(NEGATIVE_THRESHOLD);
    });

    it.each(NEGATED_NEGATIVES)('flips "%s" to positive in "%s"', (plain, negated) => {
      expect(score(plain)).toBeLessThan(NEGATIVE_THRESHOLD);
      expect(score(negated)).toBeGreaterThan(POSITIVE_THRESHOLD);
    });

    it.each([
      ['not far from here and really good'],
      ['no idea why people say it is good'],
      ['Not sure. Good though']
    ])('does not reach past its scope: %s', (text) => {
      expect(scoreSentiment(text).label).toBe('positive');
    });
  });

  describe('intensifiers and dampeners', () => {
    it.each([
      ['very good', 'good'],
      ['so good', 'good'],
      ['extremely good', 'very good'],
      ['really really good', 'really good'],
      ['goooood', 'good']
    ])('"%s" is more positive than "%s"', (stronger, weaker) => {
      expect(score(stronger)).toBeGreaterThan(score(weaker));
    });

    it.each([
      ['very bad', 'bad'],
      ['extremely slow', 'slow'],
      ['sooo bad', 'bad']
    ])('"%s" is more negative than "%s"', (stronger, weaker) => {
      expect(score(stronger)).toBeLessThan(score(weaker));
    });

    it.each([
      ['slightly good', 'good'],
      ['kind of slow', 'slow'],
      ['somewhat disappointing', 'disappointing']
    ])('"%s" is weaker than "%s" but keeps its sign', (dampened, plain) => {
      expect(Math.abs(score(dampened))).toBeLessThan(Math.abs(score(plain)));
      expect(Math.sign(score(dampened))).toBe(Math.sign(score(plain)));
      expect(score(dampened)).not.toBe(0);
    });
  });

  describe('emphasis', () => {
    it.each([
      ['This is GREAT', 'This is great'],
      ['This is VERY good', 'This is very good'],
      ['Good!!!', 'Good!'],
      ['Good!', 'Good']
    ])('"%s" is more positive than "%s"', (emphatic, plain) => {
      expect(score(emphatic)).toBeGreaterThan(score(plain));
    });

    it.each([
      ['I HATE this', 'I hate this'],
      ['Bad!!!', 'Bad']
    ])('"%s" is more negative than "%s"', (emphatic, plain) => {
      expect(score(emphatic)).toBeLessThan(score(plain));
    });

    it('treats an all-caps text as style, not emphasis', () => {
      expect(score('I HATE THIS')).toBe(score('i hate this'));
    });

    it('caps the exclamation boost at four marks', () => {
      expect(score('Good!!!!!!!!')).toBe(score('Good!!!!'));
      expect(score('Good!!!!')).toBeGreaterThan(score('Good!!!'));
    });

    it('adds no sentiment from punctuation alone', () => {
      expect(score('Hello!!!')).toBe(0);
    });
  });

  describe('emoji and emoticons', () => {
    it.each(POSITIVE_EMOJI)('positive emoji %s', (text) => {
      expect(scoreSentiment(text).label).toBe('positive');
    });

    it.each(NEGATIVE_EMOJI)('negative emoji %s', (text) => {
      expect(scoreSentiment(text).label).toBe('negative');
    });

    it.each(POSITIVE_EMOTICONS)('positive emoticon %s', (text) => {
      expect(scoreSentiment(text).label).toBe('positive');
    });

    it.each(NEGATIVE_EMOTICONS)('negative emoticon %s', (text) => {
      expect(scoreSentiment(text).label).toBe('negative');
    });

    it.each(NOT_EMOTICONS)('does not read an emoticon into %s', (text) => {
      expect(score(text)).toBe(0);
    });

    it.each([
      // Escaped text as Twitter's API and many feeds send it: a character reference is the
      // character it stands for, never a word of its own ("gt" is in the lexicon).
      ['Price went from 10 &gt; 12', 0, []],
      ['&gt;&gt;&gt; thread below', 0, []],
      ['Tom &amp; Jerry on tonight', 0, []],
      ['see you at 5 &lt;3', 1, ['<3']],
      ['&quot;Good morning&quot; they said', 1, ['Good']]
    ] as const)('reads character references as characters: %s', (text, sign, tokens) => {
      const e = explainSentiment(text);
      expect(Math.sign(e.score)).toBe(sign);
      expect(e.contributions.map((c) => c.text)).toEqual(tokens);
    });

    it.each([
      // A camel-case hashtag is read as its words, so negation and phrases work inside it.
      ['Back online today #SoHappy', 'positive', ['Happy']],
      ['Third delay this week #NotHappy', 'negative', ['delay', 'Happy']],
      ['The update bricked my phone #TotalFail', 'negative', ['Fail']],
      ['Loving it #love', 'positive', ['Loving', 'love']],
      // Only a hashtag splits; a word in camel case elsewhere is one word (a product name).
      ['Ordered the NotHappy edition', 'neutral', []]
    ] as const)('reads a camel-case hashtag as words: %s', (text, label, tokens) => {
      const e = explainSentiment(text);
      expect(e.label).toBe(label);
      expect(e.contributions.map((c) => c.text)).toEqual(tokens);
    });

    it.each([
      // ":l" is a flat mouth; "l" alone is not a word to rate (VADER's lexicon rates it +2).
      ['Lost my pen :l', 'negative', ['Lost', ':l']],
      ['Plan B: take the L train', 'neutral', []],
      // "no" on its own (an answer, a clause of its own) refuses; before a word it only negates.
      ['No and no.', 'negative', ['No', 'no']],
      ['Did my parcel arrive? No.', 'negative', ['No']],
      ['no problem at all', 'positive', ['problem']],
      ['no idea why people say it is good', 'positive', ['good']]
    ] as const)('flat mouths, single letters and "no": %s', (text, label, tokens) => {
      const e = explainSentiment(text);
      expect(e.label).toBe(label);
      expect(e.contributions.map((c) => c.text)).toEqual(tokens);
    });

    it('lets an emoji tip a neutral text', () => {
      expect(scoreSentiment('My flight is at 6 😡').label).toBe('negative');
      expect(scoreSentiment('My flight is at 6 🎉').label).toBe('positive');
    });
  });

  describe('contrast', () => {
    it.each([
      ['The food was great but the service was terrible', 'negative'],
      ['The service was terrible but the food was great', 'positive'],
      ['Nice design, however the battery is awful', 'negative'],
      ['Although the staff were friendly, the food was terrible', 'negative'],
      ['The food was terrible, although the staff were friendly', 'negative'],
      ['Despite the delay, the crew were amazing', 'positive']
    ])('%s -> %s', (text, label) => {
      expect(scoreSentiment(text).label).toBe(label);
    });

    it('weighs the clause after "but" more than the same words without it', () => {
      expect(score('good but slow')).toBeLessThan(score('good and slow'));
      expect(score('slow but good')).toBeGreaterThan(score('slow and good'));
    });
  });

  describe('customer care', () => {
    it.each(CUSTOMER_CARE_NEGATIVE)('negative: %s', (text) => {
      expect(scoreSentiment(text).label).toBe('negative');
    });

    it.each(CUSTOMER_CARE_POSITIVE)('positive: %s', (text) => {
      expect(scoreSentiment(text).label).toBe('positive');
    });

    it('makes a recurring failure worse than a single one', () => {
      expect(score('flight cancelled again')).toBeLessThan(score('flight cancelled'));
      expect(score('app crashed again')).toBeLessThan(score('app crashed'));
    });

    it('reads "like" as a preposition or request only after a cue word', () => {
      expect(score('looks like it')).toBe(0);
      expect(score('I would like a call back')).toBe(0);
      expect(score('I really like it')).toBeGreaterThan(POSITIVE_THRESHOLD);
    });
  });

  describe('robustness', () => {
    const megabyte = 'Great phone but the wait was terrible 😡 :) still waiting! '.repeat(18_000);

    it.each([
      ['empty', ''],
      ['spaces', '   '],
      ['whitespace', '\n\t \r\n'],
      ['punctuation', '!!!???...;;;:::,,,'],
      ['lone surrogates', '\uD83D abc \uDE00 \uD83D'],
      ['symbols', '<<<>>> ^^^ @@@ ### === ---'],
      ['non-latin', 'Отличный сервис 很好 素晴らしい']
    ])('%s is neutral', (_name, text) => {
      expect(scoreSentiment(text)).toEqual({ score: 0, label: 'neutral' });
    });

    it.each([
      ['1 MB mixed text', megabyte],
      ['1 MB of one word', 'a'.repeat(1 << 20)],
      ['1 MB of exclamation marks', '!'.repeat(1 << 20)],
      ['1 MB of angry emoji', '😡'.repeat(1 << 19)],
      ['1 MB of positive words', 'love '.repeat(210_000)]
    ])('%s stays within [-1, 1]', (_name, text) => {
      expect(text.length).toBeGreaterThanOrEqual(1_000_000);
      const result = scoreSentiment(text);
      expect(Number.isFinite(result.score)).toBe(true);
      expect(result.score).toBeGreaterThanOrEqual(-1);
      expect(result.score).toBeLessThanOrEqual(1);
    });

    it('saturates towards the ends of the range', () => {
      expect(score('love '.repeat(1000))).toBeGreaterThan(0.99);
      expect(score('😡'.repeat(1000))).toBeLessThan(-0.99);
    });

    it('gives the same answer after scoring a huge text', () => {
      const before = scoreSentiment('Thanks, fixed it :)');
      scoreSentiment(megabyte);
      expect(scoreSentiment('Thanks, fixed it :)')).toEqual(before);
    });
  });

  describe('score and label agree', () => {
    it.each(ALL_TEXTS)('%s', (text) => {
      const { score: value, label, rules } = explainSentiment(text);
      expect(value).toBeGreaterThanOrEqual(-1);
      expect(value).toBeLessThanOrEqual(1);
      const impersonal = rules.some((r) => r.startsWith('impersonal'));
      const expected =
        value >= (impersonal ? IMPERSONAL_POSITIVE_THRESHOLD : POSITIVE_THRESHOLD)
          ? 'positive'
          : value <= NEGATIVE_THRESHOLD
            ? 'negative'
            : 'neutral';
      expect(label).toBe(expected);
      expect(scoreSentiment(text)).toEqual({ score: value, label });
    });
  });

  describe('an impersonal text needs more positive evidence', () => {
    it.each([
      // A report: no I or you, no "!", no emoji. Mild positive words describe the news.
      ['The update is ready to download', 'neutral', true],
      ['Apple holds a fair hearing on Tuesday', 'neutral', true],
      ['It works', 'neutral', true],
      // The same evidence from someone speaking for themself or to someone, or with emphasis.
      ['I am ready to download the update', 'positive', false],
      ['Our store opens a fair on Tuesday', 'positive', false],
      ['The update is ready to download!', 'positive', false],
      ['The update is ready to download :)', 'positive', false],
      // Negating a rated word is a judgement, not a report.
      ['It never fails', 'positive', false],
      // Strong evidence is positive whoever writes it.
      ['Excellent service and a wonderful team', 'positive', false]
    ] as const)('%s → %s', (text, label, impersonal) => {
      const e = explainSentiment(text);
      expect(e.label).toBe(label);
      expect(e.rules.some((r) => r.startsWith('impersonal'))).toBe(impersonal);
      if (impersonal) {
        expect(e.score).toBeGreaterThanOrEqual(POSITIVE_THRESHOLD);
        expect(e.score).toBeLessThan(IMPERSONAL_POSITIVE_THRESHOLD);
      }
    });
  });

  describe('resolution words close the problem before them', () => {
    it.each([
      ['My problem has been solved', 'positive'],
      ['the issue is fixed now, thanks', 'positive'],
      ['the problem is back and nothing was fixed', 'negative'],
      ['still broken, not fixed', 'negative']
    ] as const)('%s → %s', (text, label) => {
      expect(scoreSentiment(text).label).toBe(label);
    });
  });

  describe('lexicon coverage beyond the hand-written words', () => {
    // Words only the VADER lexicon knows.
    it.each([
      ['what a dreadfully dismal day', 'negative'],
      ['such a cheerful, jolly crowd', 'positive']
    ] as const)('%s → %s', (text, label) => {
      expect(scoreSentiment(text).label).toBe(label);
    });

    it.each([
      ["I can't believe how terrible this is", 'negative'],
      ["I can't believe how good this is", 'positive']
    ] as const)('"can\'t believe" is amazement, not negation: %s', (text, label) => {
      expect(scoreSentiment(text).label).toBe(label);
    });

    it('politeness is not sentiment', () => {
      expect(scoreSentiment('Please DM us your order number').label).toBe('neutral');
    });
  });
});

describe('explainSentiment', () => {
  it('gives the same score as scoreSentiment', () => {
    for (const text of ALL_TEXTS) {
      const e = explainSentiment(text);
      expect({ score: e.score, label: e.label }).toEqual(scoreSentiment(text));
    }
  });

  it.each([
    ['NOT happy, still waiting!!', 'happy', ['negated']],
    ['This is SO GOOD and so fast', 'GOOD', ['intensity ×1.45', 'CAPS']],
    ['sooo goood', 'goood', ['intensity ×1.3', 'elongated']],
    ['great food but the service was awful', 'awful', ['after a contrast (stressed)']],
    ['my order is still waiting', 'still waiting', []]
  ] as const)('%s: "%s" with %j', (text, token, rules) => {
    const e = explainSentiment(text);
    const c = e.contributions.find((x) => x.text === token);
    expect(c, JSON.stringify(e.contributions)).toBeDefined();
    expect(c!.rules).toEqual(rules);
  });

  it('names whole-text rules', () => {
    expect(explainSentiment('awful!!!').rules).toContain('3 exclamation mark(s) add emphasis');
    expect(explainSentiment('nice food, but slow').rules).toContain(
      'contrast: what came before is halved'
    );
  });

  it('shows a cancelled problem word with zero weight', () => {
    const e = explainSentiment('My problem has been solved');
    expect(e.contributions.find((c) => c.text === 'problem')).toMatchObject({
      valence: 0,
      rules: ['resolved later in the clause']
    });
  });

  it('explains emoji and emoticons by their text', () => {
    const e = explainSentiment('thanks 😍 :)');
    expect(e.contributions.map((c) => c.text)).toEqual(['thanks', '😍', ':)']);
  });
});
