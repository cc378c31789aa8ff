// Privacy mode for walls in public spaces: masks who posted (handles, display names), personal
// details in texts (e-mail addresses, phone numbers, @handles) and profanity, in the river, the
// alerts and the top terms. Pure: no I/O, no clock. The plain wall state is broadcast to other
// clients as well, so inputs are never mutated; unchanged parts of the result are shared with the
// input, not copied (treat both as read-only).
import type {
  AlertContext,
  AlertTimelineEntry,
  AlertView,
  CareSummary,
  Detection,
  DetectionDriver,
  MentionBatch,
  RiverItem,
  TopTopics,
  WallPanels,
  WallSnapshot,
  WallTick
} from '../../src/lib/shared/types';
import {
  PROFANE_PREFIXES,
  PROFANE_ROOTS,
  PROFANE_SUFFIXES,
  PROFANE_WORDS
} from './profanity-words';

/** What privacy mode leaves readable. */
export interface PrivacyOptions {
  /**
   * The brand's own handles, shown unmasked: lower-case, without the leading `@` (build it with
   * `keepHandleSet`). Compared with the whole handle, so `@acme@mastodon.social` needs its own entry.
   */
  keepHandles?: ReadonlySet<string>;
}

/** Replaces every character of a handle or name after the first, whatever its length. */
const HANDLE_MASK = '•••';

/** Lower-cased handle without its leading `@`: the form `PrivacyOptions.keepHandles` holds. */
export function handleKey(handle: string): string {
  const h = handle.trim();
  return (h.startsWith('@') ? h.slice(1) : h).toLowerCase();
}

/** The `keepHandles` set for a brand's configured handles (`@Acme`, `acme`, …). */
export function keepHandleSet(handles: Iterable<string>): ReadonlySet<string> {
  const keep = new Set<string>();
  for (const h of handles) {
    const key = handleKey(h);
    if (key !== '') keep.add(key);
  }
  return keep;
}

function isKept(handle: string, keep: ReadonlySet<string> | undefined): boolean {
  return keep !== undefined && keep.size > 0 && keep.has(handleKey(handle));
}

/**
 * Masks a handle or display name: keeps a leading `@` and the first character, and replaces the
 * rest with a fixed `•••`, so the length leaks nothing (`@jonathan` → `@j•••`, `Ana Lima` →
 * `A•••`). An empty string stays empty; a bare `@` becomes `@•••`.
 */
export function maskHandle(handle: string): string {
  const h = handle.trim();
  if (h === '') return '';
  const at = h.charCodeAt(0) === 64 ? '@' : '';
  const first = h.codePointAt(at.length);
  return first === undefined ? at + HANDLE_MASK : at + String.fromCodePoint(first) + HANDLE_MASK;
}

// ---------------------------------------------------------------------------------------------
// Profanity: whole words, after lower-casing, leetspeak folding, accent stripping and squeezing
// stretched letters ("fuuuck").

const PROFANE: ReadonlySet<string> = (() => {
  const words = new Set(PROFANE_WORDS);
  for (const p of PROFANE_PREFIXES) {
    for (const r of PROFANE_ROOTS) for (const s of PROFANE_SUFFIXES) words.add(p + r + s);
  }
  return words;
})();

const RUNS = /(.)\1+/g;
const RUN3 = /(.)\1\1/;
/** Profane words with every run of a repeated letter squeezed to one (`asshole` → `ashole`). */
const PROFANE_SQUEEZED: ReadonlySet<string> = new Set(
  [...PROFANE].map((w) => w.replace(RUNS, '$1'))
);

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  $: 's',
  '@': 'a',
  '!': 'i'
};
const LEET_TEST = /[013457$@!]/;
const LEET_ALL = /[013457$@!]/g;
const NON_ASCII = /[\u0080-\uffff]/;
const MARKS = /\p{M}+/gu;

/** True when one word (letters, digits, `$ @ !`) is profane. */
function isProfane(word: string): boolean {
  const n = word.length;
  if (n < 3 || n > 40) return false;
  let w = word.toLowerCase();
  if (PROFANE.has(w)) return true;
  let changed = false;
  if (LEET_TEST.test(w)) {
    w = w.replace(LEET_ALL, (c) => LEET[c] ?? c);
    changed = true;
  }
  if (NON_ASCII.test(w)) {
    w = w.normalize('NFD').replace(MARKS, '');
    changed = true;
  }
  if (changed && PROFANE.has(w)) return true;
  return RUN3.test(w) && PROFANE_SQUEEZED.has(w.replace(RUNS, '$1'));
}

