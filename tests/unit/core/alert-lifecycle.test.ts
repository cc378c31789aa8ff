import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  addNote,
  assign,
  DEFAULT_LIFECYCLE_POLICY,
  DETAIL_MAX_CHARS,
  groupKey,
  isMoreSevere,
  isOpen,
  isSilenceActive,
  isSnoozed,
  nextDueAt,
  observe,
  openAlertFor,
  REASON_CODES,
  resolveByHand,
  SEVERITIES,
  silencedBy,
  silenceMatches,
  snooze,
  tick,
  TIMELINE_LIMIT,
  type Alert,
  type LifecyclePolicy,
  type Notify,
  type Observation,
  type ReasonCode,
  type Silence,
  type Transition
} from '../../../server/core/alerts/lifecycle';

// The fake clock: plain epoch milliseconds.
const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (minutes: number): number => T0 + minutes * MIN;

const RULE = 'spike';
const SCOPE = 'brand:acme';
const POLICY: LifecyclePolicy = {
  forMs: 2 * MIN,
  holdMs: 10 * MIN,
  escalateAfterMs: 15 * MIN,
  maxEscalationLevel: 2
};
const INSTANT: LifecyclePolicy = { ...POLICY, forMs: 0, holdMs: 0 };

/** Every reason code any call in this file returned or wrote to a timeline. */
const seen = new Set<ReasonCode>();

function record<A extends Alert | null>(r: Transition<A>): Transition<A> {
  seen.add(r.reason);
  for (const e of r.alert?.timeline ?? []) seen.add(e.code);
  return r;
}

function obs(minutes: number, holding: boolean, extra: Partial<Observation> = {}): Observation {
  return { ruleId: RULE, scopeKey: SCOPE, holding, now: at(minutes), ...extra };
}

/** Frozen all the way down, so that a mutation of an input throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

function must(r: Transition<Alert | null>): Alert {
  if (r.alert === null) throw new Error(`expected an alert, got null (${r.reason})`);
  return r.alert;
}

function codes(alert: Alert): ReasonCode[] {
  return alert.timeline.map((e) => e.code);
}

// Fixtures, built through the API itself. Times in minutes after T0.
/** Pending since 0. */
const pending = (): Alert => must(record(observe(null, obs(0, true), POLICY, 'a1')));
/** Pending since 0, firing since 2. */
const firing = (): Alert => must(record(observe(pending(), obs(2, true), POLICY, 'x')));
/** Firing since 2, acknowledged by ana at 4. */
const acked = (): Alert => record(acknowledge(firing(), 'ana', at(4))).alert;
/** Firing since 2, condition clear since 6. */
const clearedFiring = (): Alert => must(record(observe(firing(), obs(6, false), POLICY, 'x')));
/** Acknowledged at 4, condition clear since 6. */
const clearedAcked = (): Alert => must(record(observe(acked(), obs(6, false), POLICY, 'x')));
/** Firing since 2, snoozed by bo at 3 until 30. */
const snoozedFiring = (): Alert => record(snooze(firing(), at(30), 'bo', at(3))).alert;
/** Acknowledged at 4, snoozed until 30, condition clear since 6. */
const snoozedClearedAcked = (): Alert =>
  must(
    record(observe(record(snooze(acked(), at(30), 'bo', at(5))).alert, obs(6, false), POLICY, 'x'))
  );
/** Firing since 2, resolved by hand at 5. */
const resolved = (): Alert => record(resolveByHand(firing(), 'ana', at(5))).alert;
/** Firing since 2, escalated at 17 and 32 (level 2, the top). */
const topLevel = (): Alert => {
  const one = record(tick(firing(), at(17), POLICY)).alert;
  return record(tick(one, at(32), POLICY)).alert;
};

interface Expect {
  state: Alert['state'] | null;
  changed: boolean;
  reason: ReasonCode;
  notify: Notify | null;
  check?: (a: Alert | null, from: Alert | null) => void;
}

/** Runs `act` on a frozen `from`, checks the common expectations, and that no-ops return `from`. */
function expectTransition(
  from: Alert | null,
  act: (a: Alert | null) => Transition<Alert | null>,
  want: Expect
): Transition<Alert | null> {
  const input = from === null ? null : frozen(from);
  const r = record(act(input));
  expect(r.reason).toBe(want.reason);
  expect(r.changed).toBe(want.changed);
  expect(r.notify).toBe(want.notify);
  expect(r.alert?.state ?? null).toBe(want.state);
  if (!want.changed) expect(r.alert).toBe(input);
  if (want.changed && r.alert !== null && input !== null && r.alert.id === input.id) {
    // A change is always written down: one or more new timeline entries at the end.
    expect(r.alert.timeline.length).toBeGreaterThan(input.timeline.length);
    expect(r.alert.timeline.at(-1)?.code).toBeDefined();
  }
  want.check?.(r.alert, input);
  return r;
}

