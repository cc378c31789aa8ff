import { z } from 'zod';
import { STOPWORDS } from './stopwords';

/*
 * Topics for short social-media texts, in two parts:
 *
 * 1. A configured taxonomy (`compileTopics`): each topic lists keywords, hashtags and phrases;
 *    a text is tokenised once and every token costs one hash-table probe.
 * 2. Emerging terms (`EmergingTerms`): the words, bigrams and hashtags that are frequent in a
 *    sliding window right now, counted with bounded memory whatever the input.
 *
 * Both share one hand-written tokenizer (see `scan`). Pure: no I/O, no clock; time comes in as
 * `now` (epoch ms).
 */

// ---------------------------------------------------------------------------------------------
// Tokenizer

/** Token flag: a hashtag; the stored word has no `#`. */
const TAG = 1;
/** Token flag: digits only. */
const NUM = 2;
/**
 * Token flag: something other than spaces, tabs or hyphens separates the token from the previous
 * one (sentence or clause punctuation, a line break, an emoji, a dropped URL or handle).
 */
const BREAK = 4;

/** Token flag: contains a curly apostrophe, straightened in its text. */
const CURLY = 8;

/**
 * Reusable token buffers. Tokens are positions in the lower-cased text plus a hash, so the
 * matcher can look tokens up without creating a string per token; `tokenText` makes one on demand.
 */
interface Scratch {
  /** The lower-cased text of the last scan. */
  s: string;
  start: Int32Array;
  end: Int32Array;
  /** `hashOf` the token's normalised text. */
  hash: Int32Array;
  flags: Uint8Array;
}

const newScratch = (): Scratch => ({
  s: '',
  start: new Int32Array(64),
  end: new Int32Array(64),
  hash: new Int32Array(64),
  flags: new Uint8Array(64)
});

/** Grows the buffers to hold `n` tokens. */
function reserve(sc: Scratch, n: number): void {
  if (sc.start.length >= n) return;
  const size = Math.max(n, sc.start.length * 2);
  sc.start = new Int32Array(size);
  sc.end = new Int32Array(size);
  sc.hash = new Int32Array(size);
  sc.flags = new Uint8Array(size);
}

/** Steps a token hash by one UTF-16 unit (31-bit, a Smi-sized Map key once masked). */
const step = (h: number, c: number): number => (Math.imul(h, 31) + c) | 0;
const HASH_MASK = 0x3fffffff;

/** The hash `scan` gives a token whose normalised text is `word`. */
function hashOf(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = step(h, word.charCodeAt(i));
  return h & HASH_MASK;
}

/** True when token `i` of the last scan reads `word` (curly apostrophes compare as straight). */
function tokenIs(sc: Scratch, i: number, word: string): boolean {
  const start = sc.start[i] ?? 0;
  if ((sc.end[i] ?? 0) - start !== word.length) return false;
  const s = sc.s;
  for (let k = 0; k < word.length; k++) {
    let c = s.charCodeAt(start + k);
    if (c === 0x2019) c = 39;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** The normalised text of token `i` of the last scan (without the `#` of a hashtag). */
function tokenText(sc: Scratch, i: number): string {
  const t = sc.s.slice(sc.start[i], sc.end[i]);
  return (sc.flags[i] ?? 0) & CURLY ? t.replace(/\u2019/g, "'") : t;
}

const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]$/u;
/** Word-character memo for the BMP: 0 not yet known, 1 word character, 2 other. */
const BMP_CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) {
  const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  BMP_CLASS[c] = word ? 1 : 2;
}

/** 1 for ASCII word characters (a–z, A–Z, 0–9, _), else 0: the scanner's fast path. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = BMP_CLASS[c] === 1 ? 1 : 0;

/** Width in UTF-16 units of the word character at `i` (letter, mark, digit, `_`), or 0. */
function wordWidth(s: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdbff) {
    let k = BMP_CLASS[c] ?? 2;
    if (k === 0) {
      k = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
      BMP_CLASS[c] = k;
    }
    return k === 1 ? 1 : 0;
  }
  const cp = s.codePointAt(i) ?? 0;
  // Emoji and pictographs, the usual astral characters in posts, are never letters.
  if (cp >= 0x1f000 && cp < 0x1fc00) return 0;
  return WORD_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/** Separators that keep two words adjacent (for bigrams): space, tab, no-break space, hyphen. */
