import { describe, expect, it } from 'vitest';
import {
  decide,
  dedupKey,
  DEFAULT_NOTIFY_POLICY,
  emptyNotifyState,
  forgetSend,
  matchingSilence,
  RATE_WINDOW_MS,
  retryDecision,
  type NotifyEvent,
  type NotifyPolicyOptions,
  type NotifyReason,
  type NotifyState,
  type PolicyMessage,
  type RetryOptions,
  type Silence
} from '../../../server/core/alerts/notify-policy';

const T0 = Date.parse('2025-03-01T09:00:00Z');
const MIN = 60_000;

const opts = (over: Partial<NotifyPolicyOptions> = {}): NotifyPolicyOptions => ({
  ...DEFAULT_NOTIFY_POLICY,
  repeatIntervalMs: 30 * MIN,
  maxPerRulePerHour: 3,
  ...over
});

const msg = (
  alertId: string,
  event: NotifyEvent = 'firing',
  ruleId = 'volume',
  escalationLevel = 0
): PolicyMessage => ({ alertId, ruleId, event, escalationLevel });

/** Runs messages through `decide` in order, threading the state; returns the reasons. */
function run(
  steps: readonly { at: number; m: PolicyMessage }[],
  o: NotifyPolicyOptions
): { reasons: NotifyReason[]; state: NotifyState } {
  let state = emptyNotifyState();
  const reasons: NotifyReason[] = [];
  for (const s of steps) {
    const d = decide(s.m, state, T0 + s.at, o);
    expect(d.send).toBe(d.reason === 'send');
    reasons.push(d.reason);
    state = d.state;
  }
  return { reasons, state };
}

const silence = (over: Partial<Silence>): Silence => ({
  id: 's1',
  ruleId: null,
  alertId: null,
  startsAt: T0,
  endsAt: T0 + 60 * MIN,
  ...over
});

describe('decide: silences', () => {
  it.each([
    ['a silence of the rule', silence({ ruleId: 'volume' }), 0, 'silenced'],
    ['a silence of the alert', silence({ alertId: 'a1' }), 0, 'silenced'],
    ['a silence matching everything', silence({}), 10 * MIN, 'silenced'],
    ['a silence of another rule', silence({ ruleId: 'sentiment' }), 0, 'send'],
    ['a silence of another alert', silence({ alertId: 'a2' }), 0, 'send'],
    ['a silence not yet started', silence({ startsAt: T0 + MIN }), 0, 'send'],
    ['a silence that has ended (end exclusive)', silence({ endsAt: T0 + MIN }), MIN, 'send'],
    ['rule and alert both required', silence({ ruleId: 'volume', alertId: 'a2' }), 0, 'send']
  ] as const)('%s', (_name, s, at, expected) => {
    const { reasons } = run([{ at, m: msg('a1') }], opts({ silences: [s] }));
    expect(reasons).toEqual([expected]);
  });

  it('names the matching silence and leaves the state untouched', () => {
    const state = emptyNotifyState();
    const d = decide(msg('a1'), state, T0, opts({ silences: [silence({ id: 'maint' })] }));
    expect(d).toMatchObject({ send: false, reason: 'silenced', silenceId: 'maint' });
    expect(d.state).toBe(state);
    expect(matchingSilence(msg('a1'), [], T0)).toBeNull();
  });

  it('a silenced notification is not remembered: it is sent once the silence ends', () => {
    const s = silence({ endsAt: T0 + 5 * MIN });
    const { reasons } = run(
      [
        { at: 0, m: msg('a1') },
        { at: 5 * MIN, m: msg('a1') }
      ],
      opts({ silences: [s] })
    );
    expect(reasons).toEqual(['silenced', 'send']);
  });
});