/** `fuck` → `f***`: the first character, then one `*` per further character. */
function maskWord(word: string): string {
  if (!NON_ASCII.test(word)) return word[0] + '*'.repeat(word.length - 1);
  const chars = Array.from(word);
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** What each letter may be written as: leetspeak and accented forms. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  a: 'a4@àáâãäåā',
  c: 'cç',
  e: 'e3èéêëē',
  i: 'i1!ìíîïī',
  n: 'nñ',
  o: 'o0òóôõöøō',
  s: 's5$',
  t: 't7',
  u: 'uùúûüū',
  y: 'yýÿ'
};

/** A regex class for one letter in any case or look-alike, stretched (`[uUüÜ…]+`). */
function letterClass(c: string): string {
  const forms = LOOKALIKES[c] ?? c;
  return `[${(forms + forms.toUpperCase()).replace(/[$\\\]^-]/g, '\\$&')}]+`;
}

/** Latin letters, digits and the leetspeak symbols a word may contain, as a regex class body. */
const WORD_TAIL = 'A-Za-z0-9$@\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f';

/**
 * Candidate profane words: a word starting with the first three letters of a listed word (as a
 * trie, in any case or look-alike), with the rest of the word. Cheaper than looking at every word;
 * `profanityReplacer` checks the word boundary and the whole word.
 */
const PROFANITY_CANDIDATES: RegExp = (() => {
  const byFirst = new Map<string, Set<string>>();
  for (const w of PROFANE) {
    const first = w.charAt(0);
    let rest = byFirst.get(first);
    if (rest === undefined) byFirst.set(first, (rest = new Set()));
    rest.add(w.slice(1, 3));
  }
  const alts = [...byFirst].map(
    ([first, rests]) =>
      letterClass(first) +
      `(?:${[...rests].map((r) => [...r].map(letterClass).join('')).join('|')})`
  );
  return new RegExp(`(?:${alts.join('|')})[${WORD_TAIL}]*(?:!+[${WORD_TAIL}]+)*`, 'g');
})();

/**
 * The same candidates in a lower-cased text without look-alikes (the common case): letters and
 * `!` for `i` only. Plain letters scan several times faster than look-alike classes.
 */
const PLAIN_CANDIDATES: RegExp = (() => {
  const byFirst = new Map<string, Set<string>>();
  for (const w of PROFANE) {
    const first = w.charAt(0);
    let rest = byFirst.get(first);
    if (rest === undefined) byFirst.set(first, (rest = new Set()));
    rest.add(w.slice(1, 3));
  }
  const plain = (c: string): string => (c === 'i' ? '[i!]+' : `${c}+`);
  const alts = [...byFirst].map(
    ([first, rests]) =>
      plain(first) + `(?:${[...rests].map((r) => [...r].map(plain).join('')).join('|')})`
  );
  const tail = WORD_TAIL.replace('A-Z', '');
  return new RegExp(`(?:${alts.join('|')})[${tail}]*(?:!+[${tail}]+)*`, 'g');
})();

/**
 * Look-alikes in a lower-cased text: leetspeak inside a word (`sh1t`, `a$$`, `b@stard`) or
 * starting one (`$hit`, `4ss`), or an accented vowel. A handle's `@` does not count.
 */
const LOOKALIKE_HINT =
  /[a-z][013457$@]+[a-z]|[a-z]\$|(?<![a-z0-9])[45$][a-z]|[\u00e0-\u00ff\u0101\u0113\u012b\u014d\u016b]/;

