import type {
  AuditEntry,
  EnrichedMention,
  Mention,
  SourceHealth
} from '../../src/lib/shared/types';
import type { MinuteRollup } from '../core/window/rolling-windows';
import type { FieldError } from '../core/mention-schema';
import type { EnrichConfig } from '../core/pipeline';
import type { CareQueries } from '../adapters/store/care-queries';
import type { ExploreQueries } from '../adapters/store/explore-queries';

export type { EnrichConfig };

/** Receives validated mentions from a source; resolves with how many were new once committed. */
export type MentionSink = (mentions: Mention[]) => Promise<number>;

/** Kinds of access-control record. */
export type AuthRecordKind = 'user' | 'session' | 'token';

/** A stream of mentions (simulator, replay, connector). Sources own their timers. */
export interface MentionSource {
  /** Unique name; also `Mention.source` of what it emits. */
  readonly name: string;
  /** What kind of source (simulator, replay, bluesky, mastodon, rss). */
  readonly kind: string;
  /** Current health, for /metrics, `source:status` and the wall's source strip. */
  health(): SourceHealth;
  /** Begin emitting mentions into the sink. */
  start(sink: MentionSink): void;
  /** Stop emitting; resolves when no more mentions will be delivered. */
  stop(): Promise<void>;
}

/** Reads the current time in epoch milliseconds; the only clock adapters use. */
export interface Clock {
  now(): number;
}

/** Stored counts over a time range, in the same layout as a window bucket. */
export interface RangeAggregate {
  /** Counters in the layout of `F` (server/core/window/rolling-windows.ts). */
  sums: number[];
  /** First-response delays in ms, ascending: a stored-data query can afford exact quantiles. */
  responseMs: Float64Array;
}

/** What a committed batch produced. */
export interface Inserted {
  fresh: EnrichedMention[];
  lastSeq: number;
}

/** One refused item of a batch, by its position (0-based array index or NDJSON line). */
export interface Rejection {
  index: number;
  errors: FieldError[];
}

/** A content type the ingest API reads. */
export type IngestType = 'application/json' | 'application/x-ndjson';

/** A problem with a whole request body: the HTTP status, words a user can act on, the field. */
export interface BodyError {
  status: number;
  message: string;
  field: string;
}

/** What the ingest of one request body did (see adapters/store/body-ingest.ts). */
export type BodyIngested =
  | {
      ok: true;
      /** Items in the body. */
      items: number;
      /** Items that were valid mentions. */
      valid: number;
      rejected: Rejection[];
      /** Valid mentions that were new (the rest were duplicates). */
      fresh: number;
      /**
       * FACT_COUNT flat values per new mention, for counting (core/pipeline.ts), in chunks of
       * whole rows (core/flat-rows.ts).
       */
      facts: unknown[][];
      /** The newest new mentions in full, for the river. */
      newest: EnrichedMention[];
      /** Highest row sequence written (0 when none was new). */
      lastSeq: number;
    }
  | { ok: false; error: BodyError };

/** What the ingest of a batch that had something valid did: a body's, or a source's batch. */
export type BatchIngested = Extract<BodyIngested, { ok: true }>;

/** A stored mention as needed to rebuild per-second history after a restart. */
export interface RestoredMention {
  mention: EnrichedMention;
  /** A customer mention that has a brand reply. */
  answered: boolean;
  /** For a first brand reply: the delay since the customer mention it answers. */
  responseMs: number | null;
}

/** A drill-down: a time range and filters over the stored mentions. */
export interface MentionQuery {
  from: number;
  to: number;
  channel?: string;
  topic?: string;
  sentiment?: string;
  text?: string;
  limit: number;
}

/** A stored customer mention as a rule back-test reads it. */
export interface StoredMatch {
  createdAt: number;
  text: string;
  channel: string;
  topics: string[];
  sentiment: string;
  influenceTier: string;
}

/** The columns an alert record is filed under, and the record itself. */
export interface StoredAlertRow {
  id: string;
  ruleId: string;
  state: string;
  drill: boolean;
  startedAt: number;
  /** The whole record (JSON). */
  doc: unknown;
}