describe('observe', () => {
  const cases: [string, () => Alert | null, Observation, LifecyclePolicy, Expect][] = [
    [
      'nothing and not holding: nothing to do',
      () => null,
      obs(0, false),
      POLICY,
      { state: null, changed: false, reason: 'no-alert', notify: null }
    ],
    [
      'nothing and holding: a new pending alert',
      () => null,
      obs(0, true, {
        severity: 'critical',
        title: 'Mentions spike',
        detail: '42/min',
        drill: true
      }),
      POLICY,
      {
        state: 'pending',
        changed: true,
        reason: 'condition-met',
        notify: null,
        check: (a) => {
          expect(a).toEqual({
            id: 'new',
            ruleId: RULE,
            scopeKey: SCOPE,
            title: 'Mentions spike',
            severity: 'critical',
            drill: true,
            state: 'pending',
            startedAt: at(0),
            firedAt: null,
            acknowledgedAt: null,
            acknowledgedBy: null,
            resolvedAt: null,
            resolvedBy: null,
            clearedAt: null,
            occurrences: 1,
            lastTriggeredAt: at(0),
            snoozedUntil: null,
            assignee: null,
            escalationLevel: 0,
            escalatedAt: null,
            escalationClockAt: null,
            timeline: [{ at: at(0), code: 'condition-met', by: null, detail: '42/min' }],
            timelineDropped: 0
          });
        }
      }
    ],
    [
      'nothing and holding with forMs 0: fires at once',
      () => null,
      obs(0, true),
      INSTANT,
      {
        state: 'firing',
        changed: true,
        reason: 'held-for-duration',
        notify: 'firing',
        check: (a) => {
          expect(a?.firedAt).toBe(at(0));
          expect(a?.escalationClockAt).toBe(at(0));
          expect(a?.title).toBe(RULE);
          expect(a?.severity).toBe('warning');
          expect(a?.drill).toBe(false);
          expect(a && codes(a)).toEqual(['condition-met', 'held-for-duration']);
        }
      }
    ],
    [
      'pending, holding, forMs not reached: still pending',
      pending,
      obs(1.99, true),
      POLICY,
      { state: 'pending', changed: false, reason: 'still-pending', notify: null }
    ],
    [
      'pending, holding for exactly forMs: fires',
      pending,
      obs(2, true, { detail: 'still 40/min' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'held-for-duration',
        notify: 'firing',
        check: (a) => {
          expect(a?.id).toBe('a1');
          expect(a?.firedAt).toBe(at(2));
          expect(a?.startedAt).toBe(at(0));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(2),
            code: 'held-for-duration',
            by: null,
            detail: 'still 40/min'
          });
        }
      }
    ],
    [
      'pending, holding with a higher severity on firing: both recorded',
      pending,
      obs(3, true, { severity: 'critical' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'held-for-duration',
        notify: 'firing',
        check: (a) => {
          expect(a?.severity).toBe('critical');
          expect(a && codes(a)).toEqual(['condition-met', 'severity-raised', 'held-for-duration']);
        }
      }
    ],
    [
      'pending, holding with a higher severity: raised, nobody told yet',
      pending,
      obs(1, true, { severity: 'critical' }),
      POLICY,
      {
        state: 'pending',
        changed: true,
        reason: 'severity-raised',
        notify: null,
        check: (a) => {
          expect(a?.severity).toBe('critical');
          expect(a?.timeline.at(-1)?.detail).toBe('warning → critical');
        }
      }
    ],
    [
      'pending, not holding: dropped',
      pending,
      obs(1, false),
      POLICY,
      { state: null, changed: true, reason: 'cleared-while-pending', notify: null }
    ],
    [
      'firing, holding: nothing new',
      firing,
      obs(5, true),
      POLICY,
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'firing, holding with a lower severity: never silently lowered',
      firing,
      obs(5, true, { severity: 'info' }),
      POLICY,
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'firing, holding with a higher severity: raised and notified',
      firing,
      obs(5, true, { severity: 'critical' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'severity-raised',
        notify: 'severity-raised',
        check: (a) => expect(a?.severity).toBe('critical')
      }
    ],
    [
      'firing, not holding with a higher severity: severity ignored',
      firing,
      obs(5, false, { severity: 'critical' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'cleared',
        notify: null,
        check: (a) => expect(a?.severity).toBe('warning')
      }
    ],
    [
      'firing, not holding: hold starts',
      firing,
      obs(6, false, { detail: 'back to 9/min' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'cleared',
        notify: null,
        check: (a) => {
          expect(a?.clearedAt).toBe(at(6));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(6),
            code: 'cleared',
            by: null,
            detail: 'back to 9/min'
          });
        }
      }
    ],
    [
      'firing, not holding, holdMs 0: resolved at once',
      () => must(observe(null, obs(0, true), INSTANT, 'i1')),
      obs(1, false),
      INSTANT,
      {
        state: 'resolved',
        changed: true,
        reason: 'auto-resolved',
        notify: 'resolved',
        check: (a) => {
          expect(a?.resolvedBy).toBe('auto');
          expect(a?.resolvedAt).toBe(at(1));
          expect(a?.clearedAt).toBe(at(1));
          expect(a && codes(a).slice(-2)).toEqual(['cleared', 'auto-resolved']);
        }
      }
    ],
    [
      'cleared, still not holding within the hold: waits',
      clearedFiring,
      obs(15.99, false),
      POLICY,
      { state: 'firing', changed: false, reason: 'awaiting-hold', notify: null }
    ],
    [
      'cleared for exactly holdMs: auto-resolved',
      clearedFiring,
      obs(16, false),
      POLICY,
      {
        state: 'resolved',
        changed: true,
        reason: 'auto-resolved',
        notify: 'resolved',
        check: (a) => {
          expect(a?.resolvedAt).toBe(at(16));
          expect(a?.resolvedBy).toBe('auto');
          expect(a?.timeline.at(-1)).toEqual({
            at: at(16),
            code: 'auto-resolved',
            by: null,
            detail: null
          });
        }
      }
    ],
    [
      'cleared, holding again: retriggered, counted, already notified',
      clearedFiring,
      obs(8, true, { detail: 'again 50/min' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'retriggered',
        notify: null,
        check: (a) => {
          expect(a?.clearedAt).toBeNull();
          expect(a?.occurrences).toBe(2);
          expect(a?.lastTriggeredAt).toBe(at(8));
          expect(a?.timeline.at(-1)?.detail).toBe('again 50/min');
        }
      }
    ],
    [
      'cleared, holding again with a higher severity: notified as raised',
      clearedFiring,
      obs(8, true, { severity: 'critical' }),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'retriggered',
        notify: 'severity-raised',
        check: (a) => expect(a && codes(a).slice(-2)).toEqual(['severity-raised', 'retriggered'])
      }
    ],
    [
      'acknowledged and cleared, holding again: recorded, stays acknowledged, owner told',
      clearedAcked,
      obs(9, true),
      POLICY,
      {
        state: 'acknowledged',
        changed: true,
        reason: 'retriggered-while-acknowledged',
        notify: 'retriggered',
        check: (a) => {
          expect(a?.occurrences).toBe(2);
          expect(a?.acknowledgedBy).toBe('ana');
          expect(a?.clearedAt).toBeNull();
        }
      }
    ],
    [
      'acknowledged and cleared, retrigger with a higher severity',
      clearedAcked,
      obs(9, true, { severity: 'critical' }),
      POLICY,
      {
        state: 'acknowledged',
        changed: true,
        reason: 'retriggered-while-acknowledged',
        notify: 'severity-raised'
      }
    ],
    [
      'acknowledged, cleared for the hold: auto-resolved',
      clearedAcked,
      obs(16, false),
      POLICY,
      { state: 'resolved', changed: true, reason: 'auto-resolved', notify: 'resolved' }
    ],
    [
      'acknowledged and holding: nothing new',
      acked,
      obs(10, true),
      POLICY,
      { state: 'acknowledged', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'snoozed, severity raised: recorded but not notified',
      snoozedFiring,
      obs(10, true, { severity: 'critical' }),
      POLICY,
      { state: 'firing', changed: true, reason: 'severity-raised', notify: null }
    ],
    [
      'snoozed and acknowledged, retriggered: recorded but not notified',
      snoozedClearedAcked,
      obs(10, true),
      POLICY,
      {
        state: 'acknowledged',
        changed: true,
        reason: 'retriggered-while-acknowledged',
        notify: null
      }
    ],
    [
      'snooze over (not yet ticked), retriggered: notified again',
      snoozedClearedAcked,
      obs(30, true),
      POLICY,
      {
        state: 'acknowledged',
        changed: true,
        reason: 'retriggered-while-acknowledged',
        notify: 'retriggered'
      }
    ],
    [
      'snoozed and cleared for the hold: resolution is still notified, snooze ends',
      snoozedClearedAcked,
      obs(16, false),
      POLICY,
      {
        state: 'resolved',
        changed: true,
        reason: 'auto-resolved',
        notify: 'resolved',
        check: (a) => expect(a?.snoozedUntil).toBeNull()
      }
    ],
    [
      'resolved, not holding: left alone',
      resolved,
      obs(20, false),
      POLICY,
      { state: 'resolved', changed: false, reason: 'not-open', notify: null }
    ],
    [
      'resolved, holding: never reopened, a new alert starts',
      resolved,
      obs(20, true),
      POLICY,
      {
        state: 'pending',
        changed: true,
        reason: 'condition-met',
        notify: null,
        check: (a, from) => {
          expect(a?.id).toBe('new');
          expect(a?.occurrences).toBe(1);
          expect(a?.startedAt).toBe(at(20));
          expect(from?.state).toBe('resolved');
        }
      }
    ],
    [
      'resolved, holding, but the caller reuses its id: refused',
      () => ({ ...resolved(), id: 'new' }),
      obs(20, true),
      POLICY,
      { state: 'resolved', changed: false, reason: 'duplicate-id', notify: null }
    ],
    [
      'an alert of another scope: left alone',
      firing,
      { ...obs(5, false), scopeKey: 'brand:other' },
      POLICY,
      { state: 'firing', changed: false, reason: 'group-mismatch', notify: null }
    ],
    [
      'an alert of another rule: left alone',
      firing,
      { ...obs(5, false), ruleId: 'negative-share' },
      POLICY,
      { state: 'firing', changed: false, reason: 'group-mismatch', notify: null }
    ]
  ];

  it.each(cases)('%s', (_name, from, o, policy, want) => {
    expectTransition(from(), (a) => observe(a, o, policy, 'new'), want);
  });

  it('truncates long titles and details and treats blank ones as absent', () => {
    const r = observe(
      null,
      obs(0, true, { title: '   ', detail: 'x'.repeat(DETAIL_MAX_CHARS + 50) }),
      POLICY,
      'a'
    );
    expect(r.alert?.title).toBe(RULE);
    expect(r.alert?.timeline[0]?.detail).toHaveLength(DETAIL_MAX_CHARS);
  });

  it.each([
    ['negative forMs fires at once', { forMs: -5, holdMs: POLICY.holdMs }, 'firing'],
    ['NaN forMs fires at once', { forMs: Number.NaN, holdMs: POLICY.holdMs }, 'firing'],
    [
      'Infinity forMs fires at once (never-ending waits are not a policy)',
      { forMs: Infinity, holdMs: 0 },
      'firing'
    ],
    ['positive forMs waits', { forMs: 1, holdMs: 0 }, 'pending']
  ] as const)('policy: %s', (_name, timing, state) => {
    const r = observe(null, obs(0, true), { ...POLICY, ...timing }, 'p');
    expect(r.alert?.state).toBe(state);
  });
});

describe('tick', () => {
  const cases: [string, () => Alert, number, LifecyclePolicy, Expect][] = [
    [
      'resolved: nothing',
      resolved,
      at(100),
      POLICY,
      { state: 'resolved', changed: false, reason: 'not-open', notify: null }
    ],
    [
      'pending: needs an observation to fire',
      pending,
      at(100),
      POLICY,
      { state: 'pending', changed: false, reason: 'still-pending', notify: null }
    ],
    [
      'firing, escalation not yet due',
      firing,
      at(16.99),
      POLICY,
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'firing and unacknowledged for escalateAfterMs: next level',
      firing,
      at(17),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'escalated',
        notify: 'escalated',
        check: (a) => {
          expect(a?.escalationLevel).toBe(1);
          expect(a?.escalatedAt).toBe(at(17));
          expect(a?.escalationClockAt).toBe(at(17));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(17),
            code: 'escalated',
            by: null,
            detail: 'level 1'
          });
        }
      }
    ],
    [
      'a late tick escalates one level only',
      firing,
      at(200),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'escalated',
        notify: 'escalated',
        check: (a) => expect(a?.escalationLevel).toBe(1)
      }
    ],
    [
      'level 1, escalateAfterMs since the last escalation: level 2',
      () => record(tick(firing(), at(17), POLICY)).alert,
      at(32),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'escalated',
        notify: 'escalated',
        check: (a) => expect(a?.escalationLevel).toBe(2)
      }
    ],
    [
      'level 1, escalation counted from the last escalation, not from firing',
      () => record(tick(firing(), at(17), POLICY)).alert,
      at(31.99),
      POLICY,
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'top level: capped',
      topLevel,
      at(47),
      POLICY,
      { state: 'firing', changed: false, reason: 'escalation-capped', notify: null }
    ],
    [
      'maxEscalationLevel 0: capped from the start',
      firing,
      at(17),
      { ...POLICY, maxEscalationLevel: 0 },
      { state: 'firing', changed: false, reason: 'escalation-capped', notify: null }
    ],
    [
      'escalation off',
      firing,
      at(500),
      { ...POLICY, escalateAfterMs: null },
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'escalateAfterMs 0 counts as off',
      firing,
      at(500),
      { ...POLICY, escalateAfterMs: 0 },
      { state: 'firing', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'acknowledged: never escalates',
      acked,
      at(500),
      POLICY,
      { state: 'acknowledged', changed: false, reason: 'unchanged', notify: null }
    ],
    [
      'cleared, hold running: no escalation of a cleared condition',
      clearedFiring,
      at(15.99),
      { ...POLICY, escalateAfterMs: MIN },
      { state: 'firing', changed: false, reason: 'awaiting-hold', notify: null }
    ],
    [
      'cleared for holdMs: auto-resolved without a new observation',
      clearedFiring,
      at(16),
      POLICY,
      {
        state: 'resolved',
        changed: true,
        reason: 'auto-resolved',
        notify: 'resolved',
        check: (a) => expect(a?.resolvedAt).toBe(at(16))
      }
    ],
    [
      'snoozed: no escalation while snoozed',
      snoozedFiring,
      at(29.99),
      POLICY,
      { state: 'firing', changed: false, reason: 'still-snoozed', notify: null }
    ],
    [
      'snooze ends on a firing alert: recorded and reminded',
      snoozedFiring,
      at(30),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'snooze-expired',
        notify: 'firing',
        check: (a) => {
          expect(a?.snoozedUntil).toBeNull();
          expect(a?.escalationClockAt).toBe(at(30));
          expect(a?.escalationLevel).toBe(0);
          expect(a?.timeline.at(-1)).toEqual({
            at: at(30),
            code: 'snooze-expired',
            by: null,
            detail: null
          });
        }
      }
    ],
    [
      'snooze noticed late: expiry and escalation in one tick',
      snoozedFiring,
      at(45),
      POLICY,
      {
        state: 'firing',
        changed: true,
        reason: 'escalated',
        notify: 'escalated',
        check: (a) => expect(a && codes(a).slice(-2)).toEqual(['snooze-expired', 'escalated'])
      }
    ],
    [
      'snooze ends at the top level: expiry recorded, no escalation',
      () => record(snooze(topLevel(), at(40), 'bo', at(33))).alert,
      at(60),
      POLICY,
      { state: 'firing', changed: true, reason: 'snooze-expired', notify: 'firing' }
    ],
    [
      'snooze ends on an acknowledged alert: recorded, no reminder',
      () => record(snooze(acked(), at(30), 'bo', at(5))).alert,
      at(30),
      POLICY,
      { state: 'acknowledged', changed: true, reason: 'snooze-expired', notify: null }
    ],
    [
      'snooze ends while the hold runs: no reminder',
      () => must(record(observe(snoozedFiring(), obs(25, false), POLICY, 'x'))),
      at(30),
      POLICY,
      { state: 'firing', changed: true, reason: 'snooze-expired', notify: null }
    ],
    [
      'snooze ends after the hold: both recorded, resolution notified',
      snoozedClearedAcked,
      at(31),
      POLICY,
      {
        state: 'resolved',
        changed: true,
        reason: 'auto-resolved',
        notify: 'resolved',
        check: (a) => expect(a && codes(a).slice(-2)).toEqual(['snooze-expired', 'auto-resolved'])
      }
    ]
  ];

  it.each(cases)('%s', (_name, from, now, policy, want) => {
    expectTransition(from(), (a) => tick(a as Alert, now, policy), want);
  });

  it('walks a firing alert up the contact levels every 15 minutes and stops at the top', () => {
    let a = firing();
    const escalations: [number, number][] = [];
    for (let m = 2; m <= 180; m++) {
      const r = record(tick(a, at(m), POLICY));
      if (r.notify === 'escalated') escalations.push([m, r.alert.escalationLevel]);
      a = r.alert;
    }
    expect(escalations).toEqual([
      [17, 1],
      [32, 2]
    ]);
    expect(codes(a).filter((c) => c === 'escalated')).toHaveLength(2);
  });

  it('stops escalating once acknowledged', () => {
    let a = record(tick(firing(), at(17), POLICY)).alert;
    a = record(acknowledge(a, 'ana', at(20))).alert;
    for (let m = 20; m <= 120; m += 5) a = record(tick(a, at(m), POLICY)).alert;
    expect(a.escalationLevel).toBe(1);
    expect(a.state).toBe('acknowledged');
  });
});

