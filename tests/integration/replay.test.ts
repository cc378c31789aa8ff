import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mention, SourceHealth } from '../../src/lib/shared/types';
import { createReplaySource } from '../../server/adapters/sources/replay';
import { compileMatcher, trackingSchema } from '../../server/core/tracking';
import { makeMention, makeReply } from '../helpers/fixtures';
import { startTestServer, tempDataDir, waitFor, type TestServer } from '../helpers/test-server';

let data: ReturnType<typeof tempDataDir>;
let server: TestServer | null = null;

beforeEach(() => {
  data = tempDataDir();
});
afterEach(async () => {
  await server?.close();
  server = null;
  data.cleanup();
});

const T0 = Date.UTC(2020, 4, 1, 12, 0, 0);

/** 30 customer mentions over 30 recorded seconds, 10 answered 60 recorded seconds later. */
function recording(): Mention[] {
  const out: Mention[] = [];
  for (let i = 0; i < 30; i++) {
    const m = makeMention({ id: `c${i}`, source: 'rec', createdAt: T0 + i * 1000 });
    out.push(m);
    if (i < 10) out.push(makeReply(m, { id: `r${i}`, createdAt: m.createdAt + 60_000 }));
  }
  // Written out of order on purpose: the replay sorts by time.
  return out.reverse();
}

async function health(url: string, name: string): Promise<SourceHealth | undefined> {
  const res = await fetch(`${url}/api/v1/sources`);
  const body = (await res.json()) as { sources: SourceHealth[] };
  return body.sources.find((s) => s.name === name);
}