describe('decide: dedup within the repeat interval', () => {
  it.each<[string, { at: number; m: PolicyMessage }[], NotifyReason[]]>([
    [
      'the same alert and event is a duplicate until the interval has passed',
      [
        { at: 0, m: msg('a1') },
        { at: MIN, m: msg('a1') },
        { at: 30 * MIN - 1, m: msg('a1') },
        { at: 30 * MIN, m: msg('a1') }
      ],
      ['send', 'duplicate', 'duplicate', 'send']
    ],
    [
      'another event kind of the same alert is not a duplicate',
      [
        { at: 0, m: msg('a1', 'firing') },
        { at: MIN, m: msg('a1', 'acknowledged') },
        { at: 2 * MIN, m: msg('a1', 'resolved') },
        { at: 3 * MIN, m: msg('a1', 'resolved') }
      ],
      ['send', 'send', 'send', 'duplicate']
    ],
    [
      'another alert of the same rule is not a duplicate',
      [
        { at: 0, m: msg('a1') },
        { at: 0, m: msg('a2') }
      ],
      ['send', 'send']
    ],
    [
      'an escalation to a higher level is news; the same level again is not',
      [
        { at: 0, m: msg('a1', 'escalated', 'volume', 1) },
        { at: MIN, m: msg('a1', 'escalated', 'volume', 2) },
        { at: 2 * MIN, m: msg('a1', 'escalated', 'volume', 2) }
      ],
      ['send', 'send', 'duplicate']
    ]
  ])('%s', (_name, steps, expected) => {
    expect(run(steps, opts({ maxPerRulePerHour: 100 })).reasons).toEqual(expected);
  });

  it('dedup keys separate rule, alert, event and escalation level', () => {
    const keys = new Set([
      dedupKey(msg('a1')),
      dedupKey(msg('a1', 'resolved')),
      dedupKey(msg('a1', 'firing', 'other')),
      dedupKey(msg('a1', 'escalated', 'volume', 1)),
      dedupKey(msg('a1', 'escalated', 'volume', 2))
    ]);
    expect(keys.size).toBe(5);
    // The level only matters for escalations.
    expect(dedupKey(msg('a1', 'firing', 'volume', 3))).toBe(dedupKey(msg('a1')));
  });

  it('forgetSend lets a failed delivery be sent again; a newer entry is kept', () => {
    const o = opts();
    const first = decide(msg('a1'), emptyNotifyState(), T0, o);
    const undone = forgetSend(first.state, msg('a1'), T0);
    expect(decide(msg('a1'), undone, T0 + MIN, o).reason).toBe('send');
    expect(forgetSend(first.state, msg('a1'), T0 - 1)).toBe(first.state);
  });
});

