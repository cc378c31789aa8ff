/**
 * Explore under a big history (`npm run bench`, or alone with `BENCH_ONLY=explore`): seeds a
 * database with `scripts/seed.ts` (BENCH_EXPLORE_MENTIONS, default 10,000,000, over
 * BENCH_EXPLORE_DAYS, default 30), cached under the OS temp directory by those parameters so
 * repeated runs do not reseed (delete `mc-explore-seed-*` there to force it), then
 * starts the real server against it on port 0 with the simulator ingesting live at 50 mentions/s,
 * and times the explore API over real HTTP with a read-scoped API token, random filters and
 * random ranges inside the seeded days:
 *
 * - `explore.page.p95`: first page (limit 100) of filtered one-hour queries;
 * - `explore.agg24h.p95`: `/explore/volume` and `/explore/top` over 24 hours;
 * - `explore.agg30d.p95`: `/explore/volume` over 30 days;
 * - `explore.csv.throughput`: rows/s of `/mentions/export.csv` over one hour;
 * - `explore.seed.rate`: the seed's own rows/s (from when the cached file was seeded).
 *
 * Every line carries the machine's 1-minute load average: other work on the same cores makes
 * these figures noisy.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { DEFAULT_TOPICS } from '../server/core/enrich/topics';
import { CHANNELS, INFLUENCE_TIERS, INTENTS } from '../src/lib/shared/types';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Bump when seed.ts changes what it generates, so cached databases are seeded again. */
const SEED_FORMAT = 1;
const SEED = 1;
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface SeedInfo {
  mentions: number;
  from: number;
  to: number;
  seconds: number;
  rowsPerSec: number;
  seededAt: number;
  load1: number;
}

function emit(name: string, value: number | null, unit: string, extra: Record<string, unknown>) {
  process.stdout.write(
    JSON.stringify({
      name,
      value: value === null ? null : Math.round(value * 1000) / 1000,
      unit,
      ...extra
    }) + '\n'
  );
}

const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? NaN;
}

const ms = (v: number): number => Math.round(v * 10) / 10;

function stats(values: number[]): Record<string, number> {
  return {
    p50: ms(percentile(values, 0.5)),
    p95: ms(percentile(values, 0.95)),
    p99: ms(percentile(values, 0.99)),
    max: ms(Math.max(...values)),
    samples: values.length
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The cached seeded data directory for these parameters. New migrations do not invalidate it:
 * the server migrates the file on open and its background jobs fill new indexes (timed as
 * `explore.server.start`). Bump SEED_FORMAT when a change makes an old file wrong.
 */
function cacheDir(mentions: number, days: number): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ SEED_FORMAT, SEED, mentions, days }));
  return join(tmpdir(), `mc-explore-seed-${mentions}-${days}d-${h.digest('hex').slice(0, 12)}`);
}

/** Seeds (or reuses) the database; returns its directory and how the seed went. */
async function seeded(
  mentions: number,
  days: number
): Promise<{ dir: string; info: SeedInfo; cached: boolean }> {
  const dir = cacheDir(mentions, days);
  const infoFile = join(dir, 'seed.json');
  if (existsSync(infoFile)) {
    process.stderr.write(`explore bench: reusing ${dir}\n`);
    return { dir, info: JSON.parse(readFileSync(infoFile, 'utf8')) as SeedInfo, cached: true };
  }
  const partial = `${dir}.partial`;
  rmSync(dir, { recursive: true, force: true });
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  process.stderr.write(`explore bench: seeding ${mentions} mentions over ${days} days\n`);
  const loadBefore = load1();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts/seed.ts'),
        '--mentions',
        String(mentions),
        '--days',
        String(days),
        '--seed',
        String(SEED),
        '--db',
        join(partial, 'mission-control.db')
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
    );
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`seed exited with ${code}`))
    );
  });
  const s = JSON.parse(out.trim().split('\n').at(-1)!) as Omit<SeedInfo, 'seededAt' | 'load1'>;
  const info: SeedInfo = {
    mentions: s.mentions,
    from: s.from,
    to: s.to,
    seconds: s.seconds,
    rowsPerSec: s.rowsPerSec,
    seededAt: Date.now(),
    load1: Math.round(((loadBefore + load1()) / 2) * 100) / 100
  };
  writeFileSync(join(partial, 'seed.json'), JSON.stringify(info));
  renameSync(partial, dir);
  return { dir, info, cached: false };
}

