import {
  decide,
  DEFAULT_NOTIFY_POLICY,
  DEFAULT_NOTIFY_RETRY,
  emptyNotifyState,
  forgetSend,
  retryDecision,
  type NotifyPolicyOptions,
  type NotifyState,
  type RetryOptions,
  type Silence
} from '../../core/alerts/notify-policy';
import type { NotificationMessage, Notifier, SendResult } from './types';

/** The timer functions the dispatcher schedules retries with (real timers by default). */
export interface RetryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Why a delivery result was reported: the policy's 'silenced', 'duplicate', 'rate-limited';
 * 'sent'; 'retrying' (failed, another attempt is scheduled); 'not-retryable' and 'gave-up'
 * (failed for good); 'queue-full' (dropped: too many deliveries pending).
 */
export type DeliveryReason =
  | 'silenced'
  | 'duplicate'
  | 'rate-limited'
  | 'sent'
  | 'retrying'
  | 'not-retryable'
  | 'gave-up'
  | 'queue-full';

/** One reported outcome, for the alert's timeline. */
export interface DeliveryResult {
  alertId: string;
  channelId: string;
  event: NotificationMessage['event'];
  drill: boolean;
  /** 1 for the first attempt; 0 when nothing was attempted (suppressed or dropped). */
  attempt: number;
  ok: boolean;
  /** HTTP status or SMTP reply code, when there was one. */
  status?: number;
  error?: string;
  reason: DeliveryReason;
  /** Delay before the next attempt, ms, when `reason` is 'retrying'. */
  retryInMs?: number;
  /** Epoch ms of the report. */
  at: number;
}

/** Settings and injected dependencies of the dispatcher. */
export interface DispatcherOptions {
  channels: readonly Notifier[];
  /** Repeat interval, hourly limit, dedup cap; silences can also change with `setSilences`. */
  policy?: Partial<NotifyPolicyOptions>;
  retry?: RetryOptions;
  /** Called for every decision and attempt; an exception it throws is ignored. */
  onResult?: (result: DeliveryResult) => void;
  timers?: RetryTimers;
  now?: () => number;
  /** Jitter draws in [0, 1). */
  random?: () => number;
  /** Most deliveries (message × channel) pending at once, sending or waiting to retry. */
  maxPending?: number;
  /** Most sends in flight at once; the others wait their turn in order. */
  maxConcurrent?: number;
}

/** Defaults of the queue bounds. */
export const DEFAULT_MAX_PENDING = 1000;
/** Default number of sends in flight at once. */
export const DEFAULT_MAX_CONCURRENT = 4;

interface Delivery {
  msg: NotificationMessage;
  channel: Notifier;
  /** Attempts made so far. */
  attempts: number;
  /** `now` of the policy decision (to undo its dedup entry if the delivery fails for good). */
  decidedAt: number;
  timer: unknown;
}

const realTimers: RetryTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
};

/**
 * Runs the notification pipeline: for each message and channel, silence → dedup → rate limit
 * (the policy keeps one state per channel), then send, and retry with backoff while failures
 * are retryable. Every decision and attempt is reported through `onResult`. Bounded: at most
 * `maxPending` deliveries are pending (more are dropped and reported), at most `maxConcurrent`
 * are in flight. Never throws; `stop()` cancels pending retries and aborts sends in flight.
 */
