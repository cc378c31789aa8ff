/**
 * The alert lifecycle as a pure state machine (issue 6, "Alerting and the crisis workflow").
 *
 * An alert belongs to a group: one rule (`ruleId`) on one scope (`scopeKey`, e.g. a brand, a
 * channel or a topic). At most one alert per group is open at a time; repeated triggers of the
 * group update that alert and count `occurrences` instead of opening new ones (de-duplication).
 *
 * States, Alertmanager style:
 * - `pending`: the rule's condition is true but has not yet held for `forMs`. If it clears in
 *   that time the alert is dropped (`cleared-while-pending`) and nobody is told.
 * - `firing`: the condition held for `forMs`. Notified; escalates to the next contact level
 *   every `escalateAfterMs` while nobody acknowledges it.
 * - `acknowledged`: somebody took it (who, when). No more escalation; a re-trigger is recorded
 *   and notified to the owner, but the alert stays acknowledged.
 * - `resolved`: automatically once the condition has been clear for `holdMs`, or by hand. A
 *   resolved alert is never reopened: a new trigger of the group makes a new alert.
 *
 * Every function returns a {@link Transition}: the next alert (a new object; the input is never
 * mutated), whether anything changed (persist and broadcast when true), a reason code that says
 * what happened or why nothing did, and which notification-worthy event occurred, if any. User
 * actions that make no sense in the alert's state (acknowledging a resolved alert, …) return
 * `changed: false` with a reason code; nothing here throws.
 *
 * Everything is plain JSON (alerts are stored in SQLite and sent over Socket.IO) and pure: time
 * comes in as `now` (epoch ms) and ids come from the caller.
 */

import {
  ALERT_SEVERITIES,
  type AlertSeverity,
  type AlertState
} from '../../../src/lib/shared/types';

// The states and severities are the wire contract's: one definition for server and client.
export type { AlertSeverity, AlertState };

/** Severities from least to most severe. */
export const SEVERITIES: readonly AlertSeverity[] = ALERT_SEVERITIES;

/**
 * What a lifecycle function did, or why it did nothing.
 *
 * Transitions (`changed: true`, also written to the timeline unless the alert was dropped):
 * `condition-met`, `held-for-duration`, `cleared-while-pending`, `cleared`, `retriggered`,
 * `retriggered-while-acknowledged`, `severity-raised`, `auto-resolved`, `acknowledged`,
 * `resolved-by-hand`, `snoozed`, `snooze-expired`, `escalated`, `assigned`, `unassigned`, `note`.
 *
 * No change (`changed: false`): `no-alert`, `still-pending`, `unchanged`, `awaiting-hold`,
 * `still-snoozed`, `escalation-capped`, `not-open`, `not-firing`, `already-acknowledged`,
 * `already-assigned`, `invalid-snooze`, `empty-note`, `group-mismatch`, `duplicate-id`.
 */
export const REASON_CODES = [
  'condition-met',
  'held-for-duration',
  'cleared-while-pending',
  'cleared',
  'retriggered',
  'retriggered-while-acknowledged',
  'severity-raised',
  'auto-resolved',
  'acknowledged',
  'resolved-by-hand',
  'snoozed',
  'snooze-expired',
  'escalated',
  'assigned',
  'unassigned',
  'note',
  'no-alert',
  'still-pending',
  'unchanged',
  'awaiting-hold',
  'still-snoozed',
  'escalation-capped',
  'not-open',
  'not-firing',
  'already-acknowledged',
  'already-assigned',
  'invalid-snooze',
  'empty-note',
  'group-mismatch',
  'duplicate-id'
] as const;

/** See {@link REASON_CODES}. */
export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * A notification-worthy event. `firing` is also sent again as a reminder when a snooze ends on
 * an alert still firing. While an alert is snoozed, nothing but `resolved` is notified. Silences
 * ({@link silencedBy}) are applied by the notification pipeline, not here.
 */
export type Notify = 'firing' | 'retriggered' | 'severity-raised' | 'escalated' | 'resolved';

/** One line of an alert's history. */
export interface TimelineEntry {
  /** Epoch ms. */
  at: number;
  code: ReasonCode;
  /** Who did it; null for automatic transitions. */
  by: string | null;
  /** Free text: the observation's detail, a note, an assignee, a level, … */
  detail: string | null;
}

