import { backoffDelay, type BackoffOptions } from '../backoff';

// The notification pipeline's decisions, Alertmanager style: silence → dedup → rate limit → send,
// then retry with backoff when a send fails in a retryable way. Pure: no clock, no timers, no
// randomness of its own; `now` and the jitter draw come in as arguments, state goes in and out.

/** What happened to an alert that a notification tells about. */
export type NotifyEvent = 'firing' | 'escalated' | 'resolved' | 'acknowledged';

/** The part of a notification the policy looks at (a NotificationMessage has all of it). */
export interface PolicyMessage {
  alertId: string;
  ruleId: string;
  event: NotifyEvent;
  /** Escalation step; an escalation to a higher level is not a duplicate of the one before. */
  escalationLevel?: number;
}

/**
 * A silence: while `startsAt ≤ now < endsAt`, notifications it matches are not sent. A matcher
 * left null matches everything, so `{ ruleId: 'volume' }` silences one rule and
 * `{ alertId: 'a1' }` one alert.
 */
export interface Silence {
  id: string;
  ruleId: string | null;
  alertId: string | null;
  /** Epoch ms, inclusive. */
  startsAt: number;
  /** Epoch ms, exclusive. */
  endsAt: number;
}

/** Settings of the send decision. */
export interface NotifyPolicyOptions {
  /** The same alert and event within this many ms of the last send is a duplicate. */
  repeatIntervalMs: number;
  /** Sends per rule in any sliding hour; further notifications of the rule are rate-limited. */
  maxPerRulePerHour: number;
  /** Active and future silences (expired ones are ignored). */
  silences: readonly Silence[];
  /** Most dedup entries kept; the oldest are forgotten first (bounds memory). */
  maxDedupEntries: number;
}

/** Defaults: Alertmanager's 4 h repeat interval, 10 notifications per rule per hour. */
export const DEFAULT_NOTIFY_POLICY: NotifyPolicyOptions = {
  repeatIntervalMs: 4 * 3_600_000,
  maxPerRulePerHour: 10,
  silences: [],
  maxDedupEntries: 10_000
};

/** The length of the rate limit's sliding window, ms. */
export const RATE_WINDOW_MS = 3_600_000;

/**
 * What the policy remembers, immutable: when each (rule, alert, event) was last sent, and the
 * send times of each rule within the last hour (oldest first). Both are bounded: dedup entries
 * expire after the repeat interval and are capped by `maxDedupEntries`; a rule never holds more
 * than `maxPerRulePerHour` times, and rules with none are dropped.
 */
export interface NotifyState {
  readonly lastSent: ReadonlyMap<string, number>;
  readonly ruleSends: ReadonlyMap<string, readonly number[]>;
}

/** Why a notification was or was not sent. */
export type NotifyReason = 'silenced' | 'duplicate' | 'rate-limited' | 'send';

/** The outcome of `decide`: the state to keep is unchanged unless `send`. */
export type NotifyDecision =
  | { send: true; reason: 'send'; state: NotifyState }
  | {
      send: false;
      reason: Exclude<NotifyReason, 'send'>;
      state: NotifyState;
      /** The matching silence when `reason` is 'silenced'. */
      silenceId?: string;
    };

/** An empty state. */
export function emptyNotifyState(): NotifyState {
  return { lastSent: new Map(), ruleSends: new Map() };
}

/** The dedup key of a message: rule, alert, event and (for escalations) the level. */
export function dedupKey(message: PolicyMessage): string {
  const level = message.event === 'escalated' ? `:${message.escalationLevel ?? 0}` : '';
  return `${message.ruleId}\u0000${message.alertId}\u0000${message.event}${level}`;
}

/** The first silence that covers `message` at `now`, or null. */
export function matchingSilence(
  message: PolicyMessage,
  silences: readonly Silence[],
  now: number
): Silence | null {
  for (const s of silences) {
    if (now < s.startsAt || now >= s.endsAt) continue;
    if (s.ruleId !== null && s.ruleId !== message.ruleId) continue;
    if (s.alertId !== null && s.alertId !== message.alertId) continue;
    return s;
  }
  return null;
}

/** Send times of `ruleId` still inside the sliding hour ending at `now`. */
function recentSends(state: NotifyState, ruleId: string, now: number): readonly number[] {
  const times = state.ruleSends.get(ruleId) ?? [];
  let i = 0;
  while (i < times.length && times[i]! <= now - RATE_WINDOW_MS) i++;
  return i === 0 ? times : times.slice(i);
}

