/**
 * `npm run bench`: measures the server's hot paths and prints one JSON object per line,
 * `{"name", "value", "unit", ...details}`. Environment: BENCH_MENTIONS (default 4,000,000: the first ~2M fill the bounded queues, the rest shows memory is flat),
 * BENCH_BATCH (default 1000), BENCH_CONN (concurrent ingest connections, default 4).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Scheduler } from '../server/adapters/scheduler/node-scheduler';
import { createSimulator } from '../server/adapters/sources/simulator/generator';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { parseJsonMention } from '../server/core/mention-schema';
import { enrich, enrichContext, Pipeline } from '../server/core/pipeline';
import { scoreSentiment } from '../server/core/enrich/sentiment';
import { Detector } from '../server/core/detect/detector';
import type { Mention } from '../src/lib/shared/types';
import { startServerProcess } from '../tests/helpers/server-process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { openSqliteStore } from '../server/adapters/store/sqlite-store';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/shared/protocol';
import type { AlertView } from '../src/lib/shared/types';
import { benchCare } from './bench-care';
import { benchExplore } from './bench-explore';
import { benchExploreUi } from './bench-explore-ui';

const TOTAL = Number(process.env.BENCH_MENTIONS ?? 4_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

function emit(
  name: string,
  value: number,
  unit: string,
  extra: Record<string, unknown> = {}
): void {
  process.stdout.write(
    JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra }) + '\n'
  );
}

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
}

/**
 * A scheduler whose jobs the benchmark fires by hand, on simulated time: `run(ms)` fires every
 * job registered with that interval (the server has several per second: the tick, alert
 * evaluation, the care summary).
 */
function manualScheduler(): Scheduler & { run(ms: number): void } {
  const jobs = new Map<number, (() => void)[]>();
  return {
    run(ms) {
      for (const fn of jobs.get(ms) ?? []) fn();
    },
    every(ms, fn) {
      const list = jobs.get(ms) ?? [];
      list.push(fn);
      jobs.set(ms, list);
      return () => list.splice(list.indexOf(fn), 1);
    },
    cron: () => () => {}
  };
}

/**
 * The whole live path on generated mentions, through the real app: validate (as a connector's
 * SourceBuffer does: the Ajv fast path, zod for anything it refuses) → enrich on the ingest
 * thread → commit on the SQLite writer thread (one transaction per batch) → rolling windows, plus
 * a tick (windows, chart points, rollup write) every simulated second. Input generation is the
 * only thing excluded from the timed section.
 */