describe('decide: rate limit per rule per sliding hour', () => {
  it('allows N sends per rule in any hour and frees slots as they age out', () => {
    const steps = [
      { at: 0, m: msg('a1') },
      { at: 10 * MIN, m: msg('a2') },
      { at: 20 * MIN, m: msg('a3') },
      { at: 30 * MIN, m: msg('a4') }, // 4th within the hour
      { at: 35 * MIN, m: msg('b1', 'firing', 'sentiment') }, // another rule has its own budget
      { at: 60 * MIN - 1, m: msg('a5') }, // the first send is still inside the hour
      { at: 60 * MIN, m: msg('a6') }, // …and now it has left the window
      { at: 65 * MIN, m: msg('a7') },
      { at: 70 * MIN, m: msg('a8') }, // a2 left the window at 70: one free slot
      { at: 71 * MIN, m: msg('a9') }
    ];
    expect(run(steps, opts({ maxPerRulePerHour: 3 })).reasons).toEqual([
      'send',
      'send',
      'send',
      'rate-limited',
      'send',
      'rate-limited',
      'send',
      'rate-limited',
      'send',
      'rate-limited'
    ]);
  });

  it('a rate-limited notification is not remembered as sent', () => {
    const { reasons } = run(
      [
        { at: 0, m: msg('a1') },
        { at: MIN, m: msg('a2') },
        { at: RATE_WINDOW_MS, m: msg('a2') }
      ],
      opts({ maxPerRulePerHour: 1 })
    );
    expect(reasons).toEqual(['send', 'rate-limited', 'send']);
  });

  it('a limit of 0 sends nothing; silence wins over dedup, dedup over the limit', () => {
    expect(run([{ at: 0, m: msg('a1') }], opts({ maxPerRulePerHour: 0 })).reasons).toEqual([
      'rate-limited'
    ]);
    const { reasons } = run(
      [
        { at: 0, m: msg('a1') },
        { at: MIN, m: msg('a1') }
      ],
      opts({ maxPerRulePerHour: 1 })
    );
    expect(reasons).toEqual(['send', 'duplicate']);
  });

  it('keeps memory bounded: expired entries pruned, dedup entries capped', () => {
    const o = opts({ maxPerRulePerHour: 1_000_000, maxDedupEntries: 50 });
    let state = emptyNotifyState();
    for (let i = 0; i < 500; i++) {
      state = decide(msg(`a${i}`, 'firing', `r${i % 20}`), state, T0 + i * 1000, o).state;
    }
    expect(state.lastSent.size).toBe(50);
    // The newest entries are the ones kept.
    expect(state.lastSent.has(dedupKey(msg('a499', 'firing', 'r19')))).toBe(true);
    // Two hours later one send prunes everything that has aged out.
    state = decide(msg('z'), state, T0 + 2 * RATE_WINDOW_MS, o).state;
    expect(state.lastSent.size).toBe(1);
    expect([...state.ruleSends.keys()]).toEqual(['volume']);
    // A rule never holds more send times than its limit.
    const small = opts({ maxPerRulePerHour: 2, repeatIntervalMs: 1 });
    let s2 = emptyNotifyState();
    for (let i = 0; i < 100; i++) s2 = decide(msg(`x${i}`), s2, T0 + i, small).state;
    expect(s2.ruleSends.get('volume')).toHaveLength(2);
  });

  it('does not mutate the state it was given', () => {
    const o = opts();
    const s0 = emptyNotifyState();
    const s1 = decide(msg('a1'), s0, T0, o).state;
    expect(s0.lastSent.size).toBe(0);
    decide(msg('a2'), s1, T0 + 1, o);
    expect(s1.lastSent.size).toBe(1);
    expect(s1.ruleSends.get('volume')).toEqual([T0]);
  });
});

describe('retryDecision', () => {
  const retry: RetryOptions = { maxAttempts: 4, backoff: { baseMs: 1000, maxMs: 10_000 } };
  it.each([
    // attempt that failed, failure, draw → decision
    [1, { retryable: true }, 0, { retry: true, delayMs: 500 }],
    [1, { retryable: true }, 1, { retry: true, delayMs: 1000 }],
    [2, { retryable: true }, 0.5, { retry: true, delayMs: 1500 }],
    [3, { retryable: true }, 1, { retry: true, delayMs: 4000 }],
    [4, { retryable: true }, 0, { retry: false, reason: 'gave-up' }],
    [9, { retryable: true }, 0, { retry: false, reason: 'gave-up' }],
    [1, { retryable: false }, 0, { retry: false, reason: 'not-retryable' }],
    [3, { retryable: false }, 0, { retry: false, reason: 'not-retryable' }],
    // Retry-After is a floor, capped at the backoff maximum
    [1, { retryable: true, retryAfterMs: 7000 }, 0, { retry: true, delayMs: 7000 }],
    [1, { retryable: true, retryAfterMs: 600_000 }, 0, { retry: true, delayMs: 10_000 }],
    [3, { retryable: true, retryAfterMs: 100 }, 0, { retry: true, delayMs: 2000 }]
  ])('attempt %i failed %o with draw %f → %o', (attempt, failure, random, expected) => {
    expect(retryDecision(attempt, failure, retry, random)).toEqual(expected);
  });

  it('maxAttempts 1 never retries', () => {
    expect(retryDecision(1, { retryable: true }, { ...retry, maxAttempts: 1 }, 0.3)).toEqual({
      retry: false,
      reason: 'gave-up'
    });
  });
});
