import type { Sentiment, SentimentLabel } from '../../../src/lib/shared/types';
import { VADER_VALENCES } from './lexicon-vader';

/*
 * Lexicon- and rule-based sentiment scorer (v1) for short social-media texts.
 *
 * Valences are on a rough -4..+4 scale and were written for this file (VADER's ideas, not its
 * data). Entries are `key:valence` or `key:valence/negated`, where `negated` replaces the default
 * flip (valence * NEG_SCALAR) when the key sits in a negation scope. A valence of 0 with a negated
 * value marks words that only carry sentiment when negated ("no response", "didn't work").
 * Underscores join multi-word phrases, which win over their words by longest match.
 * Keys with an apostrophe also match with a curly apostrophe and without one ("dont").
 */
const VALENCES = `
good:1.9 great:3 excellent:3.2 amazing:3.1 awesome:3.1 fantastic:3.2 wonderful:3 brilliant:3
superb:3.1 outstanding:3.2 perfect:3 perfectly:1.8 love:3 loved:2.9 loves:2.7 loving:2.6
lovely:2.7 like:1.3 liked:1.6 likes:1.4 enjoy:2.1 enjoyed:2.2 enjoying:2.1 enjoyable:2.3
happy:2.6/-2 happier:2.3 happiest:2.9 glad:2.1 pleased:2.1/-1.8 delighted:3 thrilled:3
excited:2.3 exciting:2.3 nice:1.9 nicely:1.6 cool:1.3 fine:0.8 decent:1.2 solid:1.3 best:3
better:1.7 beautiful:2.8 beautifully:2.5 gorgeous:3 stunning:3 fun:2.2 funny:1.4 helpful:2.2
friendly:2.1 polite:1.8 kind:1.9 courteous:2 professional:1.4 quick:1 quickly:0.8 fast:1.1
speedy:1.4 efficient:1.6 easy:1.4 smooth:1.4 smoothly:1.4 reliable:1.7 recommend:1.8/-2
recommended:1.8/-2 impressed:2.4/-1.8 impressive:2.5 incredible:2.8 favourite:2.3 favorite:2.3
fav:2 fave:2 win:2 winner:2.2 wow:1.8 yay:2.4 congrats:2.4 congratulations:2.6 thanks:1.9
thank:1.8 thx:1.7 cheers:1.4 grateful:2.5 thankful:2.5 appreciate:2.2 appreciated:2.3
appreciation:2 smile:1.8 smiling:1.8 laugh:1.4 lol:1.4 haha:1.5 hahaha:1.7 hehe:1.3 lmao:1.6
rofl:1.6 xd:1.8 yummy:2.3 delicious:2.8 tasty:2.2 satisfied:2/-2 satisfying:2 comfortable:1.6
comfy:1.6 safe:1.2 clean:1.2 fresh:1.3 worth:1.6/-1.8 worthwhile:1.8 valuable:1.9 useful:1.8
stellar:2.8 flawless:2.9 seamless:2 legit:1.5 epic:2.5 sweet:2 cute:2 adorable:2.8 charming:2.4
elegant:2.2 magnificent:3.2 marvelous:3 marvellous:3 terrific:3 fabulous:3 phenomenal:3.2
exceptional:3 success:2.2 successful:2.2 joy:2.8 lucky:2 blessed:2.4 proud:2.1 hope:0.9
hopeful:1.6 welcome:1.4 welcoming:2 attentive:2 responsive:1.8 prompt:1.2 promptly:1.2
generous:2.3 honest:1.8 fair:1.2 affordable:1.3 bargain:1.5 improved:1.6 improvement:1.4
refreshing:1.9 relaxing:1.8 calm:1.1 peaceful:1.9 accurate:1.2 bravo:2.4 kudos:2.4 hero:2
heroes:2 rocks:1.6 amazed:2.4 superior:2 ideal:2 pleasure:2.4 pleasant:2.2 xoxo:2 wonderfully:2.6
trust:1.4/-2.2 trusted:1.6

bad:-2.5/1 terrible:-3.1 horrible:-3.1 awful:-3 worst:-3.2 worse:-2.3 poor:-2.1 poorly:-2
hate:-3 hated:-3 hates:-2.8 hating:-2.7 dislike:-2 disliked:-2 angry:-2.7 mad:-2.2 furious:-3.2
annoyed:-2.1 annoying:-2.2 annoy:-1.9 irritating:-2.1 frustrated:-2.4 frustrating:-2.4
frustration:-2.3 disappointed:-2.4 disappointing:-2.4 disappointment:-2.4 disappoint:-2
disgusted:-3 disgusting:-3.1 gross:-2.2 sad:-2.1 sadly:-1.4 unhappy:-2.3 upset:-2.2 sucks:-2.4
suck:-2.2 sucked:-2.2 crap:-2.4 crappy:-2.5 shit:-2.6 shitty:-2.8 garbage:-2.6 trash:-2.4
rubbish:-2.4 junk:-2.2 useless:-2.6 worthless:-2.7 pathetic:-2.8 ridiculous:-2.2
unacceptable:-2.8 disgrace:-2.8 disgraceful:-3 shameful:-2.7 shame:-1.8 joke:-1.2
incompetent:-2.8 rude:-2.5 unprofessional:-2.5 unhelpful:-2.3 unresponsive:-2 slow:-1.4
slower:-1.4 sluggish:-1.6 broken:-2.1 broke:-1.4 fail:-2.2 failed:-2.1 fails:-2.1 failing:-2.1
failure:-2.4 fault:-1.5 faulty:-2.1 defective:-2.2 damaged:-2 problem:-1.5 problems:-1.6
issue:-1.1 issues:-1.3 bug:-1.1 bugs:-1.3 buggy:-1.8 glitch:-1.2 glitchy:-1.7 error:-1.2
errors:-1.3 crash:-1.6 crashed:-1.8 crashes:-1.8 crashing:-1.9 outage:-2.1 frozen:-1 freezes:-1.5
lag:-1.2 laggy:-1.6 delay:-1.2 delayed:-1.5 delays:-1.3 late:-1 lost:-1.4 missing:-1.1
cancel:-0.8 cancelled:-1.3 canceled:-1.3 cancelling:-1 cancellation:-0.8 waiting:-0.6
waited:-0.9 complaint:-1.6 complain:-1.5 complaining:-1.5 complained:-1.5 scam:-3 scammed:-3.1
fraud:-3 fraudulent:-3 stolen:-2.4 cheated:-2.8 overcharged:-2.3 overpriced:-2 expensive:-1
pricey:-0.8 refund:-1/-1.6 refunds:-1/-1.6 waste:-2.2 wasted:-2.3 wasting:-2.2 avoid:-1.6/0.3
regret:-2.2 regrets:-2.2 regretting:-2.3 sorry:-0.6 apologies:-0.3 unfortunately:-1.3
unfortunate:-1.5 nightmare:-2.8 disaster:-2.9 mess:-2 messy:-1.6 chaos:-2 hell:-2.2
hopeless:-2.5 helpless:-2.2 confusing:-1.6 confused:-1.4 unclear:-1 difficult:-1.3
impossible:-1.6 unusable:-2.8 unreliable:-2.2 unstable:-1.8 incorrect:-1.3 wrong:-1.8
horrendous:-3.2 atrocious:-3.2 abysmal:-3.1 dreadful:-2.9 appalling:-3 appalled:-2.9
outrageous:-2.7 outraged:-2.9 shocking:-2 shocked:-1.5 stupid:-2.3 dumb:-2 idiot:-2.6
idiots:-2.6 lame:-1.8 boring:-1.8 bored:-1.5 meh:-1 ugh:-1.8 ugly:-2.2 nasty:-2.6 dirty:-1.9
filthy:-2.6 stinks:-2.2 pain:-1.8 painful:-2.2 hurt:-1.9 hurts:-1.9 tired:-1.3 worry:-1.3
worried:-1.6 worries:-1.3 concerned:-1.1 scared:-1.8 afraid:-1.6 horrific:-3.1 cry:-1.6
crying:-1.8 fuming:-2.9 livid:-3 ignored:-2 ignoring:-2 ignore:-1.4 denied:-1.6 rejected:-1.6
unfair:-2 misleading:-2.2 lied:-2.6 lies:-2.3 liar:-2.6 lying:-2.3 bullshit:-2.8 wtf:-2.2
fml:-2.2 smh:-1.6 ffs:-2.2 damn:-1.3 dammit:-1.8 fuck:-2.5 fucked:-2.6 downhill:-1.8
inconvenience:-1.4 inconvenient:-1.4 hassle:-1.6 struggling:-1.4 stuck:-1.5 spam:-1.5
sloppy:-1.9 careless:-2 clueless:-2.1 lousy:-2.4 mediocre:-1.3 subpar:-1.8 flimsy:-1.6 weak:-1.2
lacking:-1.2 asap:-0.5 urgent:-0.8 urgently:-0.8 fix:-0.4/-1.2 sick:-1.4

response:0/-1.6 reply:0/-1.6 respond:0/-1.6 answer:0/-1.4 update:0/-1.2 updates:0/-1.2
help:0/-1.6 work:0/-1.8 load:0/-1.5 loading:0/-1.5 loads:0/-1.5 connect:0/-1.5 arrive:0/-1.5
received:0/-1.5 receive:0/-1.4 care:0/-1.8 cares:0/-1.8 buy:0/-1.8 fixed:2/-1.6
resolved:2/-1.7 solved:2/-1.6 sorted:1/-1.2 works:1/-1.8 worked:1.1/-1.8 working:0.5/-2
refunded:0.6/-1.6 helped:1.6/-1.6 replied:0/-1.6 responded:0/-1.6 answered:0/-1.4
arrived:0/-1.6 delivered:0/-1.6 heard_back:0/-1.6 hear_back:0/-1.4
log_in:0/-1.5 login:0/-1.5 sign_in:0/-1.4 access:0/-1.3

still_waiting:-1.8 on_hold:-1.5 cancelled_again:-2.3 canceled_again:-2.3 down_again:-2
is_down:-1.6 was_down:-1.3 are_down:-1.3 still_down:-1.9 been_down:-1.6 goes_down:-1.4
thanks_for_nothing:-2.4 can't_stand:-2.3 cannot_stand:-2.3 never_again:-2.3 let_down:-2.2
let_me_down:-2.3 let_us_down:-2.3 letdown:-2.2 fed_up:-2.3 sick_of:-2.2 tired_of:-2
sick_and_tired:-2.6 waste_of_time:-2.6 waste_of_money:-2.7 money_back:-1.6 charged_twice:-2.2
double_charged:-2.2 rip_off:-2.6 ripoff:-2.6 ripped_off:-2.7 out_of_stock:-1 hung_up:-2
took_forever:-2 takes_forever:-2 taking_forever:-2 hours_later:-1.1 days_later:-1.1
weeks_later:-1.2 app_down:-1.6 site_down:-1.6 website_down:-1.6
server_down:-1.6 servers_down:-1.6 service_down:-1.6 system_down:-1.6 one_star:-2.2 1_star:-2.2 zero_stars:-2.5 no_stars:-2.2

thank_you:2 thank_you_so_much:2.7 thanks_so_much:2.6 thank_you_very_much:2.6 thanks_a_lot:1.9
thanks_a_million:2.6 can't_wait:2 cannot_wait:2 well_done:2.4 top_notch:2.6 you_rock:2.5
hell_yeah:2.4 hell_yes:2.4 five_stars:2.5 5_stars:2.5 kind_of_you:2 no_doubt:0.6

not_only:0 not_just:0 customer_care:0 look_forward:1.2 looking_forward:1.6
please:0 pls:0 plz:0 kindly:0 can't_believe:0 cannot_believe:0 couldn't_believe:0
`;

