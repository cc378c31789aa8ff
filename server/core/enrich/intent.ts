import type { Intent as SharedIntent, Sentiment } from '../../../src/lib/shared/types';

/*
 * Rule-based, explainable intent of a customer mention.
 *
 * One pass over the text with a compiled phrase trie (PhraseMatcher, below) finds every cue
 * phrase; the cues are then weighed and a fixed precedence decides (INTENT_PRECEDENCE). Every
 * decision is explained by the cues that fired, e.g. `complaint: "still waiting"`.
 */

/** What a mention wants: 'complaint' | 'question' | 'praise' | 'purchase' | 'other'. */
export type Intent = SharedIntent;

/** The decided intent and the cues behind it: the winning intent's cues first, then others. */
export interface IntentResult {
  intent: Intent;
  reasons: string[];
}

// ---------------------------------------------------------------------------------------------
// Phrase matcher (shared with priority.ts)
// ---------------------------------------------------------------------------------------------

// Trie alphabet: a-z, 0-9, space, apostrophe, hyphen.
const SLOTS = 39;
const SLOT_SPACE = 36;
const SLOT_APOS = 37;
const SLOT_HYPHEN = 38;

// Character classes (bit flags) and trie slots for every UTF-16 code unit, so that the scanner
// classifies a character with one table read (2 × 64 KiB, built once).
const F_WORD = 1;
const F_LETTER = 2;
const F_SPACE = 4;
const F_APOS = 8;
const F_BREAK = 16;
const F_QUESTION = 32;
const F_AT = 64;
const CLASS = new Uint8Array(0x10000);
const SLOT = new Int8Array(0x10000).fill(-1);
for (let c = 0; c < 0x10000; c++) {
  const folded = c | 32;
  if ((folded >= 97 && folded <= 122) || (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7)) {
    CLASS[c] = F_WORD | F_LETTER;
  }
  if (folded >= 97 && folded <= 122) SLOT[c] = folded - 97;
}
for (let c = 48; c <= 57; c++) {
  CLASS[c] = F_WORD;
  SLOT[c] = c - 22;
}
for (const c of [32, 9, 10, 13, 160]) {
  CLASS[c] = F_SPACE;
  SLOT[c] = SLOT_SPACE;
}
for (const c of [39, 0x2018, 0x2019]) {
  CLASS[c] = F_APOS;
  SLOT[c] = SLOT_APOS;
}
for (const c of [45, 0x2010, 0x2011]) SLOT[c] = SLOT_HYPHEN;
// Clause breaks: . ! , ; : newline … (a newline is also a space inside a phrase).
for (const c of [46, 33, 44, 59, 58, 10, 0x2026]) CLASS[c] = (CLASS[c] ?? 0) | F_BREAK;
CLASS[63] = F_BREAK | F_QUESTION;
CLASS[64] = F_AT;

/** Class of the character at `i`, 0 past the end (typed arrays are never read out of bounds:
 * that would deoptimise the scanner). */
function classAt(text: string, i: number, len: number): number {
  return i < len ? (CLASS[text.charCodeAt(i)] ?? 0) : 0;
}

function isSpace(c: number): boolean {
  return ((CLASS[c] ?? 0) & F_SPACE) !== 0;
}

/** True when a word continues at `j` ("recall|ed", "don|'t"). */
function continuesWord(text: string, j: number, len: number): boolean {
  const k = classAt(text, j, len);
  return (k & F_WORD) !== 0 || ((k & F_APOS) !== 0 && (classAt(text, j + 1, len) & F_LETTER) !== 0);
}

/** Index just past the word that starts or continues at `j`. */
function wordEnd(text: string, j: number, len: number): number {
  while (j < len) {
    const k = classAt(text, j, len);
    if ((k & F_WORD) !== 0) j++;
    else if ((k & F_APOS) !== 0 && (classAt(text, j + 1, len) & F_LETTER) !== 0) j += 2;
    else break;
  }
  return j;
}

function buildSlot(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return c - 22;
  if (c === 32) return SLOT_SPACE;
  if (c === 39) return SLOT_APOS;
  if (c === 45) return SLOT_HYPHEN;
  return -1;
}

