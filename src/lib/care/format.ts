/**
 * Formatting for the care queue, its team view and the care scene: SLA countdowns and their
 * state, priority bands, compliance bands, money and percentages. Pure: `now` is always a
 * parameter (server-clock epoch ms), never read here.
 */

import type { SlaClockState } from '$lib/shared/types';

/** The colours that carry meaning on the care views (Okabe–Ito, as on the wall). */
export const CARE_COLORS = {
  good: '#009E73',
  warn: '#E69F00',
  bad: '#D55E00',
  none: '#9AA0A6'
} as const;

/** Where a countdown stands; `none` when the mention has no SLA policy. */
export type CountdownState = SlaClockState | 'none';

/** A countdown as shown in a queue row. */
export interface Countdown {
  text: string;
  state: CountdownState;
}

/** Colour, symbol and word of each countdown state (colour is never the only signal). */
export const COUNTDOWN_STYLE: Record<CountdownState, { color: string; word: string }> = {
  ok: { color: CARE_COLORS.good, word: 'On time' },
  warning: { color: CARE_COLORS.warn, word: 'Due soon' },
  breached: { color: CARE_COLORS.bad, word: 'Overdue' },
  none: { color: CARE_COLORS.none, word: 'No SLA' }
};

/** `m:ss`, or `h:mm:ss` from an hour, of a whole number of seconds (≥ 0). */
export function clockText(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * The SLA state at `now`, as the server decides it: breached from `dueAt` on, warning from
 * `warnAt` on, else ok.
 */
export function slaStateAt(
  sla: { warnAt: number; dueAt: number } | null,
  now: number
): CountdownState {
  if (!sla) return 'none';
  if (now >= sla.dueAt) return 'breached';
  if (now >= sla.warnAt) return 'warning';
  return 'ok';
}

/**
 * `12:34 left` before the deadline (seconds rounded up, so the last second reads `0:01 left`),
 * `overdue 3:10` from it on (rounded down, so the deadline itself reads `overdue 0:00`).
 */
export function countdown(sla: { warnAt: number; dueAt: number } | null, now: number): Countdown {
  const state = slaStateAt(sla, now);
  if (!sla) return { text: '—', state };
  const remaining = sla.dueAt - now;
  if (remaining > 0) return { text: `${clockText(Math.ceil(remaining / 1000))} left`, state };
  return { text: `overdue ${clockText(Math.floor(-remaining / 1000))}`, state };
}

/** Priority bands, highest first, with the lowest priority of each (0–100). */
export const PRIORITY_BANDS = [
  { band: 'urgent', min: 80, color: CARE_COLORS.bad, word: 'Urgent' },
  { band: 'high', min: 60, color: CARE_COLORS.warn, word: 'High' },
  { band: 'medium', min: 40, color: '#E6E8EB', word: 'Medium' },
  { band: 'low', min: -Infinity, color: 'rgba(230, 232, 235, 0.62)', word: 'Low' }
] as const;

export type PriorityBand = (typeof PRIORITY_BANDS)[number];

/** The band of a priority (rounded as shown, so the number and its colour always agree). */
export function priorityBand(priority: number): PriorityBand {
  const p = Number.isFinite(priority) ? Math.round(priority) : 0;
  return PRIORITY_BANDS.find((b) => p >= b.min) ?? PRIORITY_BANDS[3];
}

/** Compliance band: good from 95 %, warn from 80 %, else bad; none without a ratio. */
export type ComplianceBand = 'good' | 'warn' | 'bad' | 'none';

/** The band of a compliance ratio in [0, 1], read on the floored whole percent shown. */
export function complianceBand(ratio: number | null): ComplianceBand {
  if (ratio === null || !Number.isFinite(ratio)) return 'none';
  const pct = percentFloor(ratio);
  if (pct >= 95) return 'good';
  if (pct >= 80) return 'warn';
  return 'bad';
}

/** Whole percent of a ratio, rounded down (99.6 % is not yet 100 %), clamped to 0–100. */
export function percentFloor(ratio: number): number {
  return Math.min(100, Math.max(0, Math.floor(ratio * 100 + 1e-9)));
}

/** A ratio in [0, 1] as a whole percentage, rounded down: `97%`, or `—` without one. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return `${percentFloor(ratio)}%`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount of money with its currency symbol: whole units (`$12,345`, `€1,200`), or with cents
 * when `cents` (`$3.75`). An unknown currency code falls back to the number and the code
 * (`12,345 XYZ`).
 */
export function formatMoney(amount: number, currency: string, cents = false): string {
  if (!Number.isFinite(amount)) return '—';
  const code = currency.toUpperCase();
  const key = `${code}/${cents}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: code,
        minimumFractionDigits: cents ? 2 : 0,
        maximumFractionDigits: cents ? 2 : 0
      });
      moneyFormats.set(key, f);
    } catch {
      f = undefined;
    }
  }
  if (f) return f.format(amount);
  const n = amount.toLocaleString('en-US', {
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: cents ? 2 : 0
  });
  return `${n} ${currency}`;
}

/** A signed whole number (`+23`, `−41`, `0`), or `—`; for the NPS proxy (−100 to 100). */
export function formatSigned(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  const v = Math.round(n);
  if (v > 0) return `+${v}`;
  if (v < 0) return `\u2212${-v}`;
  return '0';
}

/** A compact duration for axis labels: `45s`, `5m`, `1h`, `1h 30m`, `2d`. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return `${Math.round(h / 24)}d`;
}

/**
 * Labels of a histogram whose buckets have these upper bounds (ms): `≤ 1m`, …, and `> 4h` for
 * the last bucket, which holds everything above.
 */
export function bucketLabels(bucketsMs: number[]): string[] {
  const labels = bucketsMs.map((b) => `≤ ${shortDuration(b)}`);
  const last = bucketsMs[bucketsMs.length - 1];
  if (last !== undefined) labels.push(`> ${shortDuration(last)}`);
  return labels;
}

/** Index of the bucket holding `ms` (upper bounds inclusive), or -1 without a value. */
export function bucketOf(ms: number | null, bucketsMs: number[]): number {
  if (ms === null || !Number.isFinite(ms)) return -1;
  const i = bucketsMs.findIndex((b) => ms <= b);
  return i === -1 ? bucketsMs.length : i;
}

/** A sentiment flip key (`negative_to_positive`) in words: `negative → positive`. */
export function flipLabel(key: string): string {
  return key.split('_to_').join(' → ').replaceAll('_', ' ');
}
