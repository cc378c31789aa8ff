/**
 * The alert engine: rules evaluated against the live state, turned into alerts by the lifecycle
 * state machine, and the console's actions applied to them. Pure: time comes in with each call
 * (`input.now`, `now`), ids are made from a counter and the time, and every change comes out as
 * an effect for the adapters to carry out (persist, broadcast, notify).
 */
import type {
  AlertContext,
  AlertDelivery,
  AlertRule,
  AlertView,
  RuleKind
} from '../../../src/lib/shared/types';
import {
  acknowledge,
  addNote,
  assign,
  isOpen,
  observe,
  openAlertFor,
  resolveByHand,
  snooze,
  tick,
  type Alert,
  type LifecyclePolicy,
  type Notify,
  type Transition
} from './lifecycle';
import { evaluateRule, newRuleState, type RuleInput, type RuleState } from './rules';

/** Deliveries kept per alert (the oldest are dropped). */
const DELIVERIES_KEPT = 50;
/** Resolved alerts kept in memory for the API and the console (the store keeps all). */
const RESOLVED_KEPT = 200;
/** Highest escalation level (0 is the first contact). */
const MAX_ESCALATION_LEVEL = 2;

/** An alert with what the console and notifications need besides its lifecycle. */
export interface AlertRecord {
  alert: Alert;
  ruleName: string;
  ruleKind: RuleKind;
  context: AlertContext | null;
  deliveries: AlertDelivery[];
}

/** What changed: the alert as clients see it, the event to broadcast, and what to notify. */
export interface AlertEffect {
  record: AlertRecord;
  view: AlertView;
  event: 'raised' | 'updated' | 'resolved';
  notify: Notify | null;
}

/** A console action. */
export type AlertAction =
  | { kind: 'ack' }
  | { kind: 'resolve'; note?: string }
  | { kind: 'snooze'; minutes: number }
  | { kind: 'assign'; assignee: string | null }
  | { kind: 'note'; text: string };

/** The result of a console action: the changed alert, or why nothing changed. */
export type ActionResult =
  | { ok: true; effect: AlertEffect | null; view: AlertView }
  | { ok: false; status: 404 | 409; error: string };

/** The lifecycle timing of a rule's alerts. */
export function policyOf(rule: AlertRule): LifecyclePolicy {
  return {
    forMs: rule.forMs,
    holdMs: rule.holdMs,
    escalateAfterMs: rule.escalateAfterMs,
    maxEscalationLevel: rule.escalateAfterMs === null ? 0 : MAX_ESCALATION_LEVEL
  };
}

/** The alert as the API, the console and the wall see it. */
export function alertView(r: AlertRecord): AlertView {
  const a = r.alert;
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: r.ruleName,
    ruleKind: r.ruleKind,
    scopeKey: a.scopeKey,
    title: a.title,
    severity: a.severity,
    drill: a.drill,
    state: a.state,
    startedAt: a.startedAt,
    firedAt: a.firedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    clearedAt: a.clearedAt,
    occurrences: a.occurrences,
    lastTriggeredAt: a.lastTriggeredAt,
    snoozedUntil: a.snoozedUntil,
    assignee: a.assignee,
    escalationLevel: a.escalationLevel,
    timeline: a.timeline.map((e) => ({ ...e })),
    deliveries: r.deliveries.map((d) => ({ ...d })),
    context: r.context,
    link: drillDownLink(a)
  };
}

/** Minutes of context the drill-down shows either side of an alert. */
const CONTEXT_MS = 15 * 60_000;

/**
 * The drill-down into the mentions behind an alert: `/explore` over its window (15 minutes
 * either side of it) and scope (a channel, topic or sentiment; a term as a text search), with
 * the alert's id so the page links back to it.
 */
export function drillDownLink(a: Alert): string {
  const p = new URLSearchParams();
  p.set('from', String(a.startedAt - CONTEXT_MS));
  p.set('to', String((a.resolvedAt ?? a.lastTriggeredAt) + CONTEXT_MS));
  const sep = a.scopeKey.indexOf(':');
  const kind = sep < 0 ? a.scopeKey : a.scopeKey.slice(0, sep);
  const value = sep < 0 ? '' : a.scopeKey.slice(sep + 1);
  if (kind === 'channel' || kind === 'topic' || kind === 'sentiment') p.set(kind, value);
  else if (kind === 'term') p.set('q', value);
  else if (kind === 'negative-share') p.set('sentiment', 'negative');
  p.set('alert', a.id);
  return `/explore?${p.toString()}`;
}

function eventOf(before: Alert | null, after: Alert): AlertEffect['event'] {
  if (after.state === 'resolved') return 'resolved';
  const wasLive = before !== null && (before.state === 'firing' || before.state === 'acknowledged');
  return after.state === 'firing' && !wasLive ? 'raised' : 'updated';
}