/** One alert: a rule on a scope, from the condition first being met to its resolution. */
export interface Alert {
  id: string;
  ruleId: string;
  /** The rule's scope (brand, channel, topic, …); with `ruleId` the alert's group. */
  scopeKey: string;
  title: string;
  severity: AlertSeverity;
  /** A drill (exercise) alert: goes through the same lifecycle, labelled as such downstream. */
  drill: boolean;
  state: AlertState;
  /** When the condition was first met (pending since). */
  startedAt: number;
  firedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  /** Who resolved it; `'auto'` when the condition cleared for the hold time. */
  resolvedBy: string | null;
  /** The condition has been clear since then (hold running); null while it holds. */
  clearedAt: number | null;
  /** How many times the condition (re)triggered into this alert; 1 at first. */
  occurrences: number;
  /** When the condition last (re)triggered. */
  lastTriggeredAt: number;
  /** No notification or escalation before this time; null when not snoozed. */
  snoozedUntil: number | null;
  assignee: string | null;
  /** Contact level: 0 is the first contact, raised by escalation. */
  escalationLevel: number;
  /** Last escalation, null before the first. */
  escalatedAt: number | null;
  /** The escalation clock started then (firing, last escalation or snooze end); null if pending. */
  escalationClockAt: number | null;
  /** History, oldest first, at most {@link TIMELINE_LIMIT} entries. */
  timeline: TimelineEntry[];
  /** How many of the oldest entries were dropped to keep the timeline bounded. */
  timelineDropped: number;
}

/** Timing of a rule's alerts. */
export interface LifecyclePolicy {
  /** The condition must hold this long before the alert fires; 0 fires at once. */
  forMs: number;
  /** A firing alert resolves after the condition has been clear this long; 0 at once. */
  holdMs: number;
  /** Unacknowledged for this long (since firing or the last escalation) → next level; null off. */
  escalateAfterMs: number | null;
  /** The highest contact level escalation reaches (0 disables escalation). */
  maxEscalationLevel: number;
}

/** Defaults: fire after 2 min, resolve after 10 min clear, escalate every 15 min up to level 2. */
export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = {
  forMs: 2 * 60_000,
  holdMs: 10 * 60_000,
  escalateAfterMs: 15 * 60_000,
  maxEscalationLevel: 2
};

/** Most timeline entries an alert keeps; older ones are dropped and counted. */
export const TIMELINE_LIMIT = 200;

/** Notes and observation details are cut to this many characters. */
export const DETAIL_MAX_CHARS = 2000;

/** The rule's condition evaluated at `now` for one group. */
export interface Observation {
  ruleId: string;
  scopeKey: string;
  /** Whether the condition is true now. */
  holding: boolean;
  /** Epoch ms. */
  now: number;
  /** Severity of this evaluation; may raise an open alert's severity, never lower it. */
  severity?: AlertSeverity;
  /** Title of a new alert (default: the rule id); ignored for an existing alert. */
  title?: string;
  /** Recorded with the resulting timeline entry, e.g. "42/min against 10 expected". */
  detail?: string;
  /** Marks a new alert as a drill. */
  drill?: boolean;
}

/** The outcome of a lifecycle function. */
export interface Transition<A extends Alert | null = Alert> {
  /** The alert after the call (the input object itself when nothing changed). */
  alert: A;
  /** True when the caller should persist and broadcast `alert` (or delete it when null). */
  changed: boolean;
  reason: ReasonCode;
  /** The notification-worthy event that happened, if any. */
  notify: Notify | null;
}

/** A silence: mutes notifications of matching alerts from `startsAt` (incl.) to `endsAt` (excl.). */
export interface Silence {
  id: string;
  /** Every matcher given must equal the alert's field; a silence without matchers matches none. */
  matchers: { ruleId?: string; scopeKey?: string };
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = {
  info: 0,
  warning: 1,
  critical: 2
};

function cut(text: string | undefined | null): string | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t === '') return null;
  return t.length > DETAIL_MAX_CHARS ? t.slice(0, DETAIL_MAX_CHARS) : t;
}

