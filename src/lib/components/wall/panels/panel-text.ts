/** Words and orderings shared by the wall's panels. Pure. */

import type { AlertSeverity, AlertState, AlertView, InfluenceTier } from '$lib/shared/types';

/** "15 min", "1 h", "90 s", "2 d": the length of a window in words. */
export function windowText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60 || m % 60 !== 0) return `${m} min`;
  const h = m / 60;
  if (h < 48 || h % 24 !== 0) return `${h} h`;
  return `${h / 24} d`;
}

/** Influence tiers in words. */
export const TIER_WORD: Record<InfluenceTier, string> = {
  everyday: 'Everyday',
  notable: 'Notable',
  influencer: 'Influencer',
  celebrity: 'Celebrity'
};

/** A symbol per severity, shown with its word (never colour alone). */
export const SEVERITY_SYMBOL: Record<AlertSeverity, string> = {
  critical: '!!',
  warning: '!',
  info: 'i'
};

const STATE_ORDER: Record<AlertState, number> = {
  firing: 0,
  pending: 1,
  acknowledged: 2,
  resolved: 3
};

const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The open alerts (not resolved) in wall order: firing, then pending, then acknowledged; within a
 * state the most severe first, then the newest.
 */
export function openAlerts(alerts: readonly AlertView[]): AlertView[] {
  return alerts
    .filter((a) => a.state !== 'resolved')
    .sort(
      (a, b) =>
        STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        b.startedAt - a.startedAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    );
}

/** When an alert's age counts from: its firing, else its start. */
export function alertSince(a: Pick<AlertView, 'firedAt' | 'startedAt'>): number {
  return a.firedAt ?? a.startedAt;
}