/**
 * Holds the rules, their evaluation state and the alerts. `evaluate` runs every rule and moves
 * every open alert through its lifecycle; `act` applies a console action. Both return effects.
 */
export class AlertEngine {
  private rules = new Map<string, AlertRule>();
  private readonly states = new Map<string, RuleState>();
  /** Open alerts and the most recent resolved ones, by id. */
  private readonly records = new Map<string, AlertRecord>();
  private nextId = 1;
  private readonly drill: boolean;
  private readonly idPrefix: string;

  /**
   * `options.drill` marks every alert this engine raises as a fire drill; `options.idPrefix`
   * starts their ids (default `a`).
   */
  constructor(
    rules: readonly AlertRule[],
    records: readonly AlertRecord[] = [],
    options: { drill?: boolean; idPrefix?: string } = {}
  ) {
    this.drill = options.drill ?? false;
    this.idPrefix = options.idPrefix ?? 'a';
    this.setRules(rules);
    for (const r of records) this.records.set(r.alert.id, r);
  }

  /** Replaces the rule set; alerts of a removed or disabled rule resolve on the next evaluation. */
  setRules(rules: readonly AlertRule[]): void {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    for (const id of [...this.states.keys()]) if (!this.rules.has(id)) this.states.delete(id);
  }

  /** The rules in force. */
  ruleList(): AlertRule[] {
    return [...this.rules.values()];
  }

  /** Open alerts (pending, firing, acknowledged), newest first. */
  open(): AlertView[] {
    return this.sorted((r) => isOpen(r.alert)).map(alertView);
  }

  /** Recent alerts in memory (open and the last resolved), newest first. */
  recent(): AlertView[] {
    return this.sorted(() => true).map(alertView);
  }

  /** One alert in memory, or null. */
  get(id: string): AlertRecord | null {
    return this.records.get(id) ?? null;
  }

  private sorted(keep: (r: AlertRecord) => boolean): AlertRecord[] {
    return [...this.records.values()]
      .filter(keep)
      .sort((a, b) => b.alert.startedAt - a.alert.startedAt || (a.alert.id < b.alert.id ? 1 : -1));
  }

  /** Runs every enabled rule on the live state, then the time-based transitions of every alert. */
  evaluate(input: RuleInput): AlertEffect[] {
    const now = input.now;
    const effects: AlertEffect[] = [];
    for (const rule of this.rules.values()) {
      const open = [...this.records.values()].filter(
        (r) => r.alert.ruleId === rule.id && isOpen(r.alert)
      );
      const seen = new Set<string>();
      if (rule.enabled) {
        let state = this.states.get(rule.id);
        if (!state) {
          state = newRuleState();
          this.states.set(rule.id, state);
        }
        for (const o of evaluateRule(rule, input, state)) {
          if (seen.has(o.scopeKey)) continue;
          seen.add(o.scopeKey);
          const current = openAlertFor(
            open.map((r) => r.alert),
            rule.id,
            o.scopeKey
          );
          const t = observe(
            current,
            {
              ruleId: rule.id,
              scopeKey: o.scopeKey,
              holding: o.holding,
              now,
              severity: o.severity,
              title: o.title,
              detail: o.detail,
              drill: this.drill
            },
            policyOf(rule),
            this.newId(now)
          );
          const record = current ? this.records.get(current.id) : undefined;
          this.apply(t, current, record, rule, o.holding ? o.context : null, effects);
        }
      }
      // Groups the rule no longer reports (or a disabled rule's) are not holding.
      for (const r of open) {
        if (seen.has(r.alert.scopeKey)) continue;
        const t = observe(
          r.alert,
          { ruleId: rule.id, scopeKey: r.alert.scopeKey, holding: false, now },
          policyOf(rule),
          this.newId(now)
        );
        this.apply(t, r.alert, r, rule, null, effects);
      }
    }
    // Alerts of deleted rules resolve by hand as the system.
    for (const r of [...this.records.values()]) {
      if (isOpen(r.alert) && !this.rules.has(r.alert.ruleId)) {
        const t = resolveByHand(r.alert, 'system', now, 'rule deleted');
        this.apply(t, r.alert, r, null, null, effects);
      }
    }
    // Time-based transitions: hold elapsed, snooze expiry, escalation.
    for (const r of [...this.records.values()]) {
      const rule = this.rules.get(r.alert.ruleId);
      if (!rule || !isOpen(r.alert)) continue;
      const t = tick(r.alert, now, policyOf(rule));
      this.apply(t, r.alert, r, rule, null, effects);
    }
    this.trim();
    return effects;
  }