/** Multipliers for the next sentiment word within a short scope; < 1 dampens. */
const MODIFIERS = `
very:1.3 really:1.3 so:1.3 too:1.2 extremely:1.6 incredibly:1.5 absolutely:1.5 totally:1.4
completely:1.4 utterly:1.5 truly:1.3 highly:1.4 super:1.4 most:1.2 such:1.2 quite:1.1
pretty:1.15 real:1.15 hugely:1.4 massively:1.4 insanely:1.5 ridiculously:1.5 seriously:1.3
especially:1.2 exceptionally:1.5 particularly:1.2 remarkably:1.4 thoroughly:1.3
unbelievably:1.5 entirely:1.3 fully:1.2 deeply:1.4 greatly:1.3 way:1.2 much:1.2 fucking:1.4
freaking:1.4 frickin:1.4 bloody:1.3 effing:1.4
slightly:0.6 somewhat:0.7 kinda:0.7 sorta:0.7 marginally:0.6 mildly:0.6 partly:0.7 less:0.7
almost:0.8 occasionally:0.7 relatively:0.85 reasonably:0.85 moderately:0.8 rather:0.9 fairly:0.85
kind_of:0.7 sort_of:0.7 a_bit:0.8 a_little:0.8
`;

/** Words whose scope flips the sentiment of the next few words. */
const NEGATORS = `
not no never none nobody nothing neither nor without cannot can't don't doesn't didn't isn't
aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't ain't mustn't
needn't hardly barely rarely seldom nowhere
`;

