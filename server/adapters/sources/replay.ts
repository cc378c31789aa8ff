import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mention, SourceHealth } from '../../../src/lib/shared/types';
import type { ReplayOptions } from '../../config';
import type { MentionSink, MentionSource } from '../../ports';
import type { SourceContext } from './context';
import { HealthTracker } from './health';
import { detectFormat, readRecords } from './records';

/** Settings of the replay source beyond the command line. */
export interface ReplaySourceOptions extends ReplayOptions {
  /** Step of the replay clock, ms. */
  stepMs?: number;
  /** Most mentions handed to the pipeline per step. */
  maxPerStep?: number;
  /**
   * A quiet stretch of the recording that would take longer than this (real ms) at `speed` is
   * skipped: real recordings have days without a post, and a wall must not sit idle through them.
   */
  maxGapMs?: number;
  /** Called with the brand handles a recording declares (twcs `inbound=False` authors). */
  onBrandHandles?: (handles: string[]) => void;
}

/**
 * `npm start -- --replay <file> [--speed N]`: streams a recorded file live, shifted to now.
 *
 * The file is first spooled into a temporary SQLite table ordered by time, so recordings that are
 * not sorted (the twcs CSV is grouped by conversation) replay in time order with constant memory.
 * Then a replay clock advances `speed` recorded milliseconds per real millisecond and every
 * mention whose time has come is sent with `createdAt` shifted to now. Each batch is awaited
 * until committed: when the pipeline is saturated the replay clock waits for it (the replay slows
 * down) instead of piling mentions up. Ids get a per-run prefix so the same file can be replayed
 * again; replies keep pointing at their (prefixed) parents, so response times replay too.
 */
export function createReplaySource(opts: ReplaySourceOptions, ctx: SourceContext): MentionSource {
  const health = new HealthTracker('replay', 'replay', ctx.clock, ctx.onHealthChange);
  const stepMs = opts.stepMs ?? 100;
  const maxPerStep = opts.maxPerStep ?? 5000;
  const maxGapMs = opts.maxGapMs ?? 60_000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let wake: (() => void) | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let dir: string | null = null;
  let db: Database.Database | null = null;
  let refused = 0;
  let firstProblem = '';
  let pending = 0;

  const cleanup = (): void => {
    db?.close();
    db = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };

  async function spool(): Promise<{ total: number; first: number | null }> {
    const format = opts.format ?? (await detectFormat(opts.file));
    dir = mkdtempSync(join(tmpdir(), 'mc-replay-'));
    db = new Database(join(dir, 'spool.db'));
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec('CREATE TABLE r (t INTEGER NOT NULL, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO r (t, body) VALUES (?, ?)');
    const brands = new Set<string>();
    let rows: [number, string][] = [];
    const flush = db.transaction((batch: [number, string][]) => {
      for (const [t, body] of batch) insert.run(t, body);
    });
    let total = 0;
    for await (const r of readRecords(opts.file, format)) {
      if (stopped) break;
      if (!r.ok) {
        refused++;
        if (refused === 1) firstProblem = `line ${r.at}: ${r.error}`;
        continue;
      }
      if (r.isBrand) brands.add(r.mention.author.handle);
      rows.push([r.mention.createdAt, JSON.stringify(r.mention)]);
      total++;
      if (rows.length >= 2000) {
        flush(rows);
        rows = [];
      }
    }
    flush(rows);
    db.exec('CREATE INDEX r_t ON r (t)');
    if (brands.size) opts.onBrandHandles?.([...brands]);
    const first = db.prepare<[], { t: number | null }>('SELECT MIN(t) AS t FROM r').get()?.t;
    ctx.logger.info(
      { file: opts.file, format, mentions: total, refused, speed: opts.speed },
      'replay spooled; streaming'
    );
    return { total, first: first ?? null };
  }

  async function play(sink: MentionSink): Promise<void> {
    const { total, first } = await spool();
    if (stopped || first === null || !db) {
      if (refused)
        health.error(`no usable record in ${opts.file}; the first problem: ${firstProblem}`);
      health.setState('idle');
      return;
    }
    pending = total;
    const page = db.prepare<
      [number, number, number, number, number],
      { id: number; t: number; body: string }
    >(
      'SELECT rowid AS id, t, body FROM r WHERE t <= ? AND (t > ? OR (t = ? AND rowid > ?)) ORDER BY t, rowid LIMIT ?'
    );
    const nextTime = db.prepare<[number, number, number], { t: number }>(
      'SELECT t FROM r WHERE t > ? OR (t = ? AND rowid > ?) ORDER BY t, rowid LIMIT 1'
    );
    const run = Math.floor(ctx.clock.now()).toString(36);
    const prefix = (id: string): string => `${run}:${id}`;
    let virtual = first;
    let lastT = first - 1;
    let lastRow = 0;
    let lastStep = ctx.clock.now();
    health.setState('connected');
    if (refused) {
      health.error(`${refused} record(s) of ${opts.file} were refused; the first: ${firstProblem}`);
    }

    while (!stopped && pending > 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, stepMs);
      });
      timer = null;
      wake = null;
      if (stopped) break;
      const now = ctx.clock.now();
      // At most a second of real time per step: after a stall (a saturated pipeline, a paused
      // process) the replay resumes where it was instead of jumping ahead.
      virtual += Math.min(now - lastStep, 1000) * opts.speed;
      lastStep = now;
      const rows = page.all(virtual, lastT, lastT, lastRow, maxPerStep);
      if (rows.length === 0) {
        const next = nextTime.get(lastT, lastT, lastRow)?.t;
        if (next !== undefined && (next - virtual) / opts.speed > maxGapMs) {
          ctx.logger.info(
            { skippedHours: Math.round(((next - virtual) / 3_600_000) * 10) / 10 },
            'replay skipped a quiet stretch of the recording'
          );
          virtual = next;
        }
        continue;
      }
      const batch: Mention[] = [];
      for (const row of rows) {
        const m = JSON.parse(row.body) as Mention;
        batch.push({
          ...m,
          id: prefix(m.id),
          source: 'replay',
          createdAt: Math.round(now - (virtual - row.t) / opts.speed),
          inReplyToId: m.inReplyToId === null ? null : prefix(m.inReplyToId)
        });
      }
      const last = rows[rows.length - 1]!;
      lastT = last.t;
      lastRow = last.id;
      // A full page means more is due than one step carries: hold the clock where we are.
      if (rows.length === maxPerStep) virtual = last.t;
      pending -= rows.length;
      await sink(batch);
      let newest = 0;
      for (const m of batch) if (m.createdAt > newest) newest = m.createdAt;
      health.delivered(batch.length, newest);
    }
    if (!stopped) {
      ctx.logger.info({ file: opts.file, refused }, 'replay finished');
      health.setState('idle');
    }
  }

  return {
    name: 'replay',
    kind: 'replay',
    health: (): SourceHealth => health.snapshot(pending),
    start(sink) {
      stopped = false;
      health.setState('connecting');
      running = play(sink)
        .catch((err: unknown) => {
          health.error(`replay of ${opts.file} failed: ${(err as Error).message}`);
          health.setState('idle');
          ctx.logger.error({ err, file: opts.file }, 'replay failed');
        })
        .finally(cleanup);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      wake?.();
      await running;
      health.setState('stopped');
    }
  };
}
