import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import AlertBanner from '../../../src/lib/components/alerts/AlertBanner.svelte';
import AlertDetail from '../../../src/lib/components/alerts/AlertDetail.svelte';
import AlertList from '../../../src/lib/components/alerts/AlertList.svelte';
import CrisisTakeover from '../../../src/lib/components/alerts/CrisisTakeover.svelte';
import {
  crisisClock,
  observedLine,
  timelineRows
} from '../../../src/lib/components/alerts/alert-text';
import type { AlertContext, AlertView, RiverItem } from '../../../src/lib/shared/types';

const XSS = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)>';
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function sample(id: string, text: string): RiverItem {
  return {
    id,
    channel: 'reddit',
    createdAt: T0 + 30_000,
    text,
    author: { handle: '@mallory', name: 'Mallory', followers: 10, verified: false },
    sentiment: { score: -0.6, label: 'negative' },
    isBrandReply: false,
    url: null,
    source: 'simulator',
    intent: 'complaint',
    topics: [],
    influenceTier: 'everyday',
    priority: 40
  };
}

const CONTEXT: AlertContext = {
  measure: 'Mentions per minute',
  unit: '/min',
  observed: 412,
  expected: 120,
  lower: 90,
  upper: 150,
  drivers: [
    { kind: 'channel', name: 'reddit', observed: 300, expected: 40, share: 0.64 },
    { kind: 'term', name: XSS, observed: 12, expected: null, share: null }
  ],
  samples: [sample('s1', `My charger melted ${XSS}`), sample('s2', 'Mine melted too')]
};

function alert(over: Partial<AlertView> = {}): AlertView {
  return {
    id: 'al-1',
    ruleId: 'rule-1',
    ruleName: 'Volume spike',
    ruleKind: 'anomaly',
    scopeKey: 'volume',
    title: 'Mentions spiking',
    severity: 'critical',
    drill: false,
    state: 'firing',
    startedAt: T0,
    firedAt: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    clearedAt: null,
    occurrences: 3,
    lastTriggeredAt: T0 + 60_000,
    snoozedUntil: null,
    assignee: null,
    escalationLevel: 0,
    timeline: [
      { at: T0, code: 'condition-met', by: null, detail: 'volume 412/min' },
      { at: T0, code: 'held-for-duration', by: null, detail: null },
      { at: T0 + 120_000, code: 'note', by: 'Dana', detail: `checking ${XSS}` }
    ],
    deliveries: [
      {
        at: T0 + 1000,
        channelId: 'slack-ops',
        event: 'firing',
        attempt: 1,
        ok: false,
        status: 500,
        error: 'upstream error',
        reason: 'retrying'
      },
      {
        at: T0 + 61_000,
        channelId: 'slack-ops',
        event: 'firing',
        attempt: 2,
        ok: true,
        status: 200,
        error: null,
        reason: 'sent'
      }
    ],
    context: CONTEXT,
    link: '/explore?series=volume',
    ...over
  };
}

const count = (s: string, needle: string): number => s.split(needle).length - 1;

describe('alert wording', () => {
  it('words observed vs expected with the band in the context unit', () => {
    expect(observedLine(CONTEXT)).toBe('412/min vs 120 expected (band 90–150)');
    expect(
      observedLine({
        ...CONTEXT,
        unit: '%',
        observed: 0.38,
        expected: 0.12,
        lower: 0.08,
        upper: 0.16
      })
    ).toBe('38% vs 12% expected (band 8%–16%)');
    expect(
      observedLine({
        ...CONTEXT,
        unit: 'mentions',
        observed: 3,
        expected: null,
        lower: null,
        upper: null
      })
    ).toBe('3 mentions');
    expect(
      observedLine({
        ...CONTEXT,
        unit: 'mentions',
        observed: 1000,
        expected: null,
        lower: null,
        upper: 5
      })
    ).toBe('1,000 mentions (limit 5)');
    expect(observedLine({ ...CONTEXT, observed: null })).toBeNull();
    expect(observedLine(null)).toBeNull();
  });

  it('runs the crisis clock as mm:ss, then hh:mm:ss after an hour', () => {
    expect(crisisClock(0)).toBe('00:00');
    expect(crisisClock(247_900)).toBe('04:07');
    expect(crisisClock(3_723_000)).toBe('01:02:03');
    expect(crisisClock(-5000)).toBe('00:00');
  });

  it('merges the timeline and the deliveries by time', () => {
    const rows = timelineRows(alert());
    expect(rows.map((r) => [r.at - T0, r.kind, r.what])).toEqual([
      [0, 'event', 'Raised'],
      [0, 'event', 'Firing'],
      [1000, 'delivery', 'Notification “firing” via slack-ops: failed, retrying'],
      [61_000, 'delivery', 'Notification “firing” via slack-ops: sent (attempt 2)'],
      [120_000, 'event', 'Note']
    ]);
    expect(rows[2]!.detail).toBe('HTTP 500 · upstream error');
    expect(rows[2]!.ok).toBe(false);
    expect(rows[4]!.by).toBe('Dana');
  });
});

