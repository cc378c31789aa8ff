import type { Ack, ClientToServerEvents, ServerToClientEvents } from '$lib/shared/protocol';
import { ALERT_SEVERITIES, type AlertState, type AlertView } from '$lib/shared/types';

/** Server events about alerts. */
export type AlertEvent = 'alert:list' | 'alert:raised' | 'alert:updated' | 'alert:resolved';
/** Console actions on an alert, each answered with an `Ack<AlertView>`. */
export type AlertActionEvent =
  'alert:ack' | 'alert:resolve' | 'alert:snooze' | 'alert:assign' | 'alert:note';
/** The request of each action. */
export type AlertActionRequests = {
  [E in AlertActionEvent]: Parameters<ClientToServerEvents[E]>[0];
};

/** The listener of each alert event. */
type AlertListener<E extends AlertEvent> = ServerToClientEvents[E];
/** The acknowledgement callback of every action. */
type AlertAck = (res: Ack<AlertView>) => void;

/**
 * What AlertsState needs of a socket: the wall's or the console's Socket.IO client, or a fake.
 * One signature per event, so the typed Socket.IO client is assignable to it.
 */
export interface AlertSocket {
  on(event: 'alert:list', listener: AlertListener<'alert:list'>): unknown;
  on(event: 'alert:raised', listener: AlertListener<'alert:raised'>): unknown;
  on(event: 'alert:updated', listener: AlertListener<'alert:updated'>): unknown;
  on(event: 'alert:resolved', listener: AlertListener<'alert:resolved'>): unknown;
  off(event: 'alert:list', listener: AlertListener<'alert:list'>): unknown;
  off(event: 'alert:raised', listener: AlertListener<'alert:raised'>): unknown;
  off(event: 'alert:updated', listener: AlertListener<'alert:updated'>): unknown;
  off(event: 'alert:resolved', listener: AlertListener<'alert:resolved'>): unknown;
  emit(event: 'alert:ack', request: AlertActionRequests['alert:ack'], ack: AlertAck): unknown;
  emit(
    event: 'alert:resolve',
    request: AlertActionRequests['alert:resolve'],
    ack: AlertAck
  ): unknown;
  emit(event: 'alert:snooze', request: AlertActionRequests['alert:snooze'], ack: AlertAck): unknown;
  emit(event: 'alert:assign', request: AlertActionRequests['alert:assign'], ack: AlertAck): unknown;
  emit(event: 'alert:note', request: AlertActionRequests['alert:note'], ack: AlertAck): unknown;
}

/** The console's actions on an alert; AlertsState has them. */
export interface AlertActions {
  /** Who acts. */
  readonly by: string;
  ack(id: string): Promise<Ack<AlertView>>;
  resolve(id: string, note?: string): Promise<Ack<AlertView>>;
  snooze(id: string, minutes: number): Promise<Ack<AlertView>>;
  assign(id: string, assignee: string | null): Promise<Ack<AlertView>>;
  note(id: string, text: string): Promise<Ack<AlertView>>;
}

/** Resolved alerts kept in `recent`. */
export const RECENT_LIMIT = 50;
/** An action not answered within this long fails with an error. */
export const ACTION_TIMEOUT_MS = 10_000;
/** Who acts when nobody is signed in. */
export const DEFAULT_ACTOR = 'operator';

const STATE_ORDER: Record<AlertState, number> = {
  firing: 0,
  acknowledged: 1,
  pending: 2,
  resolved: 3
};

function severityRank(a: AlertView): number {
  return ALERT_SEVERITIES.indexOf(a.severity);
}

