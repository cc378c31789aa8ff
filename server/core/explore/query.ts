/**
 * Exploration queries, pure: the filters of /explore and the API (validated from a query
 * string), and the SQL they become — a WHERE clause with positional arguments over the
 * `mentions` table (alias `m`), an FTS5 match for the text search, the bucket size of a volume
 * series, and the opaque cursor of keyset pagination. No I/O: the store runs what this builds.
 */
import { z } from 'zod';
import {
  CHANNELS,
  INFLUENCE_TIERS,
  INTENTS,
  type Channel,
  type InfluenceTier,
  type Intent,
  type SentimentLabel
} from '../../../src/lib/shared/types';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Longest range a query may span. */
export const MAX_RANGE_MS = 400 * DAY;

const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/** A time as epoch milliseconds or ISO 8601. */
const time = (name: string) =>
  z.string({ error: `${name} is required` }).transform((s, ctx) => {
    const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(t)) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be epoch milliseconds or an ISO 8601 time`
      });
      return z.NEVER;
    }
    return t;
  });

/** A comma-separated list of values from `allowed`. */
const list = <T extends string>(name: string, allowed: readonly T[]) =>
  z.string().transform((s, ctx) => {
    const values = s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = values.find((v) => !(allowed as readonly string[]).includes(v));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be among ${allowed.join(', ')} (comma-separated); got ${bad}`
      });
      return z.NEVER;
    }
    return [...new Set(values)] as T[];
  });

const oneValue = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${name} must not be empty`)
    .max(max, `${name} must be at most ${max} characters`);

/** The filters every explore endpoint takes. */
export const exploreFilterSchema = z
  .object({
    from: time('from'),
    to: time('to'),
    channel: list('channel', CHANNELS).optional(),
    sentiment: list('sentiment', SENTIMENTS).optional(),
    topic: oneValue('topic', 100).optional(),
    intent: list('intent', INTENTS).optional(),
    lang: z
      .string()
      .regex(
        /^[a-z]{2,3}(-[A-Za-z]{2,4})?$|^und$/,
        'lang must be a language code such as en or und'
      )
      .optional(),
    tier: list('tier', INFLUENCE_TIERS).optional(),
    answered: z
      .enum(['true', 'false'], { error: 'answered must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
    about: z
      .enum(['brand', 'competitor'], { error: 'about must be brand or competitor' })
      .optional(),
    competitor: oneValue('competitor', 100).optional(),
    author: oneValue('author', 200).optional(),
    q: z.string().max(500, 'q must be at most 500 characters').optional()
  })
  .superRefine((f, ctx) => {
    if (f.to <= f.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be later than from' });
    } else if (f.to - f.from > MAX_RANGE_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range is at most 400 days' });
    }
  });

/** Filters after validation. */
export interface ExploreFilter {
  from: number;
  to: number;
  channel?: Channel[];
  sentiment?: SentimentLabel[];
  topic?: string;
  intent?: Intent[];
  lang?: string;
  tier?: InfluenceTier[];
  answered?: boolean;
  about?: 'brand' | 'competitor';
  competitor?: string;
  author?: string;
  q?: string;
}

/** Names of the filter parameters (the rest of a query string is the endpoint's own). */
export const FILTER_KEYS = Object.keys(exploreFilterSchema.shape) as (keyof ExploreFilter)[];

/**
 * The text search as an FTS5 query: words ANDed, "quoted phrases" kept, a trailing * as a
 * prefix; every term quoted, so FTS5 syntax in user input (NEAR, column filters, parentheses,
 * ^, -) is plain text and never an error. Null when nothing searchable is left.
 */
export function ftsQuery(q: string): string | null {
  const terms: string[] = [];
  const re = /"([^"]*)"|(\S+)/gu;
  for (let m = re.exec(q); m !== null; m = re.exec(q)) {
    if (m[1] !== undefined) {
      const words = m[1].match(/[\p{L}\p{N}_]+/gu);
      if (words?.length) terms.push(`"${words.join(' ')}"`);
      continue;
    }
    const raw = m[2]!;
    const prefix = raw.endsWith('*');
    const words = raw.match(/[\p{L}\p{N}_]+/gu);
    if (!words?.length) continue;
    // "wi-fi" is two tokens to FTS5's tokenizer: keep them together as a phrase.
    terms.push(`"${words.join(' ')}"${prefix ? '*' : ''}`);
  }
  return terms.length ? terms.join(' ') : null;
}

/** Words and phrases that name one competitor (its name, keywords and handles). */
export interface CompetitorTerms {
  name: string;
  terms: string[];
}

/** An FTS5 query matching any of `terms` (each a word or phrase), or null when there is none. */
export function anyOf(terms: readonly string[]): string | null {
  const parts = terms.map((t) => ftsQuery(`"${t.replace(/"/g, ' ')}"`)).filter((p) => p !== null);
  return parts.length ? parts.join(' OR ') : null;
}

