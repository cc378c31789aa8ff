import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import type { MinuteRollup } from '../../core/window/rolling-windows';
import { FACT_COUNT } from '../../core/pipeline';
import type { Store } from '../../ports';
import { ingestBody, ingestMentions, pushMention } from './body-ingest';
import { FACT_TABLE_COLUMNS } from './commit-answer';
import { openSqliteStore, rowChunks } from './sqlite-store';
import { StringTable } from '../../core/string-table';
import { untableColumns } from './string-table';
import type { WriterRequest, WriterResponse } from './writer-protocol';

/** The modules that run on this store's threads. */
export type ThreadModule = 'writer-worker' | 'ingest-worker' | 'checkpoint-worker';

/**
 * Where a thread's code is. From the TypeScript sources (tests, `npm run dev`) a thread starts at
 * writer-boot.mjs, which registers the TypeScript loader (Node 20 does not pass loader hooks on to
 * worker threads) and imports `entry`. In the server bundle (scripts/build-server.mjs puts every
 * module in build/backend) each thread's module is plain JavaScript beside this one, and starts
 * directly: no loader, no compiling TypeScript on every start. `bundleDir` names such a bundle
 * when this module runs from its sources (the tests build one once and start every store's
 * threads from it).
 */
export function threadCode(
  name: ThreadModule,
  bundleDir?: string,
  from: string = import.meta.url
): { url: URL; entry?: string } {
  if (bundleDir) return { url: pathToFileURL(join(bundleDir, `${name}.js`)) };
  if (/\.ts$/.test(new URL(from).pathname)) {
    return {
      url: new URL('./writer-boot.mjs', from),
      entry: new URL(`./${name}.ts`, from).href
    };
  }
  return { url: new URL(`./${name}.js`, from) };
}

/** Options of `openWorkerStore`. */
export interface WorkerStoreOptions {
  /** Start the threads from this server bundle's modules (see `threadCode`). */
  bundleDir?: string;
}

type Waiter = { resolve: (r: WriterResponse & { ok: true }) => void; reject: (e: Error) => void };
type Request = WriterRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The production store, on two worker threads: an ingest thread decodes, validates and enriches
 * HTTP ingest bodies and enriches sources' batches, and a writer thread owns the one SQLite write
 * connection, so neither a 5 MB body nor a large transaction blocks the event loop (ticks,
 * sockets). Reads use a second connection on the main thread; WAL lets it read while the writer
 * writes. Writes resolve once committed, in commit order.
 */