/**
 * Decides whether to send `message` now: silenced first, then a duplicate of the same alert
 * and event sent within the repeat interval, then over the rule's hourly limit; otherwise
 * 'send', with the send recorded in the returned state. Expired entries are pruned on the way.
 */
export function decide(
  message: PolicyMessage,
  state: NotifyState,
  now: number,
  opts: NotifyPolicyOptions
): NotifyDecision {
  const silence = matchingSilence(message, opts.silences, now);
  if (silence) return { send: false, reason: 'silenced', state, silenceId: silence.id };

  const key = dedupKey(message);
  const last = state.lastSent.get(key);
  if (last !== undefined && now - last < opts.repeatIntervalMs) {
    return { send: false, reason: 'duplicate', state };
  }

  const recent = recentSends(state, message.ruleId, now);
  if (recent.length >= Math.max(0, opts.maxPerRulePerHour)) {
    return { send: false, reason: 'rate-limited', state };
  }

  // Record the send; drop expired dedup entries and, past the cap, the oldest ones.
  const lastSent = new Map<string, number>();
  for (const [k, t] of state.lastSent) {
    if (k !== key && now - t < opts.repeatIntervalMs) lastSent.set(k, t);
  }
  lastSent.set(key, now);
  const cap = Math.max(1, opts.maxDedupEntries);
  if (lastSent.size > cap) {
    const oldest = [...lastSent].sort((a, b) => a[1] - b[1]).slice(0, lastSent.size - cap);
    for (const [k] of oldest) lastSent.delete(k);
  }
  const ruleSends = new Map<string, readonly number[]>();
  for (const [rule] of state.ruleSends) {
    const kept = recentSends(state, rule, now);
    if (kept.length > 0) ruleSends.set(rule, kept);
  }
  ruleSends.set(message.ruleId, [...recent, now]);
  return { send: true, reason: 'send', state: { lastSent, ruleSends } };
}

/**
 * Undoes the dedup entry of a send that finally failed (gave up or not retryable), so the
 * next notification of the same alert and event is sent instead of counted as a duplicate.
 * The rate-limit slot stays used: the attempt did reach out. `sentAt` is the `now` of the
 * decision; a newer entry for the same key is left alone.
 */
export function forgetSend(
  state: NotifyState,
  message: PolicyMessage,
  sentAt: number
): NotifyState {
  const key = dedupKey(message);
  if (state.lastSent.get(key) !== sentAt) return state;
  const lastSent = new Map(state.lastSent);
  lastSent.delete(key);
  return { lastSent, ruleSends: state.ruleSends };
}

/** Settings of the retries of one delivery. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts: number;
  backoff: BackoffOptions;
}

/** Defaults: 5 attempts, 1 s doubling up to 1 min (≈ 15 s of retries in all, at most 1 min). */
export const DEFAULT_NOTIFY_RETRY: RetryOptions = {
  maxAttempts: 5,
  backoff: { baseMs: 1000, maxMs: 60_000 }
};

/** How a send failed, as far as retrying is concerned. */
export interface RetryableFailure {
  retryable: boolean;
  /** The receiver's Retry-After, ms, when it named one. */
  retryAfterMs?: number;
}

/** The outcome of `retryDecision`. */
export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: 'not-retryable' | 'gave-up' };

/**
 * Whether to retry after attempt `attempt` (1 for the first) failed, and after how long: never
 * for a non-retryable failure, never beyond `maxAttempts`, otherwise `backoffDelay` of the
 * retry's index with the jitter draw `random` in [0, 1). A Retry-After from the receiver is a
 * floor, capped at the backoff's maximum.
 */
export function retryDecision(
  attempt: number,
  failure: RetryableFailure,
  opts: RetryOptions,
  random: number
): RetryDecision {
  if (!failure.retryable) return { retry: false, reason: 'not-retryable' };
  if (attempt >= opts.maxAttempts) return { retry: false, reason: 'gave-up' };
  const delay = backoffDelay(attempt - 1, opts.backoff, random);
  const floor = Math.min(Math.max(0, failure.retryAfterMs ?? 0), opts.backoff.maxMs);
  return { retry: true, delayMs: Math.max(delay, floor) };
}