describe('user actions', () => {
  const cases: [string, () => Alert, (a: Alert) => Transition, Expect][] = [
    [
      'acknowledge a firing alert',
      firing,
      (a) => acknowledge(a, 'ana', at(4)),
      {
        state: 'acknowledged',
        changed: true,
        reason: 'acknowledged',
        notify: null,
        check: (a) => {
          expect(a?.acknowledgedBy).toBe('ana');
          expect(a?.acknowledgedAt).toBe(at(4));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(4),
            code: 'acknowledged',
            by: 'ana',
            detail: null
          });
        }
      }
    ],
    [
      'acknowledge a pending alert',
      pending,
      (a) => acknowledge(a, 'ana', at(1)),
      { state: 'pending', changed: false, reason: 'not-firing', notify: null }
    ],
    [
      'acknowledge twice',
      acked,
      (a) => acknowledge(a, 'bo', at(5)),
      {
        state: 'acknowledged',
        changed: false,
        reason: 'already-acknowledged',
        notify: null,
        check: (a) => expect(a?.acknowledgedBy).toBe('ana')
      }
    ],
    [
      'acknowledge a resolved alert',
      resolved,
      (a) => acknowledge(a, 'ana', at(9)),
      { state: 'resolved', changed: false, reason: 'not-open', notify: null }
    ],
    [
      'resolve a firing alert by hand, with a note',
      firing,
      (a) => resolveByHand(a, 'ana', at(5), '  false alarm: bot wave  '),
      {
        state: 'resolved',
        changed: true,
        reason: 'resolved-by-hand',
        notify: 'resolved',
        check: (a) => {
          expect(a?.resolvedBy).toBe('ana');
          expect(a?.resolvedAt).toBe(at(5));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(5),
            code: 'resolved-by-hand',
            by: 'ana',
            detail: 'false alarm: bot wave'
          });
        }
      }
    ],
    [
      'resolve an acknowledged alert by hand',
      acked,
      (a) => resolveByHand(a, 'ana', at(5)),
      {
        state: 'resolved',
        changed: true,
        reason: 'resolved-by-hand',
        notify: 'resolved',
        check: (a) => expect(a?.timeline.at(-1)?.detail).toBeNull()
      }
    ],
    [
      'resolve a pending alert by hand: nobody was told, nobody is told',
      pending,
      (a) => resolveByHand(a, 'ana', at(1)),
      { state: 'resolved', changed: true, reason: 'resolved-by-hand', notify: null }
    ],
    [
      'resolve a snoozed alert by hand: the snooze ends',
      snoozedFiring,
      (a) => resolveByHand(a, 'ana', at(10)),
      {
        state: 'resolved',
        changed: true,
        reason: 'resolved-by-hand',
        notify: 'resolved',
        check: (a) => expect(a?.snoozedUntil).toBeNull()
      }
    ],
    [
      'resolve twice',
      resolved,
      (a) => resolveByHand(a, 'bo', at(9)),
      {
        state: 'resolved',
        changed: false,
        reason: 'not-open',
        notify: null,
        check: (a) => expect(a?.resolvedBy).toBe('ana')
      }
    ],
    [
      'snooze a firing alert',
      firing,
      (a) => snooze(a, at(30), 'bo', at(3)),
      {
        state: 'firing',
        changed: true,
        reason: 'snoozed',
        notify: null,
        check: (a) => {
          expect(a?.snoozedUntil).toBe(at(30));
          expect(a?.timeline.at(-1)).toEqual({
            at: at(3),
            code: 'snoozed',
            by: 'bo',
            detail: 'until 2026-01-05T09:30:00.000Z'
          });
        }
      }
    ],
    [
      'snooze an acknowledged alert',
      acked,
      (a) => snooze(a, at(30), 'bo', at(5)),
      { state: 'acknowledged', changed: true, reason: 'snoozed', notify: null }
    ],
    [
      'snooze again: the new snooze replaces the last (shorter too)',
      snoozedFiring,
      (a) => snooze(a, at(10), 'bo', at(5)),
      {
        state: 'firing',
        changed: true,
        reason: 'snoozed',
        notify: null,
        check: (a) => expect(a?.snoozedUntil).toBe(at(10))
      }
    ],
    [
      'snooze a pending alert',
      pending,
      (a) => snooze(a, at(30), 'bo', at(1)),
      { state: 'pending', changed: false, reason: 'not-firing', notify: null }
    ],
    [
      'snooze a resolved alert',
      resolved,
      (a) => snooze(a, at(30), 'bo', at(6)),
      { state: 'resolved', changed: false, reason: 'not-open', notify: null }
    ],
    [
      'snooze until now',
      firing,
      (a) => snooze(a, at(3), 'bo', at(3)),
      { state: 'firing', changed: false, reason: 'invalid-snooze', notify: null }
    ],
    [
      'snooze until the past',
      firing,
      (a) => snooze(a, at(1), 'bo', at(3)),
      { state: 'firing', changed: false, reason: 'invalid-snooze', notify: null }
    ],
    [
      'snooze until NaN',
      firing,
      (a) => snooze(a, Number.NaN, 'bo', at(3)),
      { state: 'firing', changed: false, reason: 'invalid-snooze', notify: null }
    ],
    [
      'snooze forever',
      firing,
      (a) => snooze(a, Infinity, 'bo', at(3)),
      { state: 'firing', changed: false, reason: 'invalid-snooze', notify: null }
    ],
    [
      'assign a firing alert',
      firing,
      (a) => assign(a, 'cy', 'ana', at(3)),
      {
        state: 'firing',
        changed: true,
        reason: 'assigned',
        notify: null,
        check: (a) => {
          expect(a?.assignee).toBe('cy');
          expect(a?.timeline.at(-1)).toEqual({
            at: at(3),
            code: 'assigned',
            by: 'ana',
            detail: 'cy'
          });
        }
      }
    ],
    [
      'assign a pending alert',
      pending,
      (a) => assign(a, 'cy', 'ana', at(1)),
      { state: 'pending', changed: true, reason: 'assigned', notify: null }
    ],
    [
      'assign to the current assignee',
      () => record(assign(firing(), 'cy', 'ana', at(3))).alert,
      (a) => assign(a, 'cy', 'bo', at(4)),
      { state: 'firing', changed: false, reason: 'already-assigned', notify: null }
    ],
    [
      'reassign',
      () => record(assign(firing(), 'cy', 'ana', at(3))).alert,
      (a) => assign(a, 'dee', 'ana', at(4)),
      {
        state: 'firing',
        changed: true,
        reason: 'assigned',
        notify: null,
        check: (a) => expect(a?.assignee).toBe('dee')
      }
    ],
    [
      'unassign',
      () => record(assign(firing(), 'cy', 'ana', at(3))).alert,
      (a) => assign(a, null, 'ana', at(4)),
      {
        state: 'firing',
        changed: true,
        reason: 'unassigned',
        notify: null,
        check: (a) => {
          expect(a?.assignee).toBeNull();
          expect(a?.timeline.at(-1)).toEqual({
            at: at(4),
            code: 'unassigned',
            by: 'ana',
            detail: null
          });
        }
      }
    ],
    [
      'unassign an unassigned alert (blank name counts as nobody)',
      firing,
      (a) => assign(a, '   ', 'ana', at(4)),
      { state: 'firing', changed: false, reason: 'already-assigned', notify: null }
    ],
    [
      'assign a resolved alert',
      resolved,
      (a) => assign(a, 'cy', 'ana', at(9)),
      { state: 'resolved', changed: false, reason: 'not-open', notify: null }
    ],
    [
      'add a note',
      firing,
      (a) => addNote(a, 'Called the PR agency', 'ana', at(3)),
      {
        state: 'firing',
        changed: true,
        reason: 'note',
        notify: null,
        check: (a) =>
          expect(a?.timeline.at(-1)).toEqual({
            at: at(3),
            code: 'note',
            by: 'ana',
            detail: 'Called the PR agency'
          })
      }
    ],
    [
      'add a post-mortem note to a resolved alert',
      resolved,
      (a) => addNote(a, 'Root cause: outage in eu-west', 'ana', at(60)),
      { state: 'resolved', changed: true, reason: 'note', notify: null }
    ],
    [
      'add a blank note',
      firing,
      (a) => addNote(a, ' \n ', 'ana', at(3)),
      { state: 'firing', changed: false, reason: 'empty-note', notify: null }
    ],
    [
      'add a very long note: cut to the limit',
      firing,
      (a) => addNote(a, 'y'.repeat(DETAIL_MAX_CHARS * 2), 'ana', at(3)),
      {
        state: 'firing',
        changed: true,
        reason: 'note',
        notify: null,
        check: (a) => expect(a?.timeline.at(-1)?.detail).toBe('y'.repeat(DETAIL_MAX_CHARS))
      }
    ]
  ];

  it.each(cases)('%s', (_name, from, act, want) => {
    expectTransition(from(), (a) => act(a as Alert), want);
  });
});

