import type { NotificationMessage } from './types';

// Shared rendering of a notification: the one-line summary, plain text, HTML, and the escaping
// each channel needs. Titles, driver names, authors and mention texts come from the internet,
// so every function here treats them as untrusted: control characters removed, lengths
// clipped, and markup escaped for the target format.

/** Prefix of every title, subject and summary of a fire drill. */
export const DRILL_PREFIX = '[DRILL]';

/** Most drivers and sample mentions a notification shows. */
export const MAX_DRIVERS = 5;
/** Most sample mentions a notification shows. */
export const MAX_SAMPLES = 5;

// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Untrusted text as one clean line: control and bidi-override characters become spaces,
 * whitespace collapses, and anything beyond `max` characters is cut with an ellipsis.
 */
export function oneLine(text: string, max = 300): string {
  const s = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (s.length <= max) return s;
  return `${s.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

export { escapeHtml } from '../../core/escape';
import { escapeHtml } from '../../core/escape';

/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` (Slack's own rule), which also defuses
 * `<!channel>` pings and `<url|label>` links smuggled in a mention.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes text for the Markdown subset of Teams cards: emphasis, code and link syntax get a
 * backslash, and so does a leading list or heading marker.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]()~<>]/g, '\\$&').replace(/^(\s*)([-+#>]|\d+\.)/, '$1\\$2');
}

/** The URL when it is absolute http(s), else null (no `javascript:` or relative hrefs). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A number for people: grouped, at most two decimals below 10, one below 100, none above. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A value with its unit: "412/min", "12%", "3.5 s". */
export function formatMeasure(value: number, unit: string): string {
  const u = oneLine(unit, 20);
  if (u === '') return formatNumber(value);
  return /^[/%]/.test(u) ? `${formatNumber(value)}${u}` : `${formatNumber(value)} ${u}`;
}

/** The event as a label: "FIRING", "ESCALATED (level 2)", "RESOLVED", "ACKNOWLEDGED". */
export function eventLabel(msg: NotificationMessage): string {
  if (msg.event === 'escalated') return `ESCALATED (level ${msg.escalationLevel})`;
  return msg.event.toUpperCase();
}

/** "[DRILL] " for a drill, else ''. */
export function drillPrefix(msg: NotificationMessage): string {
  return msg.drill ? `${DRILL_PREFIX} ` : '';
}

/** The title line, subject of an email: "[DRILL] [CRITICAL] FIRING: Volume spike". */
export function notificationTitle(msg: NotificationMessage): string {
  return oneLine(
    `${drillPrefix(msg)}[${msg.severity.toUpperCase()}] ${eventLabel(msg)}: ${oneLine(msg.title, 200)}`,
    300
  );
}

/** "412/min vs 120 expected (band 90–150)"; null when nothing was observed. */
export function comparisonText(msg: NotificationMessage): string | null {
  if (msg.observed === null) return null;
  let s = formatMeasure(msg.observed, msg.unit);
  if (msg.expected !== null) s += ` vs ${formatNumber(msg.expected)} expected`;
  if (msg.lower !== null && msg.upper !== null) {
    s += ` (band ${formatNumber(msg.lower)}–${formatNumber(msg.upper)})`;
  }
  return s;
}

/** One driver as text: "#outage 62%". */
export function driverText(d: NotificationMessage['drivers'][number]): string {
  const name = oneLine(d.name, 80);
  return d.share === null ? name : `${name} ${Math.round(d.share * 100)}%`;
}

/** "#outage 62%, x 20%" (the first MAX_DRIVERS); null when there are none. */
export function driversText(msg: NotificationMessage): string | null {
  if (msg.drivers.length === 0) return null;
  return msg.drivers.slice(0, MAX_DRIVERS).map(driverText).join(', ');
}

/** The sample mentions to show, cleaned: at most MAX_SAMPLES, authors and texts clipped. */
export function cleanSamples(
  msg: NotificationMessage
): { author: string; text: string; url: string | null }[] {
  return msg.samples.slice(0, MAX_SAMPLES).map((s) => ({
    author: oneLine(s.author, 80) || 'unknown',
    text: oneLine(s.text, 280),
    url: safeHttpUrl(s.url)
  }));
}

/**
 * The one-line summary: "[DRILL] Volume spike: 412/min vs 120 expected (band 90–150) · drivers:
 * #outage 62%, x 20% · 3 sample mentions · https://…". Plain, unescaped text.
 */
export function summaryLine(msg: NotificationMessage): string {
  const cmp = comparisonText(msg);
  const out = [`${drillPrefix(msg)}${oneLine(msg.title, 200)}${cmp ? `: ${cmp}` : ''}`];
  const drivers = driversText(msg);
  if (drivers) out.push(`drivers: ${drivers}`);
  const n = msg.samples.length;
  if (n > 0) out.push(`${n} sample mention${n === 1 ? '' : 's'}`);
  const link = safeHttpUrl(msg.link);
  if (link) out.push(link);
  return out.join(' · ');
}

/** When the event happened, in UTC: "2025-03-01 09:00:00 UTC". */
export function formatTime(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime())
    ? 'unknown time'
    : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The plain-text body (email text part; also readable in any log). */
export function renderText(msg: NotificationMessage): string {
  const lines = [notificationTitle(msg), ''];
  if (msg.drill) lines.push('This is a fire drill: no action is needed beyond the drill.', '');
  const cmp = comparisonText(msg);
  if (cmp) lines.push(`Observed: ${cmp}`);
  lines.push(`State: ${oneLine(msg.state, 40)} · severity ${msg.severity} · ${formatTime(msg.at)}`);
  const drivers = driversText(msg);
  if (drivers) lines.push(`Drivers: ${drivers}`);
  const samples = cleanSamples(msg);
  if (samples.length > 0) {
    lines.push('', 'Sample mentions:');
    for (const s of samples) lines.push(`- ${s.author}: ${s.text}${s.url ? ` (${s.url})` : ''}`);
  }
  const link = safeHttpUrl(msg.link);
  if (link) lines.push('', `Drill-down: ${link}`);
  lines.push('', `Alert ${oneLine(msg.alertId, 100)} · rule ${oneLine(msg.ruleId, 100)}`);
  return lines.join('\n');
}

/** The HTML body (email HTML part): every untrusted string escaped, only http(s) links. */
export function renderHtml(msg: NotificationMessage): string {
  const e = escapeHtml;
  const color =
    msg.severity === 'critical' ? '#b91c1c' : msg.severity === 'warning' ? '#b45309' : '#1d4ed8';
  const rows: string[] = [];
  const cmp = comparisonText(msg);
  if (cmp) rows.push(`<tr><th align="left">Observed</th><td>${e(cmp)}</td></tr>`);
  rows.push(
    `<tr><th align="left">State</th><td>${e(oneLine(msg.state, 40))} · severity ${e(msg.severity)}</td></tr>`,
    `<tr><th align="left">When</th><td>${e(formatTime(msg.at))}</td></tr>`
  );
  const drivers = driversText(msg);
  if (drivers) rows.push(`<tr><th align="left">Drivers</th><td>${e(drivers)}</td></tr>`);
  const samples = cleanSamples(msg)
    .map((s) => {
      const text = s.url ? `<a href="${e(s.url)}">${e(s.text)}</a>` : e(s.text);
      return `<li><strong>${e(s.author)}</strong>: ${text}</li>`;
    })
    .join('');
  const link = safeHttpUrl(msg.link);
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    msg.drill
      ? '<p style="background:#fde68a;padding:6px"><strong>DRILL</strong>: this is a fire drill.</p>'
      : '',
    `<h2 style="color:${color}">${e(notificationTitle(msg))}</h2>`,
    `<table cellpadding="4">${rows.join('')}</table>`,
    samples ? `<h3>Sample mentions</h3><ul>${samples}</ul>` : '',
    link ? `<p><a href="${e(link)}">Open the drill-down</a></p>` : '',
    `<p style="color:#666;font-size:12px">Alert ${e(oneLine(msg.alertId, 100))} · rule ${e(oneLine(msg.ruleId, 100))}</p>`,
    '</body></html>'
  ].join('');
}
