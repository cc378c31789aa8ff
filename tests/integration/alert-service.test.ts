import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../server/adapters/alerts/service';
import type { Notifier, NotificationMessage } from '../../server/adapters/notifiers/types';
import { inProcessStore } from '../../server/adapters/store/worker-store';
import type { RuleInput } from '../../server/core/alerts/rules';
import { WINDOWS, type AlertRule, type AlertView } from '../../src/lib/shared/types';
import { tempDataDir } from '../helpers/test-server';

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const MIN = 60_000;

/** A channel that records what it was sent. */
function recorder(id: string): Notifier & { sent: NotificationMessage[] } {
  const sent: NotificationMessage[] = [];
  return {
    id,
    kind: 'webhook',
    sent,
    send: async (msg) => {
      sent.push(msg);
      return { ok: true, status: 200 };
    }
  };
}

const rule: AlertRule = {
  id: 'quiet',
  name: 'Nothing arrives',
  kind: 'silence',
  enabled: true,
  severity: 'warning',
  scope: {},
  forMs: 0,
  holdMs: 5 * MIN,
  escalateAfterMs: 10 * MIN,
  source: null,
  afterMs: 5 * MIN
};

function input(now: number): RuleInput {
  const windows = Object.fromEntries(
    WINDOWS.map((w) => [
      w,
      {
        window: w,
        asOf: now,
        volume: 0,
        perMinute: 0,
        byChannel: {},
        sentiment: { negative: 0, neutral: 0, positive: 0, net: 0 },
        responseTime: { count: 0, p50Ms: null, p90Ms: null },
        unanswered: 0
      }
    ])
  ) as unknown as RuleInput['windows'];
  return {
    now,
    startedAt: T0,
    windows,
    detections: { low: [], balanced: [], high: [] },
    mentions: [],
    unansweredSince: [],
    lastSeen: { any: T0, bySource: {}, byChannel: {}, byTopic: {} },
    topics15m: {}
  } satisfies RuleInput;
}

const flush = () => new Promise((r) => setTimeout(r, 50));
let cleanup: (() => void) | null = null;

afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('AlertService', () => {
  it('routes by contact level as an alert escalates, and stores every change in order', async () => {
    const data = tempDataDir();
    cleanup = data.cleanup;
    const store = inProcessStore(join(data.dir, 'mc.db'));
    let now = T0;
    const events: [string, AlertView['state'], number][] = [];
    const first = recorder('first');
    const second = recorder('second');
    const service = await AlertService.open({
      store,
      clock: { now: () => now },
      logger: pino({ level: 'silent' }),
      publicUrl: 'https://wall.example.com',
      notifiers: [
        { notifier: first, level: 0 },
        { notifier: second, level: 1 }
      ],
      broadcast: (event, view) => events.push([event, view.state, view.escalationLevel]),
      input,
      history: () => [],
      drillOptions: () => ({ brandHandles: ['@NorthwindHelp'] })
    });
    // Only the rule under test.
    for (const r of service.rules()) await service.deleteRule(r.id);
    expect((await service.createRule(rule)).ok).toBe(true);

    now = T0 + 6 * MIN; // quiet for 6 minutes: fires
    service.evaluate();
    await flush();
    expect(first.sent.map((m) => m.event)).toEqual(['firing']);
    expect(second.sent).toEqual([]);

    now = T0 + 17 * MIN; // unacknowledged for 11 minutes: escalates to level 1
    service.evaluate();
    await flush();
    expect(first.sent.map((m) => [m.event, m.escalationLevel])).toEqual([
      ['firing', 0],
      ['escalated', 1]
    ]);
    expect(second.sent.map((m) => [m.event, m.escalationLevel])).toEqual([['escalated', 1]]);
    expect(second.sent[0]!.link).toMatch(/^https:\/\/wall\.example\.com\/explore\?from=/);

    const id = service.open()[0]!.id;
    const acked = await service.act(id, { kind: 'ack' }, 'dana');
    expect(acked.ok).toBe(true);
    await flush();
    // The acknowledgement reaches both levels now that the alert is at level 1.
    expect(second.sent.map((m) => m.event)).toEqual(['escalated', 'acknowledged']);
    expect(events.map((e) => e[0])).toEqual(expect.arrayContaining(['raised', 'updated']));

    // Everything is in SQLite: the record has the timeline and each delivery.
    await service.stop();
    const stored = store.getAlert(id) as {
      alert: { state: string; timeline: { code: string }[] };
      deliveries: { channelId: string; ok: boolean }[];
    };
    expect(stored.alert.state).toBe('acknowledged');
    expect(stored.alert.timeline.map((e) => e.code)).toEqual(
      expect.arrayContaining(['condition-met', 'escalated', 'acknowledged'])
    );
    expect(
      stored.deliveries
        .filter((d) => d.ok)
        .map((d) => d.channelId)
        .sort()
    ).toEqual(['first', 'first', 'first', 'second', 'second']);
    await store.close();
  });

  it('keeps a silenced rule quiet until the silence is lifted, recording why', async () => {
    const data = tempDataDir();
    cleanup = data.cleanup;
    const store = inProcessStore(join(data.dir, 'mc.db'));
    let now = T0;
    const first = recorder('first');
    const service = await AlertService.open({
      store,
      clock: { now: () => now },
      logger: pino({ level: 'silent' }),
      publicUrl: 'https://wall.example.com',
      notifiers: [{ notifier: first, level: 0 }],
      broadcast: () => undefined,
      input,
      history: () => [],
      drillOptions: () => ({ brandHandles: ['@NorthwindHelp'] })
    });
    for (const r of service.rules()) await service.deleteRule(r.id);
    await service.createRule(rule);
    expect(
      await service.addSilence({ ruleId: null, alertId: null, minutes: 5, by: 'x', comment: '' })
    ).toMatchObject({ ok: false, status: 400 });
    expect(
      await service.addSilence({ ruleId: 'nope', alertId: null, minutes: 5, by: 'x', comment: '' })
    ).toMatchObject({ ok: false, status: 404 });
    const s = await service.addSilence({
      ruleId: 'quiet',
      alertId: null,
      minutes: 15,
      by: 'dana',
      comment: 'maintenance window'
    });
    expect(s.ok).toBe(true);
    expect(service.listSilences()).toHaveLength(1);

    now = T0 + 6 * MIN;
    service.evaluate();
    await flush();
    expect(first.sent).toEqual([]);
    const id = service.open()[0]!.id;
    expect(service.get(id)!.deliveries.map((d) => d.reason)).toEqual(['silenced']);

    // Lifted (and stored: a restart keeps silences too).
    if (s.ok) expect(await service.removeSilence(s.silence.id)).toBe(true);
    expect(await service.removeSilence('gone')).toBe(false);
    now = T0 + 17 * MIN;
    service.evaluate();
    await flush();
    expect(first.sent.map((m) => m.event)).toEqual(['escalated']);
    expect(store.getSetting('alert-silences')).toEqual([]);
    await service.stop();
    await store.close();
  });
});
