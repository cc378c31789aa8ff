import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSqliteStore } from './sqlite-store';
import type { WriterRequest, WriterResponse } from './writer-protocol';

if (!parentPort) throw new Error('writer-worker must run in a worker thread');

const { file, ingestPort } = workerData as { file: string; ingestPort: MessagePort };
const store = openSqliteStore(file);

/**
 * Inserts committed so far, across both ports: replies carry it so the main thread can handle
 * commits in the order they happened although they come back on two paths.
 */
let commits = 0;

/**
 * Serves requests arriving on one port, answering on the same port. Two ports: the main thread
 * (sources' inserts, rollups, settings, housekeeping, close) and the ingest thread (the inserts of
 * HTTP ingest bodies).
 */
function serve(port: MessagePort | NonNullable<typeof parentPort>): void {
  const reply = (msg: WriterResponse, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(msg, transfer);
  port.on('message', (req: WriterRequest) => {
    try {
      switch (req.kind) {
        case 'insert': {
          const { flags, lastSeq } = store.insertValues(req.values);
          commits++;
          reply({ id: req.id, ok: true, flags, lastSeq, commit: commits }, [
            flags.buffer as ArrayBuffer
          ]);
          return;
        }
        case 'body':
          throw new Error('request bodies are decoded on the ingest thread');
        case 'rollups':
          store.upsertRollups(req.rollups, req.countedSeq);
          break;
        case 'setting':
          store.putSetting(req.key, req.value, req.at);
          break;
        case 'optimize':
          store.optimize();
          break;
        case 'close':
          store.close();
          reply({ id: req.id, ok: true });
          ingestPort.close();
          port.close();
          return;
      }
      reply({ id: req.id, ok: true });
    } catch (err) {
      reply({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
}

serve(parentPort);
serve(ingestPort);
parentPort.postMessage({ id: 0, ok: true } satisfies WriterResponse);