function entry(
  at: number,
  code: ReasonCode,
  by: string | null,
  detail: string | null
): TimelineEntry {
  return { at, code, by, detail };
}

/** `alert` with `patch` applied and `entries` appended to a timeline kept within the limit. */
function evolve(alert: Alert, patch: Partial<Alert>, entries: TimelineEntry[]): Alert {
  const all = alert.timeline.concat(entries);
  const drop = Math.max(0, all.length - TIMELINE_LIMIT);
  return {
    ...alert,
    ...patch,
    timeline: drop > 0 ? all.slice(drop) : all,
    timelineDropped: alert.timelineDropped + drop
  };
}

function same<A extends Alert | null>(alert: A, reason: ReasonCode): Transition<A> {
  return { alert, changed: false, reason, notify: null };
}

interface Timing {
  forMs: number;
  holdMs: number;
  escalateAfterMs: number | null;
  maxLevel: number;
}

/** The policy with negative or non-finite numbers made harmless. */
function timing(policy: LifecyclePolicy): Timing {
  const ms = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);
  const e = policy.escalateAfterMs;
  const level = policy.maxEscalationLevel;
  return {
    forMs: ms(policy.forMs),
    holdMs: ms(policy.holdMs),
    escalateAfterMs: e !== null && Number.isFinite(e) && e > 0 ? e : null,
    maxLevel: Number.isFinite(level) && level > 0 ? Math.floor(level) : 0
  };
}

/** Unambiguous key of a group (rule + scope), usable in maps, URLs and logs. */
export function groupKey(ruleId: string, scopeKey: string): string {
  return `${encodeURIComponent(ruleId)}/${encodeURIComponent(scopeKey)}`;
}

/** Whether the alert is still open (pending, firing or acknowledged). */
export function isOpen(alert: Alert): boolean {
  return alert.state !== 'resolved';
}

/** Whether the alert is snoozed at `now` (its snooze ends at `snoozedUntil`, exclusive). */
export function isSnoozed(alert: Alert, now: number): boolean {
  return alert.snoozedUntil !== null && now < alert.snoozedUntil;
}

/** Whether `a` is more severe than `b`. */
export function isMoreSevere(a: AlertSeverity, b: AlertSeverity): boolean {
  return SEVERITY_RANK[a] > SEVERITY_RANK[b];
}

/**
 * The open alert of a group among `alerts`, the one a new observation of that group updates, or
 * null (then {@link observe} creates one). Should several be open, the most recently started.
 */
export function openAlertFor(
  alerts: readonly Alert[],
  ruleId: string,
  scopeKey: string
): Alert | null {
  let best: Alert | null = null;
  for (const a of alerts) {
    if (a.ruleId !== ruleId || a.scopeKey !== scopeKey || !isOpen(a)) continue;
    if (best === null || a.startedAt > best.startedAt) best = a;
  }
  return best;
}

function create(obs: Observation, t: Timing, id: string): Transition<Alert | null> {
  const now = obs.now;
  const pending: Alert = {
    id,
    ruleId: obs.ruleId,
    scopeKey: obs.scopeKey,
    title: cut(obs.title) ?? obs.ruleId,
    severity: obs.severity ?? 'warning',
    drill: obs.drill ?? false,
    state: 'pending',
    startedAt: now,
    firedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    clearedAt: null,
    occurrences: 1,
    lastTriggeredAt: now,
    snoozedUntil: null,
    assignee: null,
    escalationLevel: 0,
    escalatedAt: null,
    escalationClockAt: null,
    timeline: [entry(now, 'condition-met', null, cut(obs.detail))],
    timelineDropped: 0
  };
  if (t.forMs > 0) return { alert: pending, changed: true, reason: 'condition-met', notify: null };
  const firing = evolve(pending, { state: 'firing', firedAt: now, escalationClockAt: now }, [
    entry(now, 'held-for-duration', null, null)
  ]);
  return { alert: firing, changed: true, reason: 'held-for-duration', notify: 'firing' };
}

function autoResolve(alert: Alert, now: number, entries: TimelineEntry[]): Alert {
  return evolve(
    alert,
    { state: 'resolved', resolvedAt: now, resolvedBy: 'auto', snoozedUntil: null },
    [...entries, entry(now, 'auto-resolved', null, null)]
  );
}

