import { PhraseMatcher } from '../enrich/intent';
import type { CareValue } from '../../../src/lib/shared/types';
import { NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD } from '../enrich/sentiment';

/*
 * Resolution of public customer-care conversations.
 *
 * A conversation is the public thread between one customer and a brand: the customer's mention,
 * the brand's replies, the customer's answers. Care often leaves the public timeline ("please DM
 * us") and sometimes comes back ("thanks for sorting it in DMs!"). From the public turns alone
 * this module tells a manager:
 *
 *   - whether and when the conversation moved to a private channel, and whether it came back;
 *   - whether it was resolved, when, and by which words (the cue);
 *   - first-contact resolution (resolved after one brand reply, in public);
 *   - the customer's sentiment before and after the brand's first reply (the "flip");
 *   - advocacy: the customer thanking the brand in public once the issue is resolved.
 *
 * Two steps. `brandCues` / `customerCues` find cue phrases in one text with one pass of a
 * compiled phrase trie (PhraseMatcher), negation-aware ("not sorted" is not resolution).
 * `analyzeConversation` walks the turns in time order and applies the rules written on
 * RESOLUTION_RULES; `summarizeResolutions` turns many outcomes into counts and rates.
 */

/**
 * One cue found in a text: what it signals and the words that signalled it (as written,
 * lower-cased, whitespace collapsed; for a negated cue the words from the negator on, e.g.
 * "not sorted").
 *
 * - `to_private`: the conversation moves to a private channel (brand: "please DM us";
 *   customer: "just DMed you").
 * - `back_to_public`: a customer refers in public to the private exchange ("thanks for the DM
 *   help", "sorted in DMs").
 * - `resolved`: the problem is solved (customer: "that fixed it", "got my refund"; brand:
 *   "glad we could help", "this has been fixed").
 * - `unresolved`: the problem is not solved ("still waiting", "no reply to my DM", "not sorted").
 * - `thanks`: gratitude ("thank you so much", "great service").
 */
export type CareCue = {
  kind: 'to_private' | 'back_to_public' | 'resolved' | 'unresolved' | 'thanks';
  phrase: string;
};

/** The kind of a CareCue. */
export type CareCueKind = CareCue['kind'];

function list(phrases: string): readonly string[] {
  return phrases
    .split(',')
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter((p) => p !== '');
}

/**
 * The cue phrases, matched as whole words, case-insensitively; a trailing `*` makes the last
 * word a stem ("dm*" matches "dm", "dms", "dmed", "dm'd"), an apostrophe is optional ("it's" also
 * matches "its"), a hyphen may be a space or nothing ("e-mail", "e mail", "email"). At each word
 * the longest phrase wins, so "no reply to my dm" hides "dm" and "thanks for nothing" hides
 * "thanks".
 *
 * Which channels are private (brand `toPrivate`): anything one-to-one and off the public
 * timeline — direct/private messages (DM, PM), e-mail, a phone call, a private or live chat.
 * Not private: a link to a help page or web form, "contact support" without a channel, "reply
 * here". Any brand mention of DMs counts ("we've replied to your DM"), because it says the
 * conversation is running in private.
 */