  /** Applies a console action by `by` at `now`. */
  act(id: string, action: AlertAction, by: string, now: number): ActionResult {
    const r = this.records.get(id);
    if (!r) return { ok: false, status: 404, error: `no alert with id ${id} is open or recent` };
    let t: Transition;
    switch (action.kind) {
      case 'ack':
        t = acknowledge(r.alert, by, now);
        break;
      case 'resolve':
        t = resolveByHand(r.alert, by, now, action.note);
        break;
      case 'snooze':
        t = snooze(r.alert, now + action.minutes * 60_000, by, now);
        break;
      case 'assign':
        t = assign(r.alert, action.assignee, by, now);
        break;
      case 'note':
        t = addNote(r.alert, action.text, by, now);
        break;
    }
    if (!t.changed) {
      return { ok: false, status: 409, error: refusal(t.reason, action.kind, r.alert.state) };
    }
    const effects: AlertEffect[] = [];
    this.apply(t, r.alert, r, this.rules.get(r.alert.ruleId) ?? null, null, effects);
    const effect = effects[0] ?? null;
    return { ok: true, effect, view: alertView(this.records.get(id) ?? r) };
  }

  /** Records a notification attempt on its alert; returns the update to broadcast and store. */
  recordDelivery(alertId: string, d: AlertDelivery): AlertEffect | null {
    const r = this.records.get(alertId);
    if (!r) return null;
    const deliveries = [...r.deliveries, d].slice(-DELIVERIES_KEPT);
    const next: AlertRecord = { ...r, deliveries };
    this.records.set(alertId, next);
    return { record: next, view: alertView(next), event: 'updated', notify: null };
  }

  private apply(
    t: Transition<Alert | null>,
    before: Alert | null,
    record: AlertRecord | undefined,
    rule: AlertRule | null,
    context: AlertContext | null,
    effects: AlertEffect[]
  ): void {
    if (!t.changed) {
      // The condition holds on: keep the newest context for the card and the crisis layout.
      if (t.alert && context && record) {
        this.records.set(t.alert.id, { ...record, context: mergeContext(record.context, context) });
      }
      return;
    }
    if (t.alert === null) {
      // A pending alert whose condition cleared in time: it never fired; clients drop it.
      if (!before || !record) return;
      const dropped: AlertRecord = {
        ...record,
        alert: {
          ...before,
          state: 'resolved',
          resolvedAt: before.lastTriggeredAt,
          resolvedBy: 'auto',
          clearedAt: before.clearedAt
        }
      };
      this.records.delete(before.id);
      effects.push({ record: dropped, view: alertView(dropped), event: 'resolved', notify: null });
      return;
    }
    const next: AlertRecord = record
      ? {
          ...record,
          alert: t.alert,
          context: context ? mergeContext(record.context, context) : record.context
        }
      : {
          alert: t.alert,
          ruleName: rule?.name ?? t.alert.ruleId,
          ruleKind: rule?.kind ?? 'threshold',
          context,
          deliveries: []
        };
    if (record && t.alert.id !== record.alert.id) {
      // A new alert for the group (the old one had resolved): keep both.
      next.deliveries = [];
      next.context = context;
    }
    this.records.set(t.alert.id, next);
    effects.push({
      record: next,
      view: alertView(next),
      event: eventOf(before && before.id === t.alert.id ? before : null, t.alert),
      notify: t.notify
    });
  }

  private trim(): void {
    const resolved = this.sorted((r) => !isOpen(r.alert));
    for (const r of resolved.slice(RESOLVED_KEPT)) this.records.delete(r.alert.id);
  }

  private newId(now: number): string {
    return `${this.idPrefix}${now.toString(36)}-${(this.nextId++).toString(36)}`;
  }
}

/** Samples an alert card keeps. */
const SAMPLES_KEPT = 5;

/**
 * The newest context, keeping earlier sample mentions when the newest evaluation saw fewer (a
 * rule sees only the mentions since its previous evaluation): newest first, each once.
 */
function mergeContext(prev: AlertContext | null, next: AlertContext): AlertContext {
  if (!prev || next.samples.length >= SAMPLES_KEPT) return next;
  const key = (s: AlertContext['samples'][number]): string => `${s.source}/${s.id}`;
  const seen = new Set(next.samples.map(key));
  const older = prev.samples.filter((s) => !seen.has(key(s)));
  return { ...next, samples: [...next.samples, ...older].slice(0, SAMPLES_KEPT) };
}

/** Words for a refused action. */
function refusal(reason: string, action: AlertAction['kind'], state: string): string {
  switch (reason) {
    case 'already-acknowledged':
      return 'the alert is already acknowledged';
    case 'not-open':
      return `the alert is ${state}: it cannot be ${action === 'ack' ? 'acknowledged' : action === 'resolve' ? 'resolved' : 'changed'} any more`;
    case 'not-firing':
      return `only a firing or acknowledged alert can be snoozed (this one is ${state})`;
    case 'invalid-snooze':
      return 'minutes: a snooze must end in the future';
    case 'empty-note':
      return 'text: a note cannot be empty';
    case 'already-assigned':
      return 'the alert is already assigned to that person';
    default:
      return `the alert did not change (${reason})`;
  }
}
