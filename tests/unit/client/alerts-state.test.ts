import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACTION_TIMEOUT_MS,
  AlertsState,
  RECENT_LIMIT,
  type AlertSocket
} from '../../../src/lib/realtime/alerts.svelte';
import type { Ack } from '../../../src/lib/shared/protocol';
import type { AlertView } from '../../../src/lib/shared/types';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function alert(over: Partial<AlertView> & { id: string }): AlertView {
  return {
    ruleId: 'rule-1',
    ruleName: 'Volume spike',
    ruleKind: 'anomaly',
    scopeKey: 'volume',
    title: `Alert ${over.id}`,
    severity: 'warning',
    drill: false,
    state: 'firing',
    startedAt: T0,
    firedAt: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    clearedAt: null,
    occurrences: 1,
    lastTriggeredAt: T0,
    snoozedUntil: null,
    assignee: null,
    escalationLevel: 0,
    timeline: [],
    deliveries: [],
    context: null,
    link: '/explore?series=volume',
    ...over
  };
}

interface Emitted {
  event: string;
  request: object;
  ack: (res: Ack<AlertView>) => void;
}

/** A fake socket: records listeners and emitted actions; `deliver` plays a server event. */
class FakeSocket implements AlertSocket {
  listeners = new Map<string, ((arg: never) => void)[]>();
  emitted: Emitted[] = [];

  on(event: string, listener: (arg: never) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: (arg: never) => void): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener)
    );
    return this;
  }

  emit(event: string, request: object, ack: (res: Ack<AlertView>) => void): this {
    this.emitted.push({ event, request, ack });
    return this;
  }

  deliver(event: 'alert:list', alerts: AlertView[]): void;
  deliver(event: 'alert:raised' | 'alert:updated' | 'alert:resolved', alert: AlertView): void;
  deliver(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: unknown) => void)(payload);
  }
}

const ids = (list: AlertView[]): string[] => list.map((a) => a.id);