const isSoftGap = (c: number): boolean => c === 32 || c === 9 || c === 0xa0 || c === 45;

const isApostrophe = (c: number): boolean => c === 39 || c === 0x2019;

/** Index of the next whitespace at or after `i` (or the end). */
function skipToSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0) break;
    i++;
  }
  return i;
}

/**
 * Tokenises `text` into `sc` and returns the token count. One left-to-right pass over the
 * lower-cased text that allocates nothing but the lower-cased copy:
 * - words are runs of letters, marks, digits and `_`; an apostrophe (straight or curly) inside a
 *   word is kept and straightened ("don’t" → "don't"), a trailing possessive "'s" is cut;
 * - `#tag` (the `#` not glued to a preceding word) is a hashtag token;
 * - URLs (`http://`, `https://`, `www.`) up to the next whitespace and `@handles` (including
 *   Mastodon's `@user@instance`) are dropped and break adjacency;
 * - every other character is a separator; all but spaces, tabs and hyphens also break adjacency.
 */
function scan(text: string, sc: Scratch): number {
  const s = text.toLowerCase();
  const n = s.length;
  sc.s = s;
  // A token takes at least one character and one separator.
  reserve(sc, (n >> 1) + 1);
  const { start, end, hash, flags } = sc;
  let count = 0;
  let brk = false;
  let afterWord = false;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      afterWord = false;
      i++;
      continue;
    }
    let w = c < 128 ? (ASCII_WORD[c] ?? 0) : wordWidth(s, i, c);
    const tag = c === 35 && !afterWord && i + 1 < n && wordWidth(s, i + 1, s.charCodeAt(i + 1)) > 0;
    if (w > 0 || tag) {
      if (
        (c === 104 &&
          s.charCodeAt(i + 3) === 112 &&
          (s.startsWith('http://', i) || s.startsWith('https://', i))) ||
        (c === 119 && s.charCodeAt(i + 3) === 46 && s.startsWith('www.', i))
      ) {
        i = skipToSpace(s, i);
        brk = true;
        afterWord = false;
        continue;
      }
      if (tag) i++;
      const from = i;
      let h = 0;
      let digits = true;
      let curly = false;
      // Hash and position before the last inner apostrophe, to cut a possessive "'s".
      let hApos = 0;
      let apos = -1;
      while (i < n) {
        const d = s.charCodeAt(i);
        if (d >= 97 && d <= 122) {
          digits = false;
          h = (Math.imul(h, 31) + d) | 0;
          i++;
          continue;
        }
        if ((d >= 48 && d <= 57) || d === 95) {
          if (d === 95) digits = false;
          h = (Math.imul(h, 31) + d) | 0;
          i++;
          continue;
        }
        w = d < 128 ? 0 : wordWidth(s, i, d);
        if (w > 0) {
          digits = false;
          h = step(h, d);
          if (w === 2) h = step(h, s.charCodeAt(i + 1));
          i += w;
        } else if (
          !tag &&
          isApostrophe(d) &&
          i + 1 < n &&
          wordWidth(s, i + 1, s.charCodeAt(i + 1)) > 0
        ) {
          if (d !== 39) curly = true;
          hApos = h;
          apos = i;
          h = step(h, 39);
          i++;
        } else break;
      }
      let to = i;
      if (apos === to - 2 && s.charCodeAt(to - 1) === 115) {
        to = apos;
        h = hApos;
      }
      start[count] = from;
      end[count] = to;
      hash[count] = h & HASH_MASK;
      flags[count++] =
        (tag ? TAG : 0) | (digits ? NUM : 0) | (brk ? BREAK : 0) | (curly ? CURLY : 0);
      brk = false;
      afterWord = true;
      continue;
    }
    if (c === 64 && !afterWord && i + 1 < n && wordWidth(s, i + 1, s.charCodeAt(i + 1)) > 0) {
      // Handle: @user, @user.name, @user@instance.social.
      i++;
      while (i < n) {
        const d = s.charCodeAt(i);
        w = wordWidth(s, i, d);
        if (w > 0) i += w;
        else if (d === 46 || d === 45 || d === 64) i++;
        else break;
      }
      brk = true;
      afterWord = false;
      continue;
    }
    if (!isSoftGap(c)) brk = true;
    afterWord = false;
    i++;
  }
  return count;
}

