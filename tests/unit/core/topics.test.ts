import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compileTopics,
  DEFAULT_TOPICS,
  EmergingTerms,
  parseTopicRules,
  topicRulesSchema,
  type TopicRule
} from '../../../server/core/enrich/topics';
import { STOPWORDS } from '../../../server/core/enrich/stopwords';

const MIN = 60_000;
/** A fake clock: an epoch time aligned on a minute, so buckets start exactly at T0 + k minutes. */
const T0 = 28_333_334 * MIN;

const rules: TopicRule[] = [
  { name: 'Billing', keywords: ['bill', 'refund'], hashtags: ['#RefundNow'] },
  { name: 'Service', phrases: ['customer service'], hashtags: ['support'] },
  { name: 'Login', keywords: ["can't log in", 'login'] },
  { name: 'Unicode', keywords: ['café', 'über'] },
  { name: 'Outage', keywords: ['outage'], hashtags: ['down'] }
];
const topics = compileTopics(rules);

describe('compileTopics', () => {
  it.each<[string, string[]]>([
    // Keywords: whole words, any case, punctuation around them.
    ['My bill is wrong', ['Billing']],
    ['BILL!', ['Billing']],
    ['(bill)', ['Billing']],
    ['a billion dollars', []],
    ['billing', []],
    ['rebill', []],
    // A hashtag in the text also counts as its word...
    ['#bill please', ['Billing']],
    // ...but a configured hashtag only matches hashtags (with or without # in the config).
    ['where is my #RefundNow', ['Billing']],
    ['refundnow', []],
    ['#support me', ['Service']],
    ['support me', []],
    ['#downtime', []],
    ['site is #DOWN', ['Outage']],
    ['glued#down', []],
    // Phrases: words in order, any spacing or punctuation between them, not other words.
    ['Customer   service! was slow', ['Service']],
    ['customer-service', ['Service']],
    ['CUSTOMER\nservice', ['Service']],
    ['customer, service', ['Service']],
    ['customer-facing service', []],
    ['customer services', []],
    ['service customer', []],
    ['customer', []],
    // Apostrophes: curly and straight are the same; a missing one is another word.
    ['I can’t log in', ['Login']],
    ["I can't log in", ['Login']],
    ['I cant log in', []],
    ['Login failed', ['Login']],
    ["the refund's status", ['Billing']],
    // Unicode letters.
    ['Café closed', ['Unicode']],
    ['cafés', []],
    ['Über alles', ['Unicode']],
    // URLs and handles never match.
    ['see https://status.example.com/outage', []],
    ['www.outage.com', []],
    ['@outage hi', []],
    ['@help@outage.social hi', []],
    // Several topics come back in configuration order, each once.
    ['outage, bill, bill and refund', ['Billing', 'Outage']],
    ['customer service lost my refund during the outage', ['Billing', 'Service', 'Outage']],
    ['', []],
    ['🔥🔥 !!! ...', []]
  ])('%j → %j', (text, expected) => {
    expect(topics.match(text)).toEqual(expected);
  });

  it('gives the same answer on repeated and interleaved calls', () => {
    expect(topics.match('bill')).toEqual(['Billing']);
    expect(topics.match('outage')).toEqual(['Outage']);
    expect(topics.match('bill')).toEqual(['Billing']);
  });

  it('treats a multi-word keyword as a phrase and ignores terms without words', () => {
    const m = compileTopics([
      { name: 'A', keywords: ['wi-fi', '!!!', 'https://x.com'] },
      { name: 'B', phrases: ['refund'] }
    ]);
    expect(m.match('the wi fi is down')).toEqual(['A']);
    expect(m.match('https://x.com')).toEqual([]);
    expect(m.match('refund')).toEqual(['B']);
  });

  it('matches with many topics sharing words', () => {
    const many: TopicRule[] = Array.from({ length: 200 }, (_, i) => ({
      name: `t${i}`,
      keywords: [`kw${i}`, 'shared'],
      phrases: [`kw${i} extra`]
    }));
    const m = compileTopics(many);
    expect(m.match('kw7 and kw199')).toEqual(['t7', 't199']);
    expect(m.match('shared')).toHaveLength(200);
  });

  it.each<[string, string[]]>([
    ['My parcel never arrived', ['Delivery & shipping']],
    ['I was charged twice, where is my refund?', ['Billing & refunds']],
    ['The app isn’t working again', ['Outage / app & website']],
    ['On hold with customer service for an hour', ['Customer service']],
    ['Arrived broken, terrible quality', ['Product quality']],
    ['Way too expensive now', ['Pricing']],
    ['Locked out of my account', ['Account & login']],
    ['My scooter caught fire', ['Safety']],
    ['Lovely weather today', []]
  ])('DEFAULT_TOPICS: %j → %j', (text, expected) => {
    expect(compileTopics(DEFAULT_TOPICS).match(text)).toEqual(expected);
  });
});