async function benchPipeline(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
  const config = loadConfig({ DATA_DIR: dir, SIMULATOR: 'off', LOG_LEVEL: 'silent' });
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  let now = start;
  const scheduler = manualScheduler();
  const app = createApp(config, {
    clock: { now: () => now },
    scheduler,
    sources: [],
    logger: pino({ level: 'silent' })
  });
  await app.start();
  // Every per-second job (windows and chart points, alert evaluation, the care summary) and the
  // river's flush, as the server runs them.
  const tick = (): void => scheduler.run(config.tickMs);
  const flushRiver = (): void => scheduler.run(config.riverFlushMs);
  // 50,000 mentions per simulated second at the daily average, so each call yields about a batch.
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
  const maxInFlight = 4;
  const inFlight: Promise<number>[] = [];
  let nextTick = start + 1000;
  let done = 0;
  let stored = 0;
  let rejected = 0;
  let genNs = 0n;
  let peakRss = 0;
  const rssAt: number[] = [];
  const tickMs: number[] = [];
  const liveHeap: number[] = [];
  // Replies the input generator holds until due: input-side memory inside the same heap.
  const simPending: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const sampleEvery = Math.floor(TOTAL / 20);
  const t0 = process.hrtime.bigint();

  while (done < TOTAL) {
    now += stepMs;
    const g0 = process.hrtime.bigint();
    const raw: unknown[] = sim.next(now);
    genNs += process.hrtime.bigint() - g0;
    if (raw.length === 0) continue;
    const valid: Mention[] = [];
    for (const r of raw) {
      const p = parseJsonMention(r);
      if (p.ok) valid.push(p.mention);
      else rejected++;
    }
    inFlight.push(app.ingest(valid));
    if (inFlight.length >= maxInFlight) stored += await inFlight.shift()!;
    if (now >= nextTick) {
      const k0 = process.hrtime.bigint();
      tick();
      flushRiver();
      tickMs.push(Number(process.hrtime.bigint() - k0) / 1e6);
      nextTick += 1000;
    }
    const before = done;
    done += raw.length;
    if (Math.floor(before / sampleEvery) !== Math.floor(done / sampleEvery)) {
      const rss = process.memoryUsage().rss;
      rssAt.push(mb(rss));
      peakRss = Math.max(peakRss, rss);
      // With --expose-gc, the live heap after a full collection: what is really retained.
      if (gc) {
        const c0 = process.hrtime.bigint();
        gc();
        liveHeap.push(mb(process.memoryUsage().heapUsed));
        simPending.push(sim.pendingReplies());
        genNs += process.hrtime.bigint() - c0;
      }
    }
  }
  for (const p of inFlight) stored += await p;
  const timedS = (Number(process.hrtime.bigint() - t0) - Number(genNs)) / 1e9;
  await app.stop();
  const dbBytes = statSync(config.dbFile).size;
  rmSync(dir, { recursive: true, force: true });

  emit('pipeline.throughput', done / timedS, 'mentions/s', {
    mentions: done,
    stored,
    batch: BATCH,
    rejected,
    stages:
      'validate+enrich(ingest thread)+sqlite-commit(writer thread)+windows+care queue+per-second jobs (tick, alerts, care summary)',
    timedSeconds: Math.round(timedS * 100) / 100,
    excludedSeconds: Math.round(Number(genNs) / 1e7) / 100,
    excluded: 'input generation and forced GC for live-heap samples',
    dbMB: mb(dbBytes)
  });
  emit('pipeline.tick.p99', percentile(tickMs, 0.99), 'ms', { ticks: tickMs.length });
  emit('memory.rss.peak', mb(peakRss), 'MB', { note: 'main thread + SQLite writer thread' });
  // Flat memory: RSS over the second half of the run compared with the end of the first half.
  const mid = rssAt[Math.floor(rssAt.length / 2)] ?? 0;
  const last = rssAt[rssAt.length - 1] ?? 0;
  emit('memory.rss.growth.second_half', last - mid, 'MB', { samplesMB: rssAt });
  if (liveHeap.length) {
    const hm = liveHeap[Math.floor(liveHeap.length / 2)] ?? 0;
    const hl = liveHeap[liveHeap.length - 1] ?? 0;
    emit('memory.live_heap.growth.second_half', hl - hm, 'MB', {
      samplesMB: liveHeap,
      generatorPendingReplies: simPending,
      trackedUnanswered: app.pipeline.windows.pendingCount
    });
  }
}

