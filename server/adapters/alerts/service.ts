import type { Logger } from 'pino';
import type {
  AlertRule,
  AlertSilence,
  AlertView,
  DrillReport,
  DrillScenario,
  RuleBacktest
} from '../../../src/lib/shared/types';
import {
  AlertEngine,
  alertView,
  type ActionResult,
  type AlertAction,
  type AlertEffect,
  type AlertRecord
} from '../../core/alerts/engine';
import type { Notify } from '../../core/alerts/lifecycle';
import type { NotifyEvent } from '../../core/alerts/notify-policy';
import {
  backtestRule,
  DEFAULT_RULES,
  parseRule,
  type BacktestMinute,
  type RuleInput
} from '../../core/alerts/rules';
import type { Clock, Store } from '../../ports';
import { postmortemHtml, postmortemMarkdown } from '../../core/alerts/postmortem';
import { NotificationDispatcher, type DeliveryResult } from '../notifiers/dispatcher';
import type { NotificationMessage } from '../notifiers/types';
import type { LeveledNotifier } from '../notifiers/from-env';
import type { PipelineOptions } from '../../core/pipeline';
import { Drill } from './drill';

/** Setting that records that the default rules were offered once (deleting them sticks). */
const SEEDED_KEY = 'alert-rules-seeded';
/** Resolved alerts loaded at start, for the console's recent list. */
const RESOLVED_LOADED = 200;
const DAY = 86_400_000;

/** What the alert service needs from the rest of the server. */
export interface AlertServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Base of links in notifications, e.g. `https://wall.example.com`. */
  publicUrl: string;
  /** Channels by contact level (0: every alert; N: once an alert escalates to level N). */
  notifiers: readonly LeveledNotifier[];
  /** Sends an alert event to every connected client. */
  broadcast(event: AlertEffect['event'], view: AlertView): void;
  /** The live state the rules read, at `now`. */
  input(now: number): RuleInput;
  /** Stored per-minute history in [from, to), ascending, with `matches` counted for `rule`. */
  history(rule: AlertRule, from: number, to: number): BacktestMinute[];
  /** Brand and topics of the live pipeline, for a drill's own pipeline. */
  drillOptions(): PipelineOptions;
}

/** Finished drill reports kept (in the `drill-reports` setting). */
const REPORTS_KEPT = 20;
const REPORTS_KEY = 'drill-reports';
const SILENCES_KEY = 'alert-silences';

const EVENT_OF: Record<Notify, NotifyEvent> = {
  firing: 'firing',
  retriggered: 'firing',
  'severity-raised': 'firing',
  escalated: 'escalated',
  resolved: 'resolved'
};

/** Makes a rule id from its name: `negative-spike-on-x`, unique among `taken`. */
function ruleIdFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'rule';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function isRecord(v: unknown): v is AlertRecord {
  if (typeof v !== 'object' || v === null) return false;
  const a = (v as { alert?: unknown }).alert;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof (a as { id?: unknown }).id === 'string' &&
    Array.isArray((a as { timeline?: unknown }).timeline) &&
    Array.isArray((v as { deliveries?: unknown }).deliveries)
  );
}

/**
 * Alerting as the server runs it: the engine evaluated on a timer, every change committed to
 * SQLite before it is broadcast, notifications sent through the dispatcher and their results
 * written back to the alert's record, and the console's actions and rule edits applied.
 */
