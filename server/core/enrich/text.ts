import type { Sentiment } from '../../../src/lib/shared/types';
import { detectLanguage, isScored } from './language';
import { scoreSentiment } from './sentiment';

/**
 * Very frequent English function words that are not words of other Latin-script languages:
 * their share of a text is a classic, cheap language-identification signal.
 */
const ENGLISH_MARKERS = new Set(
  (
    'the and you your is are was were my this that with have has had what just for of to it ' +
    "i'm don't can't it's im dont cant be will been they we our their there when why how would " +
    "i not but that's you're i'll i've"
  ).split(' ')
);
const WORD = /[a-z']+/g;

/** Latin-script texts with fewer letters than this are too short to tell languages apart. */
const MIN_LATIN_LETTERS = 40;

/**
 * True when a text is plainly English: mostly ASCII letters, with at least two distinct English
 * function words making up at least 15% of its words, or without any accented letter and with at
 * least one such word. Decides the common case in about a
 * microsecond, where statistical detection takes about a hundred.
 */
export function looksEnglish(text: string): boolean {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) ascii++;
    else if (c > 0xbf && c < 0x2000) other++;
  }
  if (ascii === 0 || other * 10 > ascii) return false;
  const words = text.toLowerCase().match(WORD);
  if (!words) return false;
  const seen = new Set<string>();
  let hits = 0;
  for (const w of words) {
    if (ENGLISH_MARKERS.has(w)) {
      hits++;
      seen.add(w);
    }
  }
  if (seen.size >= 2 && hits * 100 >= words.length * 15) return true;
  // Pure ASCII with an English function word: other Latin-script languages rarely get through a
  // tweet without an accented letter, and the detector would cost a hundred times more.
  return other === 0 && hits > 0;
}

/**
 * Language of a text no platform declared: plainly English text is English; short Latin-script
 * text is undetermined (statistical detection misfires on a few words: "Bad santa BAD" is not
 * Portuguese); anything else goes to the detector.
 */
function guessLanguage(text: string): string {
  if (looksEnglish(text)) return 'en';
  let latin = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if ((c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0xff)) latin++;
    else if (c > 0xff && c < 0x2000) other++;
  }
  if (other * 10 <= latin && latin < MIN_LATIN_LETTERS) return 'und';
  return detectLanguage(text, null).lang;
}

/**
 * The sentiment the live pipeline gives a text (the CLI uses the same function) and the language
 * it decided on: the declared one when the platform gave it, plainly English text without asking
 * the detector, otherwise detected. Texts confidently in a language the lexicon does not cover are
 * marked unscored instead of guessed. Undetermined texts (short ones, emoji only) are scored:
 * emoji and emoticons carry sentiment in any language.
 */
export function sentimentFor(
  text: string,
  declaredLang: string | null
): { sentiment: Sentiment; language: string } {
  const lang =
    declaredLang === null ? guessLanguage(text) : detectLanguage(text, declaredLang).lang;
  if (lang !== 'und' && !isScored(lang)) {
    return { sentiment: { score: 0, label: 'neutral', unscored: true }, language: lang };
  }
  return { sentiment: scoreSentiment(text), language: lang };
}