const validationScratch = newScratch();

/** True when a configured term contains at least one token (a word, not only a URL or a handle). */
const hasWords = (term: string): boolean => scan(term, validationScratch) > 0;

// ---------------------------------------------------------------------------------------------
// Configured taxonomy

/** One topic of the taxonomy. Every term is matched case-insensitively on whole words. */
export interface TopicRule {
  /** Shown on the wall; unique within the taxonomy. */
  name: string;
  /** Whole words: "bill" matches "Bill!" and "#bill", not "billion". Several words = a phrase. */
  keywords?: string[];
  /** Hashtags, with or without `#`: "refund" matches "#Refund" only, not the plain word. */
  hashtags?: string[];
  /** Words in order, any punctuation or spacing between them: "customer service" matches
   * "Customer   service!" and "customer-service", not "customer-facing service". */
  phrases?: string[];
}

/** A compiled taxonomy. */
export interface TopicMatcher {
  /** Names of the topics `text` mentions, in configuration order, each at most once. */
  match(text: string): string[];
}

const term = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty', abort: true })
  .max(100, { message: 'must be at most 100 characters', abort: true })
  .refine(hasWords, 'must contain a word (letters or digits)');
const hashtagTerm = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty', abort: true })
  .max(100, { message: 'must be at most 100 characters', abort: true })
  .regex(/^#?[\p{L}\p{N}\p{M}_]+$/u, 'must be a hashtag such as #refund (letters, digits, _)');

const topicRuleSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
    keywords: z.array(term).max(1000, 'at most 1000 keywords').optional(),
    hashtags: z.array(hashtagTerm).max(1000, 'at most 1000 hashtags').optional(),
    phrases: z.array(term).max(1000, 'at most 1000 phrases').optional()
  })
  .refine(
    (r) => (r.keywords?.length ?? 0) + (r.hashtags?.length ?? 0) + (r.phrases?.length ?? 0) > 0,
    {
      message: 'needs at least one keyword, hashtag or phrase',
      path: ['keywords']
    }
  );

/**
 * The taxonomy configuration: at most 200 topics with unique names (case-insensitive), each
 * with at least one term. Issue paths are relative to the array (`2.name`); embedded under
 * `topics` in a config file they read `topics.2.name`.
 */
export const topicRulesSchema = z
  .array(topicRuleSchema)
  .max(200, 'at most 200 topics')
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((r, i) => {
      const key = r.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          message: `duplicate topic name "${r.name}" (also topic ${first})`,
          path: [i, 'name']
        });
    });
  });

/**
 * Validates a `topics` configuration: the rules, or one line per problem naming its path
 * (`topics.2.name: must not be empty`).
 */
export function parseTopicRules(
  input: unknown
): { ok: true; rules: TopicRule[] } | { ok: false; errors: string[] } {
  const r = topicRulesSchema.safeParse(input);
  if (r.success) return { ok: true, rules: r.data };
  return {
    ok: false,
    errors: r.error.issues.map(
      (i) => `${['topics', ...i.path.map(String)].join('.')}: ${i.message}`
    )
  };
}

