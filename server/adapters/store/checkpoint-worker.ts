import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

if (!parentPort) throw new Error('checkpoint-worker must run in a worker thread');
const main = parentPort;
const { file, intervalMs } = workerData as { file: string; intervalMs: number };

/**
 * The checkpoint thread: copies committed pages from the WAL into the database file on its own
 * connection, so the writer thread never does it inside a commit. A checkpoint copies and fsyncs
 * every page the WAL holds; done by the writer at SQLite's default (every 1,000 pages) it was more
 * than half of the writer's time under a firehose, because each batch dirties pages all over the
 * random-order indexes (author, unique id). PASSIVE never blocks the writer or readers: it copies
 * what no reader still needs and leaves the rest for the next round.
 */
const db = new Database(file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // A busy database or a transient I/O error: the next round (or the writer's own fallback
    // checkpoint) catches up. Reported, never fatal.
    main.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}, intervalMs);
main.on('message', (msg: { kind: 'close' }) => {
  if (msg.kind !== 'close') return;
  clearInterval(timer);
  db.close();
  main.postMessage({ closed: true });
});
main.postMessage({ ready: true });