export const CARE_CUES = {
  brand: {
    toPrivate: list(`
      dm*, dm us, dm me, dm your, send us a dm, send me a dm, shoot us a dm, drop us a dm,
      pop us a dm, send a dm, sent you a dm, via dm, in a dm, by dm, over dm, follow and dm,
      follow us and dm, check your dm*, direct message*, private message*, pm us, pm me,
      send us a pm, via pm, by pm, in a pm, message us, message me, send us a message,
      drop us a message, shoot us a message, inbox us, check your inbox, privately, in private,
      private chat, secure chat, chat securely, live chat, chat with us, chat in, private link,
      secure link, private secured link, e-mail us, send us an e-mail, drop us an e-mail,
      sent you an e-mail, check your e-mail*, by e-mail, via e-mail, call us, give us a call,
      phone us, ring us, call you, give you a call, call our, please call, please ring, call back,
      callback, by phone, over the phone, via phone
    `),
    /** The brand says the problem is solved. Weaker than the customer saying so. */
    resolved: list(`
      glad we could help, glad we were able to help, glad we could sort, glad it's sorted,
      glad that's sorted, glad it's resolved, glad it's fixed, glad it's working, glad to hear it's,
      glad to hear that, glad to hear, great to hear, good to hear, happy to hear, glad you got,
      glad everything, has been resolved, has been fixed, is now fixed, is now resolved,
      we've fixed, we have fixed, should be working now, should now be working,
      refund has been processed, refund has been issued, we've issued a refund, we've refunded
    `),
    /**
     * Closing offers: a private channel in the same clause is an offer for the future ("don't
     * hesitate to DM us if you need anything else"), not a move.
     */
    offers: list(`
      don't hesitate, do not hesitate, never hesitate, anything else, any other questions,
      any more questions, any time, anytime, in future, in the future, if you ever
    `),
    /** Shadow a shorter reading; say nothing themselves. */
    neutral: list(`dmv, dmca, sorry to hear`)
  },
  customer: {
    /** The customer takes the conversation private, or confirms it went there. */
    toPrivate: list(`
      dm*, dm me, dm you, will dm, i'll dm, just dm*, sent a dm, sent you a dm, sent the dm,
      dm sent, check my dm*, got your dm*, saw your dm*, received your dm*, check your dm*,
      replied to your dm*, responded to your dm*, direct message*, private message*, pm me, pm you,
      pmed, pm'd, sent a pm, sent you a pm, messaged you, sent you a message, e-mailed you,
      sent you an e-mail
    `),
    /** References, in public, to the private exchange. */
    backToPublic: list(`
      in dm*, in the dm*, in a dm*, in private, in pm, in pms, via dm*, over dm*, through dm*,
      by dm*, dm help, the dm*, your dm*, as discussed, the dm team, your dm team
    `),
    resolved: list(`
      sorted, all sorted, sorted now, got it sorted, it's sorted, that's sorted, sorted it,
      sorted out, fixed, fixed it, fixed now, it's fixed, is fixed, got fixed, been fixed,
      all fixed, you fixed, that fixed it, fixed the issue, fixed the problem, resolved,
      been resolved, issue resolved, problem resolved, solved, problem solved, solved it, works now,
      working now, it's working, it is working, working again, works again, works perfectly,
      working perfectly, works fine now, all working, everything works, everything's working,
      back up and running, up and running, back online, that worked, it worked, worked perfectly,
      worked like a charm, did the trick, that did it, got my refund, got the refund,
      received my refund, received the refund, refund came through, refund has come through,
      got my money back, been refunded, got refunded, refund received, got my package,
      got my parcel, got my order, received my order, received my package, received my parcel,
      it arrived, has arrived, finally arrived, just arrived, arrived today, arrived safely,
      package arrived, parcel arrived, order arrived, all good, all good now, all set, good to go,
      no longer an issue, no more issues, no more problems
    `),
    /** Thanking for an outcome: both a resolution and a thank-you. */
    resolvedThanks: list(`
      thanks for delivering, thank you for delivering, thanks for sorting, thank you for sorting,
      thanks for fixing, thank you for fixing, thanks for resolving, thank you for resolving,
      thanks for the refund, thank you for the refund, thanks for the replacement,
      thank you for the replacement, thanks for getting it sorted
    `),
    thanks: list(`
      thanks, thank you, thank u, thanku, thx, ty, tysm, tyvm, cheers, many thanks, thanks so much,
      thank you so much, thanks a lot, thanks a million, thank you very much, thanks very much,
      much appreciated, appreciate it, appreciate the help, appreciate your help, appreciated,
      grateful, thankful, great service, great customer service, excellent service,
      excellent customer service, amazing service, brilliant service, fantastic service,
      awesome service, great job, good job, well done, kudos, you rock, you guys rock, lifesaver,
      life saver, legend, legends, above and beyond, thanks for the help, thanks for your help,
      thank you for your help, thank you for the help, thanks for helping, thank you for helping,
      so helpful, very helpful, really helpful, super helpful, helpful, can't thank you enough,
      couldn't have done it without you, best customer service, highly recommend, love you guys
    `),
    unresolved: list(`
      still waiting, still not working, still not fixed, still broken, still down, still the same,
      still having, still getting, still charged, still no reply, still no response,
      still no answer, still no word, still no refund, still nothing, still haven't heard, no reply,
      no response, no answer, no reply to my dm*, no response to my dm*, no one replied,
      nobody replied, no one has replied, no one got back, nobody got back, haven't heard back,
      not heard back, never heard back, heard nothing, ignored, ignoring, not working,
      isn't working, doesn't work, does not work, didn't work, did not work, stopped working,
      no longer working, no longer works, not fixed, broken, broken again, damaged, down again,
      happened again, same problem, same issue, didn't help, did not help, doesn't help, no help,
      useless, waste of time, thanks for nothing, cheers for nothing, thanks a lot for nothing,
      unacceptable, ridiculous, worst, terrible, awful, fed up, never again, where is my refund,
      where's my refund, where is my order, where's my order, where is my package,
      where's my package, any update, any updates, any news, never arrived, never received,
      hasn't arrived, has not arrived, haven't received, have not received, not received,
      not arrived, wrong item, charged again, charged twice, no refund
    `),
    /**
     * Negators that are unresolved on their own ("not yet.") and turn a following resolution
     * into an unresolved cue ("still not sorted").
     */
    negatorsUnresolved: list(`
      still not, still no, still hasn't, still haven't, still isn't, still can't, still doesn't,
      still don't, still didn't, still won't, not yet, yet to
    `),
    /**
     * Acknowledgements and other phrases that only shadow a shorter reading: thanking for a
     * reply is not thanking for a solution ("thanks for getting back to me"), a demand is not a
     * result ("get this sorted"), a refusal is not gratitude ("no thanks").
     */
    neutral: list(`
      no thanks, no thank you, thanks but no thanks, thanks in advance, thank you in advance,
      thx in advance, thanks for the reply, thank you for the reply, thanks for replying,
      thanks for the response, thank you for the response, thanks for responding,
      thank you for responding, thanks for getting back, thank you for getting back,
      thanks for the quick reply, thanks for the quick response, thanks for your reply,
      thank you for your reply, thanks for your response, thank you for your response,
      thanks for letting me know, thanks for the update, thank you for the update,
      thanks for looking into, thank you for looking into, thanks for checking, no worries,
      no problem, not only, not just, no doubt, no matter, no need, can't wait, can't believe,
      cannot believe, don't worry, thank god, thank goodness, get it fixed, get this fixed,
      to be fixed, be fixed, get it sorted, get this sorted, be sorted, to be sorted, sort it out,
      sort this out, be resolved, get this resolved, get it resolved, how it works, if it works,
      hope it works, hopefully it works, hope this works, when it works, when it's working,
      once it's working, until it's working, when it's fixed, once it's fixed, until it's fixed,
      if it's fixed, when it's sorted, once it's sorted, until it's sorted, dmv, dmca
    `)
  },
  /** Negators for both roles; they reach NEGATION_SCOPE words within their clause. */
  negators: list(`
    not, no, never, isn't, aren't, wasn't, weren't, hasn't, haven't, hadn't, doesn't, don't, didn't,
    won't, wouldn't, can't, cannot, couldn't, shouldn't, ain't, nothing, nobody, none, without,
    hardly, barely, no longer, far from
  `)
} as const;