/** Contrast words after which the new clause dominates ("good, but slow"). */
const BUT_WORDS = 'but however nevertheless nonetheless';

/** Concessive words whose own clause is discounted ("although friendly, ..."). */
const ALTHOUGH_WORDS = 'although though despite whereas';

/** Words after which "like" is a preposition or a request, not a sentiment ("looks like"). */
const LIKE_CUES = `
look looks looked looking seem seems seemed feel feels felt feeling sound sounds sounded is was
are were be been it's that's something anything nothing exactly would i'd we'd you'd just
`;

/** Emoji code points (hex) and their valences. */
const EMOJI = `
1F600:2 1F601:2 1F602:1 1F923:1 1F603:2 1F604:2 1F605:0.5 1F606:1.5 1F609:1 1F60A:2.2 1F60B:1.8
1F60E:1.5 1F60D:2.8 1F618:2.2 1F970:2.8 1F617:1 1F619:1.2 1F61A:1.5 263A:1.8 1F642:1.2 1F917:1.8
1F929:2.6 1F607:1.5 1F973:2.5 1F44D:1.8 1F44F:1.8 1F64C:2 1F64F:1.5 1F4AA:1.5 1F44C:1.5 270C:1
1F389:2.2 1F38A:2 2728:1 1F31F:1.5 2B50:1.5 1F4AF:2 1F525:1.2 1F3C6:1.5 1F947:1.5 2705:1.2
2764:2.5 2665:2.3 1F495:2.5 1F496:2.5 1F497:2.3 1F493:2.2 1F49E:2.3 1F498:2.2 1F49D:2.2
1F499:2.2 1F49A:2.2 1F49B:2.2 1F49C:2.2 1F9E1:2.2 1F90D:2 1F63B:2.5 1F63A:1.5 1F638:1.5
1F60C:1 1F308:1
1F621:-3 1F620:-2.8 1F92C:-3.2 1F624:-2.2 1F494:-2.8 1F44E:-2.2 1F622:-2.2 1F62D:-2 1F641:-1.6
2639:-2 1F61E:-2.2 1F614:-1.8 1F61F:-1.8 1F615:-1.3 1F612:-1.8 1F644:-1.8 1F629:-2.2 1F62B:-2.2
1F616:-2 1F623:-1.8 1F613:-1.5 1F625:-1.5 1F630:-2 1F628:-2 1F631:-1.8 1F627:-1.5 1F626:-1.5
1F62C:-1 1F610:-0.5 1F611:-0.8 1F926:-2 1F92E:-2.8 1F922:-2.4 1F4A9:-2.2 1F595:-3 1F63E:-2
1F63F:-2 1F47F:-2.5 274C:-1.5 1F6AB:-1.2 26A0:-0.8 1F937:-0.5 1F62A:-1.2 1F971:-1.2 1F97A:-0.8
1F921:-1.5 1F92F:-1 1F912:-1 1F915:-1
`;