/** Spellings of one normalised phrase: with and without apostrophes, hyphens as space or none. */
function spellings(phrase: string): string[] {
  let out = [phrase];
  if (phrase.includes("'")) out.push(phrase.replace(/'/g, ''));
  if (phrase.includes('-')) {
    out = out.flatMap((p) => [p, p.replace(/-/g, ' '), p.replace(/-/g, '')]);
  }
  return [...new Set(out)];
}

/**
 * Whole-word, case-insensitive phrase matcher compiled into a character trie (a double array).
 *
 * Phrases are words separated by single spaces (a-z, 0-9, apostrophes, hyphens); a trailing `*`
 * makes the last word a stem ("recall*" matches "recall", "recalled", "recalls"). A phrase with
 * an apostrophe also matches without it ("don't" → "dont", and "don’t" with a curly one); a
 * hyphenated phrase also matches with a space or nothing ("pre-order", "pre order", "preorder").
 * Any run of whitespace in the text matches one space.
 *
 * `scan` walks the text once: at every word start it follows the trie as far as the text allows
 * and takes the longest phrase that ends on a word boundary (leftmost-longest, non-overlapping),
 * so a longer phrase can shadow a shorter one ("let me down" hides "down"). @handles and URLs
 * are skipped. Hits land in reusable arrays (no allocation per call) that stay valid until the
 * next `scan` of the same matcher.
 */
export class PhraseMatcher {
  /** Phrase id (index into the constructor's list) of each hit of the last scan. */
  readonly hitIds: number[] = [];
  /** Start and end (exclusive) offsets of each hit in the text. */
  readonly hitStarts: number[] = [];
  readonly hitEnds: number[] = [];
  /** Index of the word a hit starts at (a matched phrase counts as one word). */
  readonly hitWords: number[] = [];
  /** Index of the clause a hit is in; `.`, `!`, `?`, `,`, `;`, `:` and newlines end clauses. */
  readonly hitClauses: number[] = [];
  /** Number of hits, words and question marks of the last scan. */
  hitCount = 0;
  wordCount = 0;
  questionMarks = 0;

  // The trie as a double array: the child of state `s` by slot `c` is `t = base[s] + c` when
  // `check[t] === s`. One addition and two reads per character, in a few tens of KiB.
  private readonly base: Int32Array;
  private readonly check: Int32Array;
  /** Phrase id ending exactly at a state, or -1; `stem`: phrase id of a `*` stem ending there. */
  private readonly exact: Int32Array;
  private readonly stem: Int32Array;

  constructor(phrases: readonly string[]) {
    // Built as a dense table (state × slot), then packed into the double array.
    const next: number[] = new Array<number>(SLOTS).fill(-1);
    const exact: number[] = [-1];
    const stem: number[] = [-1];
    phrases.forEach((raw, id) => {
      const normal = raw.toLowerCase().trim().replace(/\s+/g, ' ');
      const isStem = normal.endsWith('*');
      const base = isStem ? normal.slice(0, -1) : normal;
      if (!/^[a-z0-9](?:[a-z0-9' -]*[a-z0-9'])?$/.test(base)) {
        throw new Error(`PhraseMatcher: unsupported phrase "${raw}"`);
      }
      spellings(base).forEach((spelling, variant) => {
        let state = 0;
        for (let i = 0; i < spelling.length; i++) {
          const at = state * SLOTS + buildSlot(spelling.charCodeAt(i));
          let child = next[at] ?? -1;
          if (child < 0) {
            child = exact.length;
            exact.push(-1);
            stem.push(-1);
            for (let s = 0; s < SLOTS; s++) next.push(-1);
            next[at] = child;
          }
          state = child;
        }
        const ends = isStem ? stem : exact;
        const taken = ends[state] ?? -1;
        if (taken < 0) ends[state] = id;
        else if (variant === 0 && taken !== id) {
          throw new Error(`PhraseMatcher: duplicate phrase "${raw}"`);
        }
      });
    });

    // First-fit packing, breadth first: a state's children go to the lowest base at which all
    // their cells are free. Cell 0 is the root.
    const states = exact.length;
    const cellOf = new Int32Array(states).fill(-1);
    cellOf[0] = 0;
    const base: number[] = [0];
    const check: number[] = [-2];
    let firstFree = 1;
    const queue = [0];
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q] ?? 0;
      const slots: number[] = [];
      for (let slot = 0; slot < SLOTS; slot++) {
        if ((next[state * SLOTS + slot] ?? -1) >= 0) slots.push(slot);
      }
      if (slots.length === 0) continue;
      const lowest = slots[0] ?? 0;
      while ((check[firstFree] ?? -1) !== -1) firstFree++;
      let b = Math.max(1, firstFree - lowest);
      while (!slots.every((slot) => (check[b + slot] ?? -1) === -1)) b++;
      const cell = cellOf[state] ?? 0;
      base[cell] = b;
      for (const slot of slots) {
        const child = next[state * SLOTS + slot] ?? 0;
        while (check.length <= b + slot) {
          check.push(-1);
          base.push(0);
        }
        check[b + slot] = cell;
        cellOf[child] = b + slot;
        queue.push(child);
      }
    }
    const cells = check.length;
    this.base = Int32Array.from(base);
    this.check = Int32Array.from(check);
    this.exact = new Int32Array(cells).fill(-1);
    this.stem = new Int32Array(cells).fill(-1);
    for (let state = 0; state < states; state++) {
      const cell = cellOf[state] ?? 0;
      this.exact[cell] = exact[state] ?? -1;
      this.stem[cell] = stem[state] ?? -1;
    }
  }

  /** Finds all phrases in `text`; returns the hit count. */
  scan(text: string): number {
    const len = text.length;
    let hits = 0;
    let words = 0;
    let clause = 0;
    let questionMarks = 0;
    let i = 0;
    while (i < len) {
      const k = classAt(text, i, len);
      if ((k & F_WORD) !== 0) {
        const end = this.longestAt(text, i, len);
        if (end > 0) {
          this.hitIds[hits] = this.matchId;
          this.hitStarts[hits] = i;
          this.hitEnds[hits] = end;
          this.hitWords[hits] = words;
          this.hitClauses[hits] = clause;
          hits++;
          words++;
          i = end;
          continue;
        }
        words++;
        i = wordEnd(text, i + 1, len);
        // A URL ("https://…") is skipped whole: its path segments are not words.
        if (i + 1 < len && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 47) {
          while (i < len && !isSpace(text.charCodeAt(i))) i++;
        }
        continue;
      }
      if (k === F_AT) {
        // @handles name accounts ("@outage_alerts"), not cues.
        i++;
        while (i < len && ((classAt(text, i, len) & F_WORD) !== 0 || text.charCodeAt(i) === 95)) {
          i++;
        }
        continue;
      }
      if ((k & F_BREAK) !== 0) {
        clause++;
        if (k & F_QUESTION) questionMarks++;
      }
      i++;
    }
    this.hitCount = hits;
    this.wordCount = words;
    this.questionMarks = questionMarks;
    if (hits > 4096) {
      // Give back a huge text's hit buffers.
      this.hitIds.length = 0;
      this.hitStarts.length = 0;
      this.hitEnds.length = 0;
      this.hitWords.length = 0;
      this.hitClauses.length = 0;
    }
    return hits;
  }

  /** Phrase id of the last successful longestAt. */
  private matchId = -1;

  /** End of the longest phrase starting at word start `i`, or -1; sets matchId. */
  private longestAt(text: string, i: number, len: number): number {
    let state = 0;
    let bestEnd = -1;
    let j = i;
    while (j < len) {
      const slot = SLOT[text.charCodeAt(j)] ?? -1;
      if (slot < 0) break;
      const t = (this.base[state] ?? 0) + slot;
      if (t >= this.check.length || this.check[t] !== state) break;
      state = t;
      j++;
      if (slot === SLOT_SPACE) {
        while (j < len && isSpace(text.charCodeAt(j))) j++;
        continue;
      }
      const exactId = this.exact[state] ?? -1;
      if (exactId >= 0 && !continuesWord(text, j, len)) {
        this.matchId = exactId;
        bestEnd = j;
      }
      const stemId = this.stem[state] ?? -1;
      if (stemId >= 0) {
        this.matchId = stemId;
        bestEnd = wordEnd(text, j, len);
      }
    }
    return bestEnd;
  }
}