export async function openWorkerStore(
  file: string,
  onFatal: (err: Error) => void,
  onWarn: (message: string) => void = () => {},
  options: WorkerStoreOptions = {}
): Promise<Store> {
  // The ingest thread talks to the writer directly: rows of a body never pass through main.
  const { port1: toWriter, port2: fromIngest } = new MessageChannel();
  const writerCode = threadCode('writer-worker', options.bundleDir);
  const worker = new Worker(writerCode.url, {
    workerData: {
      file,
      ingestPort: fromIngest,
      // The checkpoint thread keeps the WAL short; the writer checkpoints only past this.
      autoCheckpointPages: WRITER_CHECKPOINT_PAGES,
      entry: writerCode.entry
    },
    transferList: [fromIngest],
    // The writer only holds one batch at a time; a small old generation keeps its garbage from
    // piling up as resident memory between lazy collections.
    resourceLimits: { maxOldGenerationSizeMb: 256 }
  });
  const ingesterCode = threadCode('ingest-worker', options.bundleDir);
  const ingester = new Worker(ingesterCode.url, {
    workerData: {
      writerPort: toWriter,
      entry: ingesterCode.entry
    },
    transferList: [toWriter],
    // Bodies of up to INGEST_MAX_BYTES are parsed and every batch is enriched here; a larger young
    // generation lets their short-lived objects die young instead of being promoted and collected
    // the slow way. In the pipeline benchmark 96 MB rather than 48 MB cut this thread's collection
    // time (pauses and helper threads) from about 8 s to 2.5 s per million mentions, for about
    // 40 MB more peak RSS.
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 96 }
  });
  const waiting = new Map<number, Waiter>();
  let nextId = 1;
  let dead: Error | null = null;
  let closed = false;

  const ready = Promise.all([
    new Promise<void>((resolve, reject) => {
      waiting.set(0, { resolve: () => resolve(), reject });
    }),
    new Promise<void>((resolve, reject) => {
      waiting.set(-1, { resolve: () => resolve(), reject });
    })
  ]);
  // Every commit is answered by the writer on its port to this thread (`insertMentions` directly,
  // bodies and sources' batches after the ingest thread handed them on), so in commit order; the
  // commit numbers are still checked, so the caller counts commits in the order they were
  // committed and its watermark never passes a commit it has not counted yet.
  let nextCommit = 1;
  const early = new Map<number, () => void>();
  const onMessage = (msg: WriterResponse): void => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (!msg.ok) {
      w.reject(new Error(`SQLite writer: ${msg.error}`));
      return;
    }
    if (msg.strings && msg.ingested?.ok) {
      untableColumns(msg.ingested.facts, FACT_COUNT, FACT_TABLE_COLUMNS, msg.strings);
    }
    if (msg.commit === undefined) {
      w.resolve(msg);
      return;
    }
    early.set(msg.commit, () => w.resolve(msg));
    for (let next = early.get(nextCommit); next; next = early.get(nextCommit)) {
      early.delete(nextCommit);
      nextCommit++;
      next();
    }
  };
  const fail = (err: Error): void => {
    if (dead) return;
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    onFatal(err);
  };
  for (const [w, name] of [
    [worker, 'SQLite writer'],
    [ingester, 'ingest']
  ] as const) {
    w.on('message', onMessage);
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closed) fail(new Error(`${name} thread exited with code ${code}`));
    });
  }

  /** Bodies and sources' batches go to the ingest thread; everything else straight to the writer. */
  function send(
    req: Request,
    transfer: ArrayBuffer[] = []
  ): Promise<WriterResponse & { ok: true }> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    const target = req.kind === 'body' || req.kind === 'mentions' ? ingester : worker;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      target.postMessage({ ...req, id }, transfer);
    });
  }

  await ready;
  // The writer has created and migrated the database; this connection only reads.
  const reader = openSqliteStore(file);
  const checkpointer = startCheckpointer(file, onWarn, options.bundleDir);

  return {
    async insertMentions(ms: readonly EnrichedMention[]) {
      if (ms.length === 0) return { fresh: [], lastSeq: 0 };
      // Flat positional values clone far faster across threads than nested objects.
      const { flags, lastSeq } = await send({ kind: 'insert', values: rowChunks(ms) });
      return { fresh: flags ? ms.filter((_, i) => flags[i] === 1) : [], lastSeq: lastSeq ?? 0 };
    },
    ingestMentions(ms, enrichment, riverSize) {
      if (ms.length === 0) {
        return Promise.resolve({
          ok: true,
          items: 0,
          valid: 0,
          rejected: [],
          fresh: 0,
          facts: [],
          newest: [],
          lastSeq: 0
        });
      }
      // Flat positional values clone far faster across threads than nested objects; the ingest
      // thread rebuilds and enriches them. Not async, so nothing here holds the batch until the
      // commit answers.
      const values: unknown[] = [];
      const table = new StringTable();
      for (let i = 0; i < ms.length; i++) pushMention(values, ms[i]!, table);
      const strings = table.strings;
      return send({ kind: 'mentions', values, strings, enrichment, riverSize }).then(
        ({ ingested }) => {
          if (!ingested?.ok) throw new Error('SQLite writer: no ingest result');
          return ingested;
        }
      );
    },
    async ingestBody(body, type, enrichment, riverSize) {
      // Moved, not copied, when the bytes own their whole buffer; small bodies can share Node's
      // buffer pool and are copied so the pool is never detached.
      const own =
        body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
          ? body
          : new Uint8Array(body);
      const { ingested } = await send({ kind: 'body', body: own, type, enrichment, riverSize }, [
        own.buffer as ArrayBuffer
      ]);
      if (!ingested) throw new Error('SQLite writer: no ingest result');
      return ingested;
    },
    async upsertRollups(rollups: readonly MinuteRollup[], countedSeq: number) {
      await send({ kind: 'rollups', rollups: [...rollups], countedSeq });
    },
    loadRollups: (since) => reader.loadRollups(since),
    rollupWatermark: () => reader.rollupWatermark(),
    minutesAfter: (seq, since) => reader.minutesAfter(seq, since),
    loadRange: (from, to) => reader.loadRange(from, to),
    loadUnanswered: (since, limit) => reader.loadUnanswered(since, limit),
    newest: (limit) => reader.newest(limit),
    getMention: (source, id) => reader.getMention(source, id),
    unansweredMentions: (since, limit) => reader.unansweredMentions(since, limit),
    aggregateRange: (from, to) => reader.aggregateRange(from, to),
    getSetting: (key) => reader.getSetting(key),
    async putSetting(key, value, at) {
      await send({ kind: 'setting', key, value, at });
    },
    searchMentions: (from, to, where, limit) => reader.searchMentions(from, to, where, limit),
    queryMentions: (q) => reader.queryMentions(q),
    loadAlertRules: () => reader.loadAlertRules(),
    async putAlertRule(ruleId, rule, at) {
      await send({ kind: 'alert-rule', ruleId, rule, at });
    },
    async deleteAlertRule(ruleId) {
      await send({ kind: 'alert-rule', ruleId, rule: null, at: 0 });
    },
    async putAlert(alert, at) {
      await send({ kind: 'alert', alert, at });
    },
    loadAlerts: (filter, limit, drills) => reader.loadAlerts(filter, limit, drills),
    getAlert: (id) => reader.getAlert(id),
    loadAuthRecords: (kind) => reader.loadAuthRecords(kind),
    async putAuthRecord(record, recordId, doc, at) {
      await send({ kind: 'auth', record, recordId, doc, at });
    },
    async appendAudit(entry) {
      await send({ kind: 'audit', entry });
    },
    loadAudit: (limit, before) => reader.loadAudit(limit, before),
    async prune(mentionsBefore, rollupsBefore, limit) {
      const r = await send({ kind: 'prune', mentionsBefore, rollupsBefore, limit });
      return r.deleted ?? 0;
    },
    get explore() {
      return reader.explore;
    },
    get care() {
      return reader.care;
    },
    async indexRecent(limit) {
      const r = await send({ kind: 'index', limit });
      return r.deleted ?? 0;
    },
    async updateCube(limit) {
      const r = await send({ kind: 'cube', limit });
      return r.deleted ?? 0;
    },
    async optimize() {
      await send({ kind: 'optimize' });
    },
    async close() {
      if (closed) return;
      reader.close();
      // Every insert sent so far has been answered once the waiting map holds only this close.
      const last = dead ? null : send({ kind: 'close' });
      closed = true;
      await checkpointer.close();
      await last;
      await Promise.all([worker.terminate(), ingester.terminate()]);
    }
  };
}

