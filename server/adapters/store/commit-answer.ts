import { flatChunks, type Chunks } from '../../core/flat-rows';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import type { BatchIngested, Rejection } from '../../ports';
import { COLUMN_COUNT, mentionFromValues, type InsertedRows } from './sqlite-store';
import type { StringTable } from '../../core/string-table';

/**
 * Values per mention in the counting facts: `FACT_COUNT` of core/pipeline.ts, spelled out here so
 * the writer thread does not load the enrichment modules (tests/unit/commit-answer.test.ts checks
 * that both agree, value for value).
 */
export const ANSWER_FACT_COUNT = 18;

/**
 * Facts of few distinct values (source, channel, topics, intent, tier, agent): with a table,
 * `commitAnswer` writes them as its indexes, and the receiver puts the strings back
 * (`untableColumns`).
 */
export const FACT_TABLE_COLUMNS: readonly number[] = [0, 2, 7, 10, 11, 15];

/** Index of a sentiment label in the facts (the order of `LABELS` in core/pipeline.ts). */
function labelIndex(label: unknown): number {
  return label === 'negative' ? 0 : label === 'neutral' ? 1 : label === 'positive' ? 2 : -1;
}

/** What a batch's commit answers besides the rows: the body's items and refusals, the river size. */
export interface AnswerMeta {
  /** Items in the body (the batch's length for a source's batch). */
  items: number;
  rejected: Rejection[];
  /** How many of the newest new mentions to return in full. */
  riverSize: number;
}

/**
 * What counting needs of a committed batch, built from its row values (COLUMN_COUNT each, see
 * `rowValues`, in chunks of whole rows: core/flat-rows.ts) and what the insert answered per row
 * (0/1 flag, seq, seq of the customer mention a reply answers): the facts of the new rows (the
 * layout of `pushFacts` in core/pipeline.ts, chunked too) and, in full, the new rows among the
 * last `riverSize`. It runs where the rows are, right after the commit, so no thread holds a
 * batch while the writer works. With `table`, the FACT_TABLE_COLUMNS of the facts are its indexes
 * (for another thread).
 */
export function commitAnswer(
  chunks: Chunks,
  { flags, lastSeq, refs }: InsertedRows,
  meta: AnswerMeta,
  table?: StringTable
): BatchIngested {
  const factRows: unknown[][] = [];
  let fresh = 0;
  let rows = 0;
  for (const values of chunks) {
    for (let o = 0; o < values.length; o += COLUMN_COUNT) {
      const i = rows++;
      if (flags[i] !== 1) continue;
      fresh++;
      const source = values[o] as string;
      const channel = values[o + 2] as string;
      const topics = values[o + 22] as string;
      factRows.push([
        table ? table.id(source) : source,
        values[o + 1],
        table ? table.id(channel) : channel,
        values[o + 3],
        labelIndex(values[o + 16]),
        values[o + 17],
        values[o + 11],
        table ? table.id(topics) : topics,
        values[o + 5],
        values[o + 7],
        table ? table.id(values[o + 21] as string) : values[o + 21],
        table ? table.id(values[o + 24] as string) : values[o + 24],
        values[o + 25],
        values[o + 15],
        values[o + 23],
        table ? table.id(values[o + 26] as string | null) : values[o + 26],
        refs[2 * i],
        refs[2 * i + 1]
      ]);
    }
  }
  const facts = flatChunks(factRows, ANSWER_FACT_COUNT);
  // The new rows among the last `riverSize`, in order.
  const newest: EnrichedMention[] = [];
  const from = rows - meta.riverSize;
  let first = 0;
  for (const values of chunks) {
    const n = values.length / COLUMN_COUNT;
    for (let r = Math.max(0, from - first); r < n; r++) {
      if (flags[first + r] === 1) newest.push(mentionFromValues(values, r * COLUMN_COUNT));
    }
    first += n;
  }
  return {
    ok: true,
    items: meta.items,
    valid: rows,
    rejected: meta.rejected,
    fresh,
    facts,
    newest,
    lastSeq
  };
}
