/**
 * Post-mortem export of an incident: its timeline (every lifecycle step and notification), what
 * was measured, the drivers, sample mentions and a chart of mentions per minute around it, as
 * Markdown and as a self-contained HTML page. Pure: the alert and the series are passed in.
 * Everything that came from the internet (mention text, authors, names, notes) is escaped.
 */
import type { AlertView } from '../../../src/lib/shared/types';

/** Mentions per minute around the incident, ascending. */
export interface IncidentPoint {
  t: number;
  value: number;
}

function iso(t: number | null): string {
  return t === null ? '—' : new Date(t).toISOString().replace('.000Z', 'Z');
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${sec} s` : `${sec} s`;
}

export { escapeHtml } from '../escape';
import { escapeHtml } from '../escape';

/** Escapes text for Markdown: no markup, links, HTML or line breaks survive. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** One row of the merged timeline. */
interface Row {
  at: number;
  what: string;
  by: string | null;
  detail: string | null;
}

function rows(a: AlertView): Row[] {
  const out: Row[] = a.timeline.map((e) => ({
    at: e.at,
    what: e.code,
    by: e.by,
    detail: e.detail
  }));
  for (const d of a.deliveries) {
    out.push({
      at: d.at,
      what: `notification ${d.event} via ${d.channelId}: ${d.reason}`,
      by: null,
      detail: d.error ?? (d.status !== null ? `status ${d.status}` : null)
    });
  }
  return out.sort((x, y) => x.at - y.at);
}

/** Key times of the incident: to fire, to acknowledge, to resolve (from the start). */
export function incidentTimes(a: AlertView): {
  toFire: number | null;
  toAcknowledge: number | null;
  toResolve: number | null;
} {
  const since = (t: number | null): number | null => (t === null ? null : t - a.startedAt);
  return {
    toFire: since(a.firedAt),
    toAcknowledge: since(a.acknowledgedAt),
    toResolve: since(a.resolvedAt)
  };
}

function measured(a: AlertView): string | null {
  const c = a.context;
  if (!c || c.observed === null) return null;
  const fmt = (v: number | null): string =>
    v === null
      ? '—'
      : c.unit === '%'
        ? `${Math.round(v * 100)}%`
        : `${Math.round(v)}${c.unit === '/min' ? '/min' : ''}`;
  const band =
    c.lower !== null && c.upper !== null ? ` (band ${fmt(c.lower)}–${fmt(c.upper)})` : '';
  return `${c.measure}: ${fmt(c.observed)} vs ${fmt(c.expected)} expected${band}`;
}

/** The incident as Markdown. */
export function postmortemMarkdown(a: AlertView, series: readonly IncidentPoint[]): string {
  const t = incidentTimes(a);
  const lines: string[] = [];
  lines.push(`# ${a.drill ? 'DRILL: ' : ''}${escapeMarkdown(a.title)}`, '');
  lines.push(
    `- Rule: ${escapeMarkdown(a.ruleName)} (${a.ruleKind}), scope ${escapeMarkdown(a.scopeKey)}`
  );
  lines.push(`- Severity: ${a.severity}; state: ${a.state}; occurrences: ${a.occurrences}`);
  lines.push(`- Started: ${iso(a.startedAt)}; fired: ${iso(a.firedAt)}`);
  lines.push(
    `- Acknowledged: ${iso(a.acknowledgedAt)}${a.acknowledgedBy ? ` by ${escapeMarkdown(a.acknowledgedBy)}` : ''}`
  );
  lines.push(
    `- Resolved: ${iso(a.resolvedAt)}${a.resolvedBy ? ` by ${escapeMarkdown(a.resolvedBy)}` : ''}`
  );
  const times = [
    t.toFire !== null ? `to fire ${duration(t.toFire)}` : null,
    t.toAcknowledge !== null ? `to acknowledge ${duration(t.toAcknowledge)}` : null,
    t.toResolve !== null ? `to resolve ${duration(t.toResolve)}` : null
  ].filter(Boolean);
  if (times.length) lines.push(`- Times from onset: ${times.join(', ')}`);
  const m = measured(a);
  if (m) lines.push(`- ${escapeMarkdown(m)}`);
  lines.push('');
  if (a.context?.drivers.length) {
    lines.push('## Drivers', '');
    for (const d of a.context.drivers) {
      const share = d.share !== null ? ` (${Math.round(d.share * 100)}%)` : '';
      lines.push(`- ${d.kind}: ${escapeMarkdown(d.name)}${share}`);
    }
    lines.push('');
  }
  if (series.length) {
    const peak = series.reduce((p, x) => (x.value > p.value ? x : p), series[0]!);
    lines.push('## Mentions per minute', '');
    lines.push(
      `${series.length} minutes from ${iso(series[0]!.t)} to ${iso(series[series.length - 1]!.t)}; peak ${peak.value} at ${iso(peak.t)}.`,
      ''
    );
    lines.push('| minute | mentions |', '| --- | ---: |');
    for (const p of series) lines.push(`| ${iso(p.t)} | ${p.value} |`);
    lines.push('');
  }
  lines.push('## Timeline', '', '| time | what | by | detail |', '| --- | --- | --- | --- |');
  for (const r of rows(a)) {
    lines.push(
      `| ${iso(r.at)} | ${escapeMarkdown(r.what)} | ${r.by ? escapeMarkdown(r.by) : ''} | ${r.detail ? escapeMarkdown(r.detail) : ''} |`
    );
  }
  lines.push('');
  if (a.context?.samples.length) {
    lines.push('## Sample mentions', '');
    for (const s of a.context.samples) {
      lines.push(
        `- ${escapeMarkdown(s.author.handle)} (${s.channel}, ${iso(s.createdAt)}): ${escapeMarkdown(s.text)}`
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** An SVG line chart of the series, with the alert's start and end marked. */
function chart(a: AlertView, series: readonly IncidentPoint[]): string {
  if (series.length < 2) return '';
  const W = 720;
  const H = 180;
  const pad = 24;
  const t0 = series[0]!.t;
  const t1 = series[series.length - 1]!.t;
  const max = Math.max(1, ...series.map((p) => p.value));
  const x = (t: number): number => pad + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * pad);
  const y = (v: number): number => H - pad - (v / max) * (H - 2 * pad);
  const path = series
    .map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join('');
  const mark = (t: number | null, label: string): string =>
    t === null || t < t0 || t > t1
      ? ''
      : `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${pad}" y2="${H - pad}" stroke="#d55e00" stroke-dasharray="4 3"/><text x="${(x(t) + 4).toFixed(1)}" y="${pad + 10}" font-size="11" fill="#d55e00">${label}</text>`;
  return `<svg role="img" aria-label="Mentions per minute around the incident" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#fff"/><path d="${path}" fill="none" stroke="#0072b2" stroke-width="2"/>${mark(a.startedAt, 'onset')}${mark(a.acknowledgedAt, 'ack')}${mark(a.resolvedAt, 'resolved')}<text x="${pad}" y="${H - 6}" font-size="11" fill="#555">${escapeHtml(iso(t0))}</text><text x="${W - pad}" y="${H - 6}" font-size="11" fill="#555" text-anchor="end">${escapeHtml(iso(t1))}</text><text x="${pad}" y="${pad - 8}" font-size="11" fill="#555">peak ${max}/min</text></svg>`;
}

/** The incident as a self-contained HTML page (no scripts, no external resources). */
export function postmortemHtml(a: AlertView, series: readonly IncidentPoint[]): string {
  const t = incidentTimes(a);
  const e = escapeHtml;
  const m = measured(a);
  const facts: [string, string][] = [
    ['Rule', `${a.ruleName} (${a.ruleKind}), scope ${a.scopeKey}`],
    ['Severity', `${a.severity}; state ${a.state}; occurrences ${a.occurrences}`],
    ['Started', iso(a.startedAt)],
    ['Fired', iso(a.firedAt)],
    [
      'Acknowledged',
      `${iso(a.acknowledgedAt)}${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`
    ],
    ['Resolved', `${iso(a.resolvedAt)}${a.resolvedBy ? ` by ${a.resolvedBy}` : ''}`],
    ['Time to acknowledge', t.toAcknowledge === null ? '—' : duration(t.toAcknowledge)],
    ['Time to resolve', t.toResolve === null ? '—' : duration(t.toResolve)]
  ];
  if (m) facts.push(['Measured', m]);
  const drivers = (a.context?.drivers ?? [])
    .map(
      (d) =>
        `<li>${e(d.kind)}: ${e(d.name)}${d.share !== null ? ` (${Math.round(d.share * 100)}%)` : ''}</li>`
    )
    .join('');
  const timeline = rows(a)
    .map(
      (r) =>
        `<tr><td>${e(iso(r.at))}</td><td>${e(r.what)}</td><td>${e(r.by ?? '')}</td><td>${e(r.detail ?? '')}</td></tr>`
    )
    .join('');
  const samples = (a.context?.samples ?? [])
    .map(
      (s) =>
        `<li><strong>${e(s.author.handle)}</strong> <small>${e(s.channel)}, ${e(iso(s.createdAt))}</small><br>${e(s.text)}</li>`
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`${a.drill ? 'DRILL: ' : ''}Post-mortem: ${a.title}`)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{width:12rem}.drill{color:#b00;font-weight:700}</style>
</head><body>
<h1>${a.drill ? '<span class="drill">DRILL</span> ' : ''}${e(a.title)}</h1>
<table>${facts.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>
${series.length >= 2 ? `<h2>Mentions per minute</h2>${chart(a, series)}` : ''}
${drivers ? `<h2>Drivers</h2><ul>${drivers}</ul>` : ''}
<h2>Timeline</h2><table><tr><th>Time</th><th>What</th><th>By</th><th>Detail</th></tr>${timeline}</table>
${samples ? `<h2>Sample mentions</h2><ul>${samples}</ul>` : ''}
</body></html>
`;
}