/** Words after a negator that it reaches ("hasn't been fully resolved": 3). */
export const NEGATION_SCOPE = 3;

/**
 * Flip thresholds. A mean customer sentiment is negative at or below SENTIMENT_NEGATIVE and
 * positive at or above SENTIMENT_POSITIVE — the same cut-offs as the sentiment engine's labels
 * (see sentiment.ts: −0.05 like VADER, +0.2 rather than VADER's +0.05 because casual positive
 * words are common), so a flip agrees with the labels shown on each mention.
 */
export const SENTIMENT_NEGATIVE = NEGATIVE_THRESHOLD;
export const SENTIMENT_POSITIVE = POSITIVE_THRESHOLD;
/** Least change of the mean sentiment, within one label, that counts as improved / worsened. */
export const FLIP_MIN_DELTA = 0.1;

/** How the customer's mood moved from before the brand's first reply to after it. */
export type SentimentFlip =
  'negative_to_positive' | 'negative_to_neutral' | 'improved' | 'unchanged' | 'worsened';

/** Every SentimentFlip, in the order a summary lists them. */
export const SENTIMENT_FLIPS: readonly SentimentFlip[] = [
  'negative_to_positive',
  'negative_to_neutral',
  'improved',
  'unchanged',
  'worsened'
];

/**
 * The rules analyzeConversation applies, in words (for docs and UIs). A "reply" is a brand turn
 * after the customer's first turn; brand posts before it are not replies.
 */