const WORDS = [
  'refund',
  'order',
  'delivery',
  'battery',
  'outage',
  'support',
  'app',
  'charger',
  'android',
  '"charged twice"',
  'pulse*',
  'contoso',
  'broken package'
];
const TOPICS = DEFAULT_TOPICS.map((t) => t.name);
const LANGS = ['en', 'es', 'fr', 'de', 'pt'];

/** 0 to 3 random filters, as query parameters. */
function randomFilters(rng: () => number): Record<string, string> {
  const some = (items: readonly string[], max: number): string => {
    const n = 1 + Math.floor(rng() * max);
    const pool = [...items];
    const out: string[] = [];
    for (let i = 0; i < n && pool.length; i++)
      out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
    return out.join(',');
  };
  const makers: (() => [string, string])[] = [
    () => ['channel', some(CHANNELS, 2)],
    () => ['sentiment', some(['negative', 'neutral', 'positive'], 2)],
    () => ['intent', some(INTENTS, 2)],
    () => ['tier', some(INFLUENCE_TIERS, 2)],
    () => ['q', WORDS[Math.floor(rng() * WORDS.length)]!],
    () => ['topic', TOPICS[Math.floor(rng() * TOPICS.length)]!],
    () => ['lang', LANGS[Math.floor(rng() * LANGS.length)]!],
    () => ['answered', rng() < 0.5 ? 'true' : 'false'],
    () => ['about', rng() < 0.7 ? 'brand' : 'competitor']
  ];
  const n = Math.floor(rng() * 4);
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const [k, v] = makers[Math.floor(rng() * makers.length)]!();
    out[k] = v;
  }
  return out;
}