export class AlertService {
  private readonly engine: AlertEngine;
  private readonly dispatcher: NotificationDispatcher;
  private writes: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private drill: Drill | null = null;
  private silences: AlertSilence[] = [];
  private silenceCount = 0;
  private drillCount = 0;
  private notifiers: readonly LeveledNotifier[];
  private ruleEdits: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly deps: AlertServiceDeps,
    rules: AlertRule[],
    records: AlertRecord[]
  ) {
    this.engine = new AlertEngine(rules, records);
    this.notifiers = deps.notifiers;
    this.dispatcher = new NotificationDispatcher({
      channels: deps.notifiers.map((n) => n.notifier),
      now: () => deps.clock.now(),
      onResult: (r) => this.onDelivery(r)
    });
  }

  /** Loads the rules (the defaults on first start) and the open and recent alerts. */
  static async open(deps: AlertServiceDeps): Promise<AlertService> {
    const { store, logger, clock } = deps;
    const rules: AlertRule[] = [];
    for (const doc of store.loadAlertRules()) {
      const r = parseRule(doc);
      if (r.ok) rules.push(r.rule);
      else logger.warn({ errors: r.errors }, 'a stored alert rule is invalid and was skipped');
    }
    if (rules.length === 0 && store.getSetting(SEEDED_KEY) === null) {
      const now = clock.now();
      for (const rule of DEFAULT_RULES) {
        await store.putAlertRule(rule.id, rule, now);
        rules.push(rule);
      }
      await store.putSetting(SEEDED_KEY, true, now);
      logger.info({ rules: rules.length }, 'default alert rules created');
    }
    const records: AlertRecord[] = [];
    for (const doc of [
      ...store.loadAlerts('open', 10_000),
      ...store.loadAlerts('resolved', RESOLVED_LOADED)
    ]) {
      if (isRecord(doc)) records.push(doc);
    }
    const service = new AlertService(deps, rules, records);
    const stored = store.getSetting(SILENCES_KEY);
    service.silences = Array.isArray(stored) ? (stored as AlertSilence[]) : [];
    service.applySilences();
    return service;
  }

  /** Replaces the notification channels (environment ones plus the settings page's). */
  setNotifiers(notifiers: readonly LeveledNotifier[]): void {
    this.dispatcher.setChannels(notifiers.map((n) => n.notifier));
    this.notifiers = notifiers;
  }

  /** Active silences, ending soonest first. */
  listSilences(): AlertSilence[] {
    const now = this.deps.clock.now();
    return this.silences.filter((s) => s.endsAt > now).sort((a, b) => a.endsAt - b.endsAt);
  }

  /** Silences a rule or one alert for `minutes`; resolves once stored. */
  async addSilence(s: {
    ruleId: string | null;
    alertId: string | null;
    minutes: number;
    by: string;
    comment: string;
  }): Promise<
    { ok: true; silence: AlertSilence } | { ok: false; status: 400 | 404; error: string }
  > {
    if ((s.ruleId === null) === (s.alertId === null)) {
      return { ok: false, status: 400, error: 'give exactly one of ruleId and alertId' };
    }
    if (s.ruleId !== null && !this.engine.ruleList().some((r) => r.id === s.ruleId)) {
      return { ok: false, status: 404, error: `no rule with id ${s.ruleId}` };
    }
    if (s.alertId !== null && this.get(s.alertId) === null) {
      return { ok: false, status: 404, error: `no alert with id ${s.alertId}` };
    }
    const now = this.deps.clock.now();
    const silence: AlertSilence = {
      id: `s${now.toString(36)}-${++this.silenceCount}`,
      ruleId: s.ruleId,
      alertId: s.alertId,
      startsAt: now,
      endsAt: now + s.minutes * 60_000,
      createdBy: s.by,
      comment: s.comment
    };
    this.silences = [...this.listSilences(), silence];
    await this.saveSilences();
    return { ok: true, silence };
  }

  /** Ends a silence now; false when there is no active one with that id. */
  async removeSilence(id: string): Promise<boolean> {
    const active = this.listSilences();
    if (!active.some((s) => s.id === id)) return false;
    this.silences = active.filter((s) => s.id !== id);
    await this.saveSilences();
    return true;
  }

  private async saveSilences(): Promise<void> {
    this.applySilences();
    await this.deps.store.putSetting(SILENCES_KEY, this.silences, this.deps.clock.now());
  }

  private applySilences(): void {
    this.dispatcher.setSilences(
      this.silences.map((s) => ({
        id: s.id,
        ruleId: s.ruleId,
        alertId: s.alertId,
        startsAt: s.startsAt,
        endsAt: s.endsAt
      }))
    );
  }

  /** Evaluates every rule now and carries out the effects. */
  evaluate(): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    let effects: AlertEffect[];
    try {
      effects = this.engine.evaluate(this.deps.input(now));
    } catch (err) {
      this.deps.logger.error({ err }, 'alert evaluation failed');
      return;
    }
    for (const e of effects) void this.carryOut(e);
    const drill = this.drill;
    if (drill && drill.endedAt === null) {
      for (const e of drill.step(now)) void this.carryOut(e);
      if (drill.endedAt !== null) void this.saveReport(drill.report());
    }
  }

  /** The engine that holds alert `id`: the live one, or the running drill's. */
  private engineOf(id: string): AlertEngine {
    return this.drill?.alerts.get(id) ? this.drill.alerts : this.engine;
  }

  /** Starts a fire drill; refused while one is running. */
  startDrill(
    scenario: DrillScenario,
    by: string
  ): { ok: true; report: DrillReport } | { ok: false; error: string } {
    if (this.drill && this.drill.endedAt === null) {
      return { ok: false, error: `drill ${this.drill.id} is still running; stop it first` };
    }
    const now = this.deps.clock.now();
    const id = `drill-${now.toString(36)}-${++this.drillCount}`;
    this.drill = new Drill(id, scenario, by, this.engine.ruleList(), this.deps.drillOptions(), now);
    this.deps.logger.info({ drill: id, scenario, by }, 'fire drill started');
    return { ok: true, report: this.drill.report() };
  }

  /** Ends the running drill (its open alerts resolve); null when `id` is not running. */
  async stopDrill(id: string, by: string): Promise<DrillReport | null> {
    const drill = this.drill;
    if (!drill || drill.id !== id || drill.endedAt !== null) return null;
    const effects = drill.end(this.deps.clock.now(), by);
    await Promise.all(effects.map((e) => this.carryOut(e)));
    const report = drill.report();
    await this.saveReport(report);
    return report;
  }

  /** The running drill's report, then finished ones, newest first. */
  drills(): DrillReport[] {
    const stored = this.deps.store.getSetting(REPORTS_KEY);
    const done = Array.isArray(stored) ? (stored as DrillReport[]) : [];
    const current = this.drill?.report();
    return current ? [current, ...done.filter((r) => r.id !== current.id)] : done;
  }

  private async saveReport(report: DrillReport): Promise<void> {
    const stored = this.deps.store.getSetting(REPORTS_KEY);
    const done = (Array.isArray(stored) ? (stored as DrillReport[]) : []).filter(
      (r) => r.id !== report.id
    );
    await this.deps.store
      .putSetting(REPORTS_KEY, [report, ...done].slice(0, REPORTS_KEPT), this.deps.clock.now())
      .catch((err: unknown) => this.deps.logger.error({ err }, 'drill report write failed'));
  }

  /** Commits an effect, then broadcasts it and sends its notification. */
  private async carryOut(e: AlertEffect, notify: NotifyEvent | null = null): Promise<void> {
    await this.persist(e.record);
    this.deps.broadcast(e.event, e.view);
    const event = notify ?? (e.notify ? EVENT_OF[e.notify] : null);
    if (event && e.record.alert.state !== 'pending') {
      // The contacts of the alert's escalation level and every level below it.
      const level = e.record.alert.escalationLevel;
      const ids = this.notifiers.filter((n) => n.level <= level).map((n) => n.notifier.id);
      if (ids.length) this.dispatcher.dispatch(this.message(e.record, event), ids);
    }
  }

  /** Writes a record after every earlier write (one ordered queue); never rejects. */
  private persist(r: AlertRecord): Promise<void> {
    const a = r.alert;
    const write = this.writes.then(() =>
      this.deps.store
        .putAlert(
          {
            id: a.id,
            ruleId: a.ruleId,
            state: a.state,
            drill: a.drill,
            startedAt: a.startedAt,
            doc: r
          },
          this.deps.clock.now()
        )
        .catch((err: unknown) => this.deps.logger.error({ err, alert: a.id }, 'alert write failed'))
    );
    this.writes = write;
    return write;
  }

  private onDelivery(r: DeliveryResult): void {
    const e = this.engine.recordDelivery(r.alertId, {
      at: r.at,
      channelId: r.channelId,
      event: r.event,
      attempt: r.attempt,
      ok: r.ok,
      status: r.status ?? null,
      error: r.error ?? null,
      reason: r.reason
    });
    if (e && !this.stopped) void this.carryOut(e);
  }

  /** The notification for an alert event. */
  private message(r: AlertRecord, event: NotifyEvent): NotificationMessage {
    const a = r.alert;
    const c = r.context;
    return {
      alertId: a.id,
      ruleId: a.ruleId,
      event,
      title: a.title,
      severity: a.severity,
      state: a.state,
      drill: a.drill,
      at: this.deps.clock.now(),
      observed: c?.observed ?? null,
      expected: c?.expected ?? null,
      lower: c?.lower ?? null,
      upper: c?.upper ?? null,
      unit: c?.unit ?? '',
      drivers: (c?.drivers ?? []).map((d) => ({ kind: d.kind, name: d.name, share: d.share })),
      samples: (c?.samples ?? []).slice(0, 3).map((s) => ({
        author: s.author.handle,
        text: s.text,
        url: s.url
      })),
      link: `${this.deps.publicUrl}${alertView(r).link}`,
      escalationLevel: a.escalationLevel
    };
  }

  /** The incident's post-mortem: timeline, context, samples and mentions per minute around it. */
  postmortem(id: string, format: 'md' | 'html'): string | null {
    const view = this.get(id);
    if (!view) return null;
    const from = view.startedAt - 60 * 60_000;
    const to = Math.min(from + DAY, (view.resolvedAt ?? this.deps.clock.now()) + 15 * 60_000);
    const series = this.deps.store
      .loadRollups(from)
      .filter((r) => r.start < to)
      .map((r) => ({ t: r.start, value: r.counts[0] ?? 0 }));
    return format === 'md' ? postmortemMarkdown(view, series) : postmortemHtml(view, series);
  }

  /** Applies a console action; resolves once it is committed (before it is broadcast). */
  async act(id: string, action: AlertAction, by: string): Promise<ActionResult> {
    const r = this.engineOf(id).act(id, action, by, this.deps.clock.now());
    if (r.ok && r.effect) {
      await this.carryOut(r.effect, action.kind === 'ack' ? 'acknowledged' : null);
    }
    return r;
  }

  /** Open alerts, newest first. */
  open(): AlertView[] {
    const drill = this.drill?.endedAt === null ? this.drill.alerts.open() : [];
    return [...drill, ...this.engine.open()];
  }

  /** Alerts for the API: open from memory; resolved and all from the store (drills excluded). */
  list(filter: 'open' | 'resolved' | 'all', limit: number): AlertView[] {
    if (filter === 'open') return this.open().slice(0, limit);
    return this.deps.store
      .loadAlerts(filter, limit)
      .filter(isRecord)
      .map((r) => alertView(this.engine.get(r.alert.id) ?? r));
  }

  /** One alert, from memory or the store. */
  get(id: string): AlertView | null {
    const r = this.engineOf(id).get(id) ?? this.deps.store.getAlert(id);
    return isRecord(r) ? alertView(r) : null;
  }

  rules(): AlertRule[] {
    return this.engine.ruleList();
  }

  /**
   * Runs rule edits one at a time: each reads the rule list, awaits its commit, then replaces
   * the list, so two edits at once would otherwise lose one of them.
   */
  private serialRuleEdit<T>(edit: () => Promise<T>): Promise<T> {
    const run = this.ruleEdits.then(edit, edit);
    this.ruleEdits = run.catch(() => undefined);
    return run;
  }

  /** Validates and adds a rule. */
  createRule(
    input: unknown
  ): Promise<
    { ok: true; rule: AlertRule } | { ok: false; errors: { path: string; message: string }[] }
  > {
    return this.serialRuleEdit(() => this.addRule(input));
  }

  private async addRule(
    input: unknown
  ): Promise<
    { ok: true; rule: AlertRule } | { ok: false; errors: { path: string; message: string }[] }
  > {
    const rules = this.engine.ruleList();
    const taken = new Set(rules.map((r) => r.id));
    const raw =
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const name = typeof raw.name === 'string' ? raw.name : 'rule';
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : ruleIdFor(name, taken);
    if (taken.has(id)) {
      return {
        ok: false,
        errors: [{ path: 'id', message: `a rule with id ${id} already exists` }]
      };
    }
    const r = parseRule({ ...raw, id });
    if (!r.ok) return r;
    await this.deps.store.putAlertRule(id, r.rule, this.deps.clock.now());
    this.engine.setRules([...rules, r.rule]);
    return r;
  }

  /** Validates and replaces a rule; null when there is none with that id. */
  updateRule(
    id: string,
    input: unknown
  ): Promise<
    | { ok: true; rule: AlertRule }
    | { ok: false; errors: { path: string; message: string }[] }
    | null
  > {
    return this.serialRuleEdit(() => this.replaceRule(id, input));
  }

  private async replaceRule(
    id: string,
    input: unknown
  ): Promise<
    | { ok: true; rule: AlertRule }
    | { ok: false; errors: { path: string; message: string }[] }
    | null
  > {
    const rules = this.engine.ruleList();
    if (!rules.some((r) => r.id === id)) return null;
    const raw =
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    if (raw.id !== undefined && raw.id !== id) {
      return { ok: false, errors: [{ path: 'id', message: `id must be ${id} (the rule's id)` }] };
    }
    const r = parseRule({ ...raw, id });
    if (!r.ok) return r;
    await this.deps.store.putAlertRule(id, r.rule, this.deps.clock.now());
    this.engine.setRules(rules.map((x) => (x.id === id ? r.rule : x)));
    return r;
  }

  /** Deletes a rule; its open alerts resolve on the next evaluation. */
  deleteRule(id: string): Promise<boolean> {
    return this.serialRuleEdit(async () => {
      const rules = this.engine.ruleList();
      if (!rules.some((r) => r.id === id)) return false;
      await this.deps.store.deleteAlertRule(id);
      this.engine.setRules(rules.filter((r) => r.id !== id));
      return true;
    });
  }

  /** What a rule would have done over the last `days` of stored history. */
  backtest(
    input: unknown,
    days: number
  ):
    | { ok: true; result: RuleBacktest }
    | { ok: false; errors: { path: string; message: string }[] } {
    const raw =
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const r = parseRule({ id: 'backtest', ...raw });
    if (!r.ok) return r;
    const now = this.deps.clock.now();
    const history = this.deps.history(r.rule, now - days * DAY, now);
    return { ok: true, result: backtestRule(r.rule, history, days) };
  }

  /** Stops notifications and waits for pending alert writes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.dispatcher.stop();
    await this.writes;
  }
}