// ---------------------------------------------------------------------------------------------
// Intent cues
// ---------------------------------------------------------------------------------------------

function list(phrases: string): readonly string[] {
  return phrases
    .split(',')
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter((p) => p !== '');
}

/**
 * Cue phrases by role, matched as whole words, case-insensitively (see PhraseMatcher for the
 * spelling rules). Strong complaint cues weigh 2, weak ones 1; strong praise 2, weak praise 1.
 */
export const INTENT_CUES = {
  /** Unambiguous customer-care trouble. */
  complaint: list(`
    still waiting, still not, still no, still haven't, still hasn't, still isn't, still can't,
    still broken, still down, still nothing, been waiting, waiting for hours, waiting for days,
    waiting for weeks, hours on the phone, on hold, no response, no reply, no answer,
    no one answers, nobody answers, no one is answering, no one replied, haven't heard back,
    never heard back, not heard back, no update, no updates, ignored, ignoring, cancelled again,
    canceled again, delayed again, late again, down again, broken again, charged twice,
    double charged, overcharged, doesn't work, does not work, don't work, didn't work,
    not working, isn't working, aren't working, stopped working, won't work, won't load,
    won't open, won't turn on, can't log in, can't login, cannot log in, can't access,
    cannot access, can't connect, keeps crashing, keeps freezing, keeps failing, crashed,
    crashing, broken, broke, worst, terrible, horrible, awful, unacceptable, ridiculous,
    disgusting, disgraceful, pathetic, useless, unusable, appalling, scam, scammed, ripped off,
    rip-off, never arrived, hasn't arrived, has not arrived, didn't arrive, not arrived,
    never received, not received, haven't received, hasn't shipped, never showed up, wrong item,
    wrong order, missing item, missing items, damaged, defective, faulty, lost my, lost package,
    fed up, sick of, tired of, disappointed, disappointing, frustrated, frustrating, angry,
    furious, livid, hate, thanks for nothing, waste of time, waste of money, never again,
    never buying, never buy, not buying, won't buy, won't be buying, not going to buy, not worth,
    complaint, complain, want a refund, want my money back, money back, where is my refund,
    demand a refund, hung up on me, no help, not helpful, unhelpful, rude, fix this,
    sort this out, do better, let me down, let down, is down, app down, app is down, site down,
    site is down, website down, website is down, service is down, outage, what a joke, nightmare,
    do not buy, don't buy, stay away, bricked, smashed, locked out, hasn't moved, not moved
  `),
  /** Trouble words that are often, not always, a complaint. */
  complaintWeak: list(`
    refund, refunds, delayed, delay, delays, late delivery, arrived late, out of stock, sold out,
    issue, issues, problem, problems, error, errors, bug, bugs, glitch, expensive, overpriced,
    slow, please fix, why is my, why does my, why did my, why hasn't, why haven't, why isn't,
    why doesn't, why won't, why can't, why do you keep, is it just me, anyone else having, ugh,
    smh, wtf, stuck, overheating, scratched
  `),
  /** Questions anywhere in the text. */
  question: list(`
    does anyone know, anyone know, does anybody know, anybody know, how do I, how can I, how to,
    how long, how does, is there a way, is there any way, any idea, any ideas, any update on,
    any news on, I was wondering, wondering if, can someone, can anyone, could someone,
    could anyone, please advise, can you help, could you help, who do I contact,
    who should I contact, what time
  `),
  /** Wh-words that make a question when they start the text (after @handles). */
  questionStart: list(`how, what, what's, when, where, why, who, which, whose`),
  /**
   * Auxiliaries that make a question when they start the text and are followed by a subject
   * ("can I", "is there", "do you") or the text has a "?" ("Do not buy" is no question).
   */
  questionAux: list(`
    is, are, am, was, were, can, could, do, does, did, will, would, should, shall, has, have, may,
    might, any, anyone, anybody
  `),
  /** Subjects that follow an auxiliary in a question. */
  subjects: list(`
    i, you, we, they, it, there, this, that, these, those, my, your, our, he, she, u, someone,
    somebody
  `),
  praise: list(`
    thank you, thanks, thank u, thx, ty, love, loved, loving, love it, great service, great job,
    amazing, awesome, excellent, fantastic, brilliant, outstanding, superb, well done, kudos,
    shout out, above and beyond, highly recommend, impressed, you rock, lifesaver, life saver,
    can't thank you enough, couldn't be happier, best customer service, best service, so helpful,
    grateful, 5 stars, five stars
  `),
  praiseWeak: list(`
    happy, glad, great, good, nice, helpful, appreciate, appreciated, perfect, recommend, not bad,
    no complaints, smooth, quick, fast, best, cool, pleased, satisfied, enjoy, enjoying
  `),
  purchase: list(`
    want to buy, wanna buy, want one, need one, where can I buy, where can I get, where do I buy,
    where to buy, where can I order, thinking of getting, thinking about getting,
    thinking of buying, thinking about buying, planning to buy, going to buy, gonna buy,
    about to buy, looking to buy, need to buy, should I buy, should I get, worth buying,
    take my money, pre-order, in stock, back in stock, price of, how much is, how much are,
    how much does, how much for, discount code, promo code, coupon, do you ship, ship to,
    add to cart, added to cart, can't wait to get, can't wait to buy, sign me up, is it available,
    available in, release date
  `),
  /** Negators: a praise cue up to two words later counts as a weak complaint ("not happy"), a
   * complaint cue is dropped ("no problem"). Clause punctuation ends the scope. */
  negators: list(`
    not, no, never, none, nothing, nobody, neither, nor, cannot, can't, don't, doesn't, didn't,
    isn't, aren't, wasn't, weren't, won't, wouldn't, couldn't, shouldn't, haven't, hasn't, hadn't,
    ain't, hardly, barely, without
  `),
  /** Things a customer complains about; with negative sentiment they make a weak complaint. */
  problemNouns: list(`
    order, orders, package, parcel, delivery, shipment, shipping, account, app, website, site,
    service, customer service, support, payment, bill, billing, charge, flight, booking,
    reservation, subscription, device, phone, product, item, internet, connection, wifi, wi-fi,
    signal, battery, screen, update, driver, agent, staff, store, checkout, password, login, card,
    luggage, baggage, seat
  `),
  /** Phrases that only shadow a shorter reading and end a negation ("can't wait", "no idea"). */
  neutral: list(`
    can't believe, cannot believe, can't wait, no wonder, not only, not just, no doubt, no thanks,
    no idea, what a, not sure
  `)
} as const;

