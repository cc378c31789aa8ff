/**
 * The state of `/explore` and its URL, both ways. The whole view lives in the query string so a
 * link (from an alert, the wall, a colleague) opens the same view and the back button works.
 * Pure: no Svelte, no DOM; `now` is always a parameter. Invalid values in a URL are dropped, never
 * an error: a hand-edited or stale link still opens something sensible.
 *
 * Query parameters (the API's filter names, so the same string reaches the server):
 * - `range=15m|1h|24h`: a live preset (`to` follows now), else `from` and `to` (epoch ms or
 *   ISO 8601) for a fixed range. Neither: the default live preset.
 * - `channel`, `sentiment`, `intent`, `tier`: comma-separated lists of known values.
 * - `topic`, `lang`, `competitor`, `author`, `q`: one value each.
 * - `answered=true|false`, `about=brand|competitor`.
 * - page only (never sent as a filter): `by` (chart breakdown), `mention` (`source:id` of the
 *   open mention), `alert` (the alert this view was opened from).
 */

import {
  CHANNELS,
  INFLUENCE_TIERS,
  INTENTS,
  type Channel,
  type InfluenceTier,
  type Intent,
  type SentimentLabel
} from '$lib/shared/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The longest range the API answers. */
export const MAX_RANGE_MS = 400 * DAY;
/** How often a live range moves its end to now. */
export const LIVE_REFRESH_MS = 30_000;

/** Live presets: the last 15 minutes, hour or day, ending now. */
export const PRESETS = [
  { key: '15m', label: 'Last 15 min', ms: 15 * MINUTE },
  { key: '1h', label: 'Last hour', ms: HOUR },
  { key: '24h', label: 'Last 24 h', ms: DAY }
] as const;
export type PresetKey = (typeof PRESETS)[number]['key'];
export const DEFAULT_PRESET: PresetKey = '1h';

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const satisfies SentimentLabel[];
/** How the volume chart splits its series. */
export const BREAKDOWNS = ['total', 'channel', 'sentiment', 'topic'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];
export const ABOUT = ['brand', 'competitor'] as const;
export type About = (typeof ABOUT)[number];

/** A live preset or a fixed range (epoch ms, `from` < `to`). */
export type Range = { preset: PresetKey } | { from: number; to: number };

/** A mention's identity. */
export interface MentionRef {
  source: string;
  id: string;
}

/** Everything `/explore` shows, as parsed from its URL. */
export interface ExploreState {
  range: Range;
  channel: Channel[];
  sentiment: SentimentLabel[];
  intent: Intent[];
  tier: InfluenceTier[];
  topic: string | null;
  lang: string | null;
  competitor: string | null;
  author: string | null;
  answered: boolean | null;
  about: About | null;
  q: string;
  by: Breakdown;
  mention: MentionRef | null;
  alert: string | null;
}

/** The filters of a state (what narrows the mentions), without range or page-only fields. */
export type Filters = Omit<ExploreState, 'range' | 'by' | 'mention' | 'alert'>;

/** The state of `/explore` with nothing in its URL. */
export function defaultState(): ExploreState {
  return {
    range: { preset: DEFAULT_PRESET },
    channel: [],
    sentiment: [],
    intent: [],
    tier: [],
    topic: null,
    lang: null,
    competitor: null,
    author: null,
    answered: null,
    about: null,
    q: '',
    by: 'total',
    mention: null,
    alert: null
  };
}

/** Longest accepted single-value filter (a topic name, a handle, a search). */
const MAX_TEXT = 200;
const LANG_RE = /^(?:[a-z]{2,3}(?:-[a-z0-9]{2,8})*|und)$/i;

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** The known values of a comma-separated list, each once, in the list's own order. */
function parseList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const given = new Set(raw.split(',').map((s) => s.trim().toLowerCase()));
  return allowed.filter((v) => given.has(v));
}

function parseText(raw: string | null): string | null {
  const v = raw?.trim() ?? '';
  return v && v.length <= MAX_TEXT ? v : null;
}