export const RESOLUTION_RULES = [
  'moved to private: a brand turn with a to_private cue, or a customer to_private cue after the first reply',
  'acknowledgement: a customer turn whose only cues are to_private ("just DMed you", "thanks, will DM"), or only thanks right after a brand turn that asked something (a "?" or a to_private cue); it neither resolves nor counts as back to public or advocacy',
  'back to public: after the move, a customer turn that is no acknowledgement and carries a back_to_public, resolved, thanks or unresolved cue (complaining in public again counts: the conversation is public again)',
  'resolved by the customer: after the first reply, a customer turn with a resolved cue, or a thanks cue that is no acknowledgement; a turn with any unresolved cue never resolves ("thanks, but still not working")',
  'resolved by the brand: a brand resolved cue after the customer spoke ("glad we could help"); weaker: the customer confirming later replaces it, and a later customer turn with an unresolved cue or negative sentiment (and no resolved/thanks cue) reopens it',
  'reopened: a customer unresolved cue after a resolution clears it; the last resolution stands',
  'first-contact resolution: resolved, exactly one brand reply up to the resolving turn, and no move to private before it',
  'advocacy: resolved, and a customer thanks cue (no acknowledgement) in the resolving turn or later',
  'sentiment: mean of customer turns before the first reply and after it; a flip needs both'
] as const;

// ---------------------------------------------------------------------------------------------
// Cue scanning
// ---------------------------------------------------------------------------------------------

// Phrase kinds inside the matchers.
const K_TO_PRIVATE = 1;
const K_BACK = 2;
const K_RESOLVED = 3;
const K_UNRESOLVED = 4;
const K_THANKS = 5;
const K_RESOLVED_THANKS = 6;
const K_NEGATOR = 7;
const K_NEGATOR_UNRESOLVED = 8;
const K_NEUTRAL = 9;
const K_OFFER = 10;

interface CueScanner {
  matcher: PhraseMatcher;
  kinds: Int8Array;
  brand: boolean;
}

function scanner(groups: readonly [readonly string[], number][], brand: boolean): CueScanner {
  const phrases: string[] = [];
  const kinds: number[] = [];
  for (const [phrases_, kind] of groups) {
    for (const phrase of phrases_) {
      phrases.push(phrase);
      kinds.push(kind);
    }
  }
  return { matcher: new PhraseMatcher(phrases), kinds: Int8Array.from(kinds), brand };
}

const BRAND = scanner(
  [
    [CARE_CUES.brand.toPrivate, K_TO_PRIVATE],
    [CARE_CUES.brand.resolved, K_RESOLVED],
    [CARE_CUES.brand.offers, K_OFFER],
    [CARE_CUES.brand.neutral, K_NEUTRAL],
    [CARE_CUES.negators, K_NEGATOR]
  ],
  true
);

const CUSTOMER = scanner(
  [
    [CARE_CUES.customer.toPrivate, K_TO_PRIVATE],
    [CARE_CUES.customer.backToPublic, K_BACK],
    [CARE_CUES.customer.resolved, K_RESOLVED],
    [CARE_CUES.customer.resolvedThanks, K_RESOLVED_THANKS],
    [CARE_CUES.customer.thanks, K_THANKS],
    [CARE_CUES.customer.unresolved, K_UNRESOLVED],
    [CARE_CUES.customer.negatorsUnresolved, K_NEGATOR_UNRESOLVED],
    [CARE_CUES.customer.neutral, K_NEUTRAL],
    [CARE_CUES.negators, K_NEGATOR]
  ],
  false
);

