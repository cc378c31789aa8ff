import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { commitAnswer } from './commit-answer';
import {
  COLUMN_COUNT,
  openSqliteStore,
  ROW_TABLE_COLUMNS,
  type InsertedRows
} from './sqlite-store';
import { chunkedLength } from '../../core/flat-rows';
import { StringTable } from '../../core/string-table';
import { untableColumns } from './string-table';
import type { WriterRequest, WriterResponse } from './writer-protocol';

if (!parentPort) throw new Error('writer-worker must run in a worker thread');

const { file, ingestPort, autoCheckpointPages } = workerData as {
  file: string;
  ingestPort: MessagePort;
  autoCheckpointPages: number;
};
const store = openSqliteStore(file, { autoCheckpointPages });
const main = parentPort;
const toMain = (msg: WriterResponse): void => main.postMessage(msg);

/**
 * Inserts committed so far, across both ports: replies carry it so the main thread can check it
 * handles commits in the order they happened.
 */
let commits = 0;

type Insert = Extract<WriterRequest, { kind: 'insert' }>;
type Reply = (msg: WriterResponse, transfer?: ArrayBuffer[]) => void;

/** Inserts received but not committed yet, oldest first, with the port each is answered on. */
let pending: { req: Insert; reply: Reply }[] = [];
let flushScheduled = false;
/** Rows past which a group commit stops taking more batches (bounds one commit's latency). */
const GROUP_ROWS = 8_000 * COLUMN_COUNT;
/** Values (not rows) in a pending insert, which GROUP_ROWS counts. */
const valuesOf = (p: { req: Insert }): number => chunkedLength(p.req.values);

/**
 * Commits the pending inserts. Batches that queued up while the previous commit ran go into one
 * transaction (a group commit): each commit writes every index page it dirtied to the WAL, and the
 * author and id indexes are dirtied all over, so one commit for four batches writes far fewer
 * pages than four commits. Each batch is still answered on its own, with its own commit number,
 * in the order received. Should a group fail, its batches are retried one by one, so one bad
 * batch fails alone.
 */
function flush(): void {
  flushScheduled = false;
  while (pending.length > 0) {
    let rows = 0;
    let n = 0;
    while (n < pending.length && (n === 0 || rows + valuesOf(pending[n]!) <= GROUP_ROWS))
      rows += valuesOf(pending[n++]!);
    const group = pending.slice(0, n);
    pending = pending.slice(n);
    let results: readonly InsertedRows[] | null = null;
    if (n > 1) {
      try {
        results = store.insertGroups(group.map((p) => p.req.values));
      } catch {
        results = null;
      }
    }
    group.forEach(({ req, reply }, i) => {
      try {
        answerInsert(req, reply, results ? results[i]! : store.insertValues(req.values));
      } catch (err) {
        fail(req, reply, err);
      }
    });
  }
}

function answerInsert(req: Insert, reply: Reply, inserted: InsertedRows): void {
  commits++;
  const { answer, values } = req;
  if (answer) {
    // An ingest-thread batch: the main thread gets what counting needs, straight from here, on
    // the same port as every other commit (so in commit order).
    if (answer.done) {
      toMain({ id: req.id, ok: true, ingested: answer.done, commit: commits });
      return;
    }
    const table = new StringTable();
    const ingested = commitAnswer(values, inserted, answer, table);
    toMain({ id: req.id, ok: true, ingested, strings: table.strings, commit: commits });
    return;
  }
  const { flags, lastSeq } = inserted;
  reply({ id: req.id, ok: true, flags, lastSeq, commit: commits }, [flags.buffer as ArrayBuffer]);
}

function fail(req: WriterRequest, reply: Reply, err: unknown): void {
  const msg: WriterResponse = {
    id: req.id,
    ok: false,
    error: err instanceof Error ? err.message : String(err)
  };
  // The ingest thread waits for nothing: an insert it handed on is answered to main.
  if (req.kind === 'insert' && req.answer) toMain(msg);
  else reply(msg);
}

/**
 * Serves requests arriving on one port. Two ports: the main thread (`insertMentions`, rollups,
 * settings, housekeeping, close), answered on the same port, and the ingest thread (the inserts of
 * HTTP ingest bodies and sources' batches), answered to the main thread directly.
 */
function serve(port: MessagePort | NonNullable<typeof parentPort>): void {
  const reply: Reply = (msg, transfer = []) => port.postMessage(msg, transfer);
  port.on('message', (req: WriterRequest) => {
    if (req.kind === 'insert') {
      try {
        if (req.strings) untableColumns(req.values, COLUMN_COUNT, ROW_TABLE_COLUMNS, req.strings);
      } catch (err) {
        fail(req, reply, err);
        return;
      }
      // Committed once the messages already queued on both ports have been received.
      pending.push({ req, reply });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
      return;
    }
    // Everything else keeps its place after the inserts received before it.
    flush();
    try {
      switch (req.kind) {
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
        case 'index':
          reply({ id: req.id, ok: true, deleted: store.indexRecent(req.limit) });
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
      fail(req, reply, err);
    }
  });
}

serve(parentPort);
serve(ingestPort);
parentPort.postMessage({ id: 0, ok: true } satisfies WriterResponse);
