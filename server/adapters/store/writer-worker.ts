import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSqliteStore } from './sqlite-store';
import type { WriterRequest, WriterResponse } from './writer-protocol';

if (!parentPort) throw new Error('writer-worker must run in a worker thread');

const { file, ingestPort } = workerData as { file: string; ingestPort: MessagePort };
const store = openSqliteStore(file);

/**
 * Serves requests arriving on one port, answering on the same port. Two ports: the main thread
 * (rollups, settings, housekeeping, close) and the ingest thread (every mention insert, so all
 * inserts are committed in the order they were sent).
 */
function serve(port: MessagePort | NonNullable<typeof parentPort>): void {
  const reply = (msg: WriterResponse, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(msg, transfer);
  port.on('message', (req: WriterRequest) => {
    try {
      switch (req.kind) {
        case 'insert': {
          const { flags, lastSeq } = store.insertValues(req.values);
          reply({ id: req.id, ok: true, flags, lastSeq }, [flags.buffer as ArrayBuffer]);
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
