/**
 * The exploration API as the browser sees it (see the endpoints under `/api/v1/explore` and
 * `/api/v1/mentions`), and one way to read it. Every string in these answers may come from the
 * internet: render as text only.
 */

import { apiFetch, readProblem } from '$lib/auth/api';
import type { ExploreMention, InfluenceTier } from '$lib/shared/types';
import type { Breakdown, MentionRef } from './state';

export type { ExploreMention };

/** `GET /api/v1/mentions`: a page, newest first. */
export interface MentionPage {
  items: ExploreMention[];
  nextCursor: string | null;
}

/** `GET /api/v1/explore/volume`. */
export interface VolumeAnswer {
  from: number;
  to: number;
  bucketMs: number;
  t: number[];
  total: number;
  series: { key: string; counts: number[] }[];
}

/** `GET /api/v1/explore/top`. */
export interface TopAnswer {
  topics: { name: string; count: number }[];
  terms: { term: string; count: number }[];
  authors: {
    handle: string;
    name: string;
    followers: number;
    influenceTier: InfluenceTier;
    count: number;
    negative: number;
  }[];
}

/** `GET /api/v1/explore/geo`. */
export interface GeoAnswer {
  points: { lat: number; lon: number; count: number }[];
  countries: { country: string; count: number }[];
  located: number;
  total: number;
}

/** Totals of a range. */
export interface Totals {
  total: number;
  negative: number;
  neutral: number;
  positive: number;
  net: number;
}

/** `GET /api/v1/explore/compare`. */
export interface CompareAnswer {
  current: Totals;
  previous: Totals;
  previousFrom: number;
  previousTo: number;
  shareOfVoice: { name: string; count: number; share: number; brand: boolean }[];
}

/** `GET /api/v1/mentions/:source/:id`. */
export interface MentionDetail {
  mention: ExploreMention;
  explain: {
    sentiment?: Record<string, unknown> | null;
    intent?: unknown;
    priority?: { score: number; reasons: unknown[] } | null;
  } & Record<string, unknown>;
  author: {
    handle: string;
    name: string;
    followers: number;
    verified: boolean;
    influenceTier: InfluenceTier;
    recent: ExploreMention[];
  };
  thread: { mention: ExploreMention; responseMs: number | null }[];
}

/** An answer or why there is none. */
export type Loaded<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

/** GETs `path` as JSON; never throws (an aborted request answers status 0). */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<Loaded<T>> {
  try {
    const res = await apiFetch(path, signal ? { signal } : {});
    if (!res.ok) {
      const p = await readProblem(res);
      return { ok: false, status: res.status, error: p.error };
    }
    return { ok: true, data: (await res.json()) as T };
  } catch (e) {
    return { ok: false, status: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

export const endpoints = {
  mentions: (query: string, cursor: string | null, limit: number): string => {
    const extra = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return `/api/v1/mentions?${query ? `${query}&` : ''}${extra}`;
  },
  exportCsv: (query: string): string => `/api/v1/mentions/export.csv?${query}`,
  volume: (query: string, by: Breakdown): string => `/api/v1/explore/volume?${query}&by=${by}`,
  top: (query: string): string => `/api/v1/explore/top?${query}`,
  geo: (query: string): string => `/api/v1/explore/geo?${query}`,
  compare: (query: string): string => `/api/v1/explore/compare?${query}`,
  mention: (ref: MentionRef): string =>
    `/api/v1/mentions/${encodeURIComponent(ref.source)}/${encodeURIComponent(ref.id)}`
};

/** Plain words for one item of an explanation whose shape the client does not fix. */
export function explainText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(explainText).filter(Boolean).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Common shapes: { token, weight } / { text, score } / { code, detail } / { reason, points }.
    const name = o.token ?? o.word ?? o.text ?? o.cue ?? o.rule ?? o.reason ?? o.code ?? o.name;
    const value = o.weight ?? o.score ?? o.points ?? o.valence ?? o.value;
    if (name !== undefined) {
      const n = explainText(name);
      if (typeof value === 'number') return `${n} (${value > 0 ? '+' : ''}${round(value)})`;
      return n;
    }
    return Object.entries(o)
      .map(([k, x]) => `${k}: ${explainText(x)}`)
      .join('; ');
  }
  return '';
}

function round(x: number): string {
  return Math.abs(x) >= 10 ? String(Math.round(x)) : String(Math.round(x * 100) / 100);
}

/** A link out only when it is an http(s) URL: never `javascript:` from a stranger's post. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
