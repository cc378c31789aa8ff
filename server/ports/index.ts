import type { EnrichedMention, Mention } from '../../src/lib/shared/types';
import type { MinuteRollup } from '../core/window/rolling-windows';

/** Receives validated mentions from a source; resolves with how many were new once committed. */
export type MentionSink = (mentions: Mention[]) => Promise<number>;

/** A stream of mentions (simulator, replay, connector). Sources own their timers. */
export interface MentionSource {
  readonly name: string;
  /** Begin emitting mentions into the sink. */
  start(sink: MentionSink): void;
  /** Stop emitting; resolves when no more mentions will be delivered. */
  stop(): Promise<void>;
}

/** Reads the current time in epoch milliseconds; the only clock adapters use. */
export interface Clock {
  now(): number;
}

/** A stored mention as needed to rebuild per-second history after a restart. */
export interface RestoredMention {
  mention: EnrichedMention;
  /** A customer mention that has a brand reply. */
  answered: boolean;
  /** For a first brand reply: the delay since the customer mention it answers. */
  responseMs: number | null;
}

/** Durable storage of mentions and rollups. Writes resolve once committed; reads are synchronous. */
export interface Store {
  /** Commits a batch in one transaction; resolves with the ones that were new (duplicates are ignored). */
  insertMentions(mentions: readonly EnrichedMention[]): Promise<EnrichedMention[]>;
  /** Inserts or replaces minute rollups in one transaction. */
  upsertRollups(rollups: readonly MinuteRollup[]): Promise<void>;
  /** Minute rollups with start >= since, ascending. */
  loadRollups(since: number): MinuteRollup[];
  /** Mentions created at or after `since`, ascending, with reply facts. */
  loadRecent(since: number): RestoredMention[];
  /** Customer mentions since `since` that have no brand reply, oldest first. */
  loadUnanswered(since: number, limit: number): { source: string; id: string; createdAt: number }[];
  /** The newest mentions, newest first. */
  newest(limit: number): EnrichedMention[];
  /** Housekeeping: checkpoint the WAL and let SQLite refresh its statistics. */
  optimize(): Promise<void>;
  /** Finishes pending writes and closes the database. */
  close(): Promise<void>;
}