describe('a whole incident on the fake clock', () => {
  it('records every step in order, with who and when', () => {
    const steps: [
      string,
      (a: Alert | null) => Transition<Alert | null>,
      ReasonCode,
      Notify | null
    ][] = [
      ['0: spike starts', (a) => observe(a, obs(0, true), POLICY, 'inc'), 'condition-met', null],
      ['1: still there', (a) => observe(a, obs(1, true), POLICY, 'x'), 'still-pending', null],
      [
        '2: held 2 min',
        (a) => observe(a, obs(2, true), POLICY, 'x'),
        'held-for-duration',
        'firing'
      ],
      ['10: nobody reacts', (a) => tick(a as Alert, at(10), POLICY), 'unchanged', null],
      ['17: escalate', (a) => tick(a as Alert, at(17), POLICY), 'escalated', 'escalated'],
      ['18: ana takes it', (a) => acknowledge(a as Alert, 'ana', at(18)), 'acknowledged', null],
      ['19: assigns cy', (a) => assign(a as Alert, 'cy', 'ana', at(19)), 'assigned', null],
      [
        '20: worse',
        (a) => observe(a, obs(20, true, { severity: 'critical' }), POLICY, 'x'),
        'severity-raised',
        'severity-raised'
      ],
      ['25: calm', (a) => observe(a, obs(25, false), POLICY, 'x'), 'cleared', null],
      [
        '28: back',
        (a) => observe(a, obs(28, true), POLICY, 'x'),
        'retriggered-while-acknowledged',
        'retriggered'
      ],
      ['30: note', (a) => addNote(a as Alert, 'statement posted', 'cy', at(30)), 'note', null],
      ['31: calm', (a) => observe(a, obs(31, false), POLICY, 'x'), 'cleared', null],
      ['40: still calm', (a) => observe(a, obs(40, false), POLICY, 'x'), 'awaiting-hold', null],
      ['41: resolved', (a) => tick(a as Alert, at(41), POLICY), 'auto-resolved', 'resolved']
    ];
    let a: Alert | null = null;
    for (const [name, act, reason, notify] of steps) {
      const r: Transition<Alert | null> = record(act(a));
      expect([name, r.reason, r.notify]).toEqual([name, reason, notify]);
      a = r.alert;
    }
    expect(a).not.toBeNull();
    const done = a as Alert;
    expect(done.timeline.map((e) => [(e.at - T0) / MIN, e.code, e.by])).toEqual([
      [0, 'condition-met', null],
      [2, 'held-for-duration', null],
      [17, 'escalated', null],
      [18, 'acknowledged', 'ana'],
      [19, 'assigned', 'ana'],
      [20, 'severity-raised', null],
      [25, 'cleared', null],
      [28, 'retriggered-while-acknowledged', null],
      [30, 'note', 'cy'],
      [31, 'cleared', null],
      [41, 'auto-resolved', null]
    ]);
    expect(done).toMatchObject({
      state: 'resolved',
      severity: 'critical',
      occurrences: 2,
      escalationLevel: 1,
      acknowledgedBy: 'ana',
      assignee: 'cy',
      firedAt: at(2),
      resolvedAt: at(41),
      resolvedBy: 'auto',
      lastTriggeredAt: at(28)
    });
  });
});

