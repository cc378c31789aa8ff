import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/test-server';

const run = promisify(execFile);
const HOUR = 3_600_000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 2, 4, 18, 30, 0);
const N = 5000;

/** `npm run seed` is `tsx scripts/seed.ts`. */
const seed = (args: string[], dataDir: string) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir }
  });

let data: ReturnType<typeof tempDataDir>;
let db: Database.Database;
let summary: Record<string, unknown>;
let stderr: string;

beforeAll(async () => {
  data = tempDataDir();
  const file = join(data.dir, 'seeded.db');
  const r = await seed(
    [
      '--mentions',
      String(N),
      '--days',
      '2',
      '--seed',
      '3',
      '--end',
      new Date(END).toISOString(),
      '--db',
      file
    ],
    data.dir
  );
  summary = JSON.parse(r.stdout) as Record<string, unknown>;
  stderr = r.stderr;
  db = new Database(file, { readonly: true });
}, 60_000);

afterAll(() => {
  db?.close();
  data?.cleanup();
});

const one = <T>(sql: string, ...args: unknown[]): T => db.prepare(sql).get(...args) as T;

describe('npm run seed', () => {
  it('writes exactly N enriched mentions over the days before --end and says how fast', () => {
    expect(summary).toMatchObject({ mentions: N, inserted: N, from: END - 2 * DAY, to: END });
    expect(summary.rowsPerSec).toBeGreaterThan(0);
    expect(stderr).toMatch(/seed: 5,000 \/ 5,000 \(100\.0%\)/);
    const r = one<{ n: number; lo: number; hi: number }>(
      'SELECT COUNT(*) AS n, MIN(created_at) AS lo, MAX(created_at) AS hi FROM mentions'
    );
    expect(r.n).toBe(N);
    expect(r.lo).toBeGreaterThanOrEqual(END - 2 * DAY);
    expect(r.hi).toBeLessThan(END);
    // Enriched on the way in, like the server's own path.
    const e = one<{ unscored: number; topical: number; langs: number; channels: number }>(
      `SELECT SUM(sentiment_scored = 0) AS unscored, AVG(topics != '') AS topical,
              COUNT(DISTINCT language) AS langs, COUNT(DISTINCT channel) AS channels
       FROM mentions WHERE is_brand = 0`
    );
    expect(e.topical).toBeGreaterThan(0.3);
    expect(e.langs).toBeGreaterThanOrEqual(5);
    expect(e.channels).toBeGreaterThanOrEqual(8);
    const intents = db
      .prepare('SELECT DISTINCT intent FROM mentions WHERE is_brand = 0')
      .pluck()
      .all() as string[];
    expect(intents).toEqual(expect.arrayContaining(['complaint', 'question', 'praise']));
  });

  it('follows a daily cycle: every hour has mentions, the busiest several times the quietest', () => {
    const hours = db
      .prepare(
        `SELECT (created_at - CAST(? AS INTEGER)) / ${HOUR} AS h, COUNT(*) AS n FROM mentions
         WHERE is_brand = 0 GROUP BY h ORDER BY h`
      )
      .all(END - 2 * DAY) as { h: number; n: number }[];
    expect(hours).toHaveLength(48);
    const counts = hours.map((x) => x.n);
    expect(Math.max(...counts)).toBeGreaterThan(3 * Math.min(...counts));
  });

  it('answers ~40% of customer mentions with brand replies linked to their parents, later', () => {
    const replies = one<{ n: number; bad: number; brand: number }>(
      `SELECT COUNT(*) AS n,
              SUM(p.seq IS NULL OR p.is_brand = 1 OR p.created_at >= r.created_at) AS bad,
              SUM(r.author_handle = '@NorthwindHelp' AND r.is_brand = 1) AS brand
       FROM mentions r LEFT JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to_id
       WHERE r.in_reply_to_id IS NOT NULL`
    );
    expect(replies.n).toBeGreaterThan(0.2 * N);
    expect(replies.bad).toBe(0);
    expect(replies.brand).toBe(replies.n);
    expect(
      one<{ n: number }>('SELECT COUNT(*) AS n FROM mentions WHERE is_brand_reply = 1').n
    ).toBe(replies.n);
    // Mentions of the last hours may still be waiting, so count those a day old or more.
    const answered = one<{ share: number }>(
      `SELECT AVG(EXISTS (SELECT 1 FROM mentions r WHERE r.source = m.source
                          AND r.in_reply_to_id = m.id AND r.is_brand_reply = 1)) AS share
       FROM mentions m WHERE m.is_brand = 0 AND m.created_at < ?`,
      END - DAY
    ).share;
    expect(answered).toBeGreaterThan(0.3);
    expect(answered).toBeLessThan(0.5);
    const delays = db
      .prepare(
        `SELECT r.created_at - p.created_at FROM mentions r
         JOIN mentions p ON p.source = r.source AND p.id = r.in_reply_to_id`
      )
      .pluck()
      .all() as number[];
    delays.sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)]!;
    expect(median).toBeGreaterThan(5 * 60_000);
    expect(median).toBeLessThan(2 * HOUR);
  });

  it('places ~30% of customer mentions in real cities and names competitors in some', () => {
    const geo = one<{ share: number; bad: number }>(
      `SELECT AVG(geo_lat IS NOT NULL) AS share,
              SUM(geo_lat IS NOT NULL AND (geo_country IS NULL OR geo_lat NOT BETWEEN -90 AND 90
                  OR geo_lon NOT BETWEEN -180 AND 180)) AS bad
       FROM mentions WHERE is_brand = 0`
    );
    expect(geo.share).toBeGreaterThan(0.24);
    expect(geo.share).toBeLessThan(0.36);
    expect(geo.bad).toBe(0);
    expect(
      one<{ n: number }>('SELECT COUNT(DISTINCT geo_country) AS n FROM mentions').n
    ).toBeGreaterThan(10);
    expect(
      one<{ n: number }>(
        `SELECT COUNT(*) AS n FROM mentions WHERE text LIKE '%Contoso%' OR text LIKE '%Fabrikam%'`
      ).n
    ).toBeGreaterThan(0.01 * N);
    const tracking = JSON.parse(
      one<{ value: string }>(`SELECT value FROM settings WHERE key = 'tracking'`).value
    ) as { competitors: { name: string }[] };
    expect(tracking.competitors.map((c) => c.name)).toEqual(['Contoso', 'Fabrikam']);
  });

  it('has a few very active authors with big followings', () => {
    const customers = one<{ n: number }>('SELECT COUNT(*) AS n FROM mentions WHERE is_brand = 0').n;
    const big = db
      .prepare(
        `SELECT author_handle FROM mentions WHERE is_brand = 0 AND channel != 'news'
         GROUP BY author_handle HAVING COUNT(*) > ? AND MIN(author_followers) >= 40000`
      )
      .pluck()
      .all(0.002 * customers) as string[];
    expect(big.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses bad options with exit code 2 and names the option', async () => {
    const cases: [string[], string][] = [
      [['--mentions', 'lots'], '--mentions must be a whole number'],
      [['--mentions', '10', '--days', '0'], '--days must be a number above 0'],
      [['--mentions', '10', '--end', 'yesterday'], '--end must be'],
      [['--mentions', '10', '--db'], '--db needs a value'],
      [['--mentions', '10', '--frobnicate'], 'unknown option --frobnicate']
    ];
    await Promise.all(
      cases.map(([args, message]) =>
        expect(seed(args, data.dir)).rejects.toMatchObject({
          code: 2,
          stderr: expect.stringContaining(message) as string
        })
      )
    );
  }, 60_000);
});
