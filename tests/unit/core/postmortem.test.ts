import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  escapeMarkdown,
  incidentTimes,
  postmortemHtml,
  postmortemMarkdown
} from '../../../server/core/alerts/postmortem';
import type { AlertView } from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 14, 0, 0);
const MIN = 60_000;
const XSS = '<img src=x onerror=alert(1)>';

function view(over: Partial<AlertView> = {}): AlertView {
  return {
    id: 'a1',
    ruleId: 'recall',
    ruleName: 'Recall watch',
    ruleKind: 'keyword',
    scopeKey: 'term:recall',
    title: `“recall” in 7 mentions ${XSS}`,
    severity: 'critical',
    drill: false,
    state: 'resolved',
    startedAt: T0,
    firedAt: T0,
    acknowledgedAt: T0 + 4 * MIN,
    acknowledgedBy: 'dana',
    resolvedAt: T0 + 90 * MIN,
    resolvedBy: 'auto',
    clearedAt: T0 + 80 * MIN,
    occurrences: 2,
    lastTriggeredAt: T0 + 20 * MIN,
    snoozedUntil: null,
    assignee: null,
    escalationLevel: 0,
    timeline: [
      { at: T0, code: 'condition-met', by: null, detail: '7 mentions' },
      { at: T0 + 4 * MIN, code: 'acknowledged', by: 'dana', detail: null },
      { at: T0 + 5 * MIN, code: 'note', by: 'dana', detail: `statement ${XSS}` },
      { at: T0 + 90 * MIN, code: 'auto-resolved', by: null, detail: null }
    ],
    deliveries: [
      {
        at: T0 + 1000,
        channelId: 'webhook',
        event: 'firing',
        attempt: 1,
        ok: false,
        status: 503,
        error: 'HTTP 503',
        reason: 'retrying'
      },
      {
        at: T0 + 3000,
        channelId: 'webhook',
        event: 'firing',
        attempt: 2,
        ok: true,
        status: 200,
        error: null,
        reason: 'sent'
      }
    ],
    context: {
      measure: 'Mentions of “recall” in 10 min',
      unit: 'mentions',
      observed: 7,
      expected: null,
      lower: null,
      upper: null,
      drivers: [{ kind: 'author', name: XSS, observed: 3, expected: null, share: 0.4 }],
      samples: [
        {
          id: 's1',
          source: 'test',
          channel: 'twitter',
          createdAt: T0,
          text: `recall? ${XSS}`,
          author: { handle: '@m_[x](http://evil)', name: 'M', followers: 1, verified: false },
          url: null,
          sentiment: 'negative',
          score: -0.6
        } as unknown as NonNullable<AlertView['context']>['samples'][number]
      ]
    },
    link: '/alerts?id=a1',
    ...over
  };
}

const series = Array.from({ length: 120 }, (_, i) => ({
  t: T0 - 30 * MIN + i * MIN,
  value: i >= 30 && i < 40 ? 300 : 20
}));

describe('post-mortem export', () => {
  it('measures the incident from its onset', () => {
    expect(incidentTimes(view())).toEqual({
      toFire: 0,
      toAcknowledge: 4 * MIN,
      toResolve: 90 * MIN
    });
    expect(incidentTimes(view({ acknowledgedAt: null, resolvedAt: null }))).toEqual({
      toFire: 0,
      toAcknowledge: null,
      toResolve: null
    });
  });

  it.each([
    ['<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    [`"a" & 'b'`, '&quot;a&quot; &amp; &#39;b&#39;']
  ])('escapes HTML: %s', (raw, escaped) => {
    expect(escapeHtml(raw)).toBe(escaped);
  });

  it.each([
    ['[click](http://evil)', '\\[click\\]\\(http://evil\\)'],
    ['line\nbreak | pipe', 'line break \\| pipe'],
    ['<img>', '\\<img\\>']
  ])('escapes Markdown: %s', (raw, escaped) => {
    expect(escapeMarkdown(raw)).toBe(escaped);
  });

  it('writes Markdown with the timeline, deliveries, times and the series, escaped', () => {
    const md = postmortemMarkdown(view(), series);
    expect(md.startsWith('# ')).toBe(true);
    expect(md).toContain('to acknowledge 4 min 0 s');
    expect(md).toContain('to resolve 1 h 30 min');
    expect(md).toContain('notification firing via webhook: retrying');
    expect(md).toContain('peak 300');
    expect(md).not.toMatch(/(?<!\\)<img|(?<!\\)\](?<!\\)\(http/);
    // Timeline rows are in time order, notifications merged in.
    const order = ['condition\\-met', 'notification firing via webhook: retrying', 'acknowledged'];
    const at = order.map((w) => md.indexOf(w));
    expect(at.every((x, i) => x > 0 && (i === 0 || x > at[i - 1]!))).toBe(true);
  });

  it('labels a drill', () => {
    expect(postmortemMarkdown(view({ drill: true }), [])).toMatch(/^# DRILL: /);
    expect(postmortemHtml(view({ drill: true }), [])).toContain('<span class="drill">DRILL</span>');
  });

  it('writes a self-contained HTML page with a chart and nothing executable', () => {
    const html = postmortemHtml(view(), series);
    expect(html).toContain('<svg role="img"');
    expect(html).toContain('onset');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(postmortemHtml(view(), [])).not.toContain('<svg');
  });
});
