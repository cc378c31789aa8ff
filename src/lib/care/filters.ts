/**
 * The filters of `/care` and their URL, both ways: `?channel=twitter,reddit&intent=complaint`.
 * Lists are comma-separated (a repeated parameter is read too); unknown values are dropped, never
 * an error, so a hand-edited or stale link still opens something sensible. The same names and
 * values reach the queue API.
 */

import {
  CHANNELS,
  INFLUENCE_TIERS,
  INTENTS,
  type Channel,
  type InfluenceTier,
  type Intent
} from '$lib/shared/types';

/** What narrows the care queue. An empty list means any. */
export interface CareFilters {
  channel: Channel[];
  intent: Intent[];
  tier: InfluenceTier[];
}

export type FilterName = keyof CareFilters;

/** Every filter with its label and known values, in display (and URL) order. */
export const FILTER_LISTS: { name: FilterName; label: string; values: readonly string[] }[] = [
  { name: 'channel', label: 'Channel', values: CHANNELS },
  { name: 'intent', label: 'Intent', values: INTENTS },
  { name: 'tier', label: 'Influence', values: INFLUENCE_TIERS }
];

export const NO_FILTERS: CareFilters = { channel: [], intent: [], tier: [] };

/** The known values of `name` in `params`, in canonical order, each once. */
function listOf<T extends string>(params: URLSearchParams, name: string, known: readonly T[]): T[] {
  const given = new Set(
    params
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim().toLowerCase())
  );
  return known.filter((v) => given.has(v));
}

/** The filters in a page URL's query (a `URLSearchParams` or a query string). */
export function parseFilters(query: URLSearchParams | string): CareFilters {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  return {
    channel: listOf(params, 'channel', CHANNELS),
    intent: listOf(params, 'intent', INTENTS),
    tier: listOf(params, 'tier', INFLUENCE_TIERS)
  };
}

/** The query string (no `?`) of the filters; '' when there are none. Commas stay readable. */
export function serialiseFilters(f: CareFilters): string {
  return FILTER_LISTS.map(({ name }) => [name, f[name] as string[]] as const)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => `${name}=${values.map(encodeURIComponent).join(',')}`)
    .join('&');
}

/** The filters with `value` of `name` switched on or off (canonical order kept). */
export function toggleFilter(f: CareFilters, name: FilterName, value: string): CareFilters {
  const known = FILTER_LISTS.find((l) => l.name === name)?.values ?? [];
  const have = f[name] as string[];
  const on = !have.includes(value);
  const next = known.filter((v) => (v === value ? on : have.includes(v)));
  return { ...f, [name]: next } as CareFilters;
}

/** True when any filter is set. */
export function hasFilters(f: CareFilters): boolean {
  return f.channel.length + f.intent.length + f.tier.length > 0;
}

/** A stable key of the filters: the cache is thrown away when it changes. */
export function filterKey(f: CareFilters): string {
  return serialiseFilters(f);
}

/** `GET /api/v1/care/queue` for one page of the filtered queue. */
export function queuePath(f: CareFilters, offset: number, limit: number): string {
  const q = serialiseFilters(f);
  return `/api/v1/care/queue?${q ? `${q}&` : ''}offset=${offset}&limit=${limit}`;
}

/** The `/care` page URL (path already resolved) with these filters. */
export function careHref(base: string, f: CareFilters): string {
  const q = serialiseFilters(f);
  return q ? `${base}?${q}` : base;
}