/** How the cues are weighed into one intent, first matching rule wins. */
export const INTENT_PRECEDENCE = [
  'complaint: complaint weight >= 2 (a strong cue, or several weak ones), unless praise outweighs it and the sentiment is positive',
  'purchase: any purchase cue',
  'complaint: complaint weight 1 (a weak cue, negated praise, negative sentiment <= -0.2 with a problem noun, or sentiment <= -0.5)',
  'question: a question phrase, a starting wh-word or auxiliary, or a "?"',
  'praise: a praise cue (unless the sentiment is negative), or sentiment >= 0.3 with no complaint cue',
  'other'
] as const;

const K_COMPLAINT = 1;
const K_COMPLAINT_WEAK = 2;
const K_QUESTION = 3;
const K_QUESTION_START = 4;
const K_QUESTION_AUX = 5;
const K_PRAISE = 6;
const K_PRAISE_WEAK = 7;
const K_PURCHASE = 8;
const K_NEGATOR = 9;
const K_NOUN = 10;
const K_NEUTRAL = 11;

// Categories of a hit after negation; also the order of reasons after the winner's.
const C_NONE = 0;
const C_COMPLAINT = 1;
const C_PURCHASE = 2;
const C_QUESTION = 3;
const C_PRAISE = 4;
const CATEGORY_INTENTS: readonly Intent[] = [
  'other',
  'complaint',
  'purchase',
  'question',
  'praise'
];
/** Per winning category: the categories whose cues are listed, the winner's first. */
const REASON_ORDER: readonly (readonly number[])[] = CATEGORY_INTENTS.map((_, winner) => [
  ...(winner === C_NONE ? [] : [winner]),
  ...[C_COMPLAINT, C_PURCHASE, C_QUESTION, C_PRAISE].filter((c) => c !== winner)
]);

