/**
 * `npm run bench`: measures the server's hot paths and prints one JSON object per line,
 * `{"name", "value", "unit", ...details}`. Environment: BENCH_MENTIONS (default 2,000,000),
 * BENCH_BATCH (default 1000).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../server/adapters/store/sqlite-store';
import { createSimulator } from '../server/adapters/sources/simulator/generator';
import { parseMention } from '../server/core/mention-schema';
import { Pipeline } from '../server/core/pipeline';
import type { Mention } from '../src/lib/shared/types';

const TOTAL = Number(process.env.BENCH_MENTIONS ?? 2_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra }) + '\n');
}

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
}

/**
 * The whole live path on generated mentions, one process: validate (zod) → enrich → SQLite
 * persist (one transaction per batch) → rolling windows, plus a tick every simulated second.
 * Generation is outside the timed section; everything the server does per mention is inside.
 */
function benchPipeline(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
  const dbFile = join(dir, 'bench.db');
  const store = openSqliteStore(dbFile);
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  // 50,000 mentions per simulated second at the daily average, so each call yields about a batch.
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  const sim = createSimulator(
    {
      seed: 7,
      rate: 50_000,
      brandHandle: '@NorthwindHelp',
      brandName: 'Northwind',
      timeScale: 60,
      crisisEveryMs: 60_000
    },
    start
  );
  const stepMs = Math.max(1, Math.round((BATCH / 50_000) * 1000));
  let now = start;
  let nextTick = start + 1000;
  let done = 0;
  let timedNs = 0n;
  let persistNs = 0n;
  let rejected = 0;
  let peakRss = 0;
  const rssAt: number[] = [];
  const tickMs: number[] = [];
  const wallStart = process.hrtime.bigint();

  while (done < TOTAL) {
    now += stepMs;
    const raw: unknown[] = sim.next(now);
    if (raw.length === 0) continue;
    const t0 = process.hrtime.bigint();
    const valid: Mention[] = [];
    for (const r of raw) {
      const p = parseMention(r);
      if (p.ok) valid.push(p.mention);
      else rejected++;
    }
    const enriched = pipeline.enrichBatch(valid);
    const t1 = process.hrtime.bigint();
    const fresh = store.insertMentions(enriched);
    const t2 = process.hrtime.bigint();
    pipeline.count(fresh, now);
    if (now >= nextTick) {
      const k0 = process.hrtime.bigint();
      const { rollups } = pipeline.tick(now);
      store.upsertRollups(rollups);
      pipeline.takeRiverBatch();
      tickMs.push(Number(process.hrtime.bigint() - k0) / 1e6);
      nextTick += 1000;
    }
    const t3 = process.hrtime.bigint();
    timedNs += t3 - t0;
    persistNs += t2 - t1;
    const before = done;
    done += raw.length;
    const sampleEvery = Math.floor(TOTAL / 20);
    if (Math.floor(before / sampleEvery) !== Math.floor(done / sampleEvery)) {
      const rss = process.memoryUsage().rss;
      rssAt.push(mb(rss));
      peakRss = Math.max(peakRss, rss);
    }
  }
  const wallS = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const timedS = Number(timedNs) / 1e9;
  const dbBytes = statSync(dbFile).size;
  store.close();
  rmSync(dir, { recursive: true, force: true });

  emit('pipeline.throughput', done / timedS, 'mentions/s', {
    mentions: done,
    batch: BATCH,
    rejected,
    stages: 'validate+enrich+sqlite-persist+windows+ticks',
    timedSeconds: Math.round(timedS * 100) / 100,
    wallSeconds: Math.round(wallS * 100) / 100,
    dbMB: mb(dbBytes)
  });
  emit('pipeline.persist_share', (Number(persistNs) / Number(timedNs)) * 100, '%');
  emit('pipeline.tick.p99', percentile(tickMs, 0.99), 'ms', { ticks: tickMs.length });
  emit('memory.rss.peak', mb(peakRss), 'MB');
  // Flat memory: RSS over the second half of the run compared with the end of the first half.
  const mid = rssAt[Math.floor(rssAt.length / 2)] ?? 0;
  const last = rssAt[rssAt.length - 1] ?? 0;
  emit('memory.rss.growth.second_half', last - mid, 'MB', { samplesMB: rssAt });
}

/** Snapshot cost: what a connecting wall costs the server. */
function benchSnapshot(): void {
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  const sim = createSimulator(
    { seed: 3, rate: 200, brandHandle: '@NorthwindHelp', brandName: 'Northwind', timeScale: 1, crisisEveryMs: 0 },
    start - 86_400_000
  );
  for (let t = start - 86_400_000 + 60_000; t <= start; t += 60_000) {
    pipeline.count(pipeline.enrichBatch(sim.next(t)), t);
  }
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 50; i++) {
    const t0 = process.hrtime.bigint();
    bytes = JSON.stringify(pipeline.snapshot(start)).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  emit('wall.snapshot.p50', percentile(times, 0.5), 'ms', { bytes });
}

benchPipeline();
benchSnapshot();