describe('AlertBanner', () => {
  it('shows severity, title, observed vs expected, time since onset, occurrences and a link', () => {
    const body = render(AlertBanner, {
      props: { alert: alert({ severity: 'warning' }), now: T0 + 5 * 60_000 + 10_000, others: 2 }
    }).body;
    expect(body).toContain('data-testid="alert-banner"');
    expect(body).toContain('data-alert-id="al-1"');
    expect(body).toContain('data-state="firing"');
    expect(body).toContain('Warning');
    expect(body).toContain('Mentions spiking');
    expect(body).toContain('412/min vs 120 expected (band 90–150)');
    expect(body).toContain('for 5 min');
    expect(body).toContain('3 occurrences');
    expect(body).toContain('+2 more firing');
    expect(body).toContain('href="/alerts?id=al-1"');
    expect(body).not.toContain('DRILL');
  });

  it('labels a drill and renders a hostile title as text', () => {
    const body = render(AlertBanner, {
      props: { alert: alert({ drill: true, title: XSS, id: 'a&b' }), now: T0 }
    }).body;
    expect(body).toContain('DRILL');
    expect(body).not.toContain('<img');
    expect(body).toContain(ESCAPED);
    expect(body).toContain('href="/alerts?id=a%26b"');
  });
});

describe('CrisisTakeover', () => {
  it('shows the crisis clock, title, numbers, drivers and samples as text', () => {
    const body = render(CrisisTakeover, {
      props: {
        alert: alert({ title: `Recall ${XSS}`, scopeKey: 'term:recall', ruleKind: 'keyword' }),
        now: T0 + 4 * 60_000 + 7_000,
        onacknowledge: () => Promise.resolve({ ok: false as const, error: 'not in this test' })
      }
    }).body;
    expect(body).toContain('data-testid="crisis-takeover"');
    expect(body).toMatch(/data-testid="crisis-clock"[^>]*>04:07</);
    expect(body).toContain('412/min vs 120 expected (band 90–150)');
    expect(body).toContain('channel reddit 64%');
    expect(body).toContain('term “&lt;img src=x onerror=alert(1)>” 12');
    expect(body).toContain(`My charger melted ${ESCAPED}`);
    expect(body).toContain('Mine melted too');
    expect(count(body, 'data-testid="crisis-sample"')).toBe(2);
    expect(body).toContain(`Recall ${ESCAPED}`);
    expect(body).not.toContain('<img');
    // Not a volume alert: numbers instead of a chart.
    expect(body).not.toContain('role="img"');
    expect(body).toMatch(/Observed<\/dt>\s*<dd[^>]*>412\/min<\/dd>/);
    expect(body).toContain('>Acknowledge</button>');
    expect(body).toContain('3 occurrences · last triggered 3 min ago');
    expect(body).toMatch(/aria-pressed="false">Chime <span aria-hidden="true"[^>]*>off<\/span>/);
    expect(body).not.toContain('DRILL');
  });

  it('charts a volume alert against the band, runs hh:mm:ss after an hour, labels a drill', () => {
    const body = render(CrisisTakeover, {
      props: {
        alert: alert({ drill: true }),
        now: T0 + 3_723_000,
        minutes: {
          stepMs: 60_000,
          t: [],
          total: [],
          byChannel: [],
          negative: [],
          neutral: [],
          positive: [],
          unanswered: [],
          responseP50Ms: []
        },
        band: [],
        serverTime: T0
      }
    }).body;
    expect(body).toMatch(/data-testid="crisis-clock"[^>]*>01:02:03</);
    // Read-only (a display, a viewer): nothing to acknowledge with.
    expect(body).not.toContain('>Acknowledge</button>');
    expect(body).toContain(
      'aria-label="Mentions per minute over the last 60 minutes with the expected band"'
    );
    expect(body).toContain('DRILL');
  });
});

