import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../server/adapters/sources/importer';
import { openSqliteStore } from '../../server/adapters/store/sqlite-store';
import { makeMention } from '../helpers/fixtures';
import { startTestServer, tempDataDir } from '../helpers/test-server';

const run = promisify(execFile);
let data: ReturnType<typeof tempDataDir>;

beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

const T = Date.UTC(2017, 9, 31, 22, 0, 0);
const twitterDate = (ms: number): string => {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  const mon = d.toUTCString().slice(8, 11);
  const hms = d.toISOString().slice(11, 19);
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, '0')} ${hms} +0000 ${d.getUTCFullYear()}`;
};

/** Three customers answered after 5, 10 and 20 minutes, one never, plus a second brand reply. */
function writeTwcs(file: string): void {
  const rows = [
    'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id',
    `1,101,True,${twitterDate(T)},"@acme my order is late, again",11,`,
    `2,102,True,${twitterDate(T + 60_000)},@acme thanks for the quick fix!,12,`,
    `3,103,True,${twitterDate(T + 120_000)},"@acme app down, ""error 500""",13,`,
    `4,104,True,${twitterDate(T + 180_000)},@acme hello?,,`,
    `11,acme,False,${twitterDate(T + 5 * 60_000)},@101 sorry! please DM us,,1`,
    `12,acme,False,${twitterDate(T + 60_000 + 10 * 60_000)},@102 glad to help,,2`,
    `13,acme,False,${twitterDate(T + 120_000 + 20 * 60_000)},@103 we are on it,,3`,
    `14,acme,False,${twitterDate(T + 120_000 + 30 * 60_000)},@103 fixed now,,3`,
    `15,acme,maybe,${twitterDate(T)},broken row,,`
  ];
  writeFileSync(file, rows.join('\n') + '\n');
}

describe('importFile', () => {
  it('streams twcs CSV into history with brand replies recognised and bad rows reported', async () => {
    const file = join(data.dir, 'twcs.csv');
    writeTwcs(file);
    const store = openSqliteStore(join(data.dir, 'mission-control.db'));
    const progress: number[] = [];
    const r = await importFile(file, {
      store,
      brandHandles: [],
      onProgress: (b) => progress.push(b)
    });
    expect(r).toMatchObject({ format: 'twcs', read: 9, imported: 8, duplicates: 0, rejected: 1 });
    expect(r.problems).toEqual([{ at: 10, error: expect.stringContaining('inbound') }]);
    expect(progress.at(-1)).toBeGreaterThan(0);
    const again = await importFile(file, { store, brandHandles: [] });
    expect(again).toMatchObject({ imported: 0, duplicates: 8 });
    const { sums, responseMs } = store.aggregateRange(T - 1, T + 3_600_000);
    store.close();
    expect(sums[0]).toBe(8);
    expect([...responseMs]).toEqual([5 * 60_000, 10 * 60_000, 20 * 60_000]);
  });

  it('reads NDJSON of our schema and reports broken lines by number', async () => {
    const file = join(data.dir, 'm.ndjson');
    const ms = [makeMention({ createdAt: T }), makeMention({ createdAt: T + 1000 })];
    writeFileSync(
      file,
      `${JSON.stringify(ms[0])}\n{oops\n\n${JSON.stringify(ms[1])}\n{"id":"x"}\n`
    );
    const store = openSqliteStore(join(data.dir, 'mission-control.db'));
    const r = await importFile(file, { store, brandHandles: ['@NorthwindHelp'] });
    store.close();
    expect(r).toMatchObject({ format: 'ndjson', read: 4, imported: 2, rejected: 2 });
    expect(r.problems.map((p) => p.at)).toEqual([2, 5]);
  });

  it('reads Twitter API v2 responses, one per line or one pretty-printed, detected', async () => {
    const user = {
      id: 'u1',
      username: 'jane',
      name: 'Jane',
      public_metrics: { followers_count: 5 }
    };
    const brand = { id: 'u2', username: 'NorthwindHelp', name: 'Northwind Support' };
    const pages = [
      {
        data: [
          {
            id: '10',
            text: 'my bag is lost',
            author_id: 'u1',
            created_at: new Date(T).toISOString()
          },
          { id: '11', text: 'no date', author_id: 'u1' }
        ],
        includes: { users: [user] }
      },
      {
        data: [
          {
            id: '12',
            text: 'so sorry, DM us',
            author_id: 'u2',
            created_at: new Date(T + 7 * 60_000).toISOString(),
            referenced_tweets: [{ type: 'replied_to', id: '10' }]
          }
        ],
        includes: { users: [brand] }
      },
      { meta: { result_count: 0 } }
    ];
    const jsonl = join(data.dir, 'v2.jsonl');
    writeFileSync(jsonl, pages.map((p) => JSON.stringify(p)).join('\n') + '\n');
    const store = openSqliteStore(join(data.dir, 'mission-control.db'));
    const r = await importFile(jsonl, { store, brandHandles: ['@NorthwindHelp'] });
    expect(r).toMatchObject({ format: 'twitter-v2', read: 3, imported: 2, rejected: 1 });
    expect(r.problems[0]).toEqual({ at: 1, error: expect.stringContaining('created_at') });
    const { responseMs } = store.aggregateRange(T - 1, T + 3_600_000);
    expect([...responseMs]).toEqual([7 * 60_000]);

    const pretty = join(data.dir, 'v2.json');
    writeFileSync(pretty, JSON.stringify(pages[0], null, 2));
    const again = await importFile(pretty, { store, brandHandles: [] });
    store.close();
    expect(again).toMatchObject({ format: 'twitter-v2', imported: 0, duplicates: 1, rejected: 1 });
  });

  it('refuses a file whose format it cannot tell', async () => {
    const file = join(data.dir, 'x.txt');
    writeFileSync(file, 'hello\n');
    const store = openSqliteStore(join(data.dir, 'mission-control.db'));
    await expect(importFile(file, { store, brandHandles: [] })).rejects.toThrow(/--format/);
    store.close();
  });
});

describe('npm run import and GET /api/v1/summary?from&to', () => {
  it('imports from the command line, and the server summarises any stored range', async () => {
    const file = join(data.dir, 'twcs.csv');
    writeTwcs(file);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/import.ts', file], {
      env: { ...process.env, DATA_DIR: data.dir }
    });
    expect(JSON.parse(stdout)).toMatchObject({ imported: 8, rejected: 1 });

    const server = await startTestServer(data.dir);
    try {
      const from = new Date(T - 60_000).toISOString();
      const to = new Date(T + 3_600_000).toISOString();
      const res = await fetch(`${server.url}/api/v1/summary?from=${from}&to=${to}`);
      expect(res.status).toBe(200);
      const s = (await res.json()) as Record<string, unknown>;
      expect(s).toMatchObject({
        window: null,
        from,
        to,
        volume: 8,
        responseTime: { count: 3, p50Ms: 600_000, p90Ms: 1_200_000 },
        unanswered: 1
      });
      expect((s.byChannel as Record<string, number>).twitter).toBe(8);
      // Old history does not leak into the live windows.
      const live = (await (await fetch(`${server.url}/api/v1/summary?window=24h`)).json()) as {
        volume: number;
      };
      expect(live.volume).toBe(0);

      for (const [query, field] of [
        [`from=${from}`, 'to'],
        [`from=${to}&to=${from}`, 'to'],
        [`from=yesterday&to=${to}`, 'from'],
        [`window=5m&from=${from}&to=${to}`, 'window']
      ] as const) {
        const bad = await fetch(`${server.url}/api/v1/summary?${query}`);
        expect(bad.status, query).toBe(400);
        expect(((await bad.json()) as { field: string }).field, query).toBe(field);
      }
    } finally {
      await server.close();
    }
  });

  it('exits with 2 and a usage line on a bad option', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'scripts/import.ts', 'x.csv', '--format', 'xml'], {
        env: { ...process.env, DATA_DIR: data.dir }
      })
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--format must be one of ndjson, twcs, twitter-v2')
    });
  });
});