// Tuning constants; magnitudes follow VADER's published heuristics where one exists.
const NEG_SCALAR = -0.74;
const NEG_SCOPE = 3;
const MODIFIER_SCOPE = 3;
const BUT_BEFORE = 0.5;
const BUT_AFTER = 1.5;
const ALTHOUGH_WEIGHT = 0.5;
const CAPS_EMPHASIS = 0.733;
const ELONGATION_EMPHASIS = 0.3;
const AGAIN_EMPHASIS = -1;
const EXCLAMATION_EMPHASIS = 0.292;
const MAX_EXCLAMATIONS = 4;
const ALPHA = 15;
/**
 * Label thresholds, asymmetric on purpose: positive words are used casually ("like", "lol",
 * "good morning") far more than negative ones (the positivity bias of language), so a text needs
 * more positive evidence than negative evidence to leave neutral. Chosen as one global pair on the
 * three public labelled sets (never per example); see README "Sentiment".
 */
export const POSITIVE_THRESHOLD = 0.2;
export const NEGATIVE_THRESHOLD = -0.05;
/**
 * Positive threshold of an impersonal text: one with no first- or second-person word, no
 * exclamation mark and no emoji or emoticon, the classic cues of subjectivity. Such texts are
 * mostly reports ("Apple to unveil its best iPhone yet on Tuesday"), whose mild positive words
 * describe the news rather than the writer's feeling, so they need twice the evidence. One global
 * value, chosen on the three public labelled sets like the pair above.
 */
export const IMPERSONAL_POSITIVE_THRESHOLD = 0.4;

const F_TERMINAL = 1;
const F_NEGATOR = 2;
const F_BUT = 4;
const F_ALTHOUGH = 8;
const F_AGAIN = 16;
const F_LIKE = 32;
const F_LIKE_CUE = 64;
const F_RESOLVES = 128;
const F_PERSONAL = 256;

/** First- and second-person words: a cue that the writer speaks for themself or to someone. */
const PERSONAL_WORDS = `
i i'm im i've ive i'll i'd me my mine myself we we're we've we'll our ours us you you're youre
you've you'll your yours yourself u ur
`;

/** Words that close a problem named just before them ("problem solved", "issue fixed"). */
const RESOLUTION_WORDS = 'fixed resolved solved sorted';

interface Entry {
  valence: number;
  /** Valence used in a negation scope; NaN means valence * NEG_SCALAR. */
  negated: number;
  /** Multiplier for the next sentiment word; 1 when the entry is not a modifier. */
  modifier: number;
  flags: number;
  /** Continuations of multi-word phrases, keyed by the next word's id. */
  next: Map<number, Entry> | null;
}

/** One entry per known word, indexed by word id; phrase continuations hang off `next`. */
const ENTRIES: Entry[] = [];
/** Word spelling to word id; only used at load time and for elongated words. */
const WORD_IDS = new Map<string, number>();
const EMOJI_MAP = new Map<number, number>();

// Words are looked up by walking a char-code trie while tokenizing, so no substring is allocated.
// Slots: a-z, 0-9, apostrophe (straight or curly).
const SLOTS = 37;
const trieBuild: number[] = new Array<number>(SLOTS).fill(-1);
const trieWordBuild: number[] = [-1];

function slotOf(c: number): number {
  const folded = c | 32;
  if (folded >= 97 && folded <= 122) return folded - 97;
  if (c >= 48 && c <= 57) return c - 22;
  if (c === 39 || c === 0x2019) return 36;
  return -1;
}

function trieInsert(word: string, id: number): void {
  let state = 0;
  for (let i = 0; i < word.length; i++) {
    const slot = slotOf(word.charCodeAt(i));
    if (slot < 0) throw new Error(`sentiment lexicon: unsupported character in "${word}"`);
    let next = trieBuild[state * SLOTS + slot] ?? -1;
    if (next < 0) {
      next = trieWordBuild.length;
      trieWordBuild.push(-1);
      for (let s = 0; s < SLOTS; s++) trieBuild.push(-1);
      trieBuild[state * SLOTS + slot] = next;
    }
    state = next;
  }
  if ((trieWordBuild[state] ?? -1) < 0) trieWordBuild[state] = id;
}

/** Returns the id of a word, registering it (and its apostrophe-less spelling) if new. */
function wordId(word: string): number {
  const known = WORD_IDS.get(word);
  if (known !== undefined) return known;
  const id = ENTRIES.length;
  ENTRIES.push({ valence: 0, negated: NaN, modifier: 1, flags: 0, next: null });
  WORD_IDS.set(word, id);
  trieInsert(word, id);
  const bare = word.replace("'", '');
  if (bare !== word && !WORD_IDS.has(bare)) {
    WORD_IDS.set(bare, id);
    trieInsert(bare, id);
  }
  return id;
}

/** Returns the entry for a `_`-joined key, creating phrase nodes on the way. */
function entryFor(key: string): Entry {
  const parts = key.split('_');
  let node = ENTRIES[wordId(parts[0] ?? '')];
  for (let p = 1; node !== undefined && p < parts.length; p++) {
    const id = wordId(parts[p] ?? '');
    node.next ??= new Map<number, Entry>();
    let child = node.next.get(id);
    if (child === undefined) {
      child = { valence: 0, negated: NaN, modifier: 1, flags: 0, next: null };
      node.next.set(id, child);
    }
    node = child;
  }
  if (node === undefined) throw new Error(`sentiment lexicon: bad key "${key}"`);
  return node;
}