/** `text[from, to)` lower-cased, curly apostrophes straightened, whitespace runs as one space. */
function phraseOf(text: string, from: number, to: number): string {
  let out = '';
  let space = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 160) {
      space = true;
      continue;
    }
    if (space && out !== '') out += ' ';
    space = false;
    out += c === 0x2018 || c === 0x2019 ? "'" : text[i];
  }
  return out.toLowerCase();
}

/** Offset of the character ending the sentence that holds `from` (. ! ? … or a newline), or the
 * text length. */
function sentenceEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 63 || c === 46 || c === 33 || c === 10 || c === 0x2026) return i;
    i++;
  }
  return i;
}

// Scratch: clauses that hold a closing offer (brand texts), reused across calls.
const offerClauses: number[] = [];

function scanCues(s: CueScanner, text: string): CareCue[] {
  const m = s.matcher;
  const n = m.scan(text);
  const out: CareCue[] = [];
  if (n === 0) return out;
  const kinds = s.kinds;
  let offers = 0;
  if (s.brand) {
    for (let k = 0; k < n; k++) {
      if (kinds[m.hitIds[k] ?? 0] === K_OFFER) offerClauses[offers++] = m.hitClauses[k] ?? 0;
    }
  }
  const questions = m.questionMarks > 0;
  // The sentence end found last, and whether it is a "?": hits before it reuse the answer.
  let sentenceTo = -1;
  let sentenceAsks = false;
  // Negation: clause and last word reached, and where the negator starts.
  let negClause = -1;
  let negUntil = -1;
  let negStart = 0;
  let negWord = -2;
  // A negator that is unresolved on its own, not yet used by a cue: [pendStart, pendEnd).
  let pendStart = -1;
  let pendEnd = 0;
  for (let k = 0; k < n; k++) {
    const kind = kinds[m.hitIds[k] ?? 0] ?? 0;
    const start = m.hitStarts[k] ?? 0;
    const end = m.hitEnds[k] ?? 0;
    const word = m.hitWords[k] ?? 0;
    const clause = m.hitClauses[k] ?? 0;
    if (pendStart >= 0 && (clause !== negClause || word > negUntil)) {
      out.push({ kind: 'unresolved', phrase: phraseOf(text, pendStart, pendEnd) });
      pendStart = -1;
    }
    const negated = clause === negClause && word <= negUntil;
    switch (kind) {
      case K_NEGATOR_UNRESOLVED:
      case K_NEGATOR:
        if (kind === K_NEGATOR_UNRESOLVED) {
          if (pendStart >= 0) {
            out.push({ kind: 'unresolved', phrase: phraseOf(text, pendStart, pendEnd) });
          }
          pendStart = start;
          pendEnd = end;
        }
        negClause = clause;
        negUntil = word + NEGATION_SCOPE;
        negStart = start;
        negWord = word;
        break;
      case K_NEUTRAL:
        negUntil = -1;
        break;
      case K_OFFER:
        break;
      case K_TO_PRIVATE:
      case K_BACK: {
        if (negated) break;
        if (
          kind === K_TO_PRIVATE &&
          offers > 0 &&
          offerClauses.lastIndexOf(clause, offers - 1) >= 0
        ) {
          break;
        }
        out.push({
          kind: kind === K_TO_PRIVATE ? 'to_private' : 'back_to_public',
          phrase: phraseOf(text, start, end)
        });
        break;
      }
      case K_UNRESOLVED:
        // Only a negator right before cancels a complaint ("isn't broken", "no longer broken");
        // "no, it's still broken" stays one.
        if (!negated || word !== negWord + 1)
          out.push({ kind: 'unresolved', phrase: phraseOf(text, start, end) });
        break;
      case K_RESOLVED:
      case K_THANKS:
      case K_RESOLVED_THANKS: {
        if (negated) {
          // "not sorted", "wasn't helpful": the customer says it is not solved. A brand
          // "hasn't been fixed" is no claim either way.
          if (!s.brand) {
            out.push({ kind: 'unresolved', phrase: phraseOf(text, negStart, end) });
            pendStart = -1;
          }
          break;
        }
        if (questions) {
          if (start >= sentenceTo) {
            sentenceTo = sentenceEnd(text, end);
            sentenceAsks = sentenceTo < text.length && text.charCodeAt(sentenceTo) === 63;
          }
          // "Is it fixed now?" asks, it does not tell.
          if (sentenceAsks) break;
        }
        const phrase = phraseOf(text, start, end);
        if (kind !== K_THANKS) out.push({ kind: 'resolved', phrase });
        if (kind !== K_RESOLVED) out.push({ kind: 'thanks', phrase });
        break;
      }
    }
  }
  if (pendStart >= 0) out.push({ kind: 'unresolved', phrase: phraseOf(text, pendStart, pendEnd) });
  return out;
}

