import type {
  AlertContext,
  AlertSeverity,
  AlertState,
  AlertView,
  DetectionDriver,
  DrillReport
} from '$lib/shared/types';

/** Severity in words. */
export const SEVERITY_WORD: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical'
};

/** State in words. */
export const STATE_WORD: Record<AlertState, string> = {
  pending: 'Pending',
  firing: 'Firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved'
};

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number for a sentence: whole numbers grouped, small fractions with one decimal. */
function num(v: number): string {
  if (!Number.isInteger(v) && Math.abs(v) < 10) return (Math.round(v * 10) / 10).toString();
  return grouped.format(Math.round(v));
}

/** "45 s", "12 min", "2.5 h": a duration in words, for values and snoozes. */
export function durationText(ms: number): string {
  const m = ms / 60_000;
  if (m < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (m < 90) return `${Math.round(m)} min`;
  return `${(Math.round((m / 60) * 10) / 10).toString()} h`;
}

/** One value in the context's unit; `withUnit` false leaves off a unit the sentence implies. */
export function formatValue(v: number, unit: string, withUnit = true): string {
  switch (unit) {
    case '%':
      return `${Math.round(v * 100)}%`;
    case 'ms':
      return durationText(v);
    case '/min':
      return withUnit ? `${num(v)}/min` : num(v);
    case 'mentions':
      return withUnit ? `${num(v)} mention${v === 1 ? '' : 's'}` : num(v);
    default:
      return withUnit && unit ? `${num(v)} ${unit}` : num(v);
  }
}

/**
 * Observed vs expected with the band, in the context's unit:
 * "412/min vs 120 expected (band 90–150)", "38% vs 12% expected (band 8%–16%)", "1,000 mentions
 * (limit 5)" for a one-sided threshold; null when nothing was observed.
 */
export function observedLine(c: AlertContext | null): string | null {
  if (!c || c.observed === null) return null;
  let out = formatValue(c.observed, c.unit);
  if (c.expected !== null) out += ` vs ${formatValue(c.expected, c.unit, false)} expected`;
  if (c.lower !== null && c.upper !== null) {
    out += ` (band ${formatValue(c.lower, c.unit, false)}–${formatValue(c.upper, c.unit, false)})`;
  } else if (c.upper !== null) {
    out += ` (limit ${formatValue(c.upper, c.unit, false)})`;
  } else if (c.lower !== null) {
    out += ` (floor ${formatValue(c.lower, c.unit, false)})`;
  }
  return out;
}

/** A driver in a few words: "channel reddit 64%", "term “melted” 12". */
export function driverText(d: DetectionDriver): string {
  const name = d.kind === 'term' ? `“${d.name}”` : d.name;
  const share = d.share !== null ? ` ${Math.round(d.share * 100)}%` : ` ${num(d.observed)}`;
  return `${d.kind} ${name}${share}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The crisis clock: "04:07" (mm:ss), "01:02:03" (hh:mm:ss) from an hour on. */
export function crisisClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${pad2(m)}:${pad2(s % 60)}`;
  return h > 0 ? `${pad2(h)}:${rest}` : rest;
}

/** How long since something, compactly: "45 s", "12 min", "2 h 05 min". */
export function sinceText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${pad2(m % 60)} min`;
}

/** "14:05:09": a local time of day. */
export function timeOfDay(t: number): string {
  const d = new Date(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** "23 Nov 14:05": a local date and time, for history. */
export function dateTime(t: number): string {
  const d = new Date(t);
  const day = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return `${day} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Timeline codes (lifecycle reason codes and `notified`) in words. */
const CODE_WORD: Record<string, string> = {
  'condition-met': 'Raised',
  'held-for-duration': 'Firing',
  retriggered: 'Triggered again',
  'retriggered-while-acknowledged': 'Triggered again while acknowledged',
  'severity-raised': 'Severity raised',
  cleared: 'Condition cleared',
  'auto-resolved': 'Resolved automatically',
  acknowledged: 'Acknowledged',
  'resolved-by-hand': 'Resolved',
  snoozed: 'Snoozed',
  'snooze-expired': 'Snooze ended',
  escalated: 'Escalated',
  assigned: 'Assigned',
  unassigned: 'Unassigned',
  note: 'Note',
  notified: 'Notified'
};

/** A timeline code in words (unknown codes as they are). */
export function codeWord(code: string): string {
  return CODE_WORD[code] ?? code;
}

/** Delivery results in words. */
const REASON_WORD: Record<string, string> = {
  sent: 'sent',
  retrying: 'failed, retrying',
  'not-retryable': 'failed (not retryable)',
  'gave-up': 'failed, gave up',
  silenced: 'silenced',
  duplicate: 'duplicate, not sent',
  'rate-limited': 'rate-limited',
  'queue-full': 'dropped, queue full'
};

/** One line of the merged timeline of an alert. */
export interface TimelineRow {
  at: number;
  kind: 'event' | 'delivery';
  /** What happened, in words. */
  what: string;
  by: string | null;
  /** Free text (a note, an assignee, an error): untrusted, render as text. */
  detail: string | null;
  /** For deliveries: whether it went out; null for events. */
  ok: boolean | null;
}

/** The alert's timeline and notification deliveries merged by time, oldest first. */
export function timelineRows(a: AlertView): TimelineRow[] {
  const rows: TimelineRow[] = a.timeline.map((e) => ({
    at: e.at,
    kind: 'event',
    what: codeWord(e.code),
    by: e.by,
    detail: e.detail,
    ok: null
  }));
  for (const d of a.deliveries) {
    const attempt = d.attempt > 1 ? ` (attempt ${d.attempt})` : '';
    const status = d.status !== null ? `HTTP ${d.status}` : null;
    rows.push({
      at: d.at,
      kind: 'delivery',
      what: `Notification “${d.event}” via ${d.channelId}: ${REASON_WORD[d.reason] ?? d.reason}${attempt}`,
      by: null,
      detail: [status, d.error].filter((x) => x !== null).join(' · ') || null,
      ok: d.ok
    });
  }
  // Stable: at equal times lifecycle events come before the notifications they caused.
  return rows.sort((x, y) => x.at - y.at);
}

/** Whether the alert is about total mention volume (the crisis layout then charts it). */
export function isVolumeAlert(a: AlertView): boolean {
  if (a.scopeKey === 'volume') return true;
  return a.scopeKey === 'all' && a.ruleKind !== 'keyword' && a.context?.unit === '/min';
}

/** Severity colours: critical the wall's alarm red, warning its orange, info a quiet grey. */
export const SEVERITY_COLOR: Record<AlertSeverity, string> = {
  critical: '#FF6B5A',
  warning: '#E69F00',
  info: '#9AA0A6'
};

/**
 * A drill report in a line: "Drill finished · detected in 2 s · acknowledged in 40 s · resolved
 * in 3 min · 4 alerts".
 */
export function drillSummary(r: DrillReport): string {
  const parts = [`Drill ${r.state}`];
  parts.push(
    r.timeToDetectMs === null ? 'not detected yet' : `detected in ${durationText(r.timeToDetectMs)}`
  );
  if (r.timeToAcknowledgeMs !== null) {
    parts.push(`acknowledged in ${durationText(r.timeToAcknowledgeMs)}`);
  }
  if (r.timeToResolveMs !== null) parts.push(`resolved in ${durationText(r.timeToResolveMs)}`);
  parts.push(`${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
