import { eld } from 'eld/extrasmall';

/*
 * Language of a mention: the platform's declared language when it gave one, otherwise detected
 * from the text with ELD (npm `eld`, Apache-2.0, pure JS, n-gram tables ship in the package).
 *
 * The extra-small ELD table is used: on short social texts it was as accurate as the larger ones
 * in our evaluation, loads fastest and holds the least memory (~30 MB heap), and it prefers no
 * answer over a guess on very short input. Detection still costs ~100 µs per tweet-sized text, so
 * the cheap paths come first: a declared tag, too little text ('und'), and scripts that only one
 * language is written in (kana → ja, Hangul → ko, Thai, Greek, Hebrew).
 *
 * Known limit: ELD has no Indonesian table, so Indonesian text comes back as Malay ('ms').
 */

export type LanguageSource = 'declared' | 'detected' | 'undetermined';

export interface LanguageResult {
  /** ISO 639-1 code such as 'en' (or the primary subtag the platform declared), or 'und'. */
  lang: string;
  source: LanguageSource;
}

/** Languages the sentiment lexicon covers; texts in any other detected language are unscored. */
export const SCORED_LANGUAGES: ReadonlySet<string> = new Set(['en']);

export function isScored(lang: string): boolean {
  return SCORED_LANGUAGES.has(lang);
}

/** Letters (Han, kana and Hangul count 3 each: one carries about a syllable) needed to detect. */
const MIN_LETTERS = 8;
/** Distinct letters needed: 'hahahahaha', 'ok ok ok' and 'wwwww' are not language. */
const MIN_DISTINCT_LETTERS = 4;
/** Share of the letters a single-language script must have to decide without the detector. */
const SCRIPT_SHARE = 0.6;
/** Only the start of a long text is looked at (ELD itself reads at most ~350 bytes). */
const MAX_CHARS = 1000;

/** Primary subtags that say "no particular language" (BCP 47 / ISO 639-2 special codes). */
const NOT_A_LANGUAGE = new Set(['und', 'mul', 'mis', 'zxx']);
/** Withdrawn ISO 639-1 codes still sent by some platforms (Twitter/X sends 'in' and 'iw'). */
const LEGACY_CODES: Readonly<Record<string, string>> = {
  in: 'id',
  iw: 'he',
  ji: 'yi',
  jw: 'jv',
  mo: 'ro'
};

/**
 * The primary subtag of a declared BCP 47 tag ('pt-BR' → 'pt'), or null when the tag names no
 * language: empty, 'und', 'mul', 'zxx', private use ('qme', 'x-…') or not a tag at all.
 */
function declaredLanguage(tag: string | null): string | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(primary)) return null;
  if (NOT_A_LANGUAGE.has(primary) || (primary >= 'qaa' && primary <= 'qtz')) return null;
  return LEGACY_CODES[primary] ?? primary;
}

/**
 * What is not prose: URLs, e-mail addresses, @handles (also Mastodon's @user@server), #hashtags,
 * $cashtags, HTML entities, digits and emoji with their modifiers, joiners, flags and keycaps.
 */