/** Words after a negator that it reaches. */
const NEG_SCOPE = 2;
/** Sentiment at or below which a problem noun makes a weak complaint. */
const NEGATIVE_WITH_NOUN = -0.2;
/** Sentiment at or below which a text is a weak complaint on its own. */
const STRONGLY_NEGATIVE = -0.5;
/** Sentiment at or above which a text without complaint cues is praise. */
const POSITIVE_PRAISE = 0.3;
const MAX_REASONS = 8;

const PHRASES: string[] = [];
const KINDS: number[] = [];
/** Reason when the cue fires as its own kind. */
const REASONS: string[] = [];
/** Reason when the cue fires negated (praise) or as a problem noun. */
const ALT_REASONS: string[] = [];

function addCues(list: readonly string[], kind: number): void {
  for (const phrase of list) {
    PHRASES.push(phrase);
    KINDS.push(kind);
    let reason = '';
    let alt = '';
    if (kind === K_COMPLAINT || kind === K_COMPLAINT_WEAK) reason = `complaint: "${phrase}"`;
    else if (kind === K_QUESTION) reason = `question: "${phrase}"`;
    else if (kind === K_QUESTION_START || kind === K_QUESTION_AUX) {
      reason = `question: starts with "${phrase}"`;
    } else if (kind === K_PRAISE || kind === K_PRAISE_WEAK) {
      reason = `praise: "${phrase}"`;
      alt = `complaint: negated "${phrase}"`;
    } else if (kind === K_PURCHASE) reason = `purchase: "${phrase}"`;
    else if (kind === K_NOUN) alt = `complaint: negative sentiment about "${phrase}"`;
    REASONS.push(reason);
    ALT_REASONS.push(alt);
  }
}