describe('topicRulesSchema', () => {
  it('accepts DEFAULT_TOPICS', () => {
    expect(parseTopicRules(DEFAULT_TOPICS)).toEqual({ ok: true, rules: DEFAULT_TOPICS });
  });

  it('names the field when embedded under `topics`', () => {
    const r = z.strictObject({ topics: topicRulesSchema }).safeParse({
      topics: [
        { name: 'A', keywords: ['a'] },
        { name: 'B', keywords: ['b'] },
        { name: '  ', keywords: ['c'] }
      ]
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['topics.2.name']);
  });

  const ok = { keywords: ['a'] };
  it.each<[string, unknown, string[]]>([
    ['not an array', {}, ['topics: Invalid input: expected array, received object']],
    ['empty name', [{ name: '', ...ok }], ['topics.0.name: must not be empty']],
    [
      'long name',
      [{ name: 'x'.repeat(61), ...ok }],
      ['topics.0.name: must be at most 60 characters']
    ],
    [
      'third name blank',
      [
        { name: 'A', ...ok },
        { name: 'B', ...ok },
        { name: ' ', ...ok }
      ],
      ['topics.2.name: must not be empty']
    ],
    [
      'duplicate names',
      [
        { name: 'Billing', ...ok },
        { name: ' billing ', ...ok }
      ],
      ['topics.1.name: duplicate topic name "billing" (also topic 0)']
    ],
    [
      'no terms',
      [{ name: 'A' }],
      ['topics.0.keywords: needs at least one keyword, hashtag or phrase']
    ],
    [
      'empty lists',
      [{ name: 'A', keywords: [], hashtags: [], phrases: [] }],
      ['topics.0.keywords: needs at least one keyword, hashtag or phrase']
    ],
    [
      'empty keyword',
      [{ name: 'A', keywords: ['a', ' '] }],
      ['topics.0.keywords.1: must not be empty']
    ],
    [
      'long keyword',
      [{ name: 'A', keywords: ['k'.repeat(101)] }],
      ['topics.0.keywords.0: must be at most 100 characters']
    ],
    [
      'keyword without a word',
      [{ name: 'A', keywords: ['!!!'] }],
      ['topics.0.keywords.0: must contain a word (letters or digits)']
    ],
    [
      'phrase that is a URL',
      [{ name: 'A', phrases: ['https://example.com/x'] }],
      ['topics.0.phrases.0: must contain a word (letters or digits)']
    ],
    [
      'hashtag with a space',
      [{ name: 'A', hashtags: ['two words'] }],
      ['topics.0.hashtags.0: must be a hashtag such as #refund (letters, digits, _)']
    ],
    ['unknown key', [{ name: 'A', ...ok, words: ['x'] }], ['topics.0: Unrecognized key: "words"']],
    [
      'too many topics',
      Array.from({ length: 201 }, (_, i) => ({ name: `t${i}`, ...ok })),
      ['topics: at most 200 topics']
    ]
  ])('%s', (_label, input, errors) => {
    expect(parseTopicRules(input)).toEqual({ ok: false, errors });
  });

  it('accepts hashtags with or without #, and 200 topics', () => {
    expect(parseTopicRules([{ name: 'A', hashtags: ['#Refund', 'refund_now', 'café'] }]).ok).toBe(
      true
    );
    const max = Array.from({ length: 200 }, (_, i) => ({ name: `t${i}`, ...ok }));
    expect(parseTopicRules(max).ok).toBe(true);
  });
});

describe('STOPWORDS', () => {
  it('holds function words and social noise, lower-case', () => {
    expect(STOPWORDS.size).toBeGreaterThanOrEqual(200);
    for (const w of ['the', 'and', 'of', "don't", 'dont', 'rt', 'amp', 'via', 'https'])
      expect(STOPWORDS.has(w)).toBe(true);
    for (const w of STOPWORDS) expect(w).toBe(w.toLowerCase());
  });
});

/** Terms of `texts` added at T0, as a sorted list (minCount 1). */
function termsOf(...texts: string[]): string[] {
  const e = new EmergingTerms({ minCount: 1 });
  for (const t of texts) e.add(t, T0);
  return e
    .top(T0, 100)
    .map((t) => t.term)
    .sort();
}

describe('EmergingTerms tokenising', () => {
  it.each<[string, string[]]>([
    // A bigram with the same count as its words hides them.
    ['Battery FIRE!', ['battery fire']],
    ['battery-fire', ['battery fire']],
    ['battery  fire', ['battery fire']],
    // Sentence and clause punctuation, line breaks, emoji, URLs, handles and removed words break
    // bigrams.
    ['battery. fire', ['battery', 'fire']],
    ['battery, fire', ['battery', 'fire']],
    ['battery\nfire', ['battery', 'fire']],
    ['battery 🔥 fire', ['battery', 'fire']],
    ['battery https://t.co/abc fire', ['battery', 'fire']],
    ['battery @NorthwindHelp fire', ['battery', 'fire']],
    ['battery of fire', ['battery', 'fire']],
    ['battery 42 fire', ['battery', 'fire']],
    ['battery x fire', ['battery', 'fire']],
    ['battery #recall fire', ['#recall', 'battery', 'fire']],
    // Hashtags are kept with their #, never in bigrams.
    ['#BatteryFire trending', ['#batteryfire', 'trending']],
    // Stop-words, social noise, numbers and one-letter words are dropped.
    ['the and of to rt amp via', []],
    ["I don't think it's what we're doing", ['think']],
    ['x 42 2024 b', []],
    ['5g outage', ['5g outage']],
    // URLs and handles never become terms.
    ['https://example.com/refund www.example.org @Northwind @a@b.social', []],
    // Possessives, curly apostrophes, Unicode letters.
    ['Northwind’s app', ['northwind app']],
    ["won't refund", ['refund']],
    ['Über café', ['über café']],
    ['', []]
  ])('%j → %j', (text, expected) => {
    expect(termsOf(text)).toEqual(expected);
  });

  it('counts a term once per text', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('refund. refund! REFUND', T0);
    e.add('refund', T0);
    expect(e.top(T0)).toEqual([{ term: 'refund', count: 2, growth: 0 }]);
  });

  it('never counts excluded words, hashtags or bigrams', () => {
    const e = new EmergingTerms({
      minCount: 1,
      exclude: ['Northwind', '#NorthwindFail', 'battery life']
    });
    e.add('Northwind battery fire #NorthwindFail #northwind, battery life', T0);
    expect(
      e
        .top(T0, 100)
        .map((t) => t.term)
        .sort()
    ).toEqual(['battery fire', 'life']);
  });
});