const NOISE =
  /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+|[@#$][\p{L}\p{M}\p{N}_]+(?:@[\w-]+(?:\.[\w-]+)+)?|&#?\w+;|(?:[\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u{e0020}-\u{e007f}]|\u200d|\ufe0f|\u20e3)+/gu;

const LETTER = /\p{L}/u;

/* Scripts the fast path and the letter weights care about, as indexes into a count array. */
const KANA = 0;
const HAN = 1;
const HANGUL = 2;
const THAI = 3;
const GREEK = 4;
const HEBREW = 5;
const OTHER = -1;

/** Ascending code point ranges of those scripts, as (first, last, script) triples. */
// prettier-ignore
const SCRIPT_RANGES: readonly number[] = [
  0x0370, 0x03ff, GREEK,
  0x05d0, 0x05f2, HEBREW,
  0x0e01, 0x0e4e, THAI,
  0x1100, 0x11ff, HANGUL,
  0x1f00, 0x1fff, GREEK,
  0x3041, 0x30ff, KANA,
  0x3131, 0x318e, HANGUL,
  0x31f0, 0x31ff, KANA,
  0x3400, 0x4dbf, HAN,
  0x4e00, 0x9fff, HAN,
  0xac00, 0xd7a3, HANGUL,
  0xf900, 0xfaff, HAN,
  0xff66, 0xff9d, KANA,
  0x20000, 0x3ffff, HAN
];

/** Scripts that a single language is written in, so the script decides it (kana: see below). */
const SCRIPT_LANGUAGE: ReadonlyArray<readonly [number, string]> = [
  [HANGUL, 'ko'],
  [THAI, 'th'],
  [GREEK, 'el'],
  [HEBREW, 'he']
];

function scriptOf(cp: number): number {
  if (cp < 0x0370) return OTHER;
  for (let i = 0; i < SCRIPT_RANGES.length; i += 3) {
    if (cp < (SCRIPT_RANGES[i] ?? 0)) return OTHER;
    if (cp <= (SCRIPT_RANGES[i + 1] ?? 0)) return SCRIPT_RANGES[i + 2] ?? OTHER;
  }
  return OTHER;
}

function isLetter(cp: number, script: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  if (cp >= 0xc0 && cp <= 0x24f) return cp !== 0xd7 && cp !== 0xf7; // Latin-1 and Latin Extended
  return script !== OTHER || LETTER.test(String.fromCodePoint(cp));
}

interface LetterProfile {
  letters: number;
  /** Letters, with Han, kana and Hangul counting 3 each. */
  weight: number;
  /** Distinct letters, counted up to MIN_DISTINCT_LETTERS only. */
  distinct: number;
  /** Letters per script, indexed by KANA, HAN, … */
  scripts: number[];
}

function profile(text: string): LetterProfile {
  const scripts = [0, 0, 0, 0, 0, 0];
  const seen: number[] = [];
  let letters = 0;
  let weight = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++; // the second half of a surrogate pair
    const script = scriptOf(cp);
    if (!isLetter(cp, script)) continue;
    letters++;
    if (script === OTHER) {
      weight++;
    } else {
      scripts[script] = (scripts[script] ?? 0) + 1;
      weight += script === KANA || script === HAN || script === HANGUL ? 3 : 1;
    }
    if (cp < 0x80) cp |= 0x20; // ASCII lower case
    if (seen.length < MIN_DISTINCT_LETTERS && !seen.includes(cp)) seen.push(cp);
  }
  return { letters, weight, distinct: seen.length, scripts };
}

/** The language a single-language script settles without the detector, if one dominates. */
function languageOfScript({ letters, scripts }: LetterProfile): string | null {
  const dominant = letters * SCRIPT_SHARE;
  const kana = scripts[KANA] ?? 0;
  // Kana is written only in Japanese, mixed with Han. A stray 'ツ' (as in ¯\_(ツ)_/¯) is not enough.
  if (kana >= 2 && kana + (scripts[HAN] ?? 0) >= dominant) return 'ja';
  for (const [script, lang] of SCRIPT_LANGUAGE) {
    if ((scripts[script] ?? 0) >= dominant) return lang;
  }
  return null;
}

function undetermined(): LanguageResult {
  return { lang: 'und', source: 'undetermined' };
}

/** Detects the language of a text with no usable declaration; 'und' when short or unsure. */
function detect(text: string): LanguageResult {
  const prose = text.slice(0, MAX_CHARS).replace(NOISE, ' ');
  const letters = profile(prose);
  if (letters.weight < MIN_LETTERS || letters.distinct < MIN_DISTINCT_LETTERS)
    return undetermined();
  const byScript = languageOfScript(letters);
  if (byScript) return { lang: byScript, source: 'detected' };
  const result = eld.detect(prose);
  if (!result.language || !result.isReliable()) return undetermined();
  return { lang: result.language, source: 'detected' };
}

/**
 * The language of a mention. A language the platform declared ('en', 'en-US', 'pt-BR') is
 * trusted, reduced to its primary subtag; without one ('und', empty, null) the text is detected,
 * ignoring URLs, handles, hashtags and emoji, and texts too short or too uncertain get 'und'.
 */
export function detectLanguage(text: string, declared: string | null): LanguageResult {
  const lang = declaredLanguage(declared);
  if (lang) return { lang, source: 'declared' };
  return detect(text);
}