addCues(INTENT_CUES.complaint, K_COMPLAINT);
addCues(INTENT_CUES.complaintWeak, K_COMPLAINT_WEAK);
addCues(INTENT_CUES.question, K_QUESTION);
addCues(INTENT_CUES.questionStart, K_QUESTION_START);
addCues(INTENT_CUES.questionAux, K_QUESTION_AUX);
addCues(INTENT_CUES.praise, K_PRAISE);
addCues(INTENT_CUES.praiseWeak, K_PRAISE_WEAK);
addCues(INTENT_CUES.purchase, K_PURCHASE);
addCues(INTENT_CUES.negators, K_NEGATOR);
addCues(INTENT_CUES.problemNouns, K_NOUN);
addCues(INTENT_CUES.neutral, K_NEUTRAL);

const MATCHER = new PhraseMatcher(PHRASES);
const KIND_OF = Int8Array.from(KINDS);

// Scratch per hit, reused across calls.
const hitCategory: number[] = [];
const hitReason: string[] = [];

const SUBJECTS: ReadonlySet<string> = new Set(INTENT_CUES.subjects);

/** True when the word after `from` (a starting auxiliary) is a subject: "can I", "is there". */
function startsWithSubject(text: string, from: number): boolean {
  const len = text.length;
  let i = from;
  while (i < len && isSpace(text.charCodeAt(i))) i++;
  const end = wordEnd(text, i, len);
  // Only texts that start with an auxiliary get here, so the slice is rare.
  return end > i && end - i <= 7 && SUBJECTS.has(text.slice(i, end).toLowerCase());
}