describe('AlertsState', () => {
  let socket: FakeSocket;
  let state: AlertsState;
  let detach: () => void;

  beforeEach(() => {
    socket = new FakeSocket();
    state = new AlertsState();
    detach = state.attach(socket);
  });

  afterEach(() => {
    detach();
    vi.useRealTimers();
  });

  it('orders open alerts: critical first, then firing, acknowledged, pending, then newest', () => {
    expect(state.loaded).toBe(false);
    socket.deliver('alert:list', [
      alert({ id: 'warn-old', startedAt: T0 }),
      alert({ id: 'warn-new', startedAt: T0 + 60_000 }),
      alert({ id: 'crit-acked', severity: 'critical', state: 'acknowledged' }),
      alert({ id: 'crit-firing', severity: 'critical', startedAt: T0 - 60_000 }),
      alert({ id: 'warn-pending', state: 'pending', startedAt: T0 + 120_000 }),
      alert({ id: 'info', severity: 'info', startedAt: T0 + 180_000 })
    ]);
    expect(state.loaded).toBe(true);
    expect(ids(state.open)).toEqual([
      'crit-firing',
      'crit-acked',
      'warn-new',
      'warn-old',
      'warn-pending',
      'info'
    ]);
  });

  it('adds raised alerts, replaces updated ones, and moves resolved ones to recent', () => {
    socket.deliver('alert:list', [alert({ id: 'a', startedAt: T0 })]);
    socket.deliver('alert:raised', alert({ id: 'b', startedAt: T0 + 1000 }));
    expect(ids(state.open)).toEqual(['b', 'a']);

    socket.deliver(
      'alert:updated',
      alert({ id: 'b', startedAt: T0 + 1000, state: 'acknowledged' })
    );
    expect(ids(state.open)).toEqual(['a', 'b']);
    expect(state.open[1]!.state).toBe('acknowledged');

    socket.deliver(
      'alert:resolved',
      alert({ id: 'a', state: 'resolved', resolvedAt: T0 + 5000, resolvedBy: 'auto' })
    );
    expect(ids(state.open)).toEqual(['b']);
    expect(ids(state.recent)).toEqual(['a']);
    expect(state.get('a')?.resolvedBy).toBe('auto');
    expect(state.get('b')?.state).toBe('acknowledged');
    expect(state.get('nope')).toBeNull();
  });

  it('keeps the last 50 resolved alerts, most recently resolved first', () => {
    for (let i = 0; i < RECENT_LIMIT + 5; i++) {
      socket.deliver('alert:raised', alert({ id: `r${i}` }));
      socket.deliver(
        'alert:resolved',
        alert({ id: `r${i}`, state: 'resolved', resolvedAt: T0 + i * 1000 })
      );
    }
    expect(state.open).toEqual([]);
    expect(state.recent).toHaveLength(50);
    expect(state.recent[0]!.id).toBe('r54');
    expect(state.recent[49]!.id).toBe('r5');
  });

  it('merges REST history into recent without overriding live alerts', () => {
    socket.deliver(
      'alert:resolved',
      alert({ id: 'live', state: 'resolved', resolvedAt: T0 + 9000 })
    );
    state.addHistory([
      alert({ id: 'live', state: 'resolved', resolvedAt: T0, title: 'stale copy' }),
      alert({ id: 'old', state: 'resolved', resolvedAt: T0 + 1000 }),
      alert({ id: 'still-open', state: 'firing' })
    ]);
    expect(ids(state.recent)).toEqual(['live', 'old']);
    expect(state.recent[0]!.title).toBe('Alert live');
    expect(state.open).toEqual([]);
  });

  it('derives the banner (most severe firing, not acknowledged) and the critical takeover', () => {
    socket.deliver('alert:list', [
      alert({ id: 'info', severity: 'info' }),
      alert({ id: 'warn', severity: 'warning', startedAt: T0 - 1000 })
    ]);
    expect(state.banner?.id).toBe('warn');
    expect(state.takeover).toBeNull();

    socket.deliver('alert:raised', alert({ id: 'crit-1', severity: 'critical', startedAt: T0 }));
    socket.deliver(
      'alert:raised',
      alert({ id: 'crit-2', severity: 'critical', startedAt: T0 + 30_000 })
    );
    expect(state.banner?.id).toBe('crit-2');
    expect(state.takeover?.id).toBe('crit-2');

    // Acknowledging the newest critical hands the wall to the other one, then to the banner.
    socket.deliver(
      'alert:updated',
      alert({ id: 'crit-2', severity: 'critical', startedAt: T0 + 30_000, state: 'acknowledged' })
    );
    expect(state.takeover?.id).toBe('crit-1');
    socket.deliver(
      'alert:updated',
      alert({ id: 'crit-1', severity: 'critical', state: 'acknowledged' })
    );
    expect(state.takeover).toBeNull();
    expect(state.banner?.id).toBe('warn');

    socket.deliver('alert:resolved', alert({ id: 'warn', state: 'resolved', resolvedAt: T0 }));
    expect(state.banner?.id).toBe('info');
    socket.deliver('alert:updated', alert({ id: 'info', state: 'pending', severity: 'info' }));
    expect(state.banner).toBeNull();
  });

  it('acknowledges through the socket as the named actor and applies the answer', async () => {
    socket.deliver('alert:list', [alert({ id: 'a', severity: 'critical' })]);
    state.setActor('  Dana  ');
    expect(state.by).toBe('Dana');
    const pending = state.ack('a');
    expect(socket.emitted).toHaveLength(1);
    expect(socket.emitted[0]!.event).toBe('alert:ack');
    expect(socket.emitted[0]!.request).toEqual({ id: 'a', by: 'Dana' });
    const acked = alert({
      id: 'a',
      severity: 'critical',
      state: 'acknowledged',
      acknowledgedBy: 'Dana',
      acknowledgedAt: T0 + 10
    });
    socket.emitted[0]!.ack({ ok: true, data: acked });
    await expect(pending).resolves.toEqual({ ok: true, data: acked });
    expect(state.open[0]!.state).toBe('acknowledged');
    expect(state.takeover).toBeNull();
    expect(state.error).toBeNull();
  });

  it('surfaces an action error and clears it on the next success', async () => {
    socket.deliver('alert:list', [alert({ id: 'a', state: 'pending' })]);
    const res = state.ack('a');
    socket.emitted[0]!.ack({ ok: false, error: 'not-firing: the alert is still pending' });
    await expect(res).resolves.toEqual({
      ok: false,
      error: 'not-firing: the alert is still pending'
    });
    expect(state.error).toBe('not-firing: the alert is still pending');
    expect(state.open[0]!.state).toBe('pending');

    const noted = state.note('a', 'looking into it');
    expect(socket.emitted[1]!.request).toEqual({
      id: 'a',
      by: 'operator',
      text: 'looking into it'
    });
    socket.emitted[1]!.ack({ ok: true, data: alert({ id: 'a', state: 'pending' }) });
    await noted;
    expect(state.error).toBeNull();
  });

  it('sends resolve, snooze and assign with their fields', () => {
    void state.resolve('a', '  fixed the feed  ');
    void state.resolve('b', '   ');
    void state.snooze('a', 60);
    void state.assign('a', ' Sam ');
    void state.assign('a', '');
    expect(socket.emitted.map((e) => [e.event, e.request])).toEqual([
      ['alert:resolve', { id: 'a', by: 'operator', note: 'fixed the feed' }],
      ['alert:resolve', { id: 'b', by: 'operator' }],
      ['alert:snooze', { id: 'a', by: 'operator', minutes: 60 }],
      ['alert:assign', { id: 'a', by: 'operator', assignee: 'Sam' }],
      ['alert:assign', { id: 'a', by: 'operator', assignee: null }]
    ]);
  });

  it('moves an alert resolved by hand to recent from the answer', async () => {
    socket.deliver('alert:list', [alert({ id: 'a' })]);
    const res = state.resolve('a', 'done');
    socket.emitted[0]!.ack({
      ok: true,
      data: alert({ id: 'a', state: 'resolved', resolvedAt: T0 + 1, resolvedBy: 'operator' })
    });
    await res;
    expect(state.open).toEqual([]);
    expect(ids(state.recent)).toEqual(['a']);
  });

  it('fails an action the server does not answer in time, and ignores a late answer', async () => {
    vi.useFakeTimers();
    socket.deliver('alert:list', [alert({ id: 'a' })]);
    const res = state.ack('a');
    vi.advanceTimersByTime(ACTION_TIMEOUT_MS);
    await expect(res).resolves.toEqual({
      ok: false,
      error: 'The server did not answer in time. Try again.'
    });
    socket.emitted[0]!.ack({ ok: true, data: alert({ id: 'a', state: 'acknowledged' }) });
    expect(state.open[0]!.state).toBe('firing');
    expect(state.error).toBe('The server did not answer in time. Try again.');
  });

  it('fails at once when detached, and stops listening', async () => {
    detach();
    socket.deliver('alert:raised', alert({ id: 'x' }));
    expect(state.open).toEqual([]);
    await expect(state.ack('x')).resolves.toEqual({
      ok: false,
      error: 'Not connected to the server.'
    });
    expect(socket.emitted).toEqual([]);
  });

  it('replaces the open list on a new alert:list (reconnect)', () => {
    socket.deliver('alert:list', [alert({ id: 'a' }), alert({ id: 'b' })]);
    socket.deliver('alert:list', [alert({ id: 'b', state: 'acknowledged' })]);
    expect(ids(state.open)).toEqual(['b']);
    expect(state.open[0]!.state).toBe('acknowledged');
  });
});

describe('AlertsState actor', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('defaults to "operator" and acts as the signed-in user it is given', () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v)
    });
    const first = new AlertsState();
    expect(first.by).toBe('operator');
    first.setActor('robin');
    expect(first.by).toBe('robin');
    // Who acts comes from the session now, not from a name kept in the browser.
    expect(new AlertsState().by).toBe('operator');
    expect(store.size).toBe(0);
    first.setActor('   ');
    expect(first.by).toBe('operator');
    first.setActor(null);
    expect(first.by).toBe('operator');
  });
});
