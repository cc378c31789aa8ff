import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { finishBody, prepareBody } from './body-ingest';
import type { WriterRequest, WriterResponse } from './writer-protocol';

const main = parentPort;
if (!main) throw new Error('ingest-worker must run in a worker thread');
const { writerPort } = workerData as { writerPort: MessagePort };

/**
 * The ingest thread: decodes, validates and enriches request bodies (the CPU-heavy part of
 * ingest) and hands row values to the writer thread, so parsing, validation and SQLite inserts
 * run in parallel on separate threads and the main thread only serves HTTP, sockets and counting.
 * Replies carry the writer's commit number so the main thread handles commits in commit order.
 */
type Pending = (msg: WriterResponse) => void;
const pending = new Map<number, Pending>();
let nextId = 1;

writerPort.on('message', (msg: WriterResponse) => {
  const done = pending.get(msg.id);
  pending.delete(msg.id);
  done?.(msg);
});

function toWriter(values: unknown[], done: Pending): void {
  const id = nextId++;
  pending.set(id, done);
  writerPort.postMessage({ id, kind: 'insert', values } satisfies WriterRequest);
}

const fail = (id: number, err: unknown): void =>
  main.postMessage({
    id,
    ok: false,
    error: err instanceof Error ? err.message : String(err)
  } satisfies WriterResponse);

main.on('message', (req: WriterRequest) => {
  try {
    if (req.kind !== 'body') throw new Error(`the ingest thread does not handle ${req.kind}`);
    const p = prepareBody(req.body, req.type, req.enrichment, req.riverSize);
    if (p.done) {
      // Nothing to commit; an empty insert still takes a commit number, so the main thread
      // hands this answer on in order with the others.
      toWriter([], (r) =>
        main.postMessage({
          id: req.id,
          ok: true,
          ingested: p.done,
          commit: r.ok ? r.commit : undefined
        } satisfies WriterResponse)
      );
      return;
    }
    const { values } = p;
    p.values = [];
    toWriter(values, (r) => {
      if (!r.ok) return main.postMessage({ ...r, id: req.id });
      const ingested = finishBody(p, r.flags ?? new Uint8Array(0), r.lastSeq ?? 0);
      main.postMessage({
        id: req.id,
        ok: true,
        ingested,
        commit: r.commit
      } satisfies WriterResponse);
    });
  } catch (err) {
    fail(req.id, err);
  }
});

main.postMessage({ id: -1, ok: true } satisfies WriterResponse);