/** Snapshot cost: what a connecting wall costs the server. */
function benchSnapshot(): void {
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const start = Date.UTC(2026, 10, 23, 9, 0, 0);
  const sim = createSimulator(
    {
      seed: 3,
      rate: 200,
      brandHandle: '@NorthwindHelp',
      brandName: 'Northwind',
      timeScale: 1,
      crisisEveryMs: 0
    },
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

/** NDJSON bodies of `size` generated mentions each, serialised before the clock starts. */
function ndjsonBatches(count: number, size: number, seed: number): string[] {
  const mentions = simulatedMentions(count * size, seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      mentions
        .slice(i * size, (i + 1) * size)
        .map((m) => JSON.stringify(m))
        .join('\n')
    );
  }
  return out;
}

/** A real server process for the ingest benchmark, and a lean client posting NDJSON to it. */
async function ingestServer(): Promise<{
  url: string;
  post(body: Buffer): Promise<number>;
  /** Closes the kept-alive sockets (before a phase that follows a pause). */
  dropIdle(): void;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-ingest-'));
  const token = 'bench-token-0123456789abcdef';
  const server = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: token,
    INGEST_MAX_IN_FLIGHT: '64'
  });
  // The load generator shares the server's two cores, so it is kept lean: node:http over
  // keep-alive connections with bodies encoded before the clock starts. The server does the same
  // work whatever the client; a heavier client (fetch re-encoding 370 KB strings) only steals CPU.
  const newAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 8 });
  let agent = newAgent();
  const { hostname, port } = new URL(server.url);
  const post = (body: Buffer, retried = false): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          method: 'POST',
          path: '/api/v1/mentions',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/x-ndjson',
            'content-length': body.length
          }
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 202) {
              reject(new Error(`ingest answered ${res.statusCode}`));
              return;
            }
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              accepted?: number;
            };
            resolve(json.accepted ?? 0);
          });
          res.on('error', reject);
        }
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while idle (its keep-alive timeout, e.g. while
        // the indexes catch up) fails on reuse: sent again once on a new one, as Node advises.
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) {
          post(body, true).then(resolve, reject);
        } else reject(err);
      });
      req.end(body);
    });
  return {
    url: server.url,
    post,
    dropIdle: () => {
      agent.destroy();
      agent = newAgent();
    },
    close: async () => {
      agent.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/**
 * HTTP ingest on loopback against the real server process (`server/main.ts`): POST
 * /api/v1/mentions with NDJSON batches, each answered 202 only after its SQLite commit.
 * Throughput: 299 batches of 1,000 from 4 concurrent connections into a fresh server and
 * database, BENCH_INGEST_RUNS times (default 3); the median is the figure and every run is
 * listed (on a shared 2-core machine one run of the same code varies by ±15 %). Latency: batches
 * of 100 paced open-loop at 10,000 mentions/s for 10 s, on the last run's server.
 */
async function benchIngest(): Promise<void> {
  const connections = Number(process.env.BENCH_CONN ?? 4);
  const runs = Math.max(1, Number(process.env.BENCH_INGEST_RUNS ?? 3));
  const batches = ndjsonBatches(300, 1000, 21).map((b) => Buffer.from(b));
  const warmUp = batches.pop()!;
  const rates: number[] = [];
  const runSeconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const server = await ingestServer();
    const post = server.post;
    try {
      await post(warmUp);
      // The generator's own garbage is collected before the clock starts, not by a full
      // collection in this process while it shares the two cores with the server.
      (globalThis as { gc?: () => void }).gc?.();
      let next = 0;
      let accepted = 0;
      const t0 = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < batches.length) {
            // Read-modify-write after the await: `accepted += await …` would lose concurrent sums.
            const n = await post(batches[next++]!);
            accepted += n;
          }
        })
      );
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rates.push(accepted / seconds);
      runSeconds.push(Math.round(seconds * 100) / 100);
      if (run < runs - 1) continue;

      // How responsive the server's event loop (ticks, sockets, the wall) stayed meanwhile.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const lagP99 = Number(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(metrics)?.[1] ?? NaN);
      const lagMax = Number(/^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics)?.[1] ?? NaN);
      emit('ingest.http.eventloop_lag_p99', lagP99 * 1000, 'ms', {
        during: 'the last throughput run (since server start)',
        max: Math.round(lagMax * 1000 * 10) / 10
      });
      emit('ingest.http.throughput', percentile(rates, 0.5), 'mentions/s', {
        statistic: `median of ${runs} runs, each into a fresh server and database`,
        runs: rates.map((r) => Math.round(r)),
        mentionsPerRun: accepted,
        batch: 1000,
        connections,
        client: 'node:http keep-alive, bodies encoded in advance, same 2 cores',
        durable: '202 after SQLite commit',
        seconds: runSeconds
      });
      // The text and author indexes are kept behind ingest and catch up when it pauses (the
      // server's 5-s job). How long they take once they start, and so what the run costs in all.
      const catchUp = await indexCatchUp(server.url);
      emit(
        'ingest.http.throughput_with_indexes',
        accepted / (seconds + catchUp.seconds),
        'mentions/s',
        {
          mentions: accepted,
          meaning: 'the last run plus the text and author indexes catching up afterwards',
          lagAtEnd: catchUp.lagAtEnd,
          catchUpSeconds: Math.round(catchUp.seconds * 100) / 100
        }
      );

      // Latency at a fixed offered load (open loop: requests leave on schedule, not on replies),
      // on new connections: the server closes sockets idle for 5 s, as they were while the
      // indexes caught up, and one it closes just as a request leaves fails that request.
      server.dropIdle();
      const rate = 10_000;
      const size = 100;
      const small = ndjsonBatches((rate / size) * 10, size, 22).map((b) => Buffer.from(b));
      const latencies: number[] = [];
      const failed: Record<string, number> = {};
      const intervalMs = (size / rate) * 1000;
      const begin = performance.now();
      await Promise.all(
        small.map(async (body, i) => {
          const due = begin + i * intervalMs;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const s0 = performance.now();
          try {
            await post(body);
            latencies.push(performance.now() - s0);
          } catch (err) {
            // Counted and shown, not thrown: one refusal must not abandon the other requests.
            const what = err instanceof Error ? err.message : String(err);
            failed[what] = (failed[what] ?? 0) + 1;
          }
        })
      );
      emit('ingest.http.p99', percentile(latencies, 0.99), 'ms', {
        offered: `${rate} mentions/s in batches of ${size} for 10 s`,
        p50: Math.round(percentile(latencies, 0.5) * 10) / 10,
        requests: small.length,
        answered202: latencies.length,
        failed
      });
    } finally {
      await server.close();
    }
  }
}