describe('npm start -- --replay <file> --speed N', () => {
  it('streams a recording live, shifted to now, in time order, replies and all', async () => {
    const file = join(data.dir, 'rec.ndjson');
    writeFileSync(
      file,
      recording()
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n{broken\n'
    );
    const startedAt = Date.now();
    server = await startTestServer(
      data.dir,
      {},
      {
        argv: ['--replay', file, '--speed', '60'],
        realSources: true
      }
    );
    const s = server;
    // 90 recorded seconds at 60× take about 1.5 s.
    await waitFor(async () => (await health(s.url, 'replay'))?.state === 'idle', 15_000);
    const h = await health(s.url, 'replay');
    expect(h).toMatchObject({ kind: 'replay', received: 40, buffered: 0 });
    expect(h?.lastError?.message).toMatch(/line 41: not valid JSON/);

    const stored = s.app.store.loadRange(startedAt - 1000, Date.now() + 1000);
    expect(stored).toHaveLength(40);
    const ms = stored.map((r) => r.mention);
    expect(new Set(ms.map((m) => m.source))).toEqual(new Set(['replay']));
    // Ids get a per-run prefix and replies still point at their parents.
    const byId = new Map(ms.map((m) => [m.id, m]));
    const reply = ms.find((m) => m.id.endsWith(':r3'))!;
    const parent = byId.get(reply.inReplyToId!)!;
    expect(parent.id.endsWith(':c3')).toBe(true);
    // Shifted to now and compressed 60×: a 60 s reply delay becomes about 1 s.
    expect(reply.createdAt - parent.createdAt).toBeGreaterThan(500);
    expect(reply.createdAt - parent.createdAt).toBeLessThan(2500);
    const first = ms.find((m) => m.id.endsWith(':c0'))!;
    const last = ms.find((m) => m.id.endsWith(':c29'))!;
    expect(first.createdAt).toBeGreaterThanOrEqual(startedAt);
    expect(last.createdAt - first.createdAt).toBeGreaterThan(200);
    expect(last.createdAt - first.createdAt).toBeLessThan(1500);

    const summary = s.app.pipeline.summary('5m', Date.now());
    expect(summary.volume).toBe(40);
    expect(summary.responseTime.count).toBe(10);
    expect(summary.unanswered).toBe(20);
  });

  it('replays a twcs CSV with its brand accounts recognised', async () => {
    const file = join(data.dir, 'twcs.csv');
    // The dataset's own date format: "Tue Oct 31 22:10:47 +0000 2017".
    const d = (ms: number) => {
      const [day, date, mon, year, hms] = new Date(ms).toUTCString().replace(',', '').split(' ');
      return `${day} ${mon} ${date} ${hms} +0000 ${year}`;
    };
    writeFileSync(
      file,
      [
        'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id',
        `1,101,True,${d(T0)},"@acme my order is late",2,`,
        `2,AcmeHelp,False,${d(T0 + 120_000)},@101 sorry! DM us,,1`,
        `3,102,True,${d(T0 + 1000)},@acme hello?,,`
      ].join('\n')
    );
    server = await startTestServer(
      data.dir,
      {},
      {
        argv: ['--replay', file, '--speed', '120'],
        realSources: true
      }
    );
    const s = server;
    await waitFor(async () => (await health(s.url, 'replay'))?.state === 'idle', 15_000);
    expect(await health(s.url, 'replay')).toMatchObject({ received: 3, lastError: null });
    const summary = s.app.pipeline.summary('5m', Date.now());
    expect(summary.volume).toBe(3);
    expect(summary.responseTime.count).toBe(1);
    expect(summary.unanswered).toBe(1);
  });
});

describe('replay of a recording with quiet stretches', () => {
  it('skips a gap that would take longer than maxGapMs, keeping the pace within bursts', async () => {
    const file = join(data.dir, 'gappy.ndjson');
    const DAY = 86_400_000;
    const ms = [
      makeMention({ id: 'a0', createdAt: T0 }),
      makeMention({ id: 'a1', createdAt: T0 + 200 }),
      // Three days of silence, then a burst over 400 ms of recorded time.
      ...Array.from({ length: 5 }, (_, i) =>
        makeMention({ id: `b${i}`, createdAt: T0 + 3 * DAY + i * 100 })
      )
    ];
    writeFileSync(file, ms.map((m) => JSON.stringify(m)).join('\n'));
    const source = createReplaySource(
      { file, speed: 1, format: null, stepMs: 20, maxGapMs: 500 },
      {
        clock: { now: () => Date.now() },
        logger: pino({ level: 'silent' }),
        matcher: compileMatcher(trackingSchema.parse({})),
        onHealthChange: () => {}
      }
    );
    const got: Mention[] = [];
    const started = Date.now();
    source.start(async (batch) => {
      got.push(...batch);
      return batch.length;
    });
    await waitFor(() => source.health().state === 'idle', 10_000);
    await source.stop();
    expect(got.map((m) => m.id.split(':')[1])).toEqual(['a0', 'a1', 'b0', 'b1', 'b2', 'b3', 'b4']);
    expect(Date.now() - started).toBeLessThan(5000);
    // Within the burst the recorded spacing is kept (speed 1): 400 ms from b0 to b4.
    const b0 = got.find((m) => m.id.endsWith(':b0'))!;
    const b4 = got.find((m) => m.id.endsWith(':b4'))!;
    expect(b4.createdAt - b0.createdAt).toBeGreaterThan(250);
    expect(b4.createdAt - b0.createdAt).toBeLessThan(700);
  });
});

describe('replay under a saturated pipeline', () => {
  it('slows down instead of piling up, and keeps createdAt close to now', async () => {
    const file = join(data.dir, 'dense.ndjson');
    // 2,000 mentions in one recorded second.
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      lines.push(JSON.stringify(makeMention({ id: `d${i}`, createdAt: T0 + Math.floor(i / 2) })));
    }
    writeFileSync(file, lines.join('\n'));
    const clock = { now: () => Date.now() };
    const source = createReplaySource(
      { file, speed: 1, format: null, stepMs: 20, maxPerStep: 100 },
      {
        clock,
        logger: pino({ level: 'silent' }),
        matcher: compileMatcher(trackingSchema.parse({})),
        onHealthChange: () => {}
      }
    );
    const deliveries: { at: number; newest: number; n: number }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const started = Date.now();
    source.start(async (batch) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // A slow pipeline: 100 ms per batch of at most 100.
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      deliveries.push({
        at: Date.now(),
        newest: Math.max(...batch.map((m) => m.createdAt)),
        n: batch.length
      });
      return batch.length;
    });
    await waitFor(() => source.health().state === 'idle', 15_000);
    await source.stop();
    const total = deliveries.reduce((a, d) => a + d.n, 0);
    expect(total).toBe(2000);
    // One batch at a time, and at least 20 × 100 ms: the replay waited for the pipeline.
    expect(maxInFlight).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(1900);
    // Mentions are stamped when sent, not when they were due: none is more than a step old.
    for (const d of deliveries) expect(d.at - d.newest).toBeLessThan(400);
    expect(source.health()).toMatchObject({ state: 'stopped', received: 2000, buffered: 0 });
  });
});