describe('AlertDetail', () => {
  it('shows the merged timeline, context as text and the actions by their names', () => {
    const noop = () => Promise.resolve({ ok: false as const, error: 'x' });
    const actions = {
      by: 'dana',
      ack: noop,
      resolve: noop,
      snooze: noop,
      assign: noop,
      note: noop
    };
    const body = render(AlertDetail, {
      props: { alert: alert({ title: XSS }), now: T0 + 180_000, actions }
    }).body;
    expect(body).toContain('Silence rule 1 h');
    expect(body).toContain('data-testid="alert-detail"');
    expect(count(body, 'data-testid="timeline-row"')).toBe(5);
    const kinds = [...body.matchAll(/data-testid="timeline-row" data-kind="(\w+)"/g)].map(
      (m) => m[1]
    );
    expect(kinds).toEqual(['event', 'event', 'delivery', 'delivery', 'event']);
    expect(body).toContain('Notification “firing” via slack-ops: failed, retrying');
    expect(body).toContain('HTTP 500 · upstream error');
    expect(body).toContain(`checking ${ESCAPED}`);
    expect(body).toContain(`My charger melted ${ESCAPED}`);
    expect(body).toContain('term “&lt;img src=x onerror=alert(1)>” 12');
    expect(body).not.toContain('<img');
    for (const name of [
      'Acknowledge',
      'Resolve',
      'Snooze 15 min',
      'Snooze 1 h',
      'Snooze 4 h',
      'Assign',
      'Add note'
    ]) {
      expect(body).toMatch(new RegExp(`<button[^>]*>${name}</button>`));
    }
  });

  it('offers only a note on a resolved alert', () => {
    const noop = () => Promise.resolve({ ok: false as const, error: 'x' });
    const actions = {
      by: 'dana',
      ack: noop,
      resolve: noop,
      snooze: noop,
      assign: noop,
      note: noop
    };
    const body = render(AlertDetail, {
      props: {
        alert: alert({ state: 'resolved', resolvedAt: T0 + 600_000, resolvedBy: 'auto' }),
        now: T0 + 700_000,
        actions
      }
    }).body;
    expect(body).toContain('data-state="resolved"');
    expect(body).not.toMatch(/<button[^>]*>Acknowledge<\/button>/);
    expect(body).not.toMatch(/<button[^>]*>Resolve<\/button>/);
    expect(body).not.toMatch(/<button[^>]*>Snooze 1 h<\/button>/);
    expect(body).toMatch(/<button[^>]*>Add note<\/button>/);
    expect(body).toContain('postmortem?format=md');
  });
});

describe('AlertList', () => {
  it('groups rows by state with their id and state', () => {
    const body = render(AlertList, {
      props: {
        open: [
          alert({ id: 'f1' }),
          alert({ id: 'k1', state: 'acknowledged', title: XSS }),
          alert({ id: 'p1', state: 'pending' })
        ],
        recent: [alert({ id: 'r1', state: 'resolved', resolvedAt: T0 + 1000 })],
        selected: 'k1',
        now: T0 + 60_000
      }
    }).body;
    expect(count(body, 'data-testid="alert-row"')).toBe(4);
    const rows = [...body.matchAll(/data-alert-id="([\w-]+)" data-state="(\w+)"/g)].map((m) => [
      m[1],
      m[2]
    ]);
    expect(rows).toEqual([
      ['f1', 'firing'],
      ['k1', 'acknowledged'],
      ['p1', 'pending'],
      ['r1', 'resolved']
    ]);
    expect(body).toContain('Resolved recently');
    expect(body).toContain('aria-current="true"');
    expect(body).toContain(ESCAPED);
    expect(body).not.toContain('<img');
  });
});