/** Customer-care taxonomy used when none is configured. */
export const DEFAULT_TOPICS: TopicRule[] = [
  {
    name: 'Delivery & shipping',
    keywords: [
      'delivery',
      'deliveries',
      'deliver',
      'delivered',
      'undelivered',
      'shipping',
      'shipment',
      'shipped',
      'courier',
      'parcel',
      'parcels',
      'package',
      'dispatch',
      'dispatched',
      'tracking'
    ],
    hashtags: ['delivery', 'shipping'],
    phrases: [
      'never arrived',
      'not arrived',
      'still waiting for my order',
      'where is my order',
      'out for delivery',
      'wrong address',
      'lost package'
    ]
  },
  {
    name: 'Billing & refunds',
    keywords: [
      'bill',
      'billing',
      'billed',
      'invoice',
      'invoices',
      'charge',
      'charged',
      'charges',
      'overcharged',
      'refund',
      'refunds',
      'refunded',
      'payment',
      'payments',
      'chargeback',
      'receipt'
    ],
    hashtags: ['refund', 'billing'],
    phrases: ['double charged', 'charged twice', 'money back', 'credit card', 'direct debit']
  },
  {
    name: 'Outage / app & website',
    keywords: [
      'outage',
      'outages',
      'downtime',
      'crash',
      'crashed',
      'crashes',
      'crashing',
      'glitch',
      'bug',
      'bugs',
      'error',
      'app',
      'website',
      'site'
    ],
    hashtags: ['outage', 'down'],
    phrases: [
      'not working',
      "isn't working",
      "won't load",
      "doesn't load",
      'is down',
      'went down',
      'server error'
    ]
  },
  {
    name: 'Customer service',
    keywords: [
      'support',
      'agent',
      'agents',
      'representative',
      'helpline',
      'hotline',
      'chatbot',
      'staff',
      'complaint',
      'complaints',
      'escalate'
    ],
    hashtags: ['customerservice', 'customersupport'],
    phrases: [
      'customer service',
      'customer support',
      'customer care',
      'on hold',
      'call centre',
      'call center',
      'live chat',
      'no response',
      'no reply'
    ]
  },
  {
    name: 'Product quality',
    keywords: [
      'quality',
      'broken',
      'defective',
      'faulty',
      'damaged',
      'flimsy',
      'malfunction',
      'malfunctioning',
      'leaking',
      'cracked'
    ],
    phrases: ['stopped working', 'fell apart', 'poor quality', 'build quality']
  },
  {
    name: 'Pricing',
    keywords: [
      'price',
      'prices',
      'pricing',
      'priced',
      'expensive',
      'overpriced',
      'cheap',
      'cheaper',
      'cost',
      'costs',
      'fee',
      'fees',
      'subscription',
      'discount',
      'coupon',
      'promo'
    ],
    phrases: ['price increase', 'price hike', 'rip off']
  },
  {
    name: 'Account & login',
    keywords: [
      'login',
      'logon',
      'account',
      'accounts',
      'password',
      'username',
      '2fa',
      'otp',
      'hacked',
      'locked'
    ],
    phrases: [
      'log in',
      'sign in',
      'signed out',
      'locked out',
      'reset password',
      'password reset',
      'verification code'
    ]
  },
  {
    name: 'Safety',
    keywords: [
      'safety',
      'unsafe',
      'dangerous',
      'danger',
      'hazard',
      'hazardous',
      'fire',
      'smoke',
      'burn',
      'burned',
      'burnt',
      'exploded',
      'explosion',
      'injury',
      'injured',
      'recall',
      'recalled',
      'toxic'
    ],
    phrases: ['caught fire', 'choking hazard', 'electric shock']
  }
];

/** A multi-word term: the words after its first one, with their hashes. */
interface Phrase {
  rest: string[];
  restHash: number[];
  topic: number;
}

/** What one token can trigger. */
interface Entry {
  word: string;
  /** Another word with the same hash. */
  next: Entry | null;
  /** Topics with this word as a keyword (also triggered by the hashtag of the word). */
  words: number[] | null;
  /** Topics with this hashtag. */
  tags: number[] | null;
  /** Phrases starting with this word. */
  phrases: Phrase[] | null;
}

/**
 * Compiles a taxonomy into a one-pass matcher (pure; compile once, call per text).
 *
 * Every term is tokenised with the same tokenizer as texts, so keyword and phrase are the same
 * thing: a term of one token is looked up directly, a longer one by its first token and then
 * compared with the following tokens. A text is tokenised once into positions and hashes (no
 * string per token); each token costs one probe of an open-addressing table keyed by that hash,
 * confirmed by comparing characters only on a hit, so the cost grows with the text, not with the
 * taxonomy. A hashtag in a text also
 * counts as its word ("#refund" hits the keyword "refund"); a configured hashtag hits hashtags
 * only. URLs and @handles never match. Terms that contain no word are ignored.
 */