/**
 * Cues in a brand reply: `to_private` when it asks to move to a private channel ("please DM
 * us", "send us a DM", "DM us your order number", "follow and DM", "direct message", "private
 * message", "PM us", "reach out via DM", "check your DMs", "sent you a DM", "e-mail us at",
 * "call us at"; see CARE_CUES for which channels count as private), and `resolved` when it says
 * the problem is solved ("glad we could help", "this has been fixed").
 *
 * Negated cues are dropped ("no need to DM us", "this hasn't been fixed yet"), a resolution
 * asked as a question is no claim ("is it working now?"), and a channel offered for the future is
 * no move ("don't hesitate to DM us if you need anything else"). One pass over the text.
 */
export function brandCues(text: string): CareCue[] {
  return scanCues(BRAND, text);
}

/**
 * Cues in a customer turn, in text order:
 *
 * - `to_private`: the customer goes private or confirms it ("just DMed you", "sent a DM") —
 *   a handoff, not a resolution;
 * - `back_to_public`: refers to the private exchange ("thanks for the DM help", "in DMs");
 * - `resolved`: "thanks, sorted", "that fixed it", "works now", "got my refund"; thanking for
 *   an outcome ("Thanks for delivering my X!") gives both `resolved` and `thanks`;
 * - `thanks`: "thank you so much", "great service";
 * - `unresolved`: "still not fixed", "still waiting", "no reply to my DM".
 *
 * Negation-aware: a negator ("not", "never", "hasn't", "no longer", …) reaching up to
 * NEGATION_SCOPE words in its clause turns a resolution or thanks into `unresolved` ("not
 * sorted", "still not sorted", "wasn't helpful", "why isn't it fixed?") and drops a private
 * channel cue ("haven't DMed you"); it drops an unresolved cue only right after it ("not
 * broken", but "no, it's still broken" stays unresolved). "still not", "still no", "not yet"
 * are unresolved on their own too. "no thanks", "thanks in advance" and "thanks for getting back
 * to me" are no thanks, and "get this fixed", "when it's sorted" no resolution. A resolution or
 * thanks in a sentence ending with "?" is dropped ("is it fixed?"). One pass over the text.
 */
export function customerCues(text: string): CareCue[] {
  return scanCues(CUSTOMER, text);
}

// ---------------------------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------------------------

/** One public turn of a conversation. */
export interface Turn {
  role: 'customer' | 'brand';
  /** Time in epoch ms. */
  at: number;
  text: string;
  /** customer sentiment score in [-1,1] (brand turns: ignored) */
  sentiment: number;
}

/** What happened in one conversation; see RESOLUTION_RULES for how each field is decided. */
export interface ConversationOutcome {
  /** Brand turns after the customer's first turn (brand posts before it are not replies). */
  brandReplies: number;
  /** Time of the first brand reply, or null. */
  firstResponseAt: number | null;
  /** The conversation moved to a private channel, and when (the first to_private turn). */
  movedToPrivate: boolean;
  movedAt: number | null;
  /** a customer turn after the move, in public, that refers to the private exchange or thanks */
  backToPublic: boolean;
  /** Resolved at the end of the conversation, since when, and by which cue. */
  resolved: boolean;
  resolvedAt: number | null;
  resolvedBy: CareCue | null;
  /** resolved after exactly one brand reply and without moving to private */
  firstContactResolution: boolean;
  /** mean customer sentiment before the first brand reply */
  sentimentBefore: number | null;
  /** mean customer sentiment after it */
  sentimentAfter: number | null;
  /** From sentimentBefore to sentimentAfter (see sentimentFlip); null unless both exist. */
  flip: SentimentFlip | null;
  /** a public customer thank-you after resolution */
  advocacy: boolean;
  /** every cue found, in order, for "why" */
  cues: CareCue[];
}