/**
 * WAL pages past which the writer checkpoints itself: a fallback for a lagging checkpointer
 * (40 MB of a new database's 8 KiB pages; 20 MB for a database created with 4 KiB pages).
 */
const WRITER_CHECKPOINT_PAGES = 5_000;
/** How often the checkpoint thread copies the WAL into the database. */
const CHECKPOINT_INTERVAL_MS = 500;

/**
 * Starts the checkpoint thread (checkpoint-worker.ts). Not essential: should it fail or stop, the
 * writer's fallback checkpoint keeps the WAL bounded, so that is a warning, not a fatal error.
 */
function startCheckpointer(
  file: string,
  onWarn: (message: string) => void,
  bundleDir: string | undefined
): { close(): Promise<void> } {
  const code = threadCode('checkpoint-worker', bundleDir);
  const thread = new Worker(code.url, {
    workerData: {
      file,
      intervalMs: CHECKPOINT_INTERVAL_MS,
      entry: code.entry
    },
    resourceLimits: { maxOldGenerationSizeMb: 32 }
  });
  let closing = false;
  let lastError = '';
  thread.on('message', (msg: { error?: string }) => {
    // One warning per distinct error, not one per round.
    if (msg.error && msg.error !== lastError) onWarn(`WAL checkpoint failed: ${msg.error}`);
    lastError = msg.error ?? '';
  });
  thread.on('error', (err) => onWarn(`the WAL checkpoint thread failed: ${err.message}`));
  const exited = new Promise<void>((resolve) => {
    thread.once('exit', (code) => {
      if (!closing) onWarn(`the WAL checkpoint thread exited with code ${code}`);
      resolve();
    });
  });
  return {
    async close() {
      if (closing) return exited;
      closing = true;
      thread.postMessage({ kind: 'close' });
      // It closes its connection and is then stopped; a stuck one is stopped after a second.
      await Promise.race([
        new Promise<void>((resolve) =>
          thread.on('message', (m: { closed?: boolean }) => m.closed && resolve())
        ),
        exited,
        new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())
      ]);
      await thread.terminate();
      await exited;
    }
  };
}

/** Wraps the synchronous store in the Store port, on the main thread (tools and tests). */
export function inProcessStore(file: string): Store {
  const s = openSqliteStore(file);
  return {
    insertMentions: async (ms) => s.insertMentions(ms),
    ingestMentions: async (ms, enrichment, riverSize) =>
      ingestMentions(s, ms, enrichment, riverSize),
    ingestBody: async (body, type, enrichment, riverSize) =>
      ingestBody(s, body, type, enrichment, riverSize),
    upsertRollups: async (rs, seq) => s.upsertRollups(rs, seq),
    loadRollups: s.loadRollups,
    rollupWatermark: s.rollupWatermark,
    minutesAfter: s.minutesAfter,
    loadRange: s.loadRange,
    loadUnanswered: s.loadUnanswered,
    newest: s.newest,
    getMention: s.getMention,
    unansweredMentions: s.unansweredMentions,
    aggregateRange: s.aggregateRange,
    getSetting: s.getSetting,
    putSetting: async (key, value, at) => s.putSetting(key, value, at),
    searchMentions: s.searchMentions,
    queryMentions: s.queryMentions,
    loadAlertRules: s.loadAlertRules,
    putAlertRule: async (id, rule, at) => s.putAlertRule(id, rule, at),
    deleteAlertRule: async (id) => s.deleteAlertRule(id),
    putAlert: async (alert, at) => s.putAlert(alert, at),
    loadAlerts: s.loadAlerts,
    getAlert: s.getAlert,
    loadAuthRecords: s.loadAuthRecords,
    putAuthRecord: async (kind, id, doc, at) => s.putAuthRecord(kind, id, doc, at),
    appendAudit: async (entry) => s.appendAudit(entry),
    loadAudit: s.loadAudit,
    prune: async (m, r, limit) => s.prune(m, r, limit),
    explore: s.explore,
    care: s.care,
    updateCube: async (limit) => s.updateCube(limit),
    indexRecent: async (limit) => s.indexRecent(limit),
    optimize: async () => s.optimize(),
    close: async () => s.close()
  };
}
