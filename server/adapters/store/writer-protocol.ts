import type { MinuteRollup } from '../../core/window/rolling-windows';
import type { IngestType } from '../../http/decode-batch';
import type { BodyIngested, EnrichConfig } from '../../ports';

/** A request from the main thread to the SQLite writer thread. */
export type WriterRequest =
  | { id: number; kind: 'insert'; values: unknown[] }
  | {
      id: number;
      kind: 'body';
      body: Uint8Array;
      type: IngestType;
      enrichment: EnrichConfig;
      riverSize: number;
    }
  | { id: number; kind: 'rollups'; rollups: MinuteRollup[]; countedSeq: number }
  | { id: number; kind: 'setting'; key: string; value: unknown; at: number }
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
      /** For inserts: the writer's commit number (1, 2, …, across both ports). */
      commit?: number;
    }
  | { id: number; ok: false; error: string };