function labelRank(score: number): number {
  if (score <= SENTIMENT_NEGATIVE) return 0;
  if (score >= SENTIMENT_POSITIVE) return 2;
  return 1;
}

/**
 * How a mean sentiment moved. Labels use SENTIMENT_NEGATIVE / SENTIMENT_POSITIVE:
 * negative → positive and negative → neutral are named flips; otherwise a higher label is
 * `improved` and a lower one `worsened`; within one label a change of at least FLIP_MIN_DELTA
 * is `improved` / `worsened`, a smaller one `unchanged`. Null when either side is null.
 */
export function sentimentFlip(before: number | null, after: number | null): SentimentFlip | null {
  if (before === null || after === null) return null;
  const from = labelRank(before);
  const to = labelRank(after);
  if (from === 0 && to === 2) return 'negative_to_positive';
  if (from === 0 && to === 1) return 'negative_to_neutral';
  if (to > from) return 'improved';
  if (to < from) return 'worsened';
  // Rounded to 1e-9 so that 0.3 − 0.2 counts as a change of 0.1.
  const delta = Math.round((after - before) * 1e9) / 1e9;
  if (delta >= FLIP_MIN_DELTA) return 'improved';
  if (delta <= -FLIP_MIN_DELTA) return 'worsened';
  return 'unchanged';
}

function byTime(turns: readonly Turn[]): readonly Turn[] {
  for (let i = 1; i < turns.length; i++) {
    if ((turns[i]?.at ?? 0) < (turns[i - 1]?.at ?? 0)) {
      return [...turns].sort((a, b) => a.at - b.at);
    }
  }
  return turns;
}

/**
 * Analyses one conversation's public turns (expected sorted by `at`; sorted stably when not).
 * Robust to empty, brand-only and customer-only input: nothing is resolved without a reply.
 * Sentiment that is not a finite number is ignored; others are clamped to [-1, 1].
 */