/**
 * Feeds the rule's condition for one group at `obs.now` into the group's alert:
 * - no open alert (null or resolved) and holding → a new alert with `id`, pending, or firing at
 *   once when `forMs` is 0. A resolved alert is never reopened; `id` is used only here, so the
 *   caller may pass a deterministic one such as `groupKey(...) + '@' + now`.
 * - pending and holding for `forMs` since `startedAt` → firing (`held-for-duration`, notify).
 * - pending and not holding → dropped: `alert: null`, `cleared-while-pending`.
 * - firing or acknowledged and not holding → `cleared` (hold starts); once clear for `holdMs`
 *   → `auto-resolved` (notify). Holding again before that → `retriggered` (occurrences + 1), or
 *   `retriggered-while-acknowledged` (stays acknowledged, notifies the owner).
 * - a higher severity while holding raises the alert's severity (`severity-raised`); a lower one
 *   is ignored.
 * An alert of another group is left alone (`group-mismatch`).
 */
export function observe(
  alert: Alert | null,
  obs: Observation,
  policy: LifecyclePolicy,
  id: string
): Transition<Alert | null> {
  const t = timing(policy);
  const now = obs.now;
  if (alert !== null && (alert.ruleId !== obs.ruleId || alert.scopeKey !== obs.scopeKey)) {
    return same(alert, 'group-mismatch');
  }
  if (alert === null || alert.state === 'resolved') {
    if (!obs.holding) return same(alert, alert === null ? 'no-alert' : 'not-open');
    if (alert !== null && alert.id === id) return same(alert, 'duplicate-id');
    return create(obs, t, id);
  }

  const detail = cut(obs.detail);
  const raise =
    obs.holding && obs.severity !== undefined && isMoreSevere(obs.severity, alert.severity)
      ? obs.severity
      : null;
  const raiseEntry =
    raise === null ? [] : [entry(now, 'severity-raised', null, `${alert.severity} → ${raise}`)];
  const raisePatch: Partial<Alert> = raise === null ? {} : { severity: raise };

  if (alert.state === 'pending') {
    if (!obs.holding)
      return { alert: null, changed: true, reason: 'cleared-while-pending', notify: null };
    if (now - alert.startedAt >= t.forMs) {
      const next = evolve(
        alert,
        { ...raisePatch, state: 'firing', firedAt: now, escalationClockAt: now },
        [...raiseEntry, entry(now, 'held-for-duration', null, detail)]
      );
      return { alert: next, changed: true, reason: 'held-for-duration', notify: 'firing' };
    }
    if (raise === null) return same(alert, 'still-pending');
    return {
      alert: evolve(alert, raisePatch, raiseEntry),
      changed: true,
      reason: 'severity-raised',
      notify: null
    };
  }

  // Firing or acknowledged.
  const snoozed = isSnoozed(alert, now);
  if (obs.holding) {
    if (alert.clearedAt === null && raise === null) return same(alert, 'unchanged');
    let reason: ReasonCode = 'severity-raised';
    let notify: Notify | null = 'severity-raised';
    let patch: Partial<Alert> = raisePatch;
    const entries = [...raiseEntry];
    if (alert.clearedAt !== null) {
      const acked = alert.state === 'acknowledged';
      reason = acked ? 'retriggered-while-acknowledged' : 'retriggered';
      if (raise === null) notify = acked ? 'retriggered' : null;
      patch = {
        ...patch,
        clearedAt: null,
        occurrences: alert.occurrences + 1,
        lastTriggeredAt: now
      };
      entries.push(entry(now, reason, null, detail));
    }
    return {
      alert: evolve(alert, patch, entries),
      changed: true,
      reason,
      notify: snoozed ? null : notify
    };
  }

  if (alert.clearedAt === null) {
    const cleared = entry(now, 'cleared', null, detail);
    if (t.holdMs > 0) {
      return {
        alert: evolve(alert, { clearedAt: now }, [cleared]),
        changed: true,
        reason: 'cleared',
        notify: null
      };
    }
    const next = autoResolve({ ...alert, clearedAt: now }, now, [cleared]);
    return { alert: next, changed: true, reason: 'auto-resolved', notify: 'resolved' };
  }
  if (now - alert.clearedAt >= t.holdMs) {
    return {
      alert: autoResolve(alert, now, []),
      changed: true,
      reason: 'auto-resolved',
      notify: 'resolved'
    };
  }
  return same(alert, 'awaiting-hold');
}

