import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from './sqlite-store';
import type { WriterRequest, WriterResponse } from './writer-protocol';

const port = parentPort;
if (!port) throw new Error('writer-worker must run in a worker thread');

const store = openSqliteStore((workerData as { file: string }).file);

function reply(msg: WriterResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

port.on('message', (req: WriterRequest) => {
  try {
    switch (req.kind) {
      case 'insert': {
        const { flags, lastSeq } = store.insertValues(req.values);
        reply({ id: req.id, ok: true, flags, lastSeq }, [flags.buffer as ArrayBuffer]);
        return;
      }
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
        port!.close();
        return;
    }
    reply({ id: req.id, ok: true });
  } catch (err) {
    reply({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});

reply({ id: 0, ok: true });