describe('timeline', () => {
  it(`keeps the last ${TIMELINE_LIMIT} entries and counts the dropped ones`, () => {
    let a = firing(); // 2 entries
    for (let i = 0; i < 250; i++) a = record(addNote(a, `note ${i}`, 'ana', at(3) + i)).alert;
    expect(a.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(a.timelineDropped).toBe(252 - TIMELINE_LIMIT);
    expect(a.timeline[0]?.detail).toBe('note 50'); // entries 0–51 dropped: 2 lifecycle + 50 notes
    expect(a.timeline.at(-1)?.detail).toBe('note 249');
    a = record(acknowledge(a, 'ana', at(10))).alert;
    expect(a.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(a.timelineDropped).toBe(53);
    expect(a.timeline.at(-1)?.code).toBe('acknowledged');
  });

  it('never mutates the alert it is given', () => {
    const before = firing();
    const copy = structuredClone(before);
    frozen(before);
    record(addNote(before, 'n', 'ana', at(3)));
    record(acknowledge(before, 'ana', at(3)));
    record(tick(before, at(17), POLICY));
    record(observe(before, obs(5, false), POLICY, 'x'));
    expect(before).toEqual(copy);
  });
});

describe('nextDueAt', () => {
  const cases: [string, () => Alert, LifecyclePolicy, number | null][] = [
    ['pending: observation-driven', pending, POLICY, null],
    ['resolved', resolved, POLICY, null],
    ['firing: first escalation', firing, POLICY, at(17)],
    ['firing, escalation off', firing, { ...POLICY, escalateAfterMs: null }, null],
    ['top level', topLevel, POLICY, null],
    ['acknowledged, nothing scheduled', acked, POLICY, null],
    ['cleared: end of the hold', clearedFiring, POLICY, at(16)],
    ['snoozed firing: snooze end', snoozedFiring, POLICY, at(30)],
    [
      'snoozed, acknowledged and cleared: the earlier of hold and snooze',
      snoozedClearedAcked,
      POLICY,
      at(16)
    ]
  ];

  it.each(cases)('%s', (_name, make, policy, due) => {
    expect(nextDueAt(make(), policy)).toBe(due);
  });

  it.each(cases.filter((c) => c[3] !== null))(
    'tick changes nothing just before and something at the due time: %s',
    (_name, make, policy, due) => {
      const a = make();
      const t = due as number;
      expect(tick(a, t - 1, policy).changed).toBe(false);
      expect(tick(a, t, policy).changed).toBe(true);
    }
  );

  it('after a snooze the next escalation is counted from the snooze end', () => {
    const a = record(tick(snoozedFiring(), at(30), POLICY)).alert;
    expect(nextDueAt(a, POLICY)).toBe(at(45));
    // Snoozed past the due escalation: due at the snooze end, which then restarts the clock.
    expect(nextDueAt(snoozedFiring(), { ...POLICY, escalateAfterMs: MIN })).toBe(at(30));
  });
});

describe('silences', () => {
  const silence = (over: Partial<Silence> = {}): Silence => ({
    id: 's1',
    matchers: { ruleId: RULE },
    startsAt: at(10),
    endsAt: at(20),
    createdBy: 'ana',
    comment: 'planned launch',
    ...over
  });

  it.each([
    [at(9.99), false],
    [at(10), true],
    [at(15), true],
    [at(20) - 1, true],
    [at(20), false]
  ])('active at %i: %s (startsAt inclusive, endsAt exclusive)', (now, active) => {
    expect(isSilenceActive(silence(), now)).toBe(active);
    expect(silencedBy(firing(), [silence()], now)?.id ?? null).toBe(active ? 's1' : null);
  });

  it.each([
    ['rule matches', { ruleId: RULE }, true],
    ['rule differs', { ruleId: 'other' }, false],
    ['scope matches', { scopeKey: SCOPE }, true],
    ['scope differs', { scopeKey: 'brand:other' }, false],
    ['rule and scope match', { ruleId: RULE, scopeKey: SCOPE }, true],
    ['rule matches, scope differs', { ruleId: RULE, scopeKey: 'brand:other' }, false],
    ['no matcher: matches nothing (no accidental global mute)', {}, false]
  ])('%s', (_name, matchers, match) => {
    expect(silenceMatches(silence({ matchers }), firing())).toBe(match);
  });

  it('picks the active matching silence that ends last', () => {
    const list = [
      silence({ id: 'short', endsAt: at(15) }),
      silence({ id: 'other-rule', matchers: { ruleId: 'x' }, endsAt: at(99) }),
      silence({ id: 'future', startsAt: at(50), endsAt: at(99) }),
      silence({ id: 'long', matchers: { scopeKey: SCOPE }, endsAt: at(30) }),
      silence({ id: 'also-long', endsAt: at(30) })
    ];
    expect(silencedBy(firing(), list, at(12))?.id).toBe('long');
    expect(silencedBy(firing(), list, at(40))).toBeNull();
    expect(silencedBy(firing(), list, at(60))?.id).toBe('future');
    expect(silencedBy(firing(), [], at(12))).toBeNull();
  });

  it('does not change the alert: it still escalates while silenced', () => {
    const a = firing();
    const s = silence({ startsAt: at(0), endsAt: at(60) });
    const r = tick(a, at(17), POLICY);
    expect(silencedBy(r.alert, [s], at(17))?.id).toBe('s1');
    expect(r.reason).toBe('escalated');
    expect(r.notify).toBe('escalated');
  });

  it('matches the same after a JSON round trip (absent matchers, null matchers)', () => {
    const s = JSON.parse(JSON.stringify(silence({ matchers: { scopeKey: SCOPE } }))) as Silence;
    expect(silenceMatches(s, firing())).toBe(true);
    const nulls = {
      ...silence(),
      matchers: { ruleId: null, scopeKey: SCOPE }
    } as unknown as Silence;
    expect(silenceMatches(nulls, firing())).toBe(true);
  });
});

describe('grouping and de-duplication', () => {
  it.each([
    ['spike', 'brand:acme', 'spike/brand%3Aacme'],
    ['a/b', 'c', 'a%2Fb/c'],
    ['a', 'b/c', 'a/b%2Fc']
  ])('groupKey(%s, %s) = %s', (rule, scope, key) => {
    expect(groupKey(rule, scope)).toBe(key);
  });

  it('keeps keys of different groups apart', () => {
    expect(groupKey('a/b', 'c')).not.toBe(groupKey('a', 'b/c'));
  });

  it('finds the open alert of a group', () => {
    const old = resolved();
    const open = { ...firing(), id: 'open' };
    const other = { ...firing(), id: 'other', scopeKey: 'brand:other' };
    const otherRule = { ...firing(), id: 'other-rule', ruleId: 'negative' };
    expect(openAlertFor([old, other, open, otherRule], RULE, SCOPE)?.id).toBe('open');
    expect(openAlertFor([old, other], RULE, SCOPE)).toBeNull();
    expect(openAlertFor([], RULE, SCOPE)).toBeNull();
    const newer = { ...pending(), id: 'newer', startedAt: at(50) };
    expect(openAlertFor([open, newer], RULE, SCOPE)?.id).toBe('newer');
  });

  it('folds a flapping condition into one alert with an occurrence count', () => {
    const store: Alert[] = [];
    const apply = (o: Observation): void => {
      const open = openAlertFor(store, o.ruleId, o.scopeKey);
      const r = record(observe(open, o, POLICY, `${groupKey(o.ruleId, o.scopeKey)}@${o.now}`));
      if (!r.changed) return;
      const i = store.findIndex((x) => x === open);
      if (i >= 0) store.splice(i, 1);
      if (r.alert !== null) store.push(r.alert);
    };
    // Holds 0–4, then flaps off/on every 2 minutes (shorter than the hold) until 20.
    for (let m = 0; m <= 20; m++) apply(obs(m, m < 5 || m % 4 < 2));
    // Another scope at the same time is its own group.
    apply({ ...obs(3, true), scopeKey: 'brand:other' });
    expect(store).toHaveLength(2);
    const acme = openAlertFor(store, RULE, SCOPE);
    expect(acme?.id).toBe('spike/brand%3Aacme@' + at(0));
    expect(acme?.state).toBe('firing');
    // Off at 6, 10, 14, 18; back at 8, 12, 16, 20.
    expect(acme?.occurrences).toBe(5);
    // Then it stays clear for the hold: resolved; the next trigger is a new alert.
    for (let m = 21; m <= 31; m++) apply(obs(m, false));
    expect(openAlertFor(store, RULE, SCOPE)).toBeNull();
    apply(obs(40, true));
    const next = openAlertFor(store, RULE, SCOPE);
    expect(next?.id).toBe('spike/brand%3Aacme@' + at(40));
    expect(next?.occurrences).toBe(1);
    expect(store.filter((x) => x.state === 'resolved')).toHaveLength(1);
  });
});

describe('JSON round trip', () => {
  const fixtures: [string, () => Alert][] = [
    ['pending', pending],
    ['firing', firing],
    ['acknowledged', acked],
    ['cleared firing', clearedFiring],
    ['cleared acknowledged', clearedAcked],
    ['snoozed firing', snoozedFiring],
    ['snoozed cleared acknowledged', snoozedClearedAcked],
    ['top level', topLevel],
    ['resolved', resolved]
  ];
  const actions: [string, (a: Alert) => Transition<Alert | null>][] = [
    ['observe holding', (a) => observe(a, obs(33, true, { severity: 'critical' }), POLICY, 'n')],
    ['observe clear', (a) => observe(a, obs(33, false), POLICY, 'n')],
    ['tick', (a) => tick(a, at(33), POLICY)],
    ['acknowledge', (a) => acknowledge(a, 'ana', at(33))],
    ['resolve', (a) => resolveByHand(a, 'ana', at(33), 'done')],
    ['snooze', (a) => snooze(a, at(90), 'ana', at(33))],
    ['assign', (a) => assign(a, 'cy', 'ana', at(33))],
    ['note', (a) => addNote(a, 'n', 'ana', at(33))]
  ];

  it.each(fixtures)('%s survives JSON and behaves the same', (_name, make) => {
    const a = make();
    const b = JSON.parse(JSON.stringify(a)) as Alert;
    expect(b).toEqual(a);
    expect(nextDueAt(b, POLICY)).toBe(nextDueAt(a, POLICY));
    expect(isSnoozed(b, at(20))).toBe(isSnoozed(a, at(20)));
    for (const [, act] of actions) {
      const ra = record(act(a));
      const rb = act(b);
      expect(JSON.parse(JSON.stringify(rb))).toEqual(JSON.parse(JSON.stringify(ra)));
    }
  });
});

describe('helpers', () => {
  it('orders severities', () => {
    expect(SEVERITIES).toEqual(['info', 'warning', 'critical']);
    expect(isMoreSevere('critical', 'warning')).toBe(true);
    expect(isMoreSevere('warning', 'info')).toBe(true);
    expect(isMoreSevere('warning', 'warning')).toBe(false);
    expect(isMoreSevere('info', 'critical')).toBe(false);
  });

  it.each([
    [pending, true],
    [firing, true],
    [acked, true],
    [resolved, false]
  ] as const)('isOpen %#', (make, open) => {
    expect(isOpen(make())).toBe(open);
  });

  it('snoozes up to, not including, snoozedUntil', () => {
    const a = snoozedFiring();
    expect([isSnoozed(a, at(29.99)), isSnoozed(a, at(30)), isSnoozed(firing(), at(5))]).toEqual([
      true,
      false,
      false
    ]);
  });

  it('has sensible defaults that fire, resolve and escalate', () => {
    expect(DEFAULT_LIFECYCLE_POLICY.forMs).toBeGreaterThan(0);
    expect(DEFAULT_LIFECYCLE_POLICY.holdMs).toBeGreaterThan(0);
    expect(DEFAULT_LIFECYCLE_POLICY.escalateAfterMs).toBeGreaterThan(0);
    expect(DEFAULT_LIFECYCLE_POLICY.maxEscalationLevel).toBeGreaterThan(0);
    const r = observe(null, obs(0, true), DEFAULT_LIFECYCLE_POLICY, 'd');
    expect(r.reason).toBe('condition-met');
  });
});

describe('reason codes', () => {
  // Runs last (tests run in file order): every code was produced somewhere above, as a result or
  // as a timeline entry.
  it('are all exercised by the tests above', () => {
    expect(REASON_CODES.filter((c) => !seen.has(c))).toEqual([]);
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
  });
});