/**
 * Time-based transitions of an open alert at `now`, without a new observation, in this order:
 * 1. snooze end (`snooze-expired`; reminds with notify `firing` if still firing and not clear;
 *    the escalation clock restarts at the snooze's end);
 * 2. auto-resolution once the condition has been clear for `holdMs` (`auto-resolved`, notify);
 * 3. escalation of a firing, unacknowledged, unsnoozed, not-clear alert every `escalateAfterMs`
 *    since firing or the last escalation, one level per call up to `maxEscalationLevel`
 *    (`escalated`, notify; at the top level `escalation-capped`).
 * A pending alert needs an observation to fire (`still-pending`). See {@link nextDueAt}.
 */
export function tick(alert: Alert, now: number, policy: LifecyclePolicy): Transition {
  if (alert.state === 'resolved') return same(alert, 'not-open');
  if (alert.state === 'pending') return same(alert, 'still-pending');
  const t = timing(policy);
  let next = alert;
  let reason: ReasonCode | null = null;
  let notify: Notify | null = null;

  if (next.snoozedUntil !== null && now >= next.snoozedUntil) {
    const clock = Math.max(next.escalationClockAt ?? next.snoozedUntil, next.snoozedUntil);
    const remind = next.state === 'firing' && next.clearedAt === null;
    next = evolve(next, { snoozedUntil: null, escalationClockAt: clock }, [
      entry(now, 'snooze-expired', null, null)
    ]);
    reason = 'snooze-expired';
    notify = remind ? 'firing' : null;
  }

  if (next.clearedAt !== null && now - next.clearedAt >= t.holdMs) {
    return {
      alert: autoResolve(next, now, []),
      changed: true,
      reason: 'auto-resolved',
      notify: 'resolved'
    };
  }

  const clock = next.escalationClockAt;
  if (
    next.state === 'firing' &&
    next.clearedAt === null &&
    !isSnoozed(next, now) &&
    t.escalateAfterMs !== null &&
    clock !== null &&
    now - clock >= t.escalateAfterMs
  ) {
    if (next.escalationLevel < t.maxLevel) {
      const level = next.escalationLevel + 1;
      next = evolve(next, { escalationLevel: level, escalatedAt: now, escalationClockAt: now }, [
        entry(now, 'escalated', null, `level ${level}`)
      ]);
      return { alert: next, changed: true, reason: 'escalated', notify: 'escalated' };
    }
    if (reason === null) return same(alert, 'escalation-capped');
  }

  if (reason !== null) return { alert: next, changed: true, reason, notify };
  if (isSnoozed(alert, now)) return same(alert, 'still-snoozed');
  return same(alert, alert.clearedAt !== null ? 'awaiting-hold' : 'unchanged');
}

/**
 * The earliest time at which {@link tick} would change the alert (snooze end, auto-resolution,
 * next escalation), or null when only an observation or a user action can. Lets the caller
 * schedule its next tick instead of polling.
 */
export function nextDueAt(alert: Alert, policy: LifecyclePolicy): number | null {
  if (alert.state !== 'firing' && alert.state !== 'acknowledged') return null;
  const t = timing(policy);
  const due: number[] = [];
  if (alert.snoozedUntil !== null) due.push(alert.snoozedUntil);
  if (alert.clearedAt !== null) due.push(alert.clearedAt + t.holdMs);
  if (
    alert.state === 'firing' &&
    alert.clearedAt === null &&
    t.escalateAfterMs !== null &&
    alert.escalationClockAt !== null &&
    alert.escalationLevel < t.maxLevel
  ) {
    const clock = Math.max(alert.escalationClockAt, alert.snoozedUntil ?? alert.escalationClockAt);
    due.push(clock + t.escalateAfterMs);
  }
  return due.length === 0 ? null : Math.min(...due);
}