/** A character that continues a word: a letter, digit or mark in any script, `$` or `@`. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}$@]/u;

function isWordChar(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 36 ||
      code === 64
    );
  }
  return WORD_CHAR.test(String.fromCharCode(code));
}

function profanityReplacer(m: string, offset: number, text: string): string {
  if (offset > 0 && isWordChar(text.charCodeAt(offset - 1))) return m; // inside a word
  const end = offset + m.length;
  if (end < text.length && isWordChar(text.charCodeAt(end))) return m; // word goes on
  return isProfane(m) ? maskWord(m) : m;
}

/** Masks profane words (see `isProfane`), scanning a lower-cased copy when it can. */
function redactProfanity(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length !== text.length || LOOKALIKE_HINT.test(lower)) {
    return text.replace(PROFANITY_CANDIDATES, profanityReplacer);
  }
  let out = '';
  let done = 0;
  for (const m of lower.matchAll(PLAIN_CANDIDATES)) {
    const start = m.index;
    const word = text.slice(start, start + m[0].length);
    const masked = profanityReplacer(word, start, text);
    if (masked !== word) {
      out += text.slice(done, start) + masked;
      done = start + word.length;
    }
  }
  return done === 0 ? text : out + text.slice(done);
}

// E-mail addresses and @handles are found from each `@`: an e-mail has a local part before it and a
// domain after it; a handle starts a word.
const W = '\\p{L}\\p{N}\\p{M}';
const EMAIL_DOMAIN = new RegExp(`^@[${W}-]+(?:\\.[${W}-]+)*\\.\\p{L}{2,}`, 'u');
const HANDLE_AT = new RegExp(`^@[${W}_](?:[${W}_.-]*[${W}_])?(?:@[${W}-]+(?:\\.[${W}-]+)+)?`, 'u');
const EMAIL_LOCAL_CHAR = /[\p{L}\p{N}\p{M}._%+-]/u;
const HANDLE_BLOCKER = /[\p{L}\p{N}\p{M}_.@]/u;

function isEmailLocalChar(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 46 || // .
      code === 95 || // _
      code === 37 || // %
      code === 43 || // +
      code === 45 // -
    );
  }
  return EMAIL_LOCAL_CHAR.test(String.fromCharCode(code));
}

/** Replaces e-mail addresses with `[email]` and masks @handles not in `keep`. */
function redactAt(text: string, keep: ReadonlySet<string> | undefined): string {
  let out = '';
  let done = 0; // text before this index is in `out`
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > done && isEmailLocalChar(text.charCodeAt(start - 1))) start--;
    let next = at + 1;
    if (start < at) {
      const domain = EMAIL_DOMAIN.exec(text.slice(at));
      if (domain !== null) {
        out += text.slice(done, start) + '[email]';
        done = next = at + domain[0].length;
      }
    } else if (at === 0 || !HANDLE_BLOCKER.test(text.charAt(at - 1))) {
      const handle = HANDLE_AT.exec(text.slice(at));
      if (handle !== null) {
        next = at + handle[0].length;
        if (!isKept(handle[0], keep)) {
          out += text.slice(done, at) + maskHandle(handle[0]);
          done = next;
        }
      }
    }
    at = text.indexOf('@', next);
  }
  return done === 0 ? text : out + text.slice(done);
}