/** `x` with two decimals ("0.72", "-0.80"), from integers: toFixed is slow on a hot path. */
function fixed2(x: number): string {
  const cents = Math.round(Math.abs(x) * 100);
  const frac = cents % 100;
  const sign = x < 0 && cents !== 0 ? '-' : '';
  return `${sign}${(cents - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

const ENDS_WITH_QUESTION = 'question: ends with "?"';
const CONTAINS_QUESTION = 'question: contains "?"';

/** True when the text's last meaningful character is "?" (trailing emoji, "!", quotes ignored). */
function endsWithQuestion(text: string): boolean {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 63) return true;
    if (!(isSpace(c) || c === 33 || c === 41 || c === 34 || c === 39 || c >= 0x2000)) {
      return false;
    }
  }
  return false;
}

function pushReason(reasons: string[], reason: string, winner: boolean): void {
  if (reasons.length >= MAX_REASONS) return;
  const text = winner ? reason : 'also ' + reason;
  if (!reasons.includes(text)) reasons.push(text);
}

/**
 * Classifies a mention as complaint, question, praise, purchase or other, with reasons.
 *
 * Cues (INTENT_CUES) are found in one pass; negators reach two words within their clause. The
 * optional sentiment adds three rules: negative sentiment about a problem noun or strongly
 * negative sentiment is a weak complaint; positive sentiment with no complaint cue is praise;
 * and praise cues outweighing complaint cues win when the sentiment is positive ("thank you for
 * the quick refund"). INTENT_PRECEDENCE lists the order in which the evidence is decided.
 */
export function classifyIntent(
  text: string,
  sentiment?: Pick<Sentiment, 'score' | 'label'>
): IntentResult {
  const n = MATCHER.scan(text);
  const ids = MATCHER.hitIds;
  const words = MATCHER.hitWords;
  const clauses = MATCHER.hitClauses;
  const questionMarks = MATCHER.questionMarks;
  let complaintWeight = 0;
  let praiseWeight = 0;
  let purchases = 0;
  let questions = 0;
  let noun = -1;
  let negClause = -1;
  let negUntil = -1;
  for (let k = 0; k < n; k++) {
    const id = ids[k] ?? 0;
    const kind = KIND_OF[id] ?? 0;
    const word = words[k] ?? 0;
    const clause = clauses[k] ?? 0;
    const negated = clause === negClause && word <= negUntil;
    let category = C_NONE;
    let reason = REASONS[id] ?? '';
    switch (kind) {
      case K_NEGATOR:
        negClause = clause;
        negUntil = word + NEG_SCOPE;
        break;
      case K_NEUTRAL:
        negUntil = -1;
        break;
      case K_COMPLAINT:
      case K_COMPLAINT_WEAK:
        if (!negated) {
          category = C_COMPLAINT;
          complaintWeight += kind === K_COMPLAINT ? 2 : 1;
        }
        break;
      case K_PRAISE:
      case K_PRAISE_WEAK:
        if (negated) {
          category = C_COMPLAINT;
          reason = ALT_REASONS[id] ?? '';
          complaintWeight += 1;
        } else {
          category = C_PRAISE;
          praiseWeight += kind === K_PRAISE ? 2 : 1;
        }
        break;
      case K_PURCHASE:
        category = C_PURCHASE;
        purchases++;
        break;
      case K_QUESTION:
        category = C_QUESTION;
        break;
      case K_QUESTION_START:
        if (word === 0) category = C_QUESTION;
        break;
      case K_QUESTION_AUX:
        if (word === 0 && (questionMarks > 0 || startsWithSubject(text, MATCHER.hitEnds[k] ?? 0))) {
          category = C_QUESTION;
        }
        break;
      case K_NOUN:
        if (noun < 0) noun = id;
        break;
    }
    if (category === C_QUESTION) questions++;
    hitCategory[k] = category;
    hitReason[k] = reason;
  }

  const score = sentiment === undefined ? 0 : sentiment.score;
  let sentimentComplaint = '';
  if (complaintWeight === 0 && sentiment !== undefined) {
    if (score <= NEGATIVE_WITH_NOUN && noun >= 0) sentimentComplaint = ALT_REASONS[noun] ?? '';
    else if (score <= STRONGLY_NEGATIVE) {
      sentimentComplaint = `complaint: strongly negative sentiment (${fixed2(score)})`;
    }
    if (sentimentComplaint !== '') complaintWeight = 1;
  }
  const questionMark =
    questionMarks === 0 ? '' : endsWithQuestion(text) ? ENDS_WITH_QUESTION : CONTAINS_QUESTION;
  if (questionMark !== '') questions++;
  let sentimentPraise = '';
  if (complaintWeight === 0 && praiseWeight === 0 && score >= POSITIVE_PRAISE) {
    sentimentPraise = `praise: positive sentiment (${fixed2(score)})`;
  }
  const praiseOverrides =
    complaintWeight > 0 && praiseWeight > complaintWeight && sentiment?.label === 'positive';
  const praiseCounts = praiseWeight > 0 && sentiment?.label !== 'negative';

  let winner = C_NONE;
  if (complaintWeight >= 2 && !praiseOverrides) winner = C_COMPLAINT;
  else if (purchases > 0) winner = C_PURCHASE;
  else if (complaintWeight >= 1 && !praiseOverrides) winner = C_COMPLAINT;
  else if (questions > 0) winner = C_QUESTION;
  else if (praiseCounts || sentimentPraise !== '') winner = C_PRAISE;

  const reasons: string[] = [];
  for (const category of REASON_ORDER[winner] ?? []) {
    const isWinner = category === winner;
    for (let k = 0; k < n; k++) {
      if (hitCategory[k] === category) pushReason(reasons, hitReason[k] ?? '', isWinner);
    }
    if (category === C_COMPLAINT && sentimentComplaint !== '') {
      pushReason(reasons, sentimentComplaint, isWinner);
    } else if (category === C_QUESTION && questionMark !== '') {
      pushReason(reasons, questionMark, isWinner);
    } else if (category === C_PRAISE && sentimentPraise !== '') {
      pushReason(reasons, sentimentPraise, isWinner);
    }
  }
  if (n > 4096) {
    hitCategory.length = 0;
    hitReason.length = 0;
  }
  return { intent: CATEGORY_INTENTS[winner] ?? 'other', reasons };
}