/** `by` acknowledges a firing alert: escalation stops; re-triggers are recorded. */
export function acknowledge(alert: Alert, by: string, now: number): Transition {
  if (alert.state === 'resolved') return same(alert, 'not-open');
  if (alert.state === 'pending') return same(alert, 'not-firing');
  if (alert.state === 'acknowledged') return same(alert, 'already-acknowledged');
  const next = evolve(alert, { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: by }, [
    entry(now, 'acknowledged', by, null)
  ]);
  return { alert: next, changed: true, reason: 'acknowledged', notify: null };
}

/**
 * `by` resolves an open alert by hand, with an optional note. Notifies `resolved` unless the
 * alert was still pending (nobody had been told about it).
 */
export function resolveByHand(alert: Alert, by: string, now: number, note?: string): Transition {
  if (alert.state === 'resolved') return same(alert, 'not-open');
  const next = evolve(
    alert,
    { state: 'resolved', resolvedAt: now, resolvedBy: by, snoozedUntil: null },
    [entry(now, 'resolved-by-hand', by, cut(note))]
  );
  return {
    alert: next,
    changed: true,
    reason: 'resolved-by-hand',
    notify: alert.state === 'pending' ? null : 'resolved'
  };
}

/**
 * `by` snoozes a firing or acknowledged alert until `until` (exclusive, must be after `now`):
 * no notification but `resolved` and no escalation before then. A new snooze replaces the last.
 */
export function snooze(alert: Alert, until: number, by: string, now: number): Transition {
  if (alert.state === 'resolved') return same(alert, 'not-open');
  if (alert.state === 'pending') return same(alert, 'not-firing');
  if (!Number.isFinite(until) || !(until > now)) return same(alert, 'invalid-snooze');
  const next = evolve(alert, { snoozedUntil: until }, [
    entry(now, 'snoozed', by, `until ${new Date(until).toISOString()}`)
  ]);
  return { alert: next, changed: true, reason: 'snoozed', notify: null };
}

/** `by` assigns an open alert to `who`, or unassigns it when `who` is null. */
export function assign(alert: Alert, who: string | null, by: string, now: number): Transition {
  if (alert.state === 'resolved') return same(alert, 'not-open');
  const assignee = cut(who);
  if (assignee === alert.assignee) return same(alert, 'already-assigned');
  const code: ReasonCode = assignee === null ? 'unassigned' : 'assigned';
  const next = evolve(alert, { assignee }, [entry(now, code, by, assignee)]);
  return { alert: next, changed: true, reason: code, notify: null };
}

/** `by` adds a note to the timeline, in any state (resolved alerts take post-mortem notes). */
export function addNote(alert: Alert, text: string, by: string, now: number): Transition {
  const detail = cut(text);
  if (detail === null) return same(alert, 'empty-note');
  const next = evolve(alert, {}, [entry(now, 'note', by, detail)]);
  return { alert: next, changed: true, reason: 'note', notify: null };
}

/** Whether the silence is in force at `now` (`startsAt` ≤ now < `endsAt`). */
export function isSilenceActive(silence: Silence, now: number): boolean {
  return silence.startsAt <= now && now < silence.endsAt;
}

/** Whether the silence's matchers select the alert (at least one matcher, all equal). */
export function silenceMatches(silence: Silence, alert: Alert): boolean {
  const { ruleId, scopeKey } = silence.matchers;
  const hasRule = typeof ruleId === 'string';
  const hasScope = typeof scopeKey === 'string';
  if (!hasRule && !hasScope) return false;
  return (!hasRule || ruleId === alert.ruleId) && (!hasScope || scopeKey === alert.scopeKey);
}

/**
 * The silence that mutes the alert's notifications at `now` (the active match ending last), or
 * null. Silencing never changes the alert's state, timeline or escalation: the alert still fires,
 * escalates and resolves, and shows on the wall; only the notification pipeline, which lives
 * outside the core, drops what a `Transition.notify` would have sent while this returns a silence.
 */
export function silencedBy(
  alert: Alert,
  silences: readonly Silence[],
  now: number
): Silence | null {
  let best: Silence | null = null;
  for (const s of silences) {
    if (!isSilenceActive(s, now) || !silenceMatches(s, alert)) continue;
    if (best === null || s.endsAt > best.endsAt) best = s;
  }
  return best;
}