// Phone numbers: runs of digits and separators are found with a cheap scan, then each run (with
// the characters around it as context) is read with the exact pattern (1: the number; 2: the
// separator between its digit groups). Not a Unicode regex, for speed: Latin, Greek and Cyrillic
// letters count as word characters next to a number; other scripts, often written without
// spaces, do not.
const DIGIT_RUN = /[+(]?\d[\d ().\u00a0-]{5,}\d/g;
const SEP = '[ \\u00a0.-]';
const NEAR = 'A-Za-z0-9_\\u00c0-\\u052f';
const PHONE = new RegExp(
  `(?<![${NEAR}#$€£¥+.,:/@-])` +
    `((?:\\+\\d{1,3}${SEP}?)?(?:\\(\\d{1,5}\\)${SEP}?)?` +
    `\\d{1,15}(?:(${SEP})\\d{1,15}(?:\\2\\d{1,15}){0,4})?)` +
    `(?![${NEAR}]|[.,:/-]\\d)`,
  'g'
);

const YEAR = /^(?:1[89]|20)\d\d$/;
const COMPACT_DATE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const DIGIT = /\d/g;

/**
 * Whether a run of digits and separators is a phone number: 7 to 15 digits, and not a date
 * (2026-05-14, 14.05.2026, 20260514), a year range (2019-2026), a dotted thousands figure
 * (1.000.000), a decimal (3.14159265), or a space-separated run without a `+`, a `(` or a trunk
 * `0` under 10 digits ("in 2026 1234 people").
 */
function isPhone(m: string, sep: string | undefined): boolean {
  const digits = m.match(DIGIT)?.length ?? 0;
  if (digits < 7 || digits > 15) return false;
  const c0 = m.charCodeAt(0);
  if (c0 === 43 || c0 === 40) return true; // + or (
  if (sep === undefined) return digits !== 8 || !COMPACT_DATE.test(m);
  if (sep === ' ' || sep === '\u00a0') return c0 === 48 || digits >= 10;
  const groups = m.split(sep);
  const a = groups[0]?.length ?? 0;
  const b = groups[1]?.length ?? 0;
  if (groups.length === 3) {
    const c = groups[2]?.length ?? 0;
    if ((a === 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && c === 4)) return false;
  }
  if (
    groups.length === 2 &&
    sep === '-' &&
    YEAR.test(groups[0] ?? '') &&
    YEAR.test(groups[1] ?? '')
  )
    return false;
  if (sep === '.') {
    // 3.14159265 is a decimal and 1.000.000 a thousands figure, not a phone
    if (groups.some((g) => g.length > 4)) return false;
    if (a <= 3 && groups.length > 2 && groups.every((g, i) => i === 0 || g.length === 3))
      return false;
  }
  return true;
}

function phoneReplacer(m: string, phone: string, sep: string | undefined): string {
  return isPhone(phone, sep) ? '[phone]' : m;
}

function digitRunReplacer(run: string, offset: number, text: string): string {
  // One character of context each side (neither can be part of a number), then cut off again.
  const before = offset > 0 ? text.charAt(offset - 1) : '';
  const after = text.charAt(offset + run.length);
  const done = (before + run + after).replace(PHONE, phoneReplacer);
  return done.slice(before.length, done.length - after.length);
}

/** Options for `redactText`. */
export interface RedactOptions {
  /** Handles left unmasked in the text (see `PrivacyOptions.keepHandles`). */
  keepHandles?: ReadonlySet<string>;
}

/**
 * Redacts a text for a public screen: e-mail addresses become `[email]`, phone numbers (7+ digits:
 * `+44 20 7946 0958`, `(555) 123-4567`, `555.123.4567`, `07700 900123`, …) become `[phone]`,
 * @handles are masked like `maskHandle` unless listed in `keepHandles`, and profane words become
 * their first letter plus `*`s (`f***`). Whole words only: "Scunthorpe" and "assessment" stay, and
 * so do years, times, prices, ISO dates and short order numbers.
 */
export function redactText(text: string, opts: RedactOptions = {}): string {
  if (text === '') return text;
  let out = text.includes('@') ? redactAt(text, opts.keepHandles) : text;
  out = out.replace(DIGIT_RUN, digitRunReplacer);
  return redactProfanity(out);
}

// ---------------------------------------------------------------------------------------------
// Wall state

/** Redacts each label; returns the input array itself when none changed. */
function redactList(list: string[], opts: PrivacyOptions): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as string;
    const r = redactText(v, opts);
    if (r !== v) {
      out ??= list.slice();
      out[i] = r;
    }
  }
  return out ?? list;
}

/** Maps each element; returns the input array itself when every element came back unchanged. */
function mapShared<T>(list: T[], f: (v: T) => T): T[] {
  let out: T[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as T;
    const r = f(v);
    if (r !== v) {
      out ??= list.slice();
      out[i] = r;
    }
  }
  return out ?? list;
}

/**
 * A river item for a privacy display: author handle and name masked (kept for the brand's own
 * handles), text redacted, topic names redacted. Everything else is the input's.
 */
export function privateRiverItem(item: RiverItem, opts: PrivacyOptions = {}): RiverItem {
  const a = item.author;
  return {
    ...item,
    text: redactText(item.text, opts),
    author: isKept(a.handle, opts.keepHandles)
      ? a
      : { ...a, handle: maskHandle(a.handle), name: maskHandle(a.name) },
    topics: redactList(item.topics, opts)
  };
}

/** A batch of new river items for a privacy display (see `privateRiverItem`). */
export function privateBatch(batch: MentionBatch, opts: PrivacyOptions = {}): MentionBatch {
  return { ...batch, items: batch.items.map((i) => privateRiverItem(i, opts)) };
}

/**
 * A detection driver for a privacy display: an author is masked like a handle (unless the brand's),
 * a term or topic is redacted like text; channels are left alone. Returns the input when nothing
 * changed.
 */