/**
 * Polls `mc_index_lag_mentions` until both indexes have caught up: the lag when first read, and
 * the seconds from the first reading below it to the last at zero (the wait for the server's
 * next index job is not counted).
 */
async function indexCatchUp(url: string): Promise<{ lagAtEnd: number; seconds: number }> {
  const read = async (): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const lags = [...text.matchAll(/^mc_index_lag_mentions\{index="\w+"\} (\d+)$/gm)].map((m) =>
      Number(m[1])
    );
    if (lags.length !== 2) throw new Error('mc_index_lag_mentions missing from /metrics');
    return Math.max(...lags);
  };
  const lagAtEnd = await read();
  let lastHigh = performance.now();
  const deadline = lastHigh + 120_000;
  for (let lag = lagAtEnd; lag > 0; lag = await read()) {
    if (lag === lagAtEnd) lastHigh = performance.now();
    if (performance.now() > deadline) throw new Error(`indexes still ${lag} behind after 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { lagAtEnd, seconds: lagAtEnd === 0 ? 0 : (performance.now() - lastHigh) / 1000 };
}

/** Mentions from the simulator (customer-care texts in English, language declared). */
function simulatedMentions(count: number, seed: number): Mention[] {
  const start = Date.now() - 3_600_000;
  const sim = createSimulator(
    {
      seed,
      rate: 20_000,
      brandHandle: '@NorthwindHelp',
      brandName: 'Northwind',
      timeScale: 1,
      crisisEveryMs: 0
    },
    start
  );
  let out: Mention[] = [];
  for (let t = start; out.length < count; t += 100) out = out.concat(sim.next(t));
  return out.slice(0, count);
}

/** Runs `fn` over `items` for at least `ms` after a warm-up pass; items per second. */
function rate<T>(items: readonly T[], fn: (x: T) => unknown, ms = 2000): number {
  for (const x of items) fn(x);
  let n = 0;
  const t0 = performance.now();
  do {
    for (const x of items) fn(x);
    n += items.length;
  } while (performance.now() - t0 < ms);
  return n / ((performance.now() - t0) / 1000);
}

/**
 * Enrichment on one core: `sentiment.throughput` scores texts alone; `enrich.throughput` runs
 * every step the pipeline runs per mention (language, sentiment, intent, topics, influence,
 * priority, brand match), first with the language declared as platforms send it, then with none
 * declared (the plain-English check, and the detector when that cannot tell).
 */
function benchEnrich(): void {
  const mentions = simulatedMentions(20_000, 31);
  const texts = mentions.map((m) => m.text);
  const ctx = enrichContext(['@NorthwindHelp'], undefined);
  emit('sentiment.throughput', rate(texts, scoreSentiment), 'texts/s', {
    texts: texts.length,
    avgChars: Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length),
    threads: 1
  });
  emit(
    'enrich.throughput',
    rate(mentions, (m) => enrich(m, ctx)),
    'mentions/s',
    {
      language: 'declared',
      steps: 'language, sentiment, intent, topics, influence, priority, brand',
      threads: 1
    }
  );
  const undeclared = mentions.map((m) => ({ ...m, lang: null }));
  emit(
    'enrich.throughput_undeclared',
    rate(undeclared, (m) => enrich(m, ctx)),
    'mentions/s',
    {
      language: 'none declared',
      threads: 1
    }
  );
}

/**
 * Detectors for 1,000 series (one per topic, channel, …) updated once per second, as the live
 * pipeline does when a minute closes: time per round of 1,000 updates on synthetic Poisson counts.
 */
function benchDetect(): void {
  const SERIES = 1000;
  const ROUNDS = 3000;
  const detectors = Array.from(
    { length: SERIES },
    () => new Detector({ intervalMs: 1000, kind: 'count', sensitivity: 'balanced' })
  );
  // Counts drawn before the clock starts: a cheap LCG around a per-series level.
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const levels = Array.from({ length: SERIES }, () => 1 + rand() * 200);
  const values = new Float64Array(SERIES * 64);
  for (let i = 0; i < values.length; i++) {
    const level = levels[i % SERIES]!;
    values[i] = Math.max(0, Math.round(level + (rand() - 0.5) * 2 * Math.sqrt(level) * 1.7));
  }
  const start = Date.UTC(2026, 10, 23, 0, 0, 0);
  const times: number[] = [];
  let alerts = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = start + r * 1000;
    const base = (r % 64) * SERIES;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < SERIES; i++) {
      if (detectors[i]!.update(t, values[base + i]!).onset) alerts++;
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  emit('detect.series.update', percentile(times, 0.99), 'ms', {
    series: SERIES,
    rounds: ROUNDS,
    stat: 'p99 per round of 1,000 updates',
    p50: Math.round(percentile(times, 0.5) * 1000) / 1000,
    alerts
  });
}

/**
 * Time to alert, end to end, at balanced sensitivity: a real server process restored from four
 * hours of ordinary stored traffic (20–40 mentions a minute), one Socket.IO client and a local
 * webhook receiver. The clock starts when the first request of a burst (600 mentions on Reddit,
 * sent as 6 requests of 100 over about 6 seconds) is sent; it stops when the client has shown
 * the volume anomaly alert and the webhook has received its notification.
 */
async function benchAlertLatency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mc-bench-alert-'));
  const token = 'bench-token-0123456789abcdef';
  const MINUTE = 60_000;
  const now = Date.now();
  const store = openSqliteStore(join(dir, 'mission-control.db'));
  const pipeline = new Pipeline({ brandHandles: ['@NorthwindHelp'] });
  const sim = simulatedMentions(12_000, 5);
  const history: Mention[] = [];
  let k = 0;
  for (let m = Math.floor(now / MINUTE) * MINUTE - 240 * MINUTE; m < now - MINUTE; m += MINUTE) {
    const n = 20 + ((m / MINUTE) % 21);
    for (let i = 0; i < n; i++) {
      const base = sim[k++ % sim.length]!;
      history.push({
        ...base,
        id: `h${k}`,
        channel: 'news',
        createdAt: m + Math.floor((i * MINUTE) / n)
      });
    }
  }
  store.insertMentions(pipeline.enrichBatch(history));
  store.close();

  let webhookAt = 0;
  const receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        event?: string;
        ruleId?: string;
      };
      if (!webhookAt && msg.event === 'firing' && msg.ruleId === 'default-volume-anomaly') {
        webhookAt = performance.now();
      }
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const server = await startServerProcess({
    DATA_DIR: dir,
    SIMULATOR: 'off',
    INGEST_TOKEN: token,
    NOTIFY_WEBHOOK_URL: hook
  });
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(server.url, {
    transports: ['websocket'],
    reconnection: false
  });
  try {
    await new Promise<void>((resolve) => socket.once('alert:list', () => resolve()));
    // Let the first ticks feed the restored minutes to the detectors.
    await new Promise((r) => setTimeout(r, 3000));
    let shownAt = 0;
    let shown: AlertView | null = null;
    socket.on('alert:raised', (a) => {
      if (!shownAt && a.ruleId === 'default-volume-anomaly') {
        shownAt = performance.now();
        shown = a;
      }
    });
    const t0 = performance.now();
    for (let r = 0; r < 6 && !(shownAt && webhookAt); r++) {
      const at = Date.now();
      const body = Array.from({ length: 100 }, (_, i) => {
        const base = sim[(k + r * 100 + i) % sim.length]!;
        return JSON.stringify({ ...base, id: `burst-${r}-${i}`, channel: 'reddit', createdAt: at });
      }).join('\n');
      const res = await fetch(`${server.url}/api/v1/mentions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        body
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
      await new Promise((r2) => setTimeout(r2, 1000));
    }
    const deadline = t0 + 60_000;
    while (!(shownAt && webhookAt) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = shownAt && webhookAt ? Math.max(shownAt, webhookAt) : NaN;
    emit('alert.latency', (done - t0) / 1000, 's', {
      target: '<= 10',
      client_s: shownAt ? Math.round(shownAt - t0) / 1000 : null,
      webhook_s: webhookAt ? Math.round(webhookAt - t0) / 1000 : null,
      severity: (shown as AlertView | null)?.severity ?? null,
      sensitivity: 'balanced'
    });
  } finally {
    socket.close();
    await server.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.env.BENCH_ONLY;
if (!only || only === 'detect') benchDetect();
if (!only || only === 'enrich') benchEnrich();
if (!only || only === 'pipeline') await benchPipeline();
if (!only || only === 'snapshot') benchSnapshot();
if (!only || only === 'ingest') await benchIngest();
if (!only || only === 'alert') await benchAlertLatency();
if (!only || only === 'explore') await benchExplore();
if (!only || only === 'explore-ui') await benchExploreUi();
if (!only || only === 'care') await benchCare();
