import type { MinuteRollup } from '../../core/window/rolling-windows';
import type { IngestType } from '../../http/decode-batch';
import type { AuditEntry } from '../../../src/lib/shared/types';
import type { AuthRecordKind, BodyIngested, EnrichConfig, StoredAlertRow } from '../../ports';
import type { AnswerMeta } from './commit-answer';

/**
 * A request from the main thread to the ingest thread (`body`, `mentions`) or the writer thread,
 * or from the ingest thread to the writer (`insert` with `answer`).
 */
export type WriterRequest =
  | {
      id: number;
      kind: 'insert';
      /** Row values, COLUMN_COUNT per row (`rowValues`), in chunks of whole rows (flat-rows.ts). */
      values: unknown[][];
      /** When set, ROW_TABLE_COLUMNS of the rows are indexes into it (string-table.ts). */
      strings?: string[];
      /**
       * Set by the ingest thread: the writer answers the main thread itself, under `id` (the main
       * thread's request), with what counting needs (`commitAnswer`), or with `done` when the
       * result was known before the commit (an empty insert that only takes a commit number).
       */
      answer?: (AnswerMeta & { done?: undefined }) | { done: BodyIngested };
    }
  | {
      id: number;
      kind: 'body';
      body: Uint8Array;
      type: IngestType;
      enrichment: EnrichConfig;
      riverSize: number;
    }
  | {
      id: number;
      kind: 'mentions';
      /** Validated mentions flattened by `pushMention` (body-ingest.ts). */
      values: unknown[];
      /** The table of `pushMention`'s indexes. */
      strings: string[];
      enrichment: EnrichConfig;
      riverSize: number;
    }
  | { id: number; kind: 'rollups'; rollups: MinuteRollup[]; countedSeq: number }
  | { id: number; kind: 'setting'; key: string; value: unknown; at: number }
  | { id: number; kind: 'alert-rule'; ruleId: string; rule: unknown | null; at: number }
  | { id: number; kind: 'alert'; alert: StoredAlertRow; at: number }
  | { id: number; kind: 'auth'; record: AuthRecordKind; recordId: string; doc: unknown; at: number }
  | { id: number; kind: 'audit'; entry: Omit<AuditEntry, 'seq'> }
  | { id: number; kind: 'prune'; mentionsBefore: number; rollupsBefore: number; limit: number }
  | { id: number; kind: 'cube'; limit: number }
  | { id: number; kind: 'index'; limit: number }
  | { id: number; kind: 'optimize' }
  | { id: number; kind: 'close' };

/** The writer's answer; `id` 0 announces that the database is open and migrated. */
export type WriterResponse =
  | {
      id: number;
      ok: true;
      flags?: Uint8Array;
      lastSeq?: number;
      ingested?: BodyIngested;
      /** When set, FACT_TABLE_COLUMNS of `ingested.facts` are indexes into it (commit-answer.ts). */
      strings?: string[];
      /** For inserts: the writer's commit number (1, 2, …, across both ports). */
      commit?: number;
      /** For `prune`: the mentions deleted; for `cube`: the mentions added to the cube. */
      deleted?: number;
    }
  | { id: number; ok: false; error: string };
