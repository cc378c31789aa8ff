import type { SeriesBlock } from '$lib/shared/types';

const MINUTE = 60_000;

/** Sums of per-minute columns over the minutes starting in [from, to). */
function sums(
  m: SeriesBlock,
  from: number,
  to: number
): { total: number; negative: number; positive: number; minutes: number } {
  let total = 0;
  let negative = 0;
  let positive = 0;
  let minutes = 0;
  // Minutes are ascending: walk back from the newest.
  for (let i = m.t.length - 1; i >= 0; i--) {
    const t = m.t[i]!;
    if (t < from) break;
    if (t >= to) continue;
    total += m.total[i]!;
    negative += m.negative[i]!;
    positive += m.positive[i]!;
    minutes++;
  }
  return { total, negative, positive, minutes };
}

/** The sparklines' values, one per minute, oldest first. */
export interface MinuteSpark {
  /** Mentions per minute. */
  volume: number[];
  /** Net sentiment (−1..1); null for a minute without mentions. */
  net: (number | null)[];
  /** Median first response of the brand replies that arrived in the minute; null without any. */
  response: (number | null)[];
  /** Customer mentions that arrived in the minute and are still unanswered. */
  unanswered: number[];
}

/**
 * The last `count` whole minutes before the one filling at `now`, oldest first. A minute with no
 * bucket counts as zero mentions.
 */
export function minuteSpark(m: SeriesBlock | null, now: number, count = 60): MinuteSpark {
  const volume: number[] = new Array<number>(count).fill(0);
  const net: (number | null)[] = new Array<number | null>(count).fill(null);
  const response: (number | null)[] = new Array<number | null>(count).fill(null);
  const unanswered: number[] = new Array<number>(count).fill(0);
  if (!m) return { volume, net, response, unanswered };
  const end = Math.floor(now / MINUTE) * MINUTE;
  const start = end - count * MINUTE;
  for (let i = m.t.length - 1; i >= 0; i--) {
    const t = m.t[i]!;
    if (t < start) break;
    if (t >= end) continue;
    const k = Math.floor((t - start) / MINUTE);
    const total = m.total[i]!;
    volume[k] = total;
    net[k] = total > 0 ? (m.positive[i]! - m.negative[i]!) / total : null;
    response[k] = m.responseP50Ms[i] ?? null;
    unanswered[k] = m.unanswered[i] ?? 0;
  }
  return { volume, net, response, unanswered };
}

/** A change against the previous period of the same length. */
export interface Delta {
  /** Relative change (0.12 = +12 %) or, for net sentiment, the change in points (−100..100). */
  value: number;
  direction: 'up' | 'down' | 'flat';
}

/**
 * Mentions in the last `periodMin` whole minutes against the `periodMin` before them; null when
 * the earlier period had no mentions or is not fully in the history yet.
 */
export function volumeDelta(m: SeriesBlock | null, now: number, periodMin: number): Delta | null {
  if (!m || m.t.length === 0) return null;
  const end = Math.floor(now / MINUTE) * MINUTE;
  const p = periodMin * MINUTE;
  if (m.t[0]! > end - 2 * p) return null;
  const cur = sums(m, end - p, end).total;
  const prev = sums(m, end - 2 * p, end - p).total;
  if (prev === 0) return null;
  const value = (cur - prev) / prev;
  return { value, direction: Math.abs(value) < 0.05 ? 'flat' : value > 0 ? 'up' : 'down' };
}

/** Net sentiment (×100) of the last `periodMin` whole minutes against the period before. */
export function netDelta(m: SeriesBlock | null, now: number, periodMin: number): Delta | null {
  if (!m || m.t.length === 0) return null;
  const end = Math.floor(now / MINUTE) * MINUTE;
  const p = periodMin * MINUTE;
  if (m.t[0]! > end - 2 * p) return null;
  const cur = sums(m, end - p, end);
  const prev = sums(m, end - 2 * p, end - p);
  if (cur.total === 0 || prev.total === 0) return null;
  const net = (s: { total: number; negative: number; positive: number }): number =>
    (100 * (s.positive - s.negative)) / s.total;
  const value = Math.round(net(cur) - net(prev));
  return { value, direction: Math.abs(value) < 2 ? 'flat' : value > 0 ? 'up' : 'down' };
}

/** "↑ 12% vs previous 5 min": arrows, never colour alone. */
export function deltaText(d: Delta, unit: '%' | 'pts', periodText: string): string {
  const arrow = d.direction === 'up' ? '↑' : d.direction === 'down' ? '↓' : '→';
  const n = unit === '%' ? Math.round(d.value * 100) : d.value;
  const sign = n > 0 ? '+' : n < 0 ? '−' : '±';
  return `${arrow} ${sign}${Math.abs(n)}${unit === '%' ? '%' : ' pts'} vs previous ${periodText}`;
}

/** An SVG polyline's points for values in a 100×20 box (nulls break nothing: they are skipped). */
export function sparkPoints(
  values: readonly (number | null)[],
  min?: number,
  max?: number
): string {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) return '';
  const lo = min ?? Math.min(...present);
  const hi = max ?? Math.max(...present);
  const span = hi - lo || 1;
  const step = 100 / Math.max(1, values.length - 1);
  const out: string[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    out.push(`${(i * step).toFixed(1)},${(19 - ((v - lo) / span) * 18).toFixed(1)}`);
  });
  return out.join(' ');
}