/** A WHERE clause over `mentions m` and its arguments. */
export interface SqlWhere {
  sql: string;
  args: (string | number)[];
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * The WHERE clause of a filter (alias `m` for mentions). `competitors` are the configured ones,
 * for `about` and `competitor`; an unknown competitor name matches nothing.
 */
export function buildWhere(
  f: ExploreFilter,
  competitors: readonly CompetitorTerms[] = [],
  range: { from: number; to: number } = f,
  /**
   * The lowest and highest row of the range, when known: the text index then reads only that
   * stretch of each term's postings instead of every match ever (ten times faster or more for a
   * common word in an hour of months of data).
   */
  seqs: { lo: number; hi: number } | null = null,
  /**
   * Leave out the positive text match (textMatch): the caller already holds the matching rows'
   * numbers and reads only those.
   */
  omitMatch = false
): SqlWhere {
  const conds = ['m.created_at >= ?', 'm.created_at < ?'];
  const args: (string | number)[] = [range.from, range.to];
  const inList = (column: string, values: readonly string[] | undefined): void => {
    if (!values?.length) return;
    conds.push(`${column} IN (${placeholders(values.length)})`);
    args.push(...values);
  };
  inList('m.channel', f.channel);
  inList('m.sentiment_label', f.sentiment);
  inList('m.intent', f.intent);
  inList('m.influence_tier', f.tier);
  if (f.lang) {
    conds.push('m.language = ?');
    args.push(f.lang);
  }
  if (f.topic) {
    // Topic names are joined by newlines and cannot contain one.
    conds.push(`instr(char(10) || m.topics || char(10), ?) > 0`);
    args.push(`\n${f.topic}\n`);
  }
  if (f.author) {
    const h = f.author.startsWith('@') ? f.author : `@${f.author}`;
    conds.push('m.author_handle IN (?, ?) COLLATE NOCASE');
    args.push(h, h.slice(1));
  }
  if (f.answered !== undefined) {
    // answered_at is the first brand reply's time, kept by the writer (migration 009).
    conds.push('m.is_brand = 0');
    conds.push(`m.answered_at IS ${f.answered ? 'NOT ' : ''}NULL`);
  }
  const match = textMatch(f, competitors);
  if (match === false) conds.push('0');
  const any = anyOf(competitors.flatMap((c) => c.terms));
  const bounded = (match: string): string => {
    if (!seqs) return `(SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)`;
    args.push(match, seqs.lo, seqs.hi);
    return `(SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid BETWEEN ? AND ?)`;
  };
  if (f.about === 'brand' && any) {
    const sub = bounded(any);
    conds.push(`m.seq NOT IN ${sub}`);
    if (!seqs) args.push(any);
  }
  if (typeof match === 'string' && !omitMatch) {
    const sub = bounded(match);
    conds.push(`m.seq IN ${sub}`);
    if (!seqs) args.push(match);
  }
  return { sql: conds.join(' AND '), args };
}

/**
 * The one FTS5 query a filter's text conditions make together (search words, a named competitor,
 * any competitor), null when it has none, or false when it can match nothing (a competitor that
 * is not configured). `about=brand` is not part of it: it excludes matches instead.
 */
export function textMatch(
  f: ExploreFilter,
  competitors: readonly CompetitorTerms[] = []
): string | null | false {
  const fts: string[] = [];
  const text = f.q === undefined ? null : ftsQuery(f.q);
  if (text) fts.push(text);
  if (f.competitor) {
    const c = competitors.find((x) => x.name.toLowerCase() === f.competitor!.toLowerCase());
    const match = c ? anyOf(c.terms) : null;
    if (!match) return false;
    fts.push(match);
  }
  if (f.about === 'competitor') {
    const any = anyOf(competitors.flatMap((c) => c.terms));
    if (!any) return false;
    fts.push(any);
  }
  return fts.length ? fts.map((x) => `(${x})`).join(' AND ') : null;
}

/** Whether a filter reads the full-text index. */
export function usesText(f: ExploreFilter): boolean {
  return (
    (f.q !== undefined && ftsQuery(f.q) !== null) ||
    f.about !== undefined ||
    f.competitor !== undefined
  );
}

/**
 * Whether minute-level aggregates can be read from the hourly cube (`rollup_hour_dims`): only
 * filters on its dimensions (channel, sentiment, intent, language, tier) and on answered (its
 * `customer` and `answered` counts; see cubeCount).
 */
export function cubeEligible(f: ExploreFilter): boolean {
  return (
    f.topic === undefined &&
    f.about === undefined &&
    f.competitor === undefined &&
    f.author === undefined &&
    (f.q === undefined || ftsQuery(f.q) === null)
  );
}

/** The cube's WHERE clause for the same filter (its columns have no alias). */
export function cubeWhere(f: ExploreFilter, fromHour: number, toHour: number): SqlWhere {
  const conds = ['hour >= ?', 'hour < ?'];
  const args: (string | number)[] = [fromHour, toHour];
  const inList = (column: string, values: readonly string[] | undefined): void => {
    if (!values?.length) return;
    conds.push(`${column} IN (${placeholders(values.length)})`);
    args.push(...values);
  };
  inList('channel', f.channel);
  inList('sentiment', f.sentiment);
  inList('intent', f.intent);
  inList('tier', f.tier);
  if (f.lang) {
    conds.push('language = ?');
    args.push(f.lang);
  }
  return { sql: conds.join(' AND '), args };
}

/**
 * What a cube cell contributes to a filter's count: every mention (`n`), or with `answered` the
 * answered customer mentions, or the customer mentions not answered (yet).
 */
export function cubeCount(f: ExploreFilter): string {
  if (f.answered === undefined) return 'n';
  return f.answered ? 'answered' : '(customer - answered)';
}

/** Bucket size of a volume series: minutes up to 6 hours, hours up to 14 days, days beyond. */
export function bucketFor(from: number, to: number): number {
  const span = to - from;
  if (span <= 6 * HOUR) return MINUTE;
  if (span <= 14 * DAY) return HOUR;
  return DAY;
}

/** Bucket starts covering [from, to), aligned to the bucket size (UTC). */
export function bucketStarts(from: number, to: number, bucketMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / bucketMs) * bucketMs; t < to; t += bucketMs) out.push(t);
  return out;
}

/** Where a page of mentions ends: newest first by (created_at, seq). */
export interface Cursor {
  createdAt: number;
  seq: number;
}

/** The opaque form of a cursor. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt}.${c.seq}`).toString('base64url');
}

/** Reads a cursor; null when it is not one this server made. */
export function decodeCursor(s: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(s)) return null;
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
  return m ? { createdAt: Number(m[1]), seq: Number(m[2]) } : null;
}

/** The same range a week earlier (period over period). */
export function previousWeek(from: number, to: number): { from: number; to: number } {
  return { from: from - 7 * DAY, to: to - 7 * DAY };
}
