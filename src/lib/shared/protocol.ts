import type {
  AlertView,
  CareSummary,
  MentionBatch,
  SourceHealth,
  WallConfig,
  WallPanels,
  WallSnapshot,
  WallTick
} from './types';

/** Acknowledgement envelope for every client→server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: string };

/** Events the server emits to clients. */
export interface ServerToClientEvents {
  /** Full state with its sequence number; sent on connect. */
  'wall:snapshot': (snapshot: WallSnapshot) => void;
  /** About once a second; `seq` increases by one per tick. */
  'wall:tick': (tick: WallTick) => void;
  /** Coalesced new mentions for the river. */
  'mention:batch': (batch: MentionBatch) => void;
  /** Health of every source, every few seconds and whenever a source changes state. */
  'source:status': (sources: SourceHealth[]) => void;
  /** Open alerts (pending, firing, acknowledged), newest first: sent on connect. Never volatile. */
  'alert:list': (alerts: AlertView[]) => void;
  /** An alert started firing. Never volatile. */
  'alert:raised': (alert: AlertView) => void;
  /** An alert changed (acknowledged, snoozed, assigned, note, re-trigger, escalation, …). */
  'alert:updated': (alert: AlertView) => void;
  /** An alert resolved (automatically or by hand). */
  'alert:resolved': (alert: AlertView) => void;
  /** The care queue's state (depth, SLA, first responses), about once a second. */
  'care:summary': (summary: CareSummary) => void;
  /** Scenes and playlists: sent on connect and whenever settings change them. */
  'wall:config': (config: WallConfig) => void;
  /** Map, share of voice and influencers: on connect, then every few seconds. */
  'wall:panels': (panels: WallPanels) => void;
}

/**
 * An action on an alert from the console. The server records the signed-in user as who acted;
 * `by` only names the person a script's API token acts for, and is ignored for users.
 */
export interface AlertActionRequest {
  id: string;
  by?: string;
}

/** Events clients emit to the server; each takes an ack callback. */
export interface ClientToServerEvents {
  /** Ask for a fresh snapshot after a sequence gap. */
  'wall:resync': (request: Record<string, never>, ack: (res: Ack<WallSnapshot>) => void) => void;
  'alert:ack': (request: AlertActionRequest, ack: (res: Ack<AlertView>) => void) => void;
  'alert:resolve': (
    request: AlertActionRequest & { note?: string },
    ack: (res: Ack<AlertView>) => void
  ) => void;
  'alert:snooze': (
    request: AlertActionRequest & { minutes: number },
    ack: (res: Ack<AlertView>) => void
  ) => void;
  'alert:assign': (
    request: AlertActionRequest & { assignee: string | null },
    ack: (res: Ack<AlertView>) => void
  ) => void;
  'alert:note': (
    request: AlertActionRequest & { text: string },
    ack: (res: Ack<AlertView>) => void
  ) => void;
}

/** Events between servers (none yet). */
export type InterServerEvents = Record<string, never>;