/** Durable storage of mentions and rollups. Writes resolve once committed; reads are synchronous. */
export interface Store {
  /**
   * Commits a batch in one transaction; resolves with the ones that were new (duplicates are
   * ignored) and the highest row sequence written (0 when none was new).
   */
  insertMentions(mentions: readonly EnrichedMention[]): Promise<Inserted>;
  /**
   * Enriches validated mentions (with the given normalised brand handles and topics) and commits
   * them in one transaction, as `ingestBody` does for a body; resolves once committed with the
   * counting facts of the new ones and the newest new ones (of the last `riverSize`) in full.
   * `items` and `valid` are the batch's length, `rejected` is empty.
   */
  ingestMentions(
    mentions: readonly Mention[],
    enrichment: EnrichConfig,
    riverSize: number
  ): Promise<BatchIngested>;
  /**
   * Decodes, validates, enriches (with the given normalised brand handles) and commits one ingest
   * request body in one transaction; resolves once committed.
   */
  ingestBody(
    body: Uint8Array,
    type: IngestType,
    enrichment: EnrichConfig,
    riverSize: number
  ): Promise<BodyIngested>;
  /**
   * Inserts or replaces minute rollups and records that they include every mention up to row
   * sequence `countedSeq`, in one transaction.
   */
  upsertRollups(rollups: readonly MinuteRollup[], countedSeq: number): Promise<void>;
  /** Minute rollups with start >= since, ascending. */
  loadRollups(since: number): MinuteRollup[];
  /** The `countedSeq` of the last rollup flush (0 when none). */
  rollupWatermark(): number;
  /** Starts of the minutes (created at or after `since`) touched by rows above `seq`. */
  minutesAfter(seq: number, since: number): number[];
  /** Mentions created in [from, to), ascending, with reply facts. */
  loadRange(from: number, to: number): RestoredMention[];
  /**
   * Customer mentions since `since` that have no brand reply, the newest `limit` of them, in row
   * order (seq ascending: the order the windows track them in).
   */
  loadUnanswered(
    since: number,
    limit: number
  ): { seq: number; source: string; id: string; createdAt: number }[];
  /** The newest mentions, newest first. */
  newest(limit: number): EnrichedMention[];
  /** One stored mention, or null. */
  getMention(source: string, id: string): EnrichedMention | null;
  /**
   * Customer mentions since `since` that no brand reply answers yet, newest first, at most
   * `limit` (the triage queue's candidates).
   */
  unansweredMentions(since: number, limit: number): EnrichedMention[];
  /** Counters (rolling-window layout) and response-time sketch of mentions created in [from, to). */
  aggregateRange(from: number, to: number): RangeAggregate;
  /** A named settings document (`tracking`, `sources`), or null when never saved. */
  getSetting(key: string): unknown;
  /** Saves a named settings document; resolves once committed. */
  putSetting(key: string, value: unknown, at: number): Promise<void>;
  /**
   * Customer mentions created in [from, to) whose text contains one of `textLike` (any case,
   * plain substrings) or whose author's tier is one of `tiers`, at most `limit`, oldest first, in
   * the slim form a rule back-test reads.
   */
  searchMentions(
    from: number,
    to: number,
    where: { textLike?: readonly string[]; tiers?: readonly string[] },
    limit: number
  ): StoredMatch[];
  /**
   * Mentions created in [from, to) matching every filter given (text: a case-insensitive
   * substring), newest first, at most `limit`; with how many match in all.
   */
  queryMentions(q: MentionQuery): { total: number; mentions: EnrichedMention[] };
  /** Alert rules as stored (JSON documents; the core validates them), oldest first. */
  loadAlertRules(): unknown[];
  /** Saves (inserts or replaces) an alert rule; resolves once committed. */
  putAlertRule(id: string, rule: unknown, at: number): Promise<void>;
  /** Deletes an alert rule; resolves once committed. */
  deleteAlertRule(id: string): Promise<void>;
  /** Saves an alert's record; resolves once committed. */
  putAlert(alert: StoredAlertRow, at: number): Promise<void>;
  /**
   * Alerts as stored, newest start first: `open` (not resolved), `resolved`, or `all`; drills
   * are included only when `drills` is true.
   */
  loadAlerts(filter: 'open' | 'resolved' | 'all', limit: number, drills?: boolean): unknown[];
  /** One stored alert record, or null. */
  getAlert(id: string): unknown;
  /** Access-control records of a kind (JSON documents; the auth service validates them). */
  loadAuthRecords(kind: AuthRecordKind): unknown[];
  /** Saves (or, with null, deletes) one access-control record; resolves once committed. */
  putAuthRecord(kind: AuthRecordKind, id: string, doc: unknown, at: number): Promise<void>;
  /** Appends an audit log entry; resolves once committed. */
  appendAudit(entry: Omit<AuditEntry, 'seq'>): Promise<void>;
  /** Audit log entries newest first, below sequence `before` when given. */
  loadAudit(limit: number, before?: number): AuditEntry[];
  /**
   * Retention: deletes at most `limit` mentions created before `mentionsBefore` (oldest first)
   * and the minute rollups before `rollupsBefore`; resolves with the mentions deleted (call again
   * while it returns `limit`: each call is one short transaction, so ingest is never stalled).
   */
  prune(mentionsBefore: number, rollupsBefore: number, limit: number): Promise<number>;
  /** Exploration reads (filters, pages, aggregates, threads) on the main thread's connection. */
  readonly explore: ExploreQueries;
  /** Customer-care reads (open mentions, replies by agent, conversations) on the same connection. */
  readonly care: CareQueries;
  /**
   * Adds at most `limit` new mentions to the hourly cube explore aggregates read; resolves with
   * how many (call again while it returns `limit`).
   */
  updateCube(limit: number): Promise<number>;
  /**
   * Adds at most `limit` new mentions to each index kept behind ingest: the full-text index
   * (text search sees mentions once indexed, seconds after they arrive) and the author table
   * (the author card reads the rows above it directly, so it is exact meanwhile). Resolves with
   * the larger count.
   */
  indexRecent(limit: number): Promise<number>;
  /** Housekeeping: checkpoint the WAL and let SQLite refresh its statistics. */
  optimize(): Promise<void>;
  /** Finishes pending writes and closes the database. */
  close(): Promise<void>;
}
