const MINUS = '\u2212';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1
});
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Formats a count with thousands separators, e.g. 12,345. */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** Formats a rate: one decimal below 10, whole numbers with separators above. */
export function formatRate(n: number): string {
  if (n === 0) return '0';
  return n < 10 ? oneDecimal.format(n) : grouped.format(n);
}

/** Abbreviates a follower count, e.g. 1.2K or 3.4M. */
export function formatFollowers(n: number): string {
  return compact.format(n);
}

/** Formats net sentiment in [-1, 1] as a signed whole number out of 100, e.g. "+23" or "−41". */
export function formatNetSentiment(net: number): string {
  const v = Math.round(net * 100);
  if (v > 0) return `+${v}`;
  if (v < 0) return `${MINUS}${-v}`;
  return '0';
}

/** Formats a duration as "12m 30s" (or "45s", "2h 05m"), or "—" when there is none. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Formats how long ago something happened, compactly: "now", "12s", "4m", "3h", "2d". */
export function formatAgo(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 5) return 'now';
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** Formats the age of data for the connection indicator, e.g. "42 s" or "3 min 05 s". */
export function formatAge(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Formats a local wall-clock time as HH:MM:SS (24-hour). */
export function formatClock(t: number): string {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
}

/** Formats a share of a total as a whole percentage, or "0%" when the total is 0. */
export function formatShare(part: number, total: number): string {
  return total > 0 ? `${Math.round((part / total) * 100)}%` : '0%';
}
