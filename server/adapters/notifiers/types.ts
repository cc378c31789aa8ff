import type { NotifyEvent } from '../../core/alerts/notify-policy';

/** Severity of an alert, as notifications show it. */
export type NotificationSeverity = 'info' | 'warning' | 'critical';

/** A driver of an anomaly: what the extra mentions share (a hashtag, a channel, a topic, …). */
export interface NotificationDriver {
  kind: string;
  name: string;
  /** Share of the window's mentions, 0–1; null when unknown. */
  share: number | null;
}

/** A sample mention shown with the alert. Every field comes from the internet: untrusted. */
export interface NotificationSample {
  author: string;
  text: string;
  url: string | null;
}

/**
 * One notification about one alert event, channel-neutral: each notifier renders it its own way.
 * Titles, driver names and samples are untrusted text (they come from mentions) and every
 * channel escapes them for its format.
 */
export interface NotificationMessage {
  alertId: string;
  ruleId: string;
  event: NotifyEvent;
  title: string;
  severity: NotificationSeverity;
  /** The alert's state after the event (e.g. 'firing', 'acknowledged', 'resolved'). */
  state: string;
  /** A fire drill: every channel labels it "[DRILL]". */
  drill: boolean;
  /** Epoch ms of the event. */
  at: number;
  observed: number | null;
  expected: number | null;
  /** Lower edge of the expected band. */
  lower: number | null;
  /** Upper edge of the expected band. */
  upper: number | null;
  /** Unit of observed/expected, e.g. '/min' or '%'. */
  unit: string;
  drivers: NotificationDriver[];
  samples: NotificationSample[];
  /** Absolute http(s) URL of the drill-down for the alert's window. */
  link: string;
  /** 0 before any escalation. */
  escalationLevel: number;
}

/**
 * The result of one send. A failure is retryable when trying again later may succeed: network
 * errors, timeouts, 5xx, 408 and 429 (and SMTP 4xx); any other 4xx is not.
 */
export type SendResult =
  | { ok: true; status?: number }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      status?: number;
      /** The receiver's Retry-After, ms, when it sent one. */
      retryAfterMs?: number;
    };

/** The kinds of channel. */
export type NotifierKind = 'webhook' | 'slack' | 'teams' | 'email';

/** A notification channel. `send` never throws: every failure is a SendResult. */
export interface Notifier {
  /** Unique among the configured channels; appears in results and timelines. */
  readonly id: string;
  readonly kind: NotifierKind;
  /** Sends one message; `signal` aborts it (the dispatcher's stop). */
  send(msg: NotificationMessage, signal?: AbortSignal): Promise<SendResult>;
  /** Releases connections (SMTP); optional. */
  close?(): void;
}
