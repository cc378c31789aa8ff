import type { MentionBatch, SourceHealth, WallSnapshot, WallTick } from './types';

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
}

/** Events clients emit to the server; each takes an ack callback. */
export interface ClientToServerEvents {
  /** Ask for a fresh snapshot after a sequence gap. */
  'wall:resync': (request: Record<string, never>, ack: (res: Ack<WallSnapshot>) => void) => void;
}

/** Events between servers (none yet). */
export type InterServerEvents = Record<string, never>;

/** Per-socket data the server keeps (none yet). */
export type SocketData = Record<string, never>;