/** Open alerts' order: most severe first, then firing, acknowledged, pending, then newest. */
export function compareOpen(a: AlertView, b: AlertView): number {
  return (
    severityRank(b) - severityRank(a) ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.startedAt - a.startedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function resolvedAt(a: AlertView): number {
  return a.resolvedAt ?? a.lastTriggeredAt;
}

function compareRecent(a: AlertView, b: AlertView): number {
  return resolvedAt(b) - resolvedAt(a);
}

/**
 * Alerts as the wall and the console see them, fed by the socket's alert events: the open ones
 * in order, the recently resolved ones, the wall's banner and crisis takeover, and the console's
 * actions (acknowledge, resolve, snooze, assign, note), each answered by the server.
 */
export class AlertsState implements AlertActions {
  /** Pending, firing and acknowledged alerts; see {@link compareOpen}. */
  open = $state.raw<AlertView[]>([]);
  /** Resolved alerts, most recently resolved first, at most RECENT_LIMIT. */
  recent = $state.raw<AlertView[]>([]);
  /** True once the server's list of open alerts has arrived. */
  loaded = $state.raw(false);
  /**
   * Who acts: the signed-in user's name, sent as `by` for compatibility (the server records the
   * session's user and ignores it).
   */
  by = $state.raw(DEFAULT_ACTOR);
  /** The error of the last action that failed, cleared by the next one that succeeds. */
  error = $state.raw<string | null>(null);
  /** The most severe firing (not acknowledged) alert, newest first among equals. */
  banner = $derived<AlertView | null>(this.open.find((a) => a.state === 'firing') ?? null);
  /** The newest critical firing alert: it takes the wall over until acknowledged. */
  takeover = $derived<AlertView | null>(
    this.open
      .filter((a) => a.severity === 'critical' && a.state === 'firing')
      .reduce<AlertView | null>((n, a) => (n === null || a.startedAt > n.startedAt ? a : n), null)
  );

  #socket: AlertSocket | null = null;

  /** Listens to the socket's alert events and acts through it; returns a function that stops. */
  attach(socket: AlertSocket): () => void {
    this.#socket = socket;
    const onList = (alerts: AlertView[]): void => this.#replace(alerts);
    const onChange = (alert: AlertView): void => this.#upsert(alert);
    socket.on('alert:list', onList);
    socket.on('alert:raised', onChange);
    socket.on('alert:updated', onChange);
    socket.on('alert:resolved', onChange);
    return () => {
      socket.off('alert:list', onList);
      socket.off('alert:raised', onChange);
      socket.off('alert:updated', onChange);
      socket.off('alert:resolved', onChange);
      if (this.#socket === socket) this.#socket = null;
    };
  }

  /** The alert with `id` among the open and recently resolved ones. */
  get(id: string): AlertView | null {
    return this.open.find((a) => a.id === id) ?? this.recent.find((a) => a.id === id) ?? null;
  }

  /** Adds resolved alerts from the REST history to `recent` (live events win over history). */
  addHistory(alerts: readonly AlertView[]): void {
    const known = (id: string): boolean => this.get(id) !== null;
    const fresh = alerts.filter((a) => a.state === 'resolved' && !known(a.id));
    if (fresh.length === 0) return;
    this.recent = [...this.recent, ...fresh].sort(compareRecent).slice(0, RECENT_LIMIT);
  }

  /** Sets who acts: the signed-in user's name (blank or null: the default). */
  setActor(name: string | null | undefined): void {
    this.by = name?.trim().slice(0, 80) || DEFAULT_ACTOR;
  }

  ack(id: string): Promise<Ack<AlertView>> {
    const request = { id, by: this.by };
    return this.#act((socket, done) => socket.emit('alert:ack', request, done));
  }

  resolve(id: string, note?: string): Promise<Ack<AlertView>> {
    const text = note?.trim();
    const request = text ? { id, by: this.by, note: text } : { id, by: this.by };
    return this.#act((socket, done) => socket.emit('alert:resolve', request, done));
  }

  snooze(id: string, minutes: number): Promise<Ack<AlertView>> {
    const request = { id, by: this.by, minutes };
    return this.#act((socket, done) => socket.emit('alert:snooze', request, done));
  }

  /** Assigns the alert; a blank name (or null) unassigns it. */
  assign(id: string, assignee: string | null): Promise<Ack<AlertView>> {
    const request = { id, by: this.by, assignee: assignee?.trim() || null };
    return this.#act((socket, done) => socket.emit('alert:assign', request, done));
  }

  note(id: string, text: string): Promise<Ack<AlertView>> {
    const request = { id, by: this.by, text };
    return this.#act((socket, done) => socket.emit('alert:note', request, done));
  }

  /** Sends one action and settles with the server's answer, or an error after the timeout. */
  #act(send: (socket: AlertSocket, done: AlertAck) => void): Promise<Ack<AlertView>> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (res: Ack<AlertView>): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (res.ok) {
          this.#upsert(res.data);
          this.error = null;
        } else {
          this.error = res.error;
        }
        resolve(res);
      };
      const timer = setTimeout(
        () => finish({ ok: false, error: 'The server did not answer in time. Try again.' }),
        ACTION_TIMEOUT_MS
      );
      const socket = this.#socket;
      if (!socket) {
        finish({ ok: false, error: 'Not connected to the server.' });
        return;
      }
      send(socket, finish);
    });
  }

  #replace(alerts: readonly AlertView[]): void {
    this.open = alerts.filter((a) => a.state !== 'resolved').sort(compareOpen);
    const resolved = alerts.filter((a) => a.state === 'resolved');
    if (resolved.length) this.#addRecent(resolved);
    this.loaded = true;
  }

  #upsert(alert: AlertView): void {
    const others = this.open.filter((a) => a.id !== alert.id);
    if (alert.state === 'resolved') {
      if (others.length !== this.open.length) this.open = others;
      this.#addRecent([alert]);
      return;
    }
    this.open = [...others, alert].sort(compareOpen);
    if (this.recent.some((a) => a.id === alert.id)) {
      this.recent = this.recent.filter((a) => a.id !== alert.id);
    }
  }

  #addRecent(alerts: readonly AlertView[]): void {
    const added = (id: string): boolean => alerts.some((a) => a.id === id);
    this.recent = [...alerts, ...this.recent.filter((a) => !added(a.id))]
      .sort(compareRecent)
      .slice(0, RECENT_LIMIT);
  }
}