function items(list: string): string[] {
  return list.split(/\s+/).filter((item) => item.length > 0);
}

function buildLexicon(): void {
  for (const item of items(VALENCES)) {
    const [key = '', numbers = ''] = item.split(':');
    const [valence = '0', negated] = numbers.split('/');
    const entry = entryFor(key);
    entry.valence = Number(valence);
    entry.negated = negated === undefined ? NaN : Number(negated);
    entry.flags |= F_TERMINAL;
  }
  for (const item of items(MODIFIERS)) {
    const [key = '', factor = '1'] = item.split(':');
    const entry = entryFor(key);
    entry.modifier = Number(factor);
    entry.flags |= F_TERMINAL;
  }
  const flagged: [string, number][] = [
    [NEGATORS, F_NEGATOR | F_TERMINAL],
    [BUT_WORDS, F_BUT | F_TERMINAL],
    [ALTHOUGH_WORDS, F_ALTHOUGH | F_TERMINAL],
    ['again', F_AGAIN | F_TERMINAL],
    [RESOLUTION_WORDS, F_RESOLVES],
    ['like', F_LIKE | F_TERMINAL],
    [LIKE_CUES, F_LIKE_CUE],
    [PERSONAL_WORDS, F_PERSONAL],
    // Known to the tokenizer so that "No and no." reads as two answers (AND_ID).
    ['and', 0]
  ];
  for (const [list, flags] of flagged) {
    for (const key of items(list)) entryFor(key).flags |= flags;
  }
  // VADER's ratings fill in the words the hand-written lexicon does not cover.
  for (const item of items(VADER_VALENCES)) {
    const [key = '', valence = '0'] = item.split(':');
    // A single letter is an initial, a list label or a unit ("L", "b)"), not a word to rate.
    if (key.length < 2) continue;
    const entry = entryFor(key);
    if (entry.flags !== 0 || entry.modifier !== 1) continue;
    entry.valence = Number(valence);
    entry.flags |= F_TERMINAL;
  }
  for (const item of items(EMOJI)) {
    const [hex = '0', valence = '0'] = item.split(':');
    EMOJI_MAP.set(parseInt(hex, 16), Number(valence));
  }
}

buildLexicon();

const TRIE = Int32Array.from(trieBuild);
const TRIE_WORD = Int32Array.from(trieWordBuild);
const HAHA_ID = WORD_IDS.get('hahaha') ?? -1;
const NO_ID = WORD_IDS.get('no') ?? -1;
const AND_ID = WORD_IDS.get('and')!;
/**
 * "no" on its own ("No.", "No, I did not", "No and no.") is a refusal, rated -1.2 as in VADER's
 * lexicon; followed by a word it only negates ("no problem", "no idea why …").
 */
const NO_VALENCE = -1.2;

const T_WORD = 0;
const T_EMO = 1;
const T_BREAK = 2;

const M_CAPS = 1;
const M_EMPHASIS = 2;

// Scratch token buffers reused across calls so that scoring allocates almost nothing.
const kinds: number[] = [];
const ids: number[] = [];
const metas: number[] = [];
const values: number[] = [];
const starts: number[] = [];
const ends: number[] = [];
let count = 0;
let exclamations = 0;
let capsWords = 0;
let lowerWords = 0;
/**
 * Cues that the writer speaks for themself: first- or second-person words (counted while
 * tokenizing), emoji, emoticons and negated judgements (counted while scoring). See
 * IMPERSONAL_POSITIVE_THRESHOLD.
 */
let personalCues = 0;
/** End index of the last emoticon matched by matchEmoticon. */
let emoticonEnd = 0;

function isLetter(c: number): boolean {
  return (
    ((c | 32) >= 97 && (c | 32) <= 122) || (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7)
  );
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57);
}

function push(kind: number, id: number, meta: number, value: number, start = -1, end = -1): void {
  kinds[count] = kind;
  ids[count] = id;
  metas[count] = meta;
  values[count] = value;
  starts[count] = start;
  ends[count] = end;
  count++;
}

function pushBreak(): void {
  if (count > 0 && kinds[count - 1] !== T_BREAK) push(T_BREAK, -1, 0, 0);
}

/** Valence of an ASCII emoticon starting at `i` (":)", ";-(", ":'(", "=D"), or 0 if none. */
function matchEmoticon(text: string, i: number): number {
  // A letter or digit before ":" means a time, a URL scheme or a label ("10:30", "re:").
  if (i > 0 && isWordChar(text.charCodeAt(i - 1))) return 0;
  let j = i + 1;
  let tear = false;
  let c = text.charCodeAt(j);
  if (c === 45 || c === 39) {
    tear = c === 39;
    j++;
    c = text.charCodeAt(j);
  }
  const after = text.charCodeAt(j + 1);
  let valence = 0;
  if (c === 41 || c === 93 || c === 125) valence = tear ? 1.8 : 2;
  else if (c === 40 || c === 91 || c === 123) valence = tear ? -2.5 : -2;
  else if (c === 47 || c === 92) valence = after === 47 || isWordChar(after) ? 0 : -1.2;
  else if (c === 124) valence = isWordChar(after) ? 0 : -0.8;
  // ":l" / ":L", a flat mouth (VADER rates ":l" -1.7); ":lol" is not one.
  else if (c === 108 || c === 76) valence = isWordChar(after) ? 0 : -1.7;
  else if (c === 68) valence = isWordChar(after) ? 0 : 2.3;
  else if (c === 80 || c === 112) valence = isWordChar(after) ? 0 : 1.2;
  else if (c === 42) valence = 1.8;
  if (valence === 0) return 0;
  j++;
  // Repeated mouths (":)))") are one emoticon.
  while (text.charCodeAt(j) === c) j++;
  emoticonEnd = j;
  return valence;
}