export function compileTopics(rules: readonly TopicRule[]): TopicMatcher {
  const names = rules.map((r) => r.name);
  const index = new Map<number, Entry>();
  const entry = (word: string): Entry => {
    const h = hashOf(word);
    let e: Entry | null = index.get(h) ?? null;
    while (e && e.word !== word) e = e.next;
    if (!e) {
      e = { word, next: index.get(h) ?? null, words: null, tags: null, phrases: null };
      index.set(h, e);
    }
    return e;
  };
  const addUnique = (list: number[] | null, topic: number): number[] => {
    if (!list) return [topic];
    if (!list.includes(topic)) list.push(topic);
    return list;
  };
  const sc = newScratch();
  rules.forEach((rule, topic) => {
    for (const t of [...(rule.keywords ?? []), ...(rule.phrases ?? [])]) {
      const n = scan(t, sc);
      if (n === 0) continue;
      const words = Array.from({ length: n }, (_, i) => tokenText(sc, i));
      const e = entry(words[0] ?? '');
      if (n === 1) e.words = addUnique(e.words, topic);
      else {
        const rest = words.slice(1);
        (e.phrases ??= []).push({ rest, restHash: rest.map(hashOf), topic });
      }
    }
    for (const h of rule.hashtags ?? []) {
      const tag = h.trim().replace(/^#/, '').toLowerCase();
      if (!tag) continue;
      const e = entry(tag);
      e.tags = addUnique(e.tags, topic);
    }
  });

  // Open addressing over the token hashes (Fibonacci hashing, linear probing, load ≤ 1/4):
  // cheaper than Map.get for the many tokens that are in no topic.
  let bits = 4;
  while (1 << bits < index.size * 4) bits++;
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  const slotHash = new Int32Array(1 << bits);
  const slotEntry: Array<Entry | null> = new Array<Entry | null>(1 << bits).fill(null);
  for (const [h, e] of index) {
    let k = Math.imul(h, 0x9e3779b1) >>> shift;
    while (slotEntry[k]) k = (k + 1) & mask;
    slotHash[k] = h;
    slotEntry[k] = e;
  }

  // Topic hits of the current call are marked with the call's generation: no clearing needed.
  const seen = new Uint32Array(rules.length);
  let gen = 0;
  const hits: number[] = [];
  const hit = (t: number): void => {
    if (seen[t] === gen) return;
    seen[t] = gen;
    hits.push(t);
  };

  return {
    match(text: string): string[] {
      const n = scan(text, sc);
      if (++gen === 0xffffffff) {
        seen.fill(0);
        gen = 1;
      }
      hits.length = 0;
      const { hash, flags } = sc;
      for (let i = 0; i < n; i++) {
        const h = hash[i] ?? 0;
        let k = Math.imul(h, 0x9e3779b1) >>> shift;
        let e: Entry | null = null;
        for (;;) {
          const se = slotEntry[k];
          if (!se) break;
          if (slotHash[k] === h) {
            e = se;
            break;
          }
          k = (k + 1) & mask;
        }
        while (e && !tokenIs(sc, i, e.word)) e = e.next;
        if (!e) continue;
        if (e.words) for (const t of e.words) hit(t);
        if (e.tags && (flags[i] ?? 0) & TAG) for (const t of e.tags) hit(t);
        if (e.phrases) {
          for (const p of e.phrases) {
            const len = p.rest.length;
            if (seen[p.topic] === gen || i + len >= n) continue;
            let j = 0;
            while (
              j < len &&
              hash[i + 1 + j] === p.restHash[j] &&
              tokenIs(sc, i + 1 + j, p.rest[j] ?? '')
            )
              j++;
            if (j === len) hit(p.topic);
          }
        }
      }
      // Configuration order; hits are few, so insertion sort.
      const m = hits.length;
      const out = new Array<string>(m);
      for (let a = 1; a < m; a++) {
        const v = hits[a] ?? 0;
        let b = a - 1;
        while (b >= 0 && (hits[b] ?? 0) > v) {
          hits[b + 1] = hits[b] ?? 0;
          b--;
        }
        hits[b + 1] = v;
      }
      for (let a = 0; a < m; a++) out[a] = names[hits[a] ?? 0] ?? '';
      return out;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Emerging terms

/** Options of `EmergingTerms`. */
export interface EmergingTermsOptions {
  /** Sliding window, ms (default 15 min). */
  windowMs?: number;
  /** Bucket width, ms (default 60 s); the window holds ceil(windowMs / bucketMs) buckets. */
  bucketMs?: number;
  /** Counters per bucket (default 2000): memory is at most capacity × buckets counters. */
  capacity?: number;
  /** Terms mentioned by fewer texts in the window are not reported (default 3). */
  minCount?: number;
  /**
   * Never counted, such as the brand's name: words ("northwind" or "#northwind" both drop the
   * word and its hashtag) and bigrams ("northwind air"). Case-insensitive.
   */
  exclude?: Iterable<string>;
}

/** One emerging term. */
export interface EmergingTerm {
  /** A word, a bigram ("battery fire") or a hashtag ("#recall"). */
  term: string;
  /** Texts in the window that mention it (a lower bound, see `EmergingTerms`). */
  count: number;
  /**
   * How much more the term was mentioned in the most recent quarter of the window than if its
   * mentions were spread evenly: `(recent / count) / share − 1`, where `recent` counts the last
   * R = max(1, round(B / 4)) buckets of the B in the window (the current, partial one included)
   * and `share` = min(R, H) / H with H = min(B, buckets since the first `add`), the recent part
   * of the history actually held. 0 = steady, > 0 rising (mentioned only in the recent quarter
   * of a full 15-bucket window: 15/4 − 1 = 2.75), −1 = gone quiet. 0 while H ≤ R, when there is
   * no older history to compare with. Rounded to 2 decimals.
   */
  growth: number;
}

/** A set of words tested against scanned tokens without creating their strings. */
class WordIndex {
  private readonly byHash = new Map<number, string[]>();

  constructor(words: Iterable<string>) {
    for (const w of words) {
      const h = hashOf(w);
      const list = this.byHash.get(h);
      if (!list) this.byHash.set(h, [w]);
      else if (!list.includes(w)) list.push(w);
    }
  }

  /** True when token `i` of the last scan of `sc` is one of the words. */
  has(sc: Scratch, i: number): boolean {
    const list = this.byHash.get(sc.hash[i] ?? 0);
    if (!list) return false;
    for (const w of list) if (tokenIs(sc, i, w)) return true;
    return false;
  }
}

const STOP_INDEX = new WordIndex(STOPWORDS);

interface Bucket {
  /** floor(time / bucketMs). */
  idx: number;
  counts: Map<string, number>;
  /** Texts added to the bucket. */
  texts: number;
}

/**
 * A unigram is hidden when a reported bigram containing it has at least this share of the
 * unigram's count: most of its mentions are that bigram, which says more.
 */
const BIGRAM_PREFERENCE = 0.75;

/**
 * Heavy hitters over a sliding window: which words, bigrams and hashtags are frequent now.
 *
 * Terms: the tokenizer's words and hashtags ("#tag"), minus stop-words, excluded terms, pure
 * numbers and one-character words; plus bigrams "w1 w2" of two kept words adjacent in the text,
 * separated only by spaces or hyphens (a removed word, URL, handle, hashtag, sentence or clause
 * punctuation, line break or emoji between them breaks the pair). Each text counts a term once.
 *
 * Counting: time is cut into buckets of `bucketMs`; each bucket keeps a Misra–Gries summary of at
 * most `capacity` counters: a new term when the bucket is full decrements every counter (and
 * drops those reaching 0) instead of being stored. That costs O(1) amortised per term and keeps
 * every term mentioned in more than 1/(capacity+1) of the bucket's terms, with counts
 * underestimated by at most (bucket's terms)/(capacity+1). Buckets older than the window are
 * dropped as time advances: a text of time `t` counts while floor(now / bucketMs) <
 * floor(t / bucketMs) + B, i.e. for (windowMs − bucketMs, windowMs] after `t`. So memory never
 * exceeds capacity × B counters. Late texts still inside the window go to their own bucket;
 * older ones are ignored.
 *
 * `top` merges the buckets of the window (O(capacity × buckets), meant for a once-a-second
 * refresh), keeps terms with at least `minCount` mentions, hides a unigram when a bigram
 * containing it has at least 75% of its count ("battery fire" rather than "battery" and "fire"),
 * and ranks by count, then bigrams first, then growth, then alphabetically.
 */
export class EmergingTerms {
  private readonly bucketMs: number;
  private readonly capacity: number;
  private readonly minCount: number;
  /** Buckets in the window. */
  private readonly spanBuckets: number;
  /** Buckets in the window's most recent quarter. */
  private readonly recentBuckets: number;
  /** Excluded words and hashtags (by word). */
  private readonly excluded: WordIndex;
  /** Excluded bigrams. */
  private readonly excludedBigrams: Set<string>;
  /** Live buckets, oldest first. */
  private buckets: Bucket[] = [];
  /** Index of the first bucket ever seen, to know how much history the window holds. */
  private firstIdx = Infinity;
  private readonly scratch = newScratch();
  private readonly textTerms = new Set<string>();

  constructor(opts: EmergingTermsOptions = {}) {
    const positive = (v: number | undefined, d: number): number =>
      v !== undefined && Number.isFinite(v) && v > 0 ? v : d;
    const windowMs = positive(opts.windowMs, 15 * 60_000);
    this.bucketMs = positive(opts.bucketMs, 60_000);
    this.capacity = Math.max(1, Math.floor(positive(opts.capacity, 2000)));
    this.minCount = Math.max(1, opts.minCount ?? 3);
    this.spanBuckets = Math.max(1, Math.ceil(windowMs / this.bucketMs));
    this.recentBuckets = Math.max(1, Math.round(this.spanBuckets / 4));
    const exclude = [...(opts.exclude ?? [])]
      .map((t) => t.trim().toLowerCase().replace(/^#/, '').replace(/\s+/g, ' '))
      .filter(Boolean);
    this.excluded = new WordIndex(exclude.filter((t) => !t.includes(' ')));
    this.excludedBigrams = new Set(exclude.filter((t) => t.includes(' ')));
  }

  /** Counters held by all live buckets (at most capacity × buckets). */
  get size(): number {
    let s = 0;
    for (const b of this.buckets) s += b.counts.size;
    return s;
  }

  /** Counts the terms of `text` at time `now`; texts older than the window are ignored. */
  add(text: string, now: number): void {
    const bucket = this.bucketAt(now);
    if (!bucket) return;
    bucket.texts++;
    const counts = bucket.counts;
    const sc = this.scratch;
    const n = scan(text, sc);
    const { start, end, flags } = sc;
    const terms = this.textTerms;
    terms.clear();
    let prev: string | null = null;
    for (let i = 0; i < n; i++) {
      const f = flags[i] ?? 0;
      if (f & BREAK) prev = null;
      if (
        f & NUM ||
        (end[i] ?? 0) - (start[i] ?? 0) < 2 ||
        STOP_INDEX.has(sc, i) ||
        this.excluded.has(sc, i)
      ) {
        prev = null;
        continue;
      }
      const w = tokenText(sc, i);
      if (f & TAG) {
        terms.add('#' + w);
        prev = null;
        continue;
      }
      terms.add(w);
      if (prev !== null) {
        const bigram = prev + ' ' + w;
        if (!this.excludedBigrams.has(bigram)) terms.add(bigram);
      }
      prev = w;
    }
    for (const t of terms) this.bump(counts, t);
  }

  /** The `n` most mentioned terms of the window ending at `now`. */
  top(now: number, n = 10): EmergingTerm[] {
    if (!Number.isFinite(now) || n <= 0) return [];
    const cur = Math.floor(now / this.bucketMs);
    this.expire(cur);
    const total = new Map<string, number>();
    const recent = new Map<string, number>();
    for (const b of this.buckets) {
      if (b.idx > cur) continue;
      const isRecent = b.idx > cur - this.recentBuckets;
      for (const [t, c] of b.counts) {
        total.set(t, (total.get(t) ?? 0) + c);
        if (isRecent) recent.set(t, (recent.get(t) ?? 0) + c);
      }
    }

    // The strongest reported bigram of each word.
    const bestBigram = new Map<string, number>();
    for (const [t, c] of total) {
      const sp = t.indexOf(' ');
      if (sp < 0 || c < this.minCount) continue;
      for (const w of [t.slice(0, sp), t.slice(sp + 1)])
        if ((bestBigram.get(w) ?? 0) < c) bestBigram.set(w, c);
    }

    const span = Math.min(this.spanBuckets, cur - this.firstIdx + 1);
    const share = span > 0 ? Math.min(this.recentBuckets, span) / span : 1;
    const out: Array<EmergingTerm & { bigram: boolean }> = [];
    for (const [term, count] of total) {
      if (count < this.minCount) continue;
      const bigram = term.includes(' ');
      if (!bigram && (bestBigram.get(term) ?? 0) >= BIGRAM_PREFERENCE * count) continue;
      const growth = share >= 1 ? 0 : (recent.get(term) ?? 0) / count / share - 1;
      out.push({ term, count, growth: Math.round(growth * 100) / 100, bigram });
    }
    out.sort(
      (a, b) =>
        b.count - a.count ||
        Number(b.bigram) - Number(a.bigram) ||
        b.growth - a.growth ||
        (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)
    );
    return out.slice(0, n).map(({ term, count, growth }) => ({ term, count, growth }));
  }

  /**
   * The bucket holding time `t` as it stands: texts added to it and the texts mentioning each
   * term (as `add` counts them, before `top`'s filters); null when it left the window or never
   * had a text. The per-minute input of the term detectors.
   */
  bucketCounts(t: number): { texts: number; counts: ReadonlyMap<string, number> } | null {
    if (!Number.isFinite(t)) return null;
    const idx = Math.floor(t / this.bucketMs);
    for (let k = this.buckets.length - 1; k >= 0; k--) {
      const b = this.buckets[k]!;
      if (b.idx === idx) return { texts: b.texts, counts: b.counts };
      if (b.idx < idx) break;
    }
    return null;
  }

  /** Misra–Gries update of one bucket. */
  private bump(counts: Map<string, number>, term: string): void {
    const c = counts.get(term);
    if (c !== undefined) counts.set(term, c + 1);
    else if (counts.size < this.capacity) counts.set(term, 1);
    else
      for (const [t, v] of counts) {
        if (v <= 1) counts.delete(t);
        else counts.set(t, v - 1);
      }
  }

  /** Drops buckets that left the window ending in bucket `cur`. */
  private expire(cur: number): void {
    let k = 0;
    while (k < this.buckets.length && (this.buckets[k]?.idx ?? 0) <= cur - this.spanBuckets) k++;
    if (k > 0) this.buckets.splice(0, k);
  }

  /** The bucket holding `now`, created if needed; null when too old. */
  private bucketAt(now: number): Bucket | null {
    if (!Number.isFinite(now)) return null;
    const idx = Math.floor(now / this.bucketMs);
    this.expire(idx);
    const buckets = this.buckets;
    const last = buckets[buckets.length - 1];
    if (last && last.idx === idx) return last;
    if (!last || last.idx < idx) {
      const b: Bucket = { idx, counts: new Map(), texts: 0 };
      buckets.push(b);
      if (idx < this.firstIdx) this.firstIdx = idx;
      return b;
    }
    // Out of order: an older bucket still in the window.
    if (idx <= last.idx - this.spanBuckets) return null;
    let k = buckets.length - 1;
    while (k >= 0 && (buckets[k]?.idx ?? 0) > idx) k--;
    const at = buckets[k];
    if (at && at.idx === idx) return at;
    const b: Bucket = { idx, counts: new Map(), texts: 0 };
    buckets.splice(k + 1, 0, b);
    if (idx < this.firstIdx) this.firstIdx = idx;
    return b;
  }
}
