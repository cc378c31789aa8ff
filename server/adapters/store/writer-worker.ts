import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { commitAnswer } from './commit-answer';
import { COLUMN_COUNT, openSqliteStore, ROW_TABLE_COLUMNS } from './sqlite-store';
import { StringTable, untableColumns } from './string-table';
import type { WriterRequest, WriterResponse } from './writer-protocol';

if (!parentPort) throw new Error('writer-worker must run in a worker thread');

const { file, ingestPort } = workerData as { file: string; ingestPort: MessagePort };
const store = openSqliteStore(file);
const main = parentPort;
const toMain = (msg: WriterResponse): void => main.postMessage(msg);

/**
 * Inserts committed so far, across both ports: replies carry it so the main thread can check it
 * handles commits in the order they happened.
 */
let commits = 0;

/**
 * Serves requests arriving on one port. Two ports: the main thread (`insertMentions`, rollups,
 * settings, housekeeping, close), answered on the same port, and the ingest thread (the inserts of
 * HTTP ingest bodies and sources' batches), answered to the main thread directly.
 */
function serve(port: MessagePort | NonNullable<typeof parentPort>): void {
  const reply = (msg: WriterResponse, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(msg, transfer);
  port.on('message', (req: WriterRequest) => {
    try {
      switch (req.kind) {
        case 'insert': {
          const { values, strings } = req;
          if (strings) untableColumns(values, COLUMN_COUNT, ROW_TABLE_COLUMNS, strings);
          const { flags, lastSeq } = store.insertValues(values);
          commits++;
          const { answer } = req;
          if (answer) {
            // An ingest-thread batch: the main thread gets what counting needs, straight from
            // here, on the same port as every other commit (so in commit order).
            if (answer.done) {
              toMain({ id: req.id, ok: true, ingested: answer.done, commit: commits });
              return;
            }
            const table = new StringTable();
            const ingested = commitAnswer(values, flags, lastSeq, answer, table);
            toMain({ id: req.id, ok: true, ingested, strings: table.strings, commit: commits });
            return;
          }
          reply({ id: req.id, ok: true, flags, lastSeq, commit: commits }, [
            flags.buffer as ArrayBuffer
          ]);
          return;
        }
        case 'body':
        case 'mentions':
          throw new Error('ingest batches are enriched on the ingest thread');
        case 'rollups':
          store.upsertRollups(req.rollups, req.countedSeq);
          break;
        case 'setting':
          store.putSetting(req.key, req.value, req.at);
          break;
        case 'alert-rule':
          if (req.rule === null) store.deleteAlertRule(req.ruleId);
          else store.putAlertRule(req.ruleId, req.rule, req.at);
          break;
        case 'alert':
          store.putAlert(req.alert, req.at);
          break;
        case 'auth':
          store.putAuthRecord(req.record, req.recordId, req.doc, req.at);
          break;
        case 'audit':
          store.appendAudit(req.entry);
          break;
        case 'prune':
          reply({
            id: req.id,
            ok: true,
            deleted: store.prune(req.mentionsBefore, req.rollupsBefore, req.limit)
          });
          return;
        case 'fts':
          reply({ id: req.id, ok: true, deleted: store.indexText(req.limit) });
          return;
        case 'cube':
          reply({ id: req.id, ok: true, deleted: store.updateCube(req.limit) });
          return;
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
      const msg: WriterResponse = {
        id: req.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err)
      };
      // The ingest thread waits for nothing: an insert it handed on is answered to main.
      if (req.kind === 'insert' && req.answer) toMain(msg);
      else reply(msg);
    }
  });
}

serve(parentPort);
serve(ingestPort);
parentPort.postMessage({ id: 0, ok: true } satisfies WriterResponse);