/** Looks up an elongated word ("gooood", "sooo") by collapsing letter runs to two, then one. */
function elongatedId(word: string): number {
  let two = '';
  let one = '';
  let prev = '';
  let run = 0;
  for (const ch of word) {
    run = ch === prev ? run + 1 : 1;
    prev = ch;
    if (run <= 2) two += ch;
    if (run === 1) one += ch;
  }
  for (const candidate of [two, one]) {
    const id = WORD_IDS.get(candidate);
    if (id !== undefined && ((ENTRIES[id]?.flags ?? 0) & F_TERMINAL) !== 0) return id;
  }
  return -1;
}

/** Splits text into word, emoji/emoticon and clause-break tokens in one pass over char codes. */
function tokenize(text: string): void {
  count = 0;
  exclamations = 0;
  capsWords = 0;
  lowerWords = 0;
  personalCues = 0;
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      const start = i;
      let upper = 0;
      let lower = 0;
      let run = 0;
      let prev = -1;
      let elongated = false;
      let state = 0;
      // A hashtag in camel case is several words ("#NotHappy", "#EpicFail"): it splits where a
      // capital follows a small letter, and each part is scored as the word it is.
      const hashtag = start > 0 && text.charCodeAt(start - 1) === 35;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d >= 97 && d <= 122) lower++;
        else if (d >= 65 && d <= 90) {
          if (hashtag && i > start && isLower(text.charCodeAt(i - 1))) break;
          upper++;
        } else if ((d >= 48 && d <= 57) || (d >= 0xc0 && isLetter(d))) {
          // Digits and non-ASCII letters stay inside the word ("5", "café").
        } else if (
          (d === 39 || d === 0x2019) &&
          isLetter(prev) &&
          i + 1 < len &&
          isLetter(text.charCodeAt(i + 1))
        ) {
          // Apostrophe inside a word ("don't", "isn’t").
        } else break;
        if (state >= 0) {
          const slot = slotOf(d);
          state = slot < 0 ? -1 : (TRIE[state * SLOTS + slot] ?? -1);
        }
        const folded = d >= 65 && d <= 90 ? d | 32 : d;
        run = folded === prev ? run + 1 : 1;
        if (run === 3 && isLetter(folded)) elongated = true;
        prev = folded;
        i++;
      }
      // Skip URLs whole; their path segments are not words.
      if (
        (text.charCodeAt(i) === 58 &&
          text.charCodeAt(i + 1) === 47 &&
          text.charCodeAt(i + 2) === 47) ||
        (i - start === 3 &&
          text.charCodeAt(i) === 46 &&
          (c | 32) === 119 &&
          (text.charCodeAt(start + 1) | 32) === 119 &&
          (text.charCodeAt(start + 2) | 32) === 119)
      ) {
        while (i < len && text.charCodeAt(i) > 32) i++;
        continue;
      }
      let id = state > 0 ? (TRIE_WORD[state] ?? -1) : -1;
      let meta = 0;
      if (id < 0 && elongated) {
        id = elongatedId(text.slice(start, i).toLowerCase());
        if (id >= 0) meta = M_EMPHASIS;
      } else if (
        id < 0 &&
        i - start > 6 &&
        (c | 32) === 104 &&
        (text.charCodeAt(start + 1) | 32) === 97 &&
        (text.charCodeAt(start + 2) | 32) === 104
      ) {
        // "hahahaha" of any length.
        id = HAHA_ID;
      }
      if (upper >= 2 && lower === 0) {
        meta |= M_CAPS;
        capsWords++;
      } else if (lower > 0) lowerWords++;
      if (id >= 0 && ((ENTRIES[id]?.flags ?? 0) & F_PERSONAL) !== 0) personalCues++;
      push(T_WORD, id, meta, 0, start, i);
      continue;
    }
    if (c === 32) {
      i++;
    } else if (c === 46 || c === 63 || c === 44 || c === 10 || c === 13 || c === 0x2026) {
      pushBreak();
      i++;
    } else if (c === 33) {
      exclamations++;
      pushBreak();
      i++;
    } else if (c === 58 || c === 59 || c === 61) {
      const valence = matchEmoticon(text, i);
      if (valence !== 0) {
        push(T_EMO, -1, 0, valence, i, emoticonEnd);
        i = emoticonEnd;
      } else {
        if (c !== 61) pushBreak();
        i++;
      }
    } else if (c === 64) {
      // @handles name accounts, not sentiment ("@GreatDeals").
      i++;
      while (i < len && (isWordChar(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
    } else if (c === 60) {
      // "<3" is a heart, "</3" a broken one; "<30" is a number.
      const broken = text.charCodeAt(i + 1) === 47;
      let j = broken ? i + 2 : i + 1;
      if (text.charCodeAt(j) === 51) {
        while (text.charCodeAt(j) === 51) j++;
        const d = text.charCodeAt(j);
        if (!(d >= 48 && d <= 57)) {
          push(T_EMO, -1, 0, broken ? -2.5 : 2.5, i, j);
          i = j;
          continue;
        }
      }
      i++;
    } else if (c === 94) {
      // "^^" and "^_^" smile; a longer run of carets points at the post above.
      const next = text.charCodeAt(i + 1);
      const end = next === 94 ? i + 2 : next === 95 && text.charCodeAt(i + 2) === 94 ? i + 3 : -1;
      if (end > 0 && text.charCodeAt(end) !== 94) {
        push(T_EMO, -1, 0, 1.5, i, end);
        i = end;
      } else {
        while (i < len && text.charCodeAt(i) === 94) i++;
      }
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        const valence = EMOJI_MAP.get(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
        if (valence !== undefined) push(T_EMO, -1, 0, valence, i, i + 2);
        i += 2;
      } else i++;
    } else if (c >= 0x2000) {
      const valence = EMOJI_MAP.get(c);
      if (valence !== undefined) push(T_EMO, -1, 0, valence, i, i + 1);
      i++;
    } else {
      i++;
    }
  }
}

function label(score: number, personal: boolean): SentimentLabel {
  if (score >= (personal ? POSITIVE_THRESHOLD : IMPERSONAL_POSITIVE_THRESHOLD)) return 'positive';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

function traceToken(
  trace: Trace,
  text: string,
  first: number,
  last: number,
  valence: number,
  contrast: number,
  clause: number,
  rules: string[]
): void {
  if (contrast !== 1) rules.push('after a contrast (stressed)');
  if (clause !== 1) rules.push('in a concessive clause (discounted)');
  trace.contributions.push({
    text: text.slice(starts[first] ?? 0, ends[last] ?? 0),
    valence: Math.round(valence * 1000) / 1000,
    rules
  });
}

/**
 * Scores one text: score in [-1, 1] (sum of valences normalised by x / sqrt(x² + 15)) and a label
 * (positive at score >= 0.2, or 0.4 for an impersonal text; negative at score <= -0.05; otherwise
 * neutral).
 */
export function scoreSentiment(text: string): Sentiment {
  return score(text, null);
}

/** One token or rule that moved a text's score, for explanations. */
export interface SentimentContribution {
  /** The words, emoji or emoticon as written in the text. */
  text: string;
  /** What it added to the raw total (before normalisation to [-1, 1]). */
  valence: number;
  /** Rules that shaped it: negated, intensified ×1.3, CAPS, elongated, after "but", … */
  rules: string[];
}

/** A score with the tokens and rules that produced it. */
export interface SentimentExplanation extends Sentiment {
  contributions: SentimentContribution[];
  /** Whole-text rules: exclamation marks, a contrast that discounted the first clause. */
  rules: string[];
}

/**
 * Scores a text like {@link scoreSentiment} and says why: every token that contributed, with the
 * rules applied to it. Same code path; the hot path skips the bookkeeping.
 */
export function explainSentiment(text: string): SentimentExplanation {
  const trace: Trace = { contributions: [], rules: [] };
  const s = score(text, trace);
  return { ...s, contributions: trace.contributions, rules: trace.rules };
}

interface Trace {
  contributions: SentimentContribution[];
  rules: string[];
}

/**
 * The character references Twitter's and many feeds' APIs escape text with: "&gt;" read as a
 * word would be "gt" (a lexicon entry), and "&lt;3" would lose its heart.
 */
const ESCAPED = /&(?:amp|lt|gt|quot|#39|apos);/g;
const UNESCAPED: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'"
};

function score(written: string, trace: Trace | null): Sentiment {
  const text = written.includes('&') ? written.replace(ESCAPED, (e) => UNESCAPED[e]!) : written;
  tokenize(text);
  // Caps only emphasise relative to lower-case words; an all-caps text is just shouting style.
  const capsMatter = capsWords > 0 && lowerWords > 0;
  let total = 0;
  let contrast = 1;
  let clause = 1;
  let negScope = 0;
  let modifier = 1;
  let modifierScope = 0;
  let lastSign = 0;
  /** The last negative contribution in the current clause, which a resolution word cancels. */
  let lastNegative = 0;
  let lastNegativeIndex = -1;
  let sinceHit = NEG_SCOPE;
  const n = count;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] ?? T_BREAK;
    if (kind === T_BREAK) {
      negScope = 0;
      modifierScope = 0;
      clause = 1;
      lastNegative = 0;
      continue;
    }
    if (kind === T_EMO) {
      personalCues++;
      const valence = values[i] ?? 0;
      total += valence * contrast * clause;
      if (trace) traceToken(trace, text, i, i, valence * contrast * clause, contrast, clause, []);
      lastSign = valence;
      sinceHit = 0;
      continue;
    }
    const entry = ENTRIES[ids[i] ?? -1];
    let match = entry !== undefined && (entry.flags & F_TERMINAL) !== 0 ? entry : undefined;
    let span = 1;
    if (entry !== undefined && entry.next !== null) {
      let node: Entry = entry;
      for (let j = i + 1; j < n && kinds[j] === T_WORD && node.next !== null; j++) {
        const child = node.next.get(ids[j] ?? -1);
        if (child === undefined) break;
        node = child;
        if ((node.flags & F_TERMINAL) !== 0) {
          match = node;
          span = j - i + 1;
        }
      }
    }
    const negated = negScope > 0;
    negScope = negScope > span ? negScope - span : 0;
    const activeModifier = modifierScope > 0 ? modifier : 1;
    modifierScope = modifierScope > span ? modifierScope - span : 0;
    sinceHit += span;
    if (match === undefined) continue;
    let meta = 0;
    for (let j = i; j < i + span; j++) meta |= metas[j] ?? 0;
    const start = i;
    i += span - 1;
    const flags = match.flags;
    if ((flags & F_NEGATOR) !== 0) {
      negScope = NEG_SCOPE;
      if (ids[start] === NO_ID && span === 1) {
        // On its own: the text or clause ends, or another "no" follows ("No and no.").
        const alone =
          start + 1 >= n ||
          kinds[start + 1] === T_BREAK ||
          ids[start + 1] === NO_ID ||
          (ids[start + 1] === AND_ID && ids[start + 2] === NO_ID);
        if (alone) {
          const valence = NO_VALENCE * contrast * clause;
          total += valence;
          if (trace)
            traceToken(trace, text, start, i, valence, contrast, clause, ['"no" on its own']);
          lastSign = -1;
          sinceHit = 0;
        }
      }
      continue;
    }
    if ((flags & F_BUT) !== 0) {
      if (trace && total !== 0) trace.rules.push(`contrast: what came before is halved`);
      total *= BUT_BEFORE;
      if (trace) for (const c of trace.contributions) c.valence *= BUT_BEFORE;
      contrast = BUT_AFTER;
      clause = 1;
      negScope = 0;
      modifierScope = 0;
      continue;
    }
    if ((flags & F_ALTHOUGH) !== 0) {
      clause = ALTHOUGH_WEIGHT;
      negScope = 0;
      modifierScope = 0;
      continue;
    }
    if ((flags & F_AGAIN) !== 0) {
      // Recurrence ("down again", "late again") is what makes a complaint angry.
      if (lastSign < 0 && sinceHit <= 2) {
        total += AGAIN_EMPHASIS * contrast * clause;
        if (trace) {
          traceToken(trace, text, start, i, AGAIN_EMPHASIS * contrast * clause, contrast, clause, [
            'recurrence after a complaint'
          ]);
        }
      }
      continue;
    }
    if (match.modifier !== 1) {
      let factor = match.modifier;
      if (capsMatter && (meta & M_CAPS) !== 0) factor = 1 + (factor - 1) * 1.5;
      modifier = activeModifier * factor;
      modifierScope = MODIFIER_SCOPE;
      continue;
    }
    if (
      (flags & F_LIKE) !== 0 &&
      start > 0 &&
      kinds[start - 1] === T_WORD &&
      ((ENTRIES[ids[start - 1] ?? -1]?.flags ?? 0) & F_LIKE_CUE) !== 0
    ) {
      continue;
    }
    let valence: number;
    if (negated) {
      // Modifiers are ignored under negation: "not very good" is about as bad as "not good".
      valence = Number.isNaN(match.negated) ? match.valence * NEG_SCALAR : match.negated;
    } else {
      valence = match.valence * activeModifier;
      const sign = valence > 0 ? 1 : valence < 0 ? -1 : 0;
      if (capsMatter && (meta & M_CAPS) !== 0) valence += sign * CAPS_EMPHASIS;
      if ((meta & M_EMPHASIS) !== 0) valence += sign * ELONGATION_EMPHASIS;
    }
    if (valence === 0) continue;
    modifierScope = 0;
    if ((flags & F_RESOLVES) !== 0 && !negated && valence > 0 && lastNegative < 0) {
      // "my problem has been solved": the problem is over, the outcome is what counts.
      total -= lastNegative;
      if (trace) {
        const undone = trace.contributions[lastNegativeIndex];
        if (undone) {
          undone.valence = 0;
          undone.rules.push('resolved later in the clause');
        }
      }
      lastNegative = 0;
    }
    total += valence * contrast * clause;
    if (valence < 0) {
      lastNegative = valence * contrast * clause;
      lastNegativeIndex = trace ? trace.contributions.length : -1;
    }
    if (trace) {
      const rules: string[] = [];
      if (negated) rules.push('negated');
      else {
        if (activeModifier !== 1)
          rules.push(`intensity ×${Math.round(activeModifier * 100) / 100}`);
        if (capsMatter && (meta & M_CAPS) !== 0) rules.push('CAPS');
        if ((meta & M_EMPHASIS) !== 0) rules.push('elongated');
      }
      traceToken(trace, text, start, i, valence * contrast * clause, contrast, clause, rules);
    }
    lastSign = valence;
    sinceHit = 0;
    // Negating a rated word ("not bad", "never fails") is a judgement, not a report.
    if (negated) personalCues++;
  }
  if (total !== 0 && exclamations > 0) {
    const boost = Math.min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_EMPHASIS;
    total += total > 0 ? boost : -boost;
    if (trace) trace.rules.push(`${exclamations} exclamation mark(s) add emphasis`);
  }
  // Give back a huge text's token buffers instead of holding them until the process exits.
  if (n > 4096) {
    kinds.length = 0;
    ids.length = 0;
    metas.length = 0;
    values.length = 0;
  }
  const raw = total / Math.sqrt(total * total + ALPHA);
  const score = Math.round(raw * 10000) / 10000 || 0;
  const personal = personalCues > 0 || exclamations > 0;
  if (trace && !personal && score >= POSITIVE_THRESHOLD && score < IMPERSONAL_POSITIVE_THRESHOLD)
    trace.rules.push(
      `impersonal (no I or you, "!" or emoji): positive needs ${IMPERSONAL_POSITIVE_THRESHOLD}`
    );
  return { score, label: label(score, personal) };
}