export async function benchExplore(): Promise<void> {
  const mentions = Number(process.env.BENCH_EXPLORE_MENTIONS ?? 10_000_000);
  const days = Number(process.env.BENCH_EXPLORE_DAYS ?? 30);
  if (!(Number.isSafeInteger(mentions) && mentions > 0) || !(days > 0)) {
    throw new Error('BENCH_EXPLORE_MENTIONS and BENCH_EXPLORE_DAYS must be positive numbers');
  }
  const phaseMs = Number(process.env.BENCH_EXPLORE_PHASE_MS ?? 60_000);
  const { dir, info, cached } = await seeded(mentions, days);
  emit('explore.seed.rate', info.rowsPerSec, 'rows/s', {
    rows: info.mentions,
    seconds: info.seconds,
    days,
    cached,
    seededAt: new Date(info.seededAt).toISOString(),
    load1: info.load1
  });

  const simulated = (): number => {
    const db = new Database(join(dir, 'mission-control.db'), { readonly: true });
    const n = db
      .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM mentions WHERE source = 'simulator'")
      .get()!.n;
    db.close();
    return n;
  };
  const liveBefore = simulated();
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    SIMULATOR: 'on',
    SIMULATOR_RATE: '50',
    SIMULATOR_CRISIS_EVERY_S: '0',
    LOG_LEVEL: 'silent'
  });
  const app = createApp(config, { logger: pino({ level: 'silent' }) });
  const http = createServer((req, res) =>
    app.handle(req, res, () => {
      res.writeHead(404);
      res.end();
    })
  );
  app.attach(http);
  let t0 = performance.now();
  await app.start();
  const startMs = performance.now() - t0;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  t0 = performance.now();
  await app.refreshIndexes();
  const cubeMs = performance.now() - t0;
  emit('explore.server.start', startMs / 1000, 's', {
    indexes_s: Math.round(cubeMs / 100) / 10,
    rows: info.mentions,
    load1: load1()
  });
  const { token } = await app.auth!.createToken('bench', ['read'], 'bench');
  const headers = { authorization: `Bearer ${token}` };
  const rng = mulberry32(7);
  const errors: string[] = [];
  /** Every request of the current phase, for the slowest ones on stderr. */
  let slow: { ms: number; query: string }[] = [];

  /** Times one GET (until the whole body is read); null when it failed. */
  const get = async (
    path: string,
    params: Record<string, string | number>
  ): Promise<{ ms: number; body: string } | null> => {
    const qs = new URLSearchParams(
      Object.entries(params).map(([k, v]) => [k, String(v)])
    ).toString();
    const t = performance.now();
    const res = await fetch(`${base}${path}?${qs}`, { headers });
    const body = await res.text();
    const elapsed = performance.now() - t;
    slow.push({ ms: elapsed, query: `${path}?${decodeURIComponent(qs)}` });
    if (res.status !== 200) {
      if (errors.length < 5) errors.push(`${res.status} ${path}?${qs}: ${body.slice(0, 200)}`);
      return null;
    }
    return { ms: elapsed, body };
  };
  /** A random range of `len` inside the seeded days (whole seconds). */
  const range = (len: number): { from: number; to: number } => {
    const span = Math.max(0, info.to - info.from - len);
    const from = Math.floor((info.from + rng() * span) / 1000) * 1000;
    return { from, to: from + len };
  };
  /** Runs `one` until `samples` succeeded or the phase's time is up. */
  const phase = async (samples: number, one: () => Promise<number | null>): Promise<number[]> => {
    const out: number[] = [];
    const deadline = performance.now() + phaseMs;
    for (let i = 0; i < samples * 2 && out.length < samples; i++) {
      const v = await one();
      if (v !== null) out.push(v);
      if (performance.now() > deadline) break;
    }
    return out;
  };
  const line = (
    name: string,
    values: number[],
    target: string,
    extra: Record<string, unknown> = {}
  ): void => {
    const worst = slow.sort((a, b) => b.ms - a.ms).slice(0, 5);
    process.stderr.write(
      `${name} slowest:\n${worst.map((w) => `  ${Math.round(w.ms)} ms ${w.query}`).join('\n')}\n`
    );
    slow = [];
    if (values.length === 0) {
      emit(name, null, 'ms', { target, error: errors.at(-1) ?? 'no samples', load1: load1() });
      return;
    }
    const s = stats(values);
    emit(name, s.p95!, 'ms', { ...s, target, ...extra, load1: load1() });
  };

  try {
    // Warm up: the first queries read the pages they need from disk.
    for (let i = 0; i < 5; i++) {
      await get('/api/v1/mentions', { ...range(HOUR), limit: 100 });
      await get('/api/v1/explore/volume', range(DAY));
    }
    slow = [];

    let items = 0;
    const page = await phase(300, async () => {
      const r = await get('/api/v1/mentions', {
        ...range(HOUR),
        ...randomFilters(rng),
        limit: 100
      });
      if (r) items += (JSON.parse(r.body) as { items: unknown[] }).items.length;
      return r?.ms ?? null;
    });
    line('explore.page.p95', page, '< 100', {
      range: '1h',
      avgItems: page.length ? Math.round(items / page.length) : 0
    });

    const volume: number[] = [];
    const top: number[] = [];
    const agg = await phase(120, async () => {
      const isTop = rng() < 0.5;
      const by = ['total', 'channel', 'sentiment', 'topic'][Math.floor(rng() * 4)]!;
      const r = await get(
        isTop ? '/api/v1/explore/top' : '/api/v1/explore/volume',
        isTop
          ? { ...range(DAY), ...randomFilters(rng) }
          : { ...range(DAY), ...randomFilters(rng), by }
      );
      if (r) (isTop ? top : volume).push(r.ms);
      return r?.ms ?? null;
    });
    line('explore.agg24h.p95', agg, '< 300', {
      range: '24h',
      volume_p95: volume.length ? ms(percentile(volume, 0.95)) : null,
      top_p95: top.length ? ms(percentile(top, 0.95)) : null
    });

    const long = Math.min(30 * DAY, info.to - info.from);
    const agg30 = await phase(30, async () => {
      const by = ['total', 'channel', 'sentiment', 'topic'][Math.floor(rng() * 4)]!;
      // The 30 days end anywhere in the last seeded day.
      const to = Math.floor((info.to - rng() * Math.min(DAY, info.to - info.from - long)) / 1000);
      const r = await get('/api/v1/explore/volume', {
        from: to * 1000 - long,
        to: to * 1000,
        ...randomFilters(rng),
        by
      });
      return r?.ms ?? null;
    });
    line('explore.agg30d.p95', agg30, '< 1000', { range: `${Math.round(long / DAY)}d` });

    let rows = 0;
    let seconds = 0;
    const csv = await phase(10, async () => {
      const r = await get('/api/v1/mentions/export.csv', range(HOUR));
      if (!r) return null;
      // One line per row after the header (texts with line breaks are quoted; the seed has none).
      rows += r.body.split('\n').filter(Boolean).length - 1;
      seconds += r.ms / 1000;
      return r.ms;
    });
    emit('explore.csv.throughput', csv.length ? rows / seconds : null, 'rows/s', {
      range: '1h',
      rows,
      exports: csv.length,
      p50_ms: csv.length ? ms(percentile(csv, 0.5)) : null,
      ...(csv.length ? {} : { error: errors.at(-1) ?? 'no samples' }),
      load1: load1()
    });
    if (errors.length) process.stderr.write(`explore bench errors:\n${errors.join('\n')}\n`);
  } finally {
    await app.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
  process.stderr.write(
    `explore bench: the live simulator stored ${simulated() - liveBefore} mentions meanwhile\n`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchExplore();