describe('EmergingTerms over time', () => {
  const chatter = [
    'My order arrived late again',
    'Love the new app design',
    'Delivery driver was friendly and quick',
    'Checkout keeps asking for my postcode',
    'Still waiting on that parcel'
  ];

  it('shows a burst at the top with positive growth', () => {
    const e = new EmergingTerms();
    // 15 minutes of background chatter, one post every 10 s.
    for (let t = 0; t < 15 * MIN; t += 10_000) e.add(chatter[(t / 10_000) % 5] ?? '', T0 + t);
    // And, in the last minute, 40 posts about a battery fire.
    const burst = [
      'My scooter had a battery fire this morning!!',
      'Another battery fire? @NorthwindHelp https://t.co/abc',
      'battery fire at the depot #recall',
      'Is anyone else scared of a BATTERY FIRE now?'
    ];
    for (let i = 0; i < 40; i++) e.add(burst[i % 4] ?? '', T0 + 14 * MIN + i * 1000);
    const top = e.top(T0 + 15 * MIN - 1, 10);
    expect(top[0]).toEqual({ term: 'battery fire', count: 40, growth: 2.75 });
    const terms = top.map((t) => t.term);
    // The bigram hides its words, which have the same count.
    expect(terms).not.toContain('battery');
    expect(terms).not.toContain('fire');
    // Background terms are steady.
    const steady = top.find((t) => t.term === 'order arrived');
    expect(steady?.count).toBe(18);
    expect(Math.abs(steady?.growth ?? 9)).toBeLessThan(0.3);
  });

  it('gives each minute its texts and term counts, the input of the term detectors', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('Battery fire at the depot #recall', T0 + 5_000);
    e.add('another battery fire', T0 + 20_000);
    e.add('order arrived late', T0 + MIN + 1_000);
    const first = e.bucketCounts(T0 + 59_999)!;
    expect(first.texts).toBe(2);
    expect(first.counts.get('battery fire')).toBe(2);
    expect(first.counts.get('#recall')).toBe(1);
    expect(first.counts.get('depot')).toBe(1);
    expect(e.bucketCounts(T0 + MIN)!.texts).toBe(1);
    // A minute without texts, or one that left the window, has no bucket.
    expect(e.bucketCounts(T0 + 2 * MIN)).toBeNull();
    expect(e.bucketCounts(Number.NaN)).toBeNull();
    e.add('much later', T0 + 30 * MIN);
    expect(e.bucketCounts(T0)).toBeNull();
  });

  it('never reports stop-words, URLs or handles', () => {
    const e = new EmergingTerms({ minCount: 1 });
    const words = [...STOPWORDS];
    for (let i = 0; i < 500; i++) {
      const filler = words.slice(i % words.length, (i % words.length) + 8).join(' ');
      e.add(
        `${filler} refund ${filler} https://x.co/${i} @user${i} www.site${i}.com late`,
        T0 + i * 100
      );
    }
    const terms = e.top(T0 + 50_000, 1000).map((t) => t.term);
    expect(terms).toEqual(['late', 'refund']);
  });

  it('reports terms from minCount mentions', () => {
    const e = new EmergingTerms();
    e.add('refund please', T0);
    e.add('refund now', T0 + 1000);
    expect(e.top(T0 + 2000)).toEqual([]);
    e.add('a refund', T0 + 2000);
    expect(e.top(T0 + 3000)).toEqual([{ term: 'refund', count: 3, growth: 0 }]);
  });

  it('expires terms after the window', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('battery fire', T0);
    e.add('battery fire', T0 + 30_000);
    expect(e.top(T0 + 15 * MIN - 1)).toEqual([{ term: 'battery fire', count: 2, growth: -1 }]);
    expect(e.top(T0 + 15 * MIN)).toEqual([]);
    expect(e.size).toBe(0);
  });

  it('has growth 0 for a steady term, -1 for a gone-quiet one', () => {
    const e = new EmergingTerms({ minCount: 1 });
    for (let m = 0; m < 15; m++) e.add('steady term', T0 + m * MIN);
    for (let m = 0; m < 5; m++) e.add('old news', T0 + m * MIN);
    const top = e.top(T0 + 15 * MIN - 1);
    expect(top).toEqual([
      { term: 'steady term', count: 15, growth: 0 },
      { term: 'old news', count: 5, growth: -1 }
    ]);
  });

  it('claims no growth while the history is shorter than a quarter window', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('product launch', T0);
    e.add('product launch', T0 + 2 * MIN);
    expect(e.top(T0 + 3 * MIN)).toEqual([{ term: 'product launch', count: 2, growth: 0 }]);
  });

  it('accepts late texts within the window and drops older ones', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('refund', T0 + 10 * MIN);
    e.add('refund', T0 + 2 * MIN);
    e.add('refund', T0 + 2 * MIN + 5);
    e.add('refund', T0 - 10 * MIN);
    e.add('refund', Number.NaN);
    expect(e.top(T0 + 10 * MIN)[0]?.count).toBe(3);
    expect(e.top(T0 + 17 * MIN)[0]?.count).toBe(1);
  });

  it('ranks by count, then bigrams, then growth, then alphabetically, and limits to n', () => {
    const e = new EmergingTerms({ minCount: 1 });
    e.add('zebra', T0);
    e.add('apple', T0);
    e.add('late parcel', T0);
    e.add('refund refund', T0);
    e.add('refund', T0 + MIN);
    expect(e.top(T0 + MIN).map((t) => t.term)).toEqual([
      'refund',
      'late parcel',
      'refund refund',
      'apple',
      'zebra'
    ]);
    expect(e.top(T0 + MIN, 2)).toHaveLength(2);
    expect(e.top(T0 + MIN, 0)).toEqual([]);
  });

  it('keeps memory bounded: at most capacity × buckets counters', () => {
    const capacity = 200;
    const buckets = 15;
    const e = new EmergingTerms({ capacity, windowMs: 15 * MIN, bucketMs: MIN });
    let seed = 7;
    const word = (): string => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return `w${seed.toString(36)}`;
    };
    // 100k random unique words over 20 minutes, 10 per text; every 5th text is about a fire.
    let max = 0;
    for (let i = 0; i < 10_000; i++) {
      const words = Array.from({ length: 10 }, word);
      if (i % 5 === 0) words.push('. battery fire');
      e.add(words.join(' '), T0 + i * 120);
      max = Math.max(max, e.size);
    }
    expect(max).toBeLessThanOrEqual(capacity * buckets);
    expect(max).toBeGreaterThan(capacity);
    // A heavy hitter survives the noise (Misra–Gries keeps terms above 1/(capacity+1)).
    expect(e.top(T0 + 10_000 * 120, 1)[0]?.term).toBe('battery fire');
  });
});