export function analyzeConversation(turns: readonly Turn[]): ConversationOutcome {
  const sorted = byTime(turns);
  const cues: CareCue[] = [];
  let customerSeen = false;
  let brandReplies = 0;
  let firstResponseAt: number | null = null;
  let movedAt: number | null = null;
  let moveIndex = -1;
  let backToPublic = false;
  let resolvedIndex = -1;
  let resolvedAt: number | null = null;
  let resolvedBy: CareCue | null = null;
  let resolvedByBrand = false;
  let fcr = false;
  let lastThanksIndex = -1;
  let beforeSum = 0;
  let beforeCount = 0;
  let afterSum = 0;
  let afterCount = 0;
  // The previous turn was a brand turn that asked something ("?" or a private channel).
  let brandAsked = false;

  sorted.forEach((turn, i) => {
    if (turn.role === 'brand') {
      const found = brandCues(turn.text);
      cues.push(...found);
      let toPrivate = false;
      let claim: CareCue | null = null;
      for (const cue of found) {
        if (cue.kind === 'to_private') toPrivate = true;
        else if (cue.kind === 'resolved' && claim === null) claim = cue;
      }
      if (customerSeen) {
        brandReplies++;
        if (firstResponseAt === null) firstResponseAt = turn.at;
      }
      if (toPrivate && movedAt === null) {
        movedAt = turn.at;
        moveIndex = i;
      }
      if (claim !== null && customerSeen && resolvedBy === null) {
        resolvedIndex = i;
        resolvedAt = turn.at;
        resolvedBy = claim;
        resolvedByBrand = true;
        fcr = brandReplies === 1 && moveIndex < 0;
      }
      brandAsked = toPrivate || turn.text.includes('?');
      return;
    }

    customerSeen = true;
    const found = customerCues(turn.text);
    cues.push(...found);
    const s = turn.sentiment;
    const finite = Number.isFinite(s);
    const score = finite ? Math.max(-1, Math.min(1, s)) : 0;
    if (finite && firstResponseAt === null) {
      beforeSum += score;
      beforeCount++;
    } else if (finite) {
      afterSum += score;
      afterCount++;
    }
    const askedBefore = brandAsked;
    brandAsked = false;
    if (firstResponseAt === null) return;

    let toPrivate = false;
    let back = false;
    let unresolved = false;
    let resolvedCue: CareCue | null = null;
    let thanksCue: CareCue | null = null;
    for (const cue of found) {
      if (cue.kind === 'to_private') toPrivate = true;
      else if (cue.kind === 'back_to_public') back = true;
      else if (cue.kind === 'unresolved') unresolved = true;
      else if (cue.kind === 'resolved') resolvedCue ??= cue;
      else thanksCue ??= cue;
    }
    const substantive = back || unresolved || resolvedCue !== null;
    const ack = !substantive && (toPrivate || (thanksCue !== null && askedBefore));
    if (toPrivate && movedAt === null) {
      movedAt = turn.at;
      moveIndex = i;
    }
    if (movedAt !== null && i > moveIndex && !ack && (substantive || thanksCue !== null)) {
      backToPublic = true;
    }

    const resolving = unresolved ? null : (resolvedCue ?? (ack ? null : thanksCue));
    const reopen =
      unresolved ||
      (resolvedByBrand && resolving === null && finite && score <= SENTIMENT_NEGATIVE);
    if (reopen) {
      resolvedIndex = -1;
      resolvedAt = null;
      resolvedBy = null;
      resolvedByBrand = false;
      fcr = false;
    } else if (resolving !== null && (resolvedBy === null || resolvedByBrand)) {
      // A first resolution, or the customer confirming a brand's claim (it then stays FCR if
      // the claim was).
      if (resolvedBy === null) fcr = brandReplies === 1 && moveIndex < 0;
      resolvedIndex = i;
      resolvedAt = turn.at;
      resolvedBy = resolving;
      resolvedByBrand = false;
    }
    if (thanksCue !== null && !ack && !unresolved) lastThanksIndex = i;
  });

  const sentimentBefore = beforeCount > 0 ? beforeSum / beforeCount : null;
  const sentimentAfter = afterCount > 0 ? afterSum / afterCount : null;
  const resolved = resolvedBy !== null;
  return {
    brandReplies,
    firstResponseAt,
    movedToPrivate: movedAt !== null,
    movedAt,
    backToPublic,
    resolved,
    resolvedAt,
    resolvedBy,
    firstContactResolution: resolved && fcr,
    sentimentBefore,
    sentimentAfter,
    flip: sentimentFlip(sentimentBefore, sentimentAfter),
    advocacy: resolved && lastThanksIndex >= resolvedIndex,
    cues
  };
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

/**
 * Counts and rates over many conversations. Rates use answered conversations (at least one
 * brand reply) as the denominator — an unanswered conversation cannot be resolved — and are
 * null when none was answered.
 */
/** Sums of outcomes: the wire contract's `CareValue['resolution']` (documented there). */
export type ResolutionSummary = CareValue['resolution'];

/** Sums outcomes of analyzeConversation into a ResolutionSummary. */
export function summarizeResolutions(outcomes: Iterable<ConversationOutcome>): ResolutionSummary {
  const flips: Record<string, number> = {};
  for (const flip of SENTIMENT_FLIPS) flips[flip] = 0;
  let conversations = 0;
  let answered = 0;
  let resolved = 0;
  let fcr = 0;
  let movedToPrivate = 0;
  let backToPublic = 0;
  let advocacy = 0;
  for (const o of outcomes) {
    conversations++;
    if (o.brandReplies > 0) answered++;
    if (o.resolved) resolved++;
    if (o.firstContactResolution) fcr++;
    if (o.movedToPrivate) movedToPrivate++;
    if (o.backToPublic) backToPublic++;
    if (o.advocacy) advocacy++;
    if (o.flip !== null) flips[o.flip] = (flips[o.flip] ?? 0) + 1;
  }
  return {
    conversations,
    answered,
    resolved,
    fcr,
    fcrRate: answered > 0 ? fcr / answered : null,
    movedToPrivate,
    backToPublic,
    flips,
    advocacy,
    resolutionRate: answered > 0 ? resolved / answered : null
  };
}