/** Epoch ms from an epoch-ms integer or an ISO 8601 date, or null. */
export function parseTime(raw: string | null): number | null {
  const v = raw?.trim() ?? '';
  if (!v) return null;
  if (/^\d{1,16}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** True when `from`–`to` is a range the API answers. */
export function validRange(from: number, to: number): boolean {
  return (
    Number.isSafeInteger(from) && Number.isSafeInteger(to) && to > from && to - from <= MAX_RANGE_MS
  );
}

function parseRange(params: URLSearchParams): Range {
  const preset = params.get('range');
  if (
    preset &&
    isOneOf(
      PRESETS.map((p) => p.key),
      preset
    )
  )
    return { preset };
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (from !== null && to !== null && validRange(from, to)) return { from, to };
  return { preset: DEFAULT_PRESET };
}

/** `source:id` → the mention; the source has `%` and `:` escaped, the id is taken as is. */
export function parseMentionRef(raw: string | null): MentionRef | null {
  if (!raw) return null;
  const sep = raw.indexOf(':');
  if (sep <= 0 || sep === raw.length - 1) return null;
  let source: string;
  try {
    source = decodeURIComponent(raw.slice(0, sep));
  } catch {
    return null;
  }
  const id = raw.slice(sep + 1);
  if (source.length > 100 || id.length > 500) return null;
  return { source, id };
}

/** The `mention` parameter's value for a mention. */
export function mentionRefValue(m: MentionRef): string {
  return `${m.source.replace(/%/g, '%25').replace(/:/g, '%3A')}:${m.id}`;
}

/** The state a query string describes; unknown or invalid values are dropped. */
export function parseState(params: URLSearchParams): ExploreState {
  const answered = params.get('answered');
  const about = params.get('about');
  const by = params.get('by');
  const lang = parseText(params.get('lang'));
  const author = parseText(params.get('author'));
  return {
    range: parseRange(params),
    channel: parseList(params.get('channel'), CHANNELS),
    sentiment: parseList(params.get('sentiment'), SENTIMENTS),
    intent: parseList(params.get('intent'), INTENTS),
    tier: parseList(params.get('tier'), INFLUENCE_TIERS),
    topic: parseText(params.get('topic')),
    lang: lang && LANG_RE.test(lang) ? lang.toLowerCase() : null,
    competitor: parseText(params.get('competitor')),
    author: author && /^@?[^\s,]+$/.test(author) ? author : null,
    answered: answered === 'true' ? true : answered === 'false' ? false : null,
    about: about && isOneOf(ABOUT, about) ? about : null,
    q: parseText(params.get('q')) ?? '',
    by: by && isOneOf(BREAKDOWNS, by) ? by : 'total',
    mention: parseMentionRef(params.get('mention')),
    alert: parseText(params.get('alert'))
  };
}

/** The filters as query parameters, in a fixed order, empty ones left out. */
function filterEntries(s: Filters): [string, string][] {
  const out: [string, string][] = [];
  const add = (name: string, value: string | null) => {
    if (value) out.push([name, value]);
  };
  add('channel', s.channel.join(','));
  add('sentiment', s.sentiment.join(','));
  add('topic', s.topic);
  add('intent', s.intent.join(','));
  add('lang', s.lang);
  add('tier', s.tier.join(','));
  add('answered', s.answered === null ? null : String(s.answered));
  add('about', s.about);
  add('competitor', s.competitor);
  add('author', s.author);
  add('q', s.q.trim());
  return out;
}

/** The canonical query string of a state (no leading `?`); defaults are left out. */
export function serialiseState(s: ExploreState): string {
  const p = new URLSearchParams();
  if ('preset' in s.range) {
    if (s.range.preset !== DEFAULT_PRESET) p.set('range', s.range.preset);
  } else {
    p.set('from', String(s.range.from));
    p.set('to', String(s.range.to));
  }
  for (const [k, v] of filterEntries(s)) p.set(k, v);
  if (s.by !== 'total') p.set('by', s.by);
  if (s.mention) p.set('mention', mentionRefValue(s.mention));
  if (s.alert) p.set('alert', s.alert);
  return p.toString();
}

/** The range in epoch ms at `now` (a live preset ends at `now`). */
export function resolveRange(range: Range, now: number): { from: number; to: number } {
  if ('from' in range) return { from: range.from, to: range.to };
  const preset = PRESETS.find((p) => p.key === range.preset) ?? PRESETS[1];
  return { from: now - preset.ms, to: now };
}

/** True when the range follows now. */
export function isLive(range: Range): range is { preset: PresetKey } {
  return 'preset' in range;
}

/** The API's filter query (range resolved at `now`), plus `extra` parameters. */
export function apiQuery(s: ExploreState, now: number, extra: Record<string, string> = {}): string {
  const { from, to } = resolveRange(s.range, now);
  const p = new URLSearchParams();
  p.set('from', String(from));
  p.set('to', String(to));
  for (const [k, v] of filterEntries(s)) p.set(k, v);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

/** True when any filter narrows the mentions. */
export function hasFilters(s: Filters): boolean {
  return filterEntries(s).length > 0;
}

/** A copy of `s` with `patch` applied. A changed range or filter closes nothing else. */
export function withState(s: ExploreState, patch: Partial<ExploreState>): ExploreState {
  return { ...s, ...patch };
}

/**
 * A fixed range zoomed to `from`–`to` (from a drag on the chart), whole milliseconds, at least a
 * minute long; null when it is not a usable range.
 */
export function zoomRange(from: number, to: number): { from: number; to: number } | null {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
  let a = Math.round(Math.min(from, to));
  let b = Math.round(Math.max(from, to));
  if (b - a < MINUTE) {
    const mid = (a + b) / 2;
    a = Math.round(mid - MINUTE / 2);
    b = a + MINUTE;
  }
  return validRange(a, b) ? { from: a, to: b } : null;
}

/**
 * The range scaled about its middle by `factor` (0.5 zooms in, 2 out), as a fixed range; a range
 * zoomed out past now ends at now.
 */
export function scaleRange(
  range: Range,
  factor: number,
  now: number
): { from: number; to: number } | null {
  const { from, to } = resolveRange(range, now);
  const mid = (from + to) / 2;
  const half = ((to - from) * factor) / 2;
  let b = mid + half;
  let a = mid - half;
  if (b > now && to <= now) {
    a -= b - now;
    b = now;
  }
  return zoomRange(a, Math.min(b, a + MAX_RANGE_MS));
}

/** Adds a single-value filter, or one value to a list filter (each value once). */
export function addFilter(s: ExploreState, name: keyof Filters, value: string): ExploreState {
  const next: ExploreState = { ...s };
  const list = (all: readonly string[], have: string[]) =>
    all.filter((v) => v === value || have.includes(v));
  switch (name) {
    case 'channel':
      return { ...next, channel: list(CHANNELS, s.channel) as Channel[] };
    case 'sentiment':
      return { ...next, sentiment: list(SENTIMENTS, s.sentiment) as SentimentLabel[] };
    case 'intent':
      return { ...next, intent: list(INTENTS, s.intent) as Intent[] };
    case 'tier':
      return { ...next, tier: list(INFLUENCE_TIERS, s.tier) as InfluenceTier[] };
    case 'answered':
      return { ...next, answered: value === 'true' ? true : value === 'false' ? false : null };
    case 'about':
      return { ...next, about: isOneOf(ABOUT, value) ? value : null };
    case 'q':
      return { ...next, q: value };
    default:
      return { ...next, [name]: value || null };
  }
}

/** A window and scope to open `/explore` on, from the wall. */
export interface ExploreScope {
  from: number;
  to: number;
  channel?: Channel;
  topic?: string;
  author?: string;
  q?: string;
  sentiment?: SentimentLabel;
}

/** The query string (no `?`) of `/explore` on a window and scope: `resolve('/explore') + '?' + this`. */
export function scopeQuery(scope: ExploreScope): string {
  const s = defaultState();
  const range = zoomRange(scope.from, scope.to);
  if (range) s.range = range;
  if (scope.channel) s.channel = [scope.channel];
  if (scope.sentiment) s.sentiment = [scope.sentiment];
  if (scope.topic) s.topic = scope.topic;
  if (scope.author) s.author = scope.author;
  if (scope.q) s.q = scope.q;
  return serialiseState(s);
}

/** Epoch ms → the value of an `<input type="datetime-local">` in local time (minutes). */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An `<input type="datetime-local">` value (local time) → epoch ms, or null. */
export function fromLocalInput(v: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const t = new Date(y!, mo! - 1, d!, h!, mi!, s ?? 0).getTime();
  return Number.isFinite(t) ? t : null;
}

/** Minutes of context a link from the wall shows either side of a detection. */
const CONTEXT_MS = 15 * MINUTE;

/**
 * The scope of `/explore` behind a detection: its window (15 minutes either side) and its series'
 * scope (a channel, topic, term as a search, or negative sentiment).
 */
export function detectionScope(d: {
  series: string;
  at: number;
  resolvedAt: number | null;
}): ExploreScope {
  const scope: ExploreScope = {
    from: d.at - CONTEXT_MS,
    to: Math.max(d.resolvedAt ?? 0, d.at + MINUTE) + CONTEXT_MS
  };
  const sep = d.series.indexOf(':');
  const kind = sep < 0 ? d.series : d.series.slice(0, sep);
  const value = sep < 0 ? '' : d.series.slice(sep + 1);
  if (kind === 'channel' && isOneOf(CHANNELS, value)) scope.channel = value;
  else if (kind === 'topic' && value) scope.topic = value;
  else if (kind === 'term' && value) scope.q = value;
  else if (kind === 'negative-share') scope.sentiment = 'negative';
  return scope;
}

/** The window a wall link covers: the last `ms` up to `now`, its end rounded up to the minute. */
export function recentScope(now: number, ms: number): ExploreScope {
  const to = Math.ceil(now / MINUTE) * MINUTE;
  return { from: to - ms, to };
}

/** A scope narrowed to one driver of a detection (a channel, topic, term or author). */
export function driverScope(
  scope: ExploreScope,
  d: { kind: 'channel' | 'topic' | 'term' | 'author'; name: string }
): ExploreScope {
  if (d.kind === 'channel') {
    return isOneOf(CHANNELS, d.name) ? { ...scope, channel: d.name } : scope;
  }
  if (d.kind === 'topic') return { ...scope, topic: d.name };
  if (d.kind === 'term') return { ...scope, q: d.name };
  return { ...scope, author: d.name };
}
