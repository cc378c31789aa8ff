import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { mentionsFromValues, prepareBody, prepareMentions } from './body-ingest';
import { COLUMN_COUNT, ROW_TABLE_COLUMNS } from './sqlite-store';
import { tableColumns } from './string-table';
import type { WriterRequest, WriterResponse } from './writer-protocol';

const main = parentPort;
if (!main) throw new Error('ingest-worker must run in a worker thread');
const { writerPort } = workerData as { writerPort: MessagePort };

/**
 * The ingest thread: decodes, validates and enriches request bodies, and enriches sources'
 * batches (the CPU-heavy part of ingest), then hands row values to the writer thread, so parsing,
 * validation, enrichment and SQLite inserts run in parallel on separate threads and the main
 * thread only serves HTTP, sockets and counting. The writer answers the main thread itself once
 * it has committed (with its commit number, so the main thread handles commits in commit order):
 * this thread keeps nothing of a batch once it is handed on.
 */
const toWriter = (req: Extract<WriterRequest, { kind: 'insert' }>): void => {
  if (req.values.length > 0)
    req.strings = tableColumns(req.values, COLUMN_COUNT, ROW_TABLE_COLUMNS);
  writerPort.postMessage(req);
};

main.on('message', (req: WriterRequest) => {
  try {
    if (req.kind === 'mentions') {
      // A source's batch, validated on main and sent as flat values: rebuilt and enriched here.
      const mentions = mentionsFromValues(req.values, req.strings);
      const values = prepareMentions(mentions, req.enrichment);
      const answer = { items: mentions.length, rejected: [], riverSize: req.riverSize };
      toWriter({ id: req.id, kind: 'insert', values, answer });
      return;
    }
    if (req.kind !== 'body') throw new Error(`the ingest thread does not handle ${req.kind}`);
    const p = prepareBody(req.body, req.type, req.enrichment);
    if (p.done) {
      // Nothing to commit; an empty insert still takes a commit number, so the main thread
      // hands this answer on in order with the others.
      toWriter({ id: req.id, kind: 'insert', values: [], answer: { done: p.done } });
      return;
    }
    const answer = { items: p.items, rejected: p.rejected, riverSize: req.riverSize };
    toWriter({ id: req.id, kind: 'insert', values: p.values, answer });
  } catch (err) {
    main.postMessage({
      id: req.id,
      ok: false,
      error: err instanceof Error ? err.message : String(err)
    } satisfies WriterResponse);
  }
});

main.postMessage({ id: -1, ok: true } satisfies WriterResponse);