export function privateDriver(d: DetectionDriver, opts: PrivacyOptions = {}): DetectionDriver {
  if (d.kind === 'channel') return d;
  let name: string;
  if (d.kind === 'author') name = isKept(d.name, opts.keepHandles) ? d.name : maskHandle(d.name);
  else name = redactText(d.name, opts);
  return name === d.name ? d : { ...d, name };
}

/**
 * A detection for a privacy display: its label and drivers redacted (a `term:` detection's label
 * is the term). The series id is left as it is: clients match detections by it.
 */
export function privateDetection(d: Detection, opts: PrivacyOptions = {}): Detection {
  return {
    ...d,
    label: redactText(d.label, opts),
    drivers: mapShared(d.drivers, (x) => privateDriver(x, opts))
  };
}

/** Top topics for a privacy display: configured topic names and emerging terms redacted. */
export function privateTopics(t: TopTopics, opts: PrivacyOptions = {}): TopTopics {
  return {
    ...t,
    configured: mapShared(t.configured, (c) => {
      const name = redactText(c.name, opts);
      return name === c.name ? c : { ...c, name };
    }),
    emerging: mapShared(t.emerging, (e) => {
      const term = redactText(e.term, opts);
      return term === e.term ? e : { ...e, term };
    })
  };
}

function privateContext(c: AlertContext, opts: PrivacyOptions): AlertContext {
  return {
    ...c,
    drivers: mapShared(c.drivers, (x) => privateDriver(x, opts)),
    samples: c.samples.map((s) => privateRiverItem(s, opts))
  };
}

function privateTimelineEntry(e: AlertTimelineEntry, opts: PrivacyOptions): AlertTimelineEntry {
  if (e.detail === null) return e;
  const detail = redactText(e.detail, opts);
  return detail === e.detail ? e : { ...e, detail };
}

/**
 * An alert for a privacy display: title and timeline details redacted (a keyword alert names its
 * term), context drivers and sample mentions masked. Ids, states, times and counts unchanged.
 */
export function privateAlert(view: AlertView, opts: PrivacyOptions = {}): AlertView {
  return {
    ...view,
    title: redactText(view.title, opts),
    timeline: mapShared(view.timeline, (e) => privateTimelineEntry(e, opts)),
    context: view.context === null ? null : privateContext(view.context, opts)
  };
}

/**
 * Full wall state for a privacy display: river, top topics and detections masked; windows, series,
 * bands and sources shared with the input. Without `opts.keepHandles` the snapshot's own brand
 * handles are kept.
 */
export function privateSnapshot(s: WallSnapshot, opts: PrivacyOptions = {}): WallSnapshot {
  const o: PrivacyOptions =
    opts.keepHandles === undefined ? { keepHandles: keepHandleSet(s.brand.handles) } : opts;
  return {
    ...s,
    river: s.river.map((i) => privateRiverItem(i, o)),
    topics: privateTopics(s.topics, o),
    detections: s.detections.map((d) => privateDetection(d, o))
  };
}

/** A wall tick for a privacy display: its top topics and detections masked, when present. */
export function privateTick(t: WallTick, opts: PrivacyOptions = {}): WallTick {
  const out: WallTick = { ...t };
  if (t.topics !== undefined) out.topics = privateTopics(t.topics, opts);
  if (t.detections !== undefined)
    out.detections = t.detections.map((d) => privateDetection(d, opts));
  return out;
}

/** The care summary for a privacy display: the oldest waiting mention's text redacted. */
export function privateCareSummary(s: CareSummary, opts: PrivacyOptions = {}): CareSummary {
  return s.oldest ? { ...s, oldest: { ...s.oldest, text: redactText(s.oldest.text, opts) } } : s;
}

/**
 * The wall's slower panels for a privacy display: influencers' handles and names masked like
 * river authors (kept for the brand's own handles). Geography counts and share of voice (the
 * brand's and competitors' configured names) are left as they are.
 */
export function privateWallPanels(p: WallPanels, opts: PrivacyOptions = {}): WallPanels {
  return {
    ...p,
    influencers: mapShared(p.influencers, (a) =>
      isKept(a.handle, opts.keepHandles)
        ? a
        : { ...a, handle: maskHandle(a.handle), name: maskHandle(a.name) }
    )
  };
}