export class NotificationDispatcher {
  private channels: readonly Notifier[];
  private readonly policy: NotifyPolicyOptions;
  private readonly retry: RetryOptions;
  private readonly onResult: (result: DeliveryResult) => void;
  private readonly timers: RetryTimers;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxPending: number;
  private readonly maxConcurrent: number;
  private readonly states = new Map<string, NotifyState>();
  private readonly pending = new Set<Delivery>();
  private readonly ready: Delivery[] = [];
  private inFlight = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];

  /** Builds a dispatcher over the given channels (ids must be unique). */
  constructor(opts: DispatcherOptions) {
    const ids = new Set<string>();
    for (const c of opts.channels) {
      if (ids.has(c.id)) throw new Error(`notification channel id "${c.id}" is used twice`);
      ids.add(c.id);
    }
    this.channels = [...opts.channels];
    this.policy = { ...DEFAULT_NOTIFY_POLICY, ...opts.policy };
    this.retry = opts.retry ?? DEFAULT_NOTIFY_RETRY;
    this.onResult = opts.onResult ?? (() => {});
    this.timers = opts.timers ?? realTimers;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.maxPending = Math.max(1, opts.maxPending ?? DEFAULT_MAX_PENDING);
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  /**
   * Replaces the channels (the settings page changed them). Deliveries already queued keep the
   * channel they were queued for.
   */
  setChannels(channels: readonly Notifier[]): void {
    const ids = new Set<string>();
    for (const c of channels) {
      if (ids.has(c.id)) throw new Error(`notification channel id "${c.id}" is used twice`);
      ids.add(c.id);
    }
    this.channels = [...channels];
  }

  /** The configured channels' ids. */
  channelIds(): string[] {
    return this.channels.map((c) => c.id);
  }

  /** Replaces the silences the policy checks. */
  setSilences(silences: readonly Silence[]): void {
    this.policy.silences = [...silences];
  }

  /** Deliveries sending or waiting to retry. */
  pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Queues `msg` for every channel (or only those in `channelIds`). The policy decides at once,
   * so a duplicate arriving a moment later is caught; sending happens asynchronously.
   */
  dispatch(msg: NotificationMessage, channelIds?: readonly string[]): void {
    if (this.stopped) return;
    try {
      for (const channel of this.channels) {
        if (channelIds && !channelIds.includes(channel.id)) continue;
        const now = this.now();
        const d = decide(msg, this.states.get(channel.id) ?? emptyNotifyState(), now, this.policy);
        if (!d.send) {
          this.report(msg, channel, { attempt: 0, ok: false, reason: d.reason });
          continue;
        }
        if (this.pending.size >= this.maxPending) {
          this.report(msg, channel, { attempt: 0, ok: false, reason: 'queue-full' });
          continue;
        }
        this.states.set(channel.id, d.state);
        const delivery: Delivery = { msg, channel, attempts: 0, decidedAt: now, timer: null };
        this.pending.add(delivery);
        this.ready.push(delivery);
      }
      this.pump();
    } catch {
      // Never throws: a bug in a channel id or the policy must not take the caller down.
    }
  }

  /** Resolves when nothing is pending (every delivery sent or given up), or after stop(). */
  idle(): Promise<void> {
    if (this.pending.size === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels pending retries, aborts sends in flight, drops the queue; dispatch becomes a no-op. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const d of this.pending) if (d.timer !== null) this.timers.clearTimeout(d.timer);
    this.pending.clear();
    this.ready.length = 0;
    this.abort.abort();
    this.settleIdle();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.maxConcurrent && this.ready.length > 0) {
      const d = this.ready.shift()!;
      this.inFlight++;
      void this.attempt(d).finally(() => {
        this.inFlight--;
        this.pump();
        this.settleIdle();
      });
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    d.attempts++;
    let result: SendResult;
    try {
      result = await d.channel.send(d.msg, this.abort.signal);
    } catch (err) {
      result = { ok: false, retryable: false, error: `channel threw: ${(err as Error).message}` };
    }
    if (this.stopped) return;
    if (result.ok) {
      this.pending.delete(d);
      this.report(d.msg, d.channel, {
        attempt: d.attempts,
        ok: true,
        reason: 'sent',
        status: result.status
      });
      return;
    }
    const next = retryDecision(d.attempts, result, this.retry, this.random());
    const failure = { attempt: d.attempts, ok: false, status: result.status, error: result.error };
    if (next.retry) {
      this.report(d.msg, d.channel, { ...failure, reason: 'retrying', retryInMs: next.delayMs });
      d.timer = this.timers.setTimeout(() => {
        d.timer = null;
        if (this.stopped || !this.pending.has(d)) return;
        this.ready.push(d);
        this.pump();
      }, next.delayMs);
      return;
    }
    this.pending.delete(d);
    const state = this.states.get(d.channel.id);
    if (state) this.states.set(d.channel.id, forgetSend(state, d.msg, d.decidedAt));
    this.report(d.msg, d.channel, { ...failure, reason: next.reason });
  }

  private report(
    msg: NotificationMessage,
    channel: Notifier,
    r: Pick<DeliveryResult, 'attempt' | 'ok' | 'reason' | 'status' | 'error' | 'retryInMs'>
  ): void {
    const out: DeliveryResult = {
      alertId: msg.alertId,
      channelId: channel.id,
      event: msg.event,
      drill: msg.drill,
      attempt: r.attempt,
      ok: r.ok,
      reason: r.reason,
      at: this.now()
    };
    if (r.status !== undefined) out.status = r.status;
    if (r.error !== undefined) out.error = r.error;
    if (r.retryInMs !== undefined) out.retryInMs = r.retryInMs;
    try {
      this.onResult(out);
    } catch {
      // The caller's timeline failing must not stop notifications.
    }
  }

  private settleIdle(): void {
    if (this.pending.size > 0 && !this.stopped) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
