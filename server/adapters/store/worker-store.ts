import { Worker } from 'node:worker_threads';
import type { EnrichedMention } from '../../../src/lib/shared/types';
import type { MinuteRollup } from '../../core/window/rolling-windows';
import type { Store } from '../../ports';
import { openSqliteStore, pushValues } from './sqlite-store';
import type { WriterRequest, WriterResponse } from './writer-protocol';

type Waiter = { resolve: (r: WriterResponse & { ok: true }) => void; reject: (e: Error) => void };
type Request = WriterRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The production store: all writes go to one SQLite connection on a worker thread, so a large
 * transaction never blocks the event loop (ticks, sockets) and persistence runs on the second
 * core in parallel with validation and enrichment. Reads use a second connection on the main
 * thread; WAL lets it read while the writer writes. Writes resolve once committed, in order.
 */
export async function openWorkerStore(file: string, onFatal: (err: Error) => void): Promise<Store> {
  const worker = new Worker(new URL('./writer-boot.mjs', import.meta.url), {
    workerData: { file, entry: new URL('./writer-worker.ts', import.meta.url).href },
    // The writer only holds one batch at a time; a small old generation keeps its garbage from
    // piling up as resident memory between lazy collections.
    resourceLimits: { maxOldGenerationSizeMb: 256 }
  });
  const waiting = new Map<number, Waiter>();
  let nextId = 1;
  let dead: Error | null = null;
  let closed = false;

  const ready = new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (msg: WriterResponse) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg);
    else w.reject(new Error(`SQLite writer: ${msg.error}`));
  });
  const fail = (err: Error): void => {
    if (dead) return;
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    onFatal(err);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`SQLite writer thread exited with code ${code}`));
  });

  function send(req: Request): Promise<WriterResponse & { ok: true }> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  }

  await ready;
  // The writer has created and migrated the database; this connection only reads.
  const reader = openSqliteStore(file);

  return {
    async insertMentions(ms: readonly EnrichedMention[]) {
      if (ms.length === 0) return { fresh: [], lastSeq: 0 };
      // Flat positional values clone far faster across threads than nested objects.
      const values: unknown[] = [];
      for (const m of ms) pushValues(values, m);
      const { flags, lastSeq } = await send({ kind: 'insert', values });
      return { fresh: flags ? ms.filter((_, i) => flags[i] === 1) : [], lastSeq: lastSeq ?? 0 };
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
    aggregateRange: (from, to) => reader.aggregateRange(from, to),
    getSetting: (key) => reader.getSetting(key),
    async putSetting(key, value, at) {
      await send({ kind: 'setting', key, value, at });
    },
    async optimize() {
      await send({ kind: 'optimize' });
    },
    async close() {
      if (closed) return;
      reader.close();
      const last = dead ? null : send({ kind: 'close' });
      closed = true;
      await last;
      await worker.terminate();
    }
  };
}

/** Wraps the synchronous store in the Store port, on the main thread (tools and tests). */
export function inProcessStore(file: string): Store {
  const s = openSqliteStore(file);
  return {
    insertMentions: async (ms) => s.insertMentions(ms),
    upsertRollups: async (rs, seq) => s.upsertRollups(rs, seq),
    loadRollups: s.loadRollups,
    rollupWatermark: s.rollupWatermark,
    minutesAfter: s.minutesAfter,
    loadRange: s.loadRange,
    loadUnanswered: s.loadUnanswered,
    newest: s.newest,
    aggregateRange: s.aggregateRange,
    getSetting: s.getSetting,
    putSetting: async (key, value, at) => s.putSetting(key, value, at),
    optimize: async () => s.optimize(),
    close: async () => s.close()
  };
}
